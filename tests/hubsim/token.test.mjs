// POST /oauth/access_token over real HTTP: every grant, every client-authentication style and
// body encoding, and the error paths of issue 3 (reused code, refresh reuse, PKCE mismatch,
// wrong secret, redirect mismatch, client credentials for an unconnected organisation, refresh
// denied after a role change, a removal or a revoked connection).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, decodeJwt, obtainTokens, pkcePair, tokenRequest } from '../lib/hub-flows.mjs';

const { ada, bruno, chiara, emil } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const mobile = HUBSIM.apps.mobile;
const personScope = 'zaikio.person.r';

let hub;
let basic;
before(async () => {
  hub = await startHubsim({
    args: ['--app-desired-scopes', 'zaikio.person.r,Org.zaikio.organization.r,Org.zaikio.organization_members.r'],
    secret: 'se:cret with spaces+%',
  });
  basic = ['zai_connect', hub.secret];
});
after(() => stopCleanly(hub));

async function codeFor(options) {
  const flow = await authorize(hub.url, new HttpClient(), { state: 'st', ...options });
  assert.ok(flow.params?.get('code'), `no code: ${flow.location ?? flow.response.body.slice(0, 200)}`);
  return flow.params.get('code');
}

const api = (path, token) => fetch(hub.url + path, { headers: { authorization: `Bearer ${token}` } });

test('authorization_code: the response is exactly the Hub\'s (§1.6)', async () => {
  const code = await codeFor({ scope: personScope, person: ada.id });
  const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.match(res.headers.get('content-type'), /^application\/json/);
  const t = res.body;
  assert.deepEqual(Object.keys(t).sort(), ['access_token', 'audiences', 'bearer', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.equal(t.token_type, 'bearer');
  assert.equal(t.scope, 'zaikio.person.r');
  assert.deepEqual(t.audiences, ['zai_connect']);
  assert.ok(Number.isInteger(t.expires_in));
  assert.equal(t.expires_in, 3600);
  assert.deepEqual(t.bearer, { id: ada.id, type: 'Person' });
  assert.equal(t.access_token.split('.').length, 3);
  assert.match(t.refresh_token, /^[A-Za-z0-9_-]{43}$/);
});

test('an organisation grant: bearer Organization, scope without the bearer prefix', async () => {
  const code = await codeFor({ scope: 'Org.zaikio.organization.r,Org.zaikio.organization_members.r', person: ada.id, organization: lindqvist.id });
  const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.bearer, { id: lindqvist.id, type: 'Organization' });
  assert.equal(res.body.scope, 'zaikio.organization.r,zaikio.organization_members.r');
  assert.equal(decodeJwt(res.body.access_token).payload.sub, `Organization/${lindqvist.id}`);
});

test('client authentication and encodings: Basic, body, JSON, query string, .json path', async () => {
  const variants = [
    { options: { basic }, params: {} },
    { options: {}, params: { client_id: 'zai_connect', client_secret: hub.secret } },
    { options: { encoding: 'json' }, params: { client_id: 'zai_connect', client_secret: hub.secret } },
    { options: { encoding: 'json', basic } , params: {} },
    { options: { encoding: 'query', basic }, params: {} },
    { options: { encoding: 'query' }, params: { client_id: 'zai_connect', client_secret: hub.secret } },
    { options: { basic, path: '/oauth/access_token.json' }, params: {} },
  ];
  for (const v of variants) {
    const code = await codeFor({ scope: personScope, person: chiara.id });
    const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, ...v.params }, v.options);
    assert.equal(res.status, 200, `${JSON.stringify(v.options)} ${JSON.stringify(res.body)}`);
  }
  const log = (await hub.control.requests()).filter((r) => r.path.startsWith('/oauth/access_token'));
  assert.ok(log.some((r) => r.client_auth === 'basic' && r.content_type === 'application/json'));
  assert.ok(log.some((r) => r.client_auth === 'body' && r.content_type === 'application/x-www-form-urlencoded'));
});

