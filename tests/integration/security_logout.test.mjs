// security.md §I (R56–R58; R59 does not apply, see tests/security/NOT_APPLICABLE.md): logout,
// revocation at the Hub and Loom webhooks, over real HTTP against real hubsim and zai-connect
// processes. hubsim's request log shows what was revoked; the Hub itself is asked afterwards
// whether it still accepts the token.
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import { cookieAttributes, grantTokens, lastSeq, metric, query, sessionCookie, sessionGrantId } from './security_support.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const readTimeoutMs = 1500;

let stack;

before(async () => {
  stack = await startStack({ webhooks: true, env: { HUB_READ_TIMEOUT_MS: String(readTimeoutMs) } });
});
after(async () => {
  await stack?.stop();
});

const logout = (c, headers = {}) => c.post(`${stack.url}/logout`, { headers: { 'x-csrf': '1', ...headers } });
const hubAccepts = async (token) => (await fetch(`${stack.hub.url}/api/v1/person`, { headers: { authorization: `Bearer ${token}` } })).status === 200;
const installation = (id) => query(stack.app, `SELECT state, revoked_reason FROM installations WHERE organization_id = '${id}'`)[0];
const orgGrants = (id) => query(stack.app, `SELECT count(*) AS n FROM grants WHERE organization_id = '${id}'`)[0].n;

async function signedIn(person) {
  const c = stack.client();
  await stack.signIn(c, person);
  return c;
}

test('R56 logout deletes the session and revokes its token at the Hub', async () => {
  const c = await signedIn(ada.id);
  const value = sessionCookie(c);
  const { access } = grantTokens(stack.app, sessionGrantId(value));
  assert.ok(await hubAccepts(access));
  const seq = await lastSeq(stack.hub);
  assert.equal((await logout(c)).status, 200);
  const revocations = (await stack.hub.control.requests(seq)).filter((r) => r.path === '/api/v1/revoked_access_tokens');
  assert.equal(revocations.length, 1);
  assert.equal(revocations[0].method, 'POST');
  assert.ok(revocations[0].status >= 200 && revocations[0].status < 300, `the Hub answered ${revocations[0].status}`);
  assert.equal(await hubAccepts(access), false, 'the Hub refuses the token now');
  assert.equal(grantTokens(stack.app, sessionGrantId(value)), undefined, 'the grant row is gone');
  assert.equal(query(stack.app, `SELECT count(*) AS n FROM sessions WHERE person_id = '${ada.id}'`)[0].n, 0);
});

test('R56 when the Hub fails or hangs, the revocation failure is counted and logged and the logout still completes quickly', async () => {
  const before = await metric(stack.app, 'zai_revocation_failures_total');
  for (const fault of [{ kind: 'status', status: 500 }, { kind: 'latency', latency_ms: readTimeoutMs + 2500 }]) {
    const c = await signedIn(bruno.id);
    const id = await stack.hub.control.addFault({ ...fault, path: '/api/v1/revoked_access_tokens', count: 1 });
    try {
      const logged = stack.app.waitFor(/logout: revoking the token at the Hub failed \(hub_\w+\)/, { timeoutMs: 10000 });
      const started = performance.now();
      const res = await logout(c);
      assert.ok(performance.now() - started < readTimeoutMs + 2000, `${fault.kind}: logout took ${Math.round(performance.now() - started)} ms`);
      assert.equal(res.status, 200, fault.kind);
      assert.equal((await stack.api(c, '/api/session')).body.authenticated, false, `${fault.kind}: signed out locally`);
      await logged;
    } finally {
      await stack.hub.control.removeFault(id).catch(() => {});
    }
  }
  assert.equal(await metric(stack.app, 'zai_revocation_failures_total'), before + 2);
});

