// The control API (/__hubsim/): faults per endpoint, the request log (which must never hold a
// secret), lifetimes, membership changes — and that it is off unless --control is given.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, decodeJwt, pkcePair, tokenRequest } from '../lib/hub-flows.mjs';

const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const secret = 'CONTROL-TEST-SECRET-5d41402abc4b2a76';

let hub;
let basic;
before(async () => {
  hub = await startHubsim({ secret });
  basic = ['zai_connect', secret];
});
after(() => stopCleanly(hub));

const cc = (options = {}) => tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` }, { basic, ...options });

test('R23 the request log and the console log never contain codes, tokens, verifiers or secrets', async () => {
  await hub.control.resetRequests();
  const { verifier, challenge } = pkcePair();
  const flow = await authorize(hub.url, new HttpClient(), {
    scope: 'Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id, state: 'STATE-VALUE-123',
    query: { code_challenge: challenge, code_challenge_method: 'S256' },
  });
  const code = flow.params.get('code');
  const t = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, code_verifier: verifier }, { basic });
  assert.equal(t.status, 200);
  const r = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: 'zai_connect', client_secret: secret });
  assert.equal(r.status, 200);
  await fetch(`${hub.url}/api/v1/organization?access_token=${t.body.access_token}`, { headers: { authorization: `Bearer ${r.body.access_token}` } });

  const log = await hub.control.requests();
  const token = log.find((e) => e.grant_type === 'authorization_code');
  assert.deepEqual({ method: token.method, path: token.path, status: token.status, client_id: token.client_id, client_auth: token.client_auth },
    { method: 'POST', path: '/oauth/access_token', status: 200, client_id: 'zai_connect', client_auth: 'basic' });
  assert.deepEqual(token.params, ['code', 'code_verifier', 'grant_type']);
  assert.ok(Date.parse(token.time) > 0 && token.time_ms > 0);
  const authorizeEntry = log.find((e) => e.path === '/oauth/authorize');
  assert.equal(authorizeEntry.code_challenge_method, 'S256');
  assert.ok(authorizeEntry.params.includes('state'));

  const secrets = [secret, code, verifier, challenge, t.body.access_token, t.body.refresh_token, r.body.access_token,
    r.body.refresh_token, 'STATE-VALUE-123', decodeJwt(t.body.access_token).signature.toString('base64url')];
  const everything = JSON.stringify(log) + hub.logs();
  for (const s of secrets) assert.ok(!everything.includes(s), `leaked ${s.slice(0, 12)}…`);
  assert.match(hub.logs(), /POST \/oauth\/access_token 200 [\d.]+ms grant_type=refresh_token client_id=zai_connect/);

  await hub.control.resetRequests();
  assert.deepEqual(await hub.control.requests(), []);
});

test('fault: status (count-limited), then normal again', async () => {
  const id = await hub.control.addFault({ kind: 'status', path: '/oauth/access_token', status: 503, count: 1 });
  const first = await cc();
  assert.deepEqual([first.status, first.body], [503, { errors: ['injected_fault'] }]);
  assert.equal((await cc()).status, 200);
  const listed = (await hub.control.faults()).find((f) => f.id === id);
  assert.deepEqual([listed.fired, listed.count], [1, 1]);
  await hub.control.clearFaults();
});

test('fault: grant_type narrows a token-endpoint fault to one grant; .json paths match too', async () => {
  await hub.control.addFault({ kind: 'status', path: '/oauth/access_token', grant_type: 'refresh_token', status: 500 });
  assert.equal((await cc({ path: '/oauth/access_token.json' })).status, 200);
  const r = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: 'x' }, { basic, path: '/oauth/access_token.json' });
  assert.equal(r.status, 500);
  await hub.control.clearFaults();
});

test('fault: latency', async () => {
  await hub.control.addFault({ kind: 'latency', path: '/api/v1/roles', latency_ms: 400 });
  const start = Date.now();
  const res = await fetch(`${hub.url}/api/v1/roles`);
  assert.equal(res.status, 200);
  assert.ok(Date.now() - start >= 380, `took ${Date.now() - start} ms`);
  await hub.control.clearFaults();
});

test('fault: malformed JSON body with status 200', async () => {
  await hub.control.addFault({ kind: 'malformed_json', path: '/oauth/access_token', count: 1 });
  const res = await cc();
  assert.equal(res.status, 200);
  assert.equal(typeof res.body, 'string', 'not parseable as JSON');
  assert.throws(() => JSON.parse(res.body));
  await hub.control.clearFaults();
});

test('fault: the connection drops half-way through the response', async () => {
  await hub.control.addFault({ kind: 'drop', path: '/api/v1/', count: 1 });
  await assert.rejects(async () => {
    const res = await fetch(`${hub.url}/api/v1/jwt_public_keys`);
    await res.text();
  });
  assert.equal((await fetch(`${hub.url}/api/v1/jwt_public_keys`)).status, 200, 'the next request is served');
  await hub.control.clearFaults();
});

test('fault: wrong bearer in token responses (the JWT still names the real subject)', async () => {
  await hub.control.addFault({ kind: 'wrong_bearer', path: '/oauth/access_token', count: 1 });
  const res = await cc();
  assert.equal(res.status, 200);
  assert.notEqual(res.body.bearer.id, lindqvist.id);
  assert.equal(res.body.bearer.type, 'Organization');
  assert.equal(decodeJwt(res.body.access_token).payload.sub, `Organization/${lindqvist.id}`);
  assert.equal((await cc()).body.bearer.id, lindqvist.id);
});

test('fault: probability 0.5 fires on some requests and not on others', async () => {
  await hub.control.addFault({ kind: 'status', path: '/api/v1/roles', status: 502, probability: 0.5 });
  const statuses = [];
  for (let i = 0; i < 60; i++) statuses.push((await fetch(`${hub.url}/api/v1/roles`)).status);
  assert.ok(statuses.includes(502) && statuses.includes(200), statuses.join());
  await hub.control.clearFaults();
});

test('faults: invalid definitions are refused; removal by id', async () => {
  const bad = [
    { kind: 'explode', path: '/x' }, { kind: 'status', path: 'x' }, { kind: 'status', path: '/__hubsim/requests' },
    { kind: 'status', path: '/x', status: 200 }, { kind: 'status', path: '/x', probability: 0 },
    { kind: 'latency', path: '/x', latency_ms: -1 }, { kind: 'status', path: '/x', count: 'two' },
  ];
  for (const f of bad) {
    const res = await fetch(`${hub.url}/__hubsim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
    assert.equal(res.status, 400, JSON.stringify(f));
    assert.ok((await res.json()).error);
  }
  const notJson = await fetch(`${hub.url}/__hubsim/faults`, { method: 'POST', body: 'kind=status' });
  assert.equal(notJson.status, 400);
  const id = await hub.control.addFault({ kind: 'status', path: '/api/v1/roles' });
  await hub.control.removeFault(id);
  assert.deepEqual(await hub.control.faults(), []);
  assert.equal((await fetch(`${hub.url}/__hubsim/faults/${id}`, { method: 'DELETE' })).status, 404);
});

