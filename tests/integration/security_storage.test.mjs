// security.md §C (R25–R28; R24, no token reaches a browser, is the scan at the end of
// journey.test.mjs and security_callback.test.mjs): what zai-connect keeps, read from its real
// SQLite file the way someone with a copy of it would, after real flows against hubsim.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { leaked } from '../lib/recording.mjs';
import { startStack } from '../lib/stack.mjs';
import {
  dump, grantTokens, openSealed, query, rawDatabase, readKey, sessionCookie, sessionGrantId, sha256hex,
} from './security_support.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let stack;
let ada1;
let bruno1;

before(async () => {
  stack = await startStack({ env: { MEMBERSHIPS_MAX_AGE_SECONDS: '1' } });
  ada1 = stack.client();
  bruno1 = stack.client();
  await stack.signIn(ada1, ada.id);
  await stack.signIn(bruno1, bruno.id);
  await stack.hub.control.setLifetimes({ access_token: 4 });  // renewals happen during R27
  await stack.install(ada1, lindqvist.id);
  await stack.install(ada1, nordlicht.id);
});
after(async () => {
  await stack?.stop();
});

test('R25 the database holds tokens only sealed with AES-256-GCM under a key id, openable with the key file and nothing else', async () => {
  const issued = await stack.hub.control.issuedSecrets();
  assert.ok(issued.length >= 8);
  assert.deepEqual(leaked(dump(stack.app), issued), [], 'sqlite3 .dump');
  assert.deepEqual(leaked(rawDatabase(stack.app), issued), [], 'raw bytes of the file, its WAL and shm');
  const grant = grantTokens(stack.app, `org:${lindqvist.id}`);
  assert.ok(issued.includes(grant.access) && issued.includes(grant.refresh), 'the sealed values are the tokens the Hub issued');
  assert.match(grant.row.access_token, /^[0-9a-f]{16}\.[A-Za-z0-9_-]+$/, '<key id>.<nonce ‖ ciphertext ‖ tag>');
  assert.throws(() => openSealed(randomBytes(32), grant.row.access_token, `grant:org:${lindqvist.id}:access`));
  // Bound to its row: the same value does not open as another grant's.
  assert.throws(() => openSealed(readKey(stack.app.keyFile), grant.row.access_token, `grant:org:${nordlicht.id}:access`));
  const nonces = query(stack.app, 'SELECT access_token FROM grants').map((r) => Buffer.from(r.access_token.split('.')[1], 'base64url').subarray(0, 12).toString('hex'));
  assert.equal(new Set(nonces).size, nonces.length, 'a fresh 96-bit nonce per value');
});

test('R26 the session cookie is 256 random bits; the database keeps only its SHA-256', async () => {
  const value = sessionCookie(ada1);
  assert.match(value, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(value, 'base64url').length, 32);
  assert.equal(query(stack.app, `SELECT count(*) AS n FROM sessions WHERE id_hash = '${sha256hex(value)}'`)[0].n, 1);
  const raw = rawDatabase(stack.app);
  for (const v of [sessionCookie(ada1), sessionCookie(bruno1)]) assert.ok(!raw.includes(v), 'no cookie value in the file');
});

test('R27 two people and two organisations at once, through renewals: everyone gets their own data, from their own token', async () => {
  await sleep(2300);  // every organisation token needs renewal now
  const calls = [];
  for (let i = 0; i < 10; i++) {
    for (const [who, client, person] of [['ada', ada1, ada], ['bruno', bruno1, bruno]]) {
      for (const org of [lindqvist, nordlicht]) calls.push(stack.api(client, `/api/organizations/${org.id}`).then((r) => ({ who, org, r })));
      calls.push(stack.api(client, '/api/session').then((r) => ({ who, person, r })));
    }
  }
  for (const { who, org, person, r } of await Promise.all(calls)) {
    assert.equal(r.status, 200, `${who}: ${JSON.stringify(r.body).slice(0, 200)}`);
    if (person) assert.equal(r.body.person.id, person.id, `${who} is ${person.name}`);
    else assert.equal(r.body.data?.id, org.id, `${who} reading ${org.name} got ${r.body.data?.id}`);
  }
});

test('R28 organisation grants live apart from sessions: uninstall drops the installation and its grant, a session\'s end does not', async () => {
  assert.equal(query(stack.app, `SELECT session_hash FROM grants WHERE id = 'org:${nordlicht.id}'`)[0].session_hash, null, 'tied to no session');
  const uninstall = await stack.api(ada1, `/api/organizations/${nordlicht.id}/uninstall`, { method: 'POST' });
  assert.equal(uninstall.status, 200);
  assert.equal(uninstall.body.installation.state, 'not_installed');
  assert.deepEqual(query(stack.app, `SELECT * FROM installations WHERE organization_id = '${nordlicht.id}'`), []);
  assert.equal(grantTokens(stack.app, `org:${nordlicht.id}`), undefined);
  assert.ok(grantTokens(stack.app, sessionGrantId(sessionCookie(ada1))), 'Ada\'s own grant is untouched');
  assert.ok(grantTokens(stack.app, `org:${lindqvist.id}`), 'and so is the other installation');
});