test('R57 logout expires the cookie with the attributes it was set with, is no-store, and is harmless twice or anonymous', async () => {
  const c = await signedIn(ada.id);
  const res = await logout(c);
  const [header] = res.setCookies;
  const { name, value, attrs } = cookieAttributes(header);
  assert.deepEqual([name, value], ['__Host-zai_session', '']);
  assert.deepEqual(attrs, { path: '/', secure: true, httponly: true, samesite: 'Strict', 'max-age': '0' });
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(sessionCookie(c), undefined, 'the browser dropped it');
  for (const again of [await logout(c), await logout(stack.client())]) {
    assert.equal(again.status, 200);
    assert.deepEqual(again.json(), { signed_out: true });
  }
});

test('R28 R57 logout leaves the organisation installations alone', async () => {
  const c = await signedIn(ada.id);
  await stack.install(c, nordlicht.id);
  assert.equal(installation(nordlicht.id).state, 'installed');
  await logout(c);
  assert.equal(installation(nordlicht.id).state, 'installed');
  assert.equal(orgGrants(nordlicht.id), 1, 'the organisation grant survives the person leaving');
});

/** A Loom event for `subject`, signed with `secret` unless a signature is given. */
function loom(body, { secret = stack.webhookSecret, signature } = {}) {
  const text = JSON.stringify(body);
  return fetch(`${stack.url}/webhooks/zaikio`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-loom-signature': signature ?? createHmac('sha256', secret).update(text).digest('hex') },
    body: text,
  });
}

test('R58 webhooks: only a valid HMAC over the raw body is accepted; the event revokes the installation and drops its grant, once', async () => {
  const c = await signedIn(ada.id);
  await stack.install(c, lindqvist.id);
  assert.equal(orgGrants(lindqvist.id), 1);
  const event = { id: randomUUID(), name: 'zaikio.revoked_connection', subject: `Org/${lindqvist.id}`, timestamp: new Date().toISOString(), payload: {} };
  const good = createHmac('sha256', stack.webhookSecret).update(JSON.stringify(event)).digest('hex');
  const forged = [
    ['no signature', { signature: '' }],
    ['another secret', { secret: 'not-the-secret' }],
    ['upper-case hex of the right HMAC', { signature: good.toUpperCase() }],
    ['the right HMAC, one digit off', { signature: `${good.slice(0, -1)}${good.at(-1) === '0' ? '1' : '0'}` }],
    ['the signature of another body', { signature: createHmac('sha256', stack.webhookSecret).update(JSON.stringify({ ...event, id: 'x' })).digest('hex') }],
  ];
  for (const [name, options] of forged) {
    const res = await loom(event, options);
    assert.equal(res.status, 403, name);
  }
  assert.equal(installation(lindqvist.id).state, 'installed', 'forged events changed nothing');
  assert.equal(orgGrants(lindqvist.id), 1);

  const res = await loom(event);
  assert.deepEqual([res.status, await res.json()], [200, { status: 'accepted' }]);
  assert.deepEqual(installation(lindqvist.id), { state: 'revoked', revoked_reason: 'connection_revoked' });
  assert.equal(orgGrants(lindqvist.id), 0, 'the grant is deleted');
  const view = await stack.api(c, `/api/organizations/${lindqvist.id}`);
  assert.equal(view.body.installation.state, 'revoked');

  // The same event again is acknowledged and does nothing, even after a reinstall.
  await stack.install(c, lindqvist.id);
  const again = await loom(event);
  assert.deepEqual([again.status, await again.json()], [200, { status: 'duplicate' }]);
  assert.equal(installation(lindqvist.id).state, 'installed');
});

test('R58 the Hub\'s own signed event for a revoked connection reaches zai-connect and revokes the installation', async () => {
  const c = await signedIn(ada.id);
  if (installation(lindqvist.id)?.state !== 'installed') await stack.install(c, lindqvist.id);
  await stack.hub.control.revokeConnection(`Organization/${lindqvist.id}`);
  for (let i = 0; i < 100 && installation(lindqvist.id).state !== 'revoked'; i++) await sleep(50);
  assert.deepEqual(installation(lindqvist.id), { state: 'revoked', revoked_reason: 'connection_revoked' });
  assert.equal(orgGrants(lindqvist.id), 0);
});