test('lifetimes: read, set, refused when not positive whole seconds', async () => {
  assert.deepEqual(await hub.control.lifetimes(), { access_token: 3600, refresh_token: 604800, code: 600, device_code: 600 });
  assert.equal((await hub.control.setLifetimes({ access_token: 7 })).access_token, 7);
  assert.equal((await cc()).body.expires_in, 7);
  for (const bad of [{ access_token: 0 }, { access_token: 1.5 }, { refresh_token: 'long' }]) {
    const res = await fetch(`${hub.url}/__hubsim/lifetimes`, { method: 'POST', body: JSON.stringify(bad) });
    assert.equal(res.status, 400, JSON.stringify(bad));
  }
  await hub.control.setLifetimes({ access_token: 3600 });
});

test('memberships and connections: unknown ones are 404, bad input 400', async () => {
  const post = (path, body) => fetch(`${hub.url}/__hubsim/${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post('memberships/roles', { person_id: ada.id, organization_id: HUBSIM.organizations.scale(1).id, roles: ['admin'] })).status, 404);
  assert.equal((await post('memberships/roles', { person_id: ada.id, organization_id: lindqvist.id, roles: ['emperor'] })).status, 400);
  assert.equal((await post('memberships/roles', { person_id: ada.id, organization_id: lindqvist.id, roles: [] })).status, 400);
  assert.equal((await post('memberships/remove', { person_id: ada.id, organization_id: HUBSIM.organizations.scale(1).id })).status, 404);
  assert.equal((await post('connections/revoke', { subject: 'Organization/nope' })).status, 400);
  assert.equal((await post('connections/revoke', { subject: `Organization/${HUBSIM.organizations.scale(3).id}` })).status, 404);
  const index = await (await fetch(`${hub.url}/__hubsim/`)).json();
  assert.ok(index.endpoints['POST /__hubsim/faults']);
});

test('without --control the control API does not exist', async () => {
  const plain = await startHubsim({ control: false });
  try {
    const res = await fetch(`${plain.url}/__hubsim/requests`);
    assert.equal(res.status, 404);
    assert.equal((await fetch(`${plain.url}/__hubsim/faults`, { method: 'POST', body: '{}' })).status, 404);
  } finally {
    await stopCleanly(plain);
  }
});