test('a reused code → invalid_grant, and the tokens issued from it are revoked', async () => {
  const code = await codeFor({ scope: personScope, person: ada.id });
  const first = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic });
  assert.equal(first.status, 200);
  assert.equal((await api('/api/v1/person', first.body.access_token)).status, 200);

  const again = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic });
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'invalid_grant');
  assert.match(again.body.error_description, /already used/);

  const revoked = await (await fetch(`${hub.url}/api/v1/revoked_access_tokens`)).json();
  assert.ok(revoked.revoked_token_ids.includes(decodeJwt(first.body.access_token).payload.jti));
  const denied = await api('/api/v1/person', first.body.access_token);
  assert.equal(denied.status, 403);
  assert.deepEqual(await denied.json(), { errors: ['invalid_jwt'] });
  const refresh = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token }, { basic });
  assert.equal(refresh.body.error, 'invalid_grant');
});

test('codes: unknown, missing, expired, issued to another client, redirect_uri mismatch', async () => {
  const unknown = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: 'made-up' }, { basic });
  assert.deepEqual([unknown.status, unknown.body.error], [400, 'invalid_grant']);
  const missing = await tokenRequest(hub.url, { grant_type: 'authorization_code' }, { basic });
  assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);

  const code = await codeFor({ scope: personScope, person: ada.id });
  const mismatch = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:8080/other' }, { basic });
  assert.deepEqual([mismatch.status, mismatch.body.error], [400, 'invalid_grant']);
  assert.match(mismatch.body.error_description, /redirect_uri/);
  const withSame = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, redirect_uri: HUBSIM.apps.connect.redirectUri }, { basic });
  assert.equal(withSame.status, 200, 'a failed attempt does not use the code up');

  const other = await codeFor({ scope: personScope, person: ada.id });
  const { verifier } = pkcePair();
  const byMobile = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: other, client_id: mobile.clientId, code_verifier: verifier });
  assert.deepEqual([byMobile.status, byMobile.body.error], [400, 'invalid_grant']);

  await hub.control.setLifetimes({ code: 1 });
  try {
    const shortLived = await codeFor({ scope: personScope, person: ada.id });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: shortLived }, { basic });
    assert.deepEqual([expired.status, expired.body.error], [400, 'invalid_grant']);
  } finally {
    await hub.control.setLifetimes({ code: 600 });
  }
});

test('wrong, missing or unknown client credentials → invalid_client (401 with a Basic challenge)', async () => {
  const code = await codeFor({ scope: personScope, person: ada.id });
  const cases = [
    [{ basic: ['zai_connect', 'wrong'] }, {}],
    [{ basic: ['zai_connect', `${hub.secret}x`] }, {}],
    [{}, { client_id: 'zai_connect', client_secret: 'wrong' }],
    [{}, { client_id: 'zai_connect' }],
    [{ basic: ['nobody', 'x'] }, {}],
    [{}, {}],
    [{ headers: { authorization: 'Basic !!!' } }, {}],
  ];
  for (const [options, params] of cases) {
    const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, ...params }, options);
    assert.equal(res.status, 401, JSON.stringify([options, params]));
    assert.equal(res.body.error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate'), /^Basic/);
  }
  const stillGood = await tokenRequest(hub.url, { grant_type: 'authorization_code', code }, { basic });
  assert.equal(stillGood.status, 200);
});

