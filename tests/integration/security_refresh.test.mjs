// security.md §D (R32, R33, R35, R36), over real HTTP against real hubsim and zai-connect
// processes with access tokens that live 4 seconds. The refresh window (R29) is tested with a
// fake clock in tests/connect/test_policy.cpp, single flight (R30, R31) in refresh.test.mjs and
// tests/connect/test_sqlite_store.cpp, Hub failures during refresh (R34) in hub_faults.test.mjs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { tokenRequest } from '../lib/hub-flows.mjs';
import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import { grantTokens, lastSeq, query, refusesToStart, sessionCookie, sessionGrantId, startHubProxy, tokenCalls } from './security_support.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const lifetime = 4;  // seconds; a grant needs renewal after half of it (R29)

let stack;
let proxy;
let ada1;

before(async () => {
  proxy = await startHubProxy();
  stack = await startStack({ env: { HUB_URL: proxy.url, MEMBERSHIPS_MAX_AGE_SECONDS: '1' } });
  proxy.target = stack.hub.url;
  // Ada's own token lives an hour, so the token calls a test sees are its organisation's.
  ada1 = stack.client();
  await stack.signIn(ada1, ada.id);
  await stack.hub.control.setLifetimes({ access_token: lifetime });
  await stack.install(ada1, lindqvist.id);
  await stack.install(ada1, nordlicht.id);
});
after(async () => {
  await stack?.stop();
  await proxy?.close();
});

const orgView = (client, org) => stack.api(client, `/api/organizations/${org.id}`);
const orgGrant = (org) => grantTokens(stack.app, `org:${org.id}`);
const waitForRenewal = () => sleep((lifetime / 2) * 1000 + 300);

test('R32 a refresh replaces the tokens atomically (version + 1); a new refresh token replaces the old one, a missing one keeps it', async () => {
  const first = orgGrant(lindqvist);
  await waitForRenewal();
  const seq = await lastSeq(stack.hub);
  assert.equal((await orgView(ada1, lindqvist)).body.data?.id, lindqvist.id);
  assert.deepEqual((await tokenCalls(stack.hub, seq)).map((r) => r.grant_type), ['refresh_token']);
  const second = orgGrant(lindqvist);
  assert.equal(second.row.version, first.row.version + 1);
  assert.notEqual(second.access, first.access);
  assert.notEqual(second.refresh, first.refresh, 'the rotated refresh token is stored');
  const old = await tokenRequest(stack.hub.url, { grant_type: 'refresh_token', refresh_token: first.refresh }, { basic: ['zai_connect', stack.hub.secret] });
  assert.equal(old.status, 400, 'the old one is spent at the Hub');

  // A Hub answer without refresh_token: the stored one stays.
  proxy.rewrite = (e) => {
    if (!e.path.startsWith('/oauth/access_token') || e.status !== 200) return undefined;
    const j = JSON.parse(e.response);
    delete j.refresh_token;
    return j;
  };
  try {
    await waitForRenewal();
    assert.equal((await orgView(ada1, lindqvist)).body.data?.id, lindqvist.id);
  } finally {
    proxy.rewrite = undefined;
  }
  const third = orgGrant(lindqvist);
  assert.equal(third.row.version, second.row.version + 1);
  assert.notEqual(third.access, second.access);
  assert.equal(third.refresh, second.refresh, 'kept');
});

test('R35 a refresh authenticates the client and asks for no scope beyond the grant; client credentials ask for the installed scopes only', async () => {
  const from = proxy.exchanges.length;
  await waitForRenewal();
  assert.equal((await orgView(ada1, lindqvist)).status, 200);
  const [refresh] = proxy.tokenExchanges(from);
  assert.equal(refresh.form.grant_type, 'refresh_token');
  assert.match(refresh.headers.authorization, /^Basic /);
  assert.deepEqual(Object.keys(refresh.form).sort(), ['grant_type', 'refresh_token'], 'no scope (so the granted one), no secret in the body');
});

test('R33 R35 a denied refresh of an organisation grant: one client-credentials try for the installed scopes, then revoked; no loop', async () => {
  await stack.hub.control.revokeConnection(`Organization/${nordlicht.id}`);
  await waitForRenewal();
  const seq = await lastSeq(stack.hub);
  const view = await orgView(ada1, nordlicht);
  assert.equal(view.status, 200);
  assert.equal(view.body.installation.state, 'revoked', 'the dashboard can offer a reinstall');
  const calls = await tokenCalls(stack.hub, seq);
  assert.deepEqual(calls.map((r) => r.grant_type), ['refresh_token', 'client_credentials']);
  for (const r of calls) assert.ok(r.status >= 400 && r.status < 500, `${r.grant_type} refused: ${r.status}`);
  assert.equal(calls[1].client_auth, 'basic');
  assert.equal(calls[1].scope, `Org/${nordlicht.id}.directory.organization.r`, 'only what was installed');
  assert.equal(orgGrant(nordlicht), undefined, 'the grant is deleted');
  const seq2 = await lastSeq(stack.hub);
  assert.equal((await orgView(ada1, nordlicht)).body.installation.state, 'revoked');
  assert.deepEqual(await tokenCalls(stack.hub, seq2), [], 'and not retried');
});

test('R33 a denied refresh of a person grant ends the session with a 401 JSON reason; no loop', async () => {
  const b = stack.client();
  await stack.signIn(b, bruno.id);
  const value = sessionCookie(b);
  await stack.hub.control.revokeConnection(`Person/${bruno.id}`);
  await waitForRenewal();
  const seq = await lastSeq(stack.hub);
  const res = await stack.api(b, '/api/session');
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'session_expired');
  assert.match(res.headers.getSetCookie().join('\n'), /__Host-zai_session=;/);
  assert.deepEqual((await tokenCalls(stack.hub, seq)).map((r) => [r.grant_type, r.status]), [['refresh_token', 400]]);
  assert.equal(grantTokens(stack.app, sessionGrantId(value)), undefined);
  assert.equal(query(stack.app, `SELECT count(*) AS n FROM sessions WHERE person_id = '${bruno.id}'`)[0].n, 0);
});

test('R36 a session cannot outlive the Hub\'s 7-day refresh token', async () => {
  await refusesToStart(stack.hub.url, { SESSION_ABSOLUTE_SECONDS: String(7 * 24 * 3600 + 1) }, /SESSION_ABSOLUTE_SECONDS must be between 1 and 604800/);
  const left = (ada1.jar.get('__Host-zai_session').expires - Date.now()) / 1000;
  assert.ok(left > 0 && left <= 7 * 24 * 3600, `the session cookie lives ${left} s`);
  for (const row of query(stack.app, 'SELECT absolute_expires_at - created_at AS life FROM sessions')) assert.ok(row.life <= 7 * 24 * 3600);
});
