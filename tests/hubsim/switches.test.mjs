// The switches for what zaikio-hub.md marks UNCONFIRMED (config.h `Switches`): each one flipped
// away from its default changes exactly the behaviour it names. Defaults are covered by the
// other files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, obtainTokens, pkcePair, tokenRequest } from '../lib/hub-flows.mjs';

const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const mobile = HUBSIM.apps.mobile;

let hub;
let events = [];
let receiver;
before(async () => {
  const { createServer } = await import('node:http');
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { events.push(JSON.parse(body)); res.end(); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  hub = await startHubsim({
    args: [
      '--no-state-on-error', '--no-directory-alias', '--space-separated-scopes', '--require-response-type',
      '--public-refresh-requires-client-id', '--no-cc-refresh-token', '--device-url-aliases',
      '--invalid-client-status', '400', '--cc-scope-error-status', '422', '--device-error-status', '428',
      '--unpermitted-scope-status', '401', '--revoked-connection-event', 'directory.revoked_connection',
      '--app-desired-scopes', 'zaikio.person.r,Org.zaikio.organization.r',
      '--app-webhook-url', `http://127.0.0.1:${receiver.address().port}/hook`, '--app-webhook-secret', 'w',
    ],
  });
});
after(async () => {
  await stopCleanly(hub);
  await new Promise((r) => receiver.close(r));
});

const authorizeRedirect = async (params) => {
  const res = await new HttpClient().get(`${hub.url}/oauth/authorize?${new URLSearchParams({ client_id: 'zai_connect', ...params })}`);
  assert.equal(res.status, 302);
  return new URL(res.location).searchParams;
};

test('--no-state-on-error: error redirects carry no state (success still does)', async () => {
  const p = await authorizeRedirect({ response_type: 'code', scope: 'zaikio.person.rwx', state: 'st' });
  assert.equal(p.get('error'), 'invalid_scope');
  assert.equal(p.get('state'), null);
  const ok = await authorize(hub.url, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id, state: 'st' });
  assert.equal(ok.params.get('state'), 'st');
});

test('--require-response-type: authorize without response_type → invalid_request', async () => {
  const p = await authorizeRedirect({ scope: 'zaikio.person.r' });
  assert.equal(p.get('error'), 'invalid_request');
});

test('--no-directory-alias: directory.* is another app, not desired', async () => {
  const p = await authorizeRedirect({ response_type: 'code', scope: 'directory.person.r' });
  assert.equal(p.get('error_description'), 'scope_is_not_included_in_desired_scopes');
});

test('--space-separated-scopes: "a b" is a list of two', async () => {
  const flow = await authorize(hub.url, new HttpClient(), { scope: 'Org.zaikio.organization.r Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id });
  assert.ok(flow.params.get('code'), flow.location);
});

test('--invalid-client-status 400: wrong secret → 400 invalid_client, no Basic challenge', async () => {
  const res = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` }, { basic: ['zai_connect', 'wrong'] });
  assert.deepEqual([res.status, res.body.error], [400, 'invalid_client']);
  assert.equal(res.headers.get('www-authenticate'), null);
});

test('--cc-scope-error-status 422 and --no-cc-refresh-token', async () => {
  const bad = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${randomUUID()}.zaikio.organization.r` }, { basic: ['zai_connect', hub.secret] });
  assert.deepEqual([bad.status, bad.body], [422, { errors: { scopes: ['bearer_does_not_exist'] } }]);
  await obtainTokens(hub, new HttpClient(), { scope: `Org/${lindqvist.id}.zaikio.organization.r`, person: ada.id });
  const ok = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` }, { basic: ['zai_connect', hub.secret] });
  assert.equal(ok.status, 200);
  assert.equal('refresh_token' in ok.body, false);
});

test('--unpermitted-scope-status 401', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: `Org/${lindqvist.id}.zaikio.organization.r`, person: ada.id });
  const res = await fetch(`${hub.url}/api/v1/organization/memberships`, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).errors[0], 'unpermitted_scope');
});

test('--device-error-status 428 and --device-url-aliases', async () => {
  const start = await tokenRequest(hub.url, { client_id: mobile.clientId, scope: 'zaikio.person.r' }, { path: '/oauth/device_authorizations/authorize' });
  assert.equal(start.body.verification_url, start.body.verification_uri);
  assert.equal(start.body.verification_url_complete, start.body.verification_uri_complete);
  const poll = await tokenRequest(hub.url, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: mobile.clientId, device_code: start.body.device_code });
  assert.deepEqual([poll.status, poll.body.error], [428, 'authorization_pending']);
});

test('--public-refresh-requires-client-id: a public refresh without client_id → invalid_client', async () => {
  const { verifier, challenge } = pkcePair();
  const flow = await authorize(hub.url, new HttpClient(), {
    clientId: mobile.clientId, redirectUri: mobile.redirectUri, scope: 'zaikio.person.r', person: ada.id,
    query: { code_challenge: challenge, code_challenge_method: 'S256' },
  });
  const t = await tokenRequest(hub.url, { grant_type: 'authorization_code', client_id: mobile.clientId, code: flow.params.get('code'), code_verifier: verifier });
  assert.equal(t.status, 200);
  const without = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token });
  assert.deepEqual([without.status, without.body.error], [400, 'invalid_client']);
  const withId = await tokenRequest(hub.url, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token, client_id: mobile.clientId });
  assert.equal(withId.status, 200);
});

test('--revoked-connection-event names the event', async () => {
  events = [];
  await hub.control.revokeConnection(`Organization/${lindqvist.id}`);
  const deadline = Date.now() + 5000;
  while (!events.some((e) => e.name === 'directory.revoked_connection') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.ok(events.some((e) => e.name === 'directory.revoked_connection' && e.subject === `Org/${lindqvist.id}`));
  assert.ok(!events.some((e) => e.name === 'zaikio.revoked_connection'));
});