test('PKCE: S256 and plain succeed; a mismatching verifier → invalid_grant; a missing one → invalid_request', async () => {
  const { verifier, challenge } = pkcePair();
  const s256 = await codeFor({ scope: personScope, person: ada.id, query: { code_challenge: challenge, code_challenge_method: 'S256' } });
  const wrong = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: s256, code_verifier: pkcePair().verifier }, { basic });
  assert.deepEqual([wrong.status, wrong.body.error], [400, 'invalid_grant']);
  const none = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: s256 }, { basic });
  assert.deepEqual([none.status, none.body.error], [400, 'invalid_request']);
  const plainSent = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: s256, code_verifier: challenge }, { basic });
  assert.equal(plainSent.body.error, 'invalid_grant', 'the challenge itself is not the verifier');
  const right = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: s256, code_verifier: verifier }, { basic });
  assert.equal(right.status, 200);

  const plain = await codeFor({ scope: personScope, person: ada.id, query: { code_challenge: verifier, code_challenge_method: 'plain' } });
  const ok = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: plain, code_verifier: verifier }, { basic });
  assert.equal(ok.status, 200);
});

test('a non-confidential app: PKCE without secret; refresh with the refresh token alone', async () => {
  const { verifier, challenge } = pkcePair();
  const code = await codeFor({
    clientId: mobile.clientId, redirectUri: mobile.redirectUri, scope: personScope, person: emil.id,
    query: { code_challenge: challenge, code_challenge_method: 'S256' },
  });
  const res = await tokenRequest(hub.url, { grant_type: 'authorization_code', code, client_id: mobile.clientId, code_verifier: verifier });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.audiences, ['zai_mobile']);
  const refreshed = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token });
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  const withId = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: mobile.clientId });
  assert.equal(withId.status, 200);
  const wrongSecret = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: withId.body.refresh_token }, { basic: [mobile.clientId, 'x'] });
  assert.equal(wrongSecret.body.error, 'invalid_client');
});

test('refresh: single use and rotated; the old access token stays valid until it expires', async () => {
  const first = await obtainTokens(hub, new HttpClient(), { scope: personScope, person: ada.id });
  const second = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { basic });
  assert.equal(second.status, 200);
  assert.notEqual(second.body.refresh_token, first.refresh_token);
  assert.notEqual(second.body.access_token, first.access_token);
  assert.deepEqual(second.body.bearer, first.bearer);
  assert.equal((await api('/api/v1/person', first.access_token)).status, 200);

  const reuse = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { basic });
  assert.deepEqual([reuse.status, reuse.body.error], [400, 'invalid_grant']);
  const third = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: second.body.refresh_token }, { basic });
  assert.equal(third.status, 200);

  const noSecret = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: third.body.refresh_token });
  assert.equal(noSecret.body.error, 'invalid_client', 'a confidential app must authenticate to refresh');
  const missing = await tokenRequest(hub.url, { grant_type: 'refresh_token' }, { basic });
  assert.equal(missing.body.error, 'invalid_request');
});

test('refresh denied (invalid_grant) when the installer lost the admin role', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: `Org/${lindqvist.id}.zaikio.organization.r`, person: bruno.id });
  await hub.control.setRoles(bruno.id, lindqvist.id, ['member']);
  try {
    const res = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { basic });
    assert.deepEqual([res.status, res.body.error], [400, 'invalid_grant']);
    assert.match(res.body.error_description, /installer_lost_role/);
  } finally {
    await hub.control.setRoles(bruno.id, lindqvist.id, ['admin']);
  }
});

test('refresh denied when the installer was removed from the organisation', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: ada.id });
  await hub.control.removeMember(ada.id, nordlicht.id);
  const res = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { basic });
  assert.deepEqual([res.status, res.body.error], [400, 'invalid_grant']);
  assert.match(res.body.error_description, /installer_left_organization/);
});

test('refresh denied when the connection was revoked; its live access tokens are revoked too', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: personScope, person: chiara.id });
  await hub.control.revokeConnection(`Person/${chiara.id}`);
  const res = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { basic });
  assert.deepEqual([res.status, res.body.error], [400, 'invalid_grant']);
  assert.equal((await api('/api/v1/person', t.access_token)).status, 403);
  // Consenting again makes a new connection; the old grant stays dead.
  const again = await obtainTokens(hub, new HttpClient(), { scope: personScope, person: chiara.id });
  assert.equal((await api('/api/v1/person', again.access_token)).status, 200);
});

test('client_credentials: for a connected organisation with granted scopes', async () => {
  await obtainTokens(hub, new HttpClient(), { scope: 'Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id });
  for (const encoding of ['form', 'json', 'query']) {
    const res = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` }, { basic, encoding });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.bearer, { id: lindqvist.id, type: 'Organization' });
    assert.equal(res.body.scope, 'zaikio.organization.r');
    assert.equal(decodeJwt(res.body.access_token).payload.sub, `Organization/${lindqvist.id}`);
  }
  const person = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Per/${ada.id}.zaikio.person.r` }, { basic });
  assert.equal(person.status, 200);
  assert.deepEqual(person.body.bearer, { id: ada.id, type: 'Person' });
});

test('client_credentials errors in the Hub\'s shape {"errors":{"scopes":[id]}}', async () => {
  const expectScopes = async (scope, id, status = 402) => {
    const res = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope }, { basic });
    assert.equal(res.status, status, `${scope}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(res.body, { errors: { scopes: [id] } }, scope);
  };
  const { id: unconnected } = HUBSIM.organizations.scale(7);
  const { id: scale10 } = HUBSIM.organizations.scale(10);
  await obtainTokens(hub, new HttpClient(), { scope: `Org/${scale10}.zaikio.organization.r`, person: HUBSIM.people.dev.id });
  await expectScopes(`Org/${unconnected}.zaikio.organization.r`, 'bearer_does_not_exist');
  await expectScopes(`Org/${randomUUID()}.zaikio.organization.r`, 'bearer_does_not_exist');
  await expectScopes('Org.zaikio.organization.r', 'bearer_does_not_exist');
  await expectScopes(`Org/${scale10}.zaikio.organization_members.r`, 'ungranted_scope');
  await expectScopes(`Org/${lindqvist.id}.zaikio.sites.r`, 'scope_is_not_included_in_desired_scopes');
  await expectScopes('Org/x..r', 'malformed_scope');
  await expectScopes(`Org/${lindqvist.id}.zaikio.organization.r,Per/${ada.id}.zaikio.person.r`, 'different_bearer_types');

  const publicApp = await tokenRequest(hub.url, { grant_type: 'client_credentials', client_id: mobile.clientId, scope: `Org/${lindqvist.id}.zaikio.organization.r` });
  assert.deepEqual([publicApp.status, publicApp.body.error], [400, 'unauthorized_client']);
});

test('grant_type: missing → invalid_request, unknown → unsupported_grant_type; bad JSON → invalid_request', async () => {
  const missing = await tokenRequest(hub.url, {}, { basic });
  assert.deepEqual([missing.status, missing.body.error], [400, 'invalid_request']);
  const unknown = await tokenRequest(hub.url, { grant_type: 'password' }, { basic });
  assert.deepEqual([unknown.status, unknown.body.error], [400, 'unsupported_grant_type']);
  const res = await fetch(`${hub.url}/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_request');
});

test('token lifetimes: expires_in and exp follow the control API', async () => {
  await hub.control.setLifetimes({ access_token: 5 });
  try {
    const t = await obtainTokens(hub, new HttpClient(), { scope: personScope, person: ada.id });
    assert.equal(t.expires_in, 5);
    const { payload } = decodeJwt(t.access_token);
    assert.equal(payload.exp - payload.nbf, 5);
  } finally {
    await hub.control.setLifetimes({ access_token: 3600 });
  }
});

test('an expired refresh token → invalid_grant', async () => {
  await hub.control.setLifetimes({ refresh_token: 1 });
  try {
    const t = await obtainTokens(hub, new HttpClient(), { scope: personScope, person: ada.id });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { basic });
    assert.deepEqual([res.status, res.body.error], [400, 'invalid_grant']);
  } finally {
    await hub.control.setLifetimes({ refresh_token: 604800 });
  }
});
