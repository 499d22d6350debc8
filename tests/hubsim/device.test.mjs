// The device flow (RFC 8628, zaikio-hub.md §4.7): device authorization, the page where a person
// enters and approves the user code, polling with authorization_pending / slow_down /
// access_denied / expired_token, and the tokens at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { pageKind, pendingOf, tokenRequest } from '../lib/hub-flows.mjs';

const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const mobile = HUBSIM.apps.mobile;
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

let hub;
before(async () => {
  hub = await startHubsim({ args: ['--device-interval', '2'] });
});
after(() => stopCleanly(hub));

const startDevice = (params, options = {}) =>
  tokenRequest(hub.url, { client_id: mobile.clientId, ...params }, { path: '/oauth/device_authorizations/authorize', ...options });
const poll = (deviceCode, clientId = mobile.clientId) =>
  tokenRequest(hub.url, { grant_type: deviceGrant, client_id: clientId, device_code: deviceCode });

/** Approves (or cancels) a user code in a browser-like client signed in as `person`. */
async function decide(userCode, { person = ada.id, organization, decision = 'allow', entered = userCode } = {}) {
  const client = new HttpClient();
  let res = await client.get(`${hub.url}/oauth/device?user_code=${encodeURIComponent(entered)}`);
  const pages = [];
  for (let i = 0; i < 6 && res.status === 200; i++) {
    const kind = pageKind(res.body);
    pages.push(kind);
    const pending = pendingOf(res.body);
    if (kind === 'sign_in') res = (await client.follow(`${hub.url}/oauth/authorize/sign_in`, { method: 'POST', form: { pending, person_id: person } })).response;
    else if (kind === 'organization') res = (await client.follow(`${hub.url}/oauth/authorize/organization`, { method: 'POST', form: { pending, organization_id: organization } })).response;
    else if (kind === 'consent') res = await client.post(`${hub.url}/oauth/authorize/consent`, { form: { pending, decision } });
    else break;
  }
  return { res, pages };
}

test('device authorization answers with RFC 8628 names (form and .json with JSON)', async () => {
  for (const [options, path] of [[{}, undefined], [{ encoding: 'json' }, '/oauth/device_authorizations/authorize.json']]) {
    const res = await startDevice({ scope: 'zaikio.person.r' }, { ...options, ...(path ? { path } : {}) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body), ['device_code', 'user_code', 'verification_uri', 'verification_uri_complete', 'expires_in', 'interval']);
    assert.match(res.body.user_code, /^\d{4}-\d{4}$/);
    assert.equal(res.body.verification_uri, `${hub.url}/oauth/device`);
    assert.equal(res.body.verification_uri_complete, `${hub.url}/oauth/device?user_code=${res.body.user_code}`);
    assert.equal(res.body.expires_in, 600);
    assert.equal(res.body.interval, 2);
  }
});

test('device flow for an organisation: pending, then approved on the page, then tokens once', async () => {
  const start = await startDevice({ scope: 'Org.zaikio.organization.r' });
  const pending = await poll(start.body.device_code);
  assert.deepEqual([pending.status, pending.body.error], [400, 'authorization_pending']);

  const { res, pages } = await decide(start.body.user_code.replace('-', ' '), { organization: lindqvist.id });
  assert.deepEqual(pages, ['sign_in', 'organization', 'consent', 'device_done']);
  assert.equal(res.status, 200);
  assert.equal(pageKind(res.body), 'device_done');
  assert.match(res.body, /Device connected/);

  const tokens = await poll(start.body.device_code);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  assert.deepEqual(tokens.body.bearer, { id: lindqvist.id, type: 'Organization' });
  assert.deepEqual(tokens.body.audiences, ['zai_mobile']);
  assert.ok(tokens.body.refresh_token);
  const again = await poll(start.body.device_code);
  assert.equal(again.body.error, 'invalid_grant', 'a device code gives tokens once');
});

test('polling faster than the interval → slow_down, and the interval grows by 5 s', async () => {
  const start = await startDevice({ scope: 'zaikio.person.r' });
  assert.equal((await poll(start.body.device_code)).body.error, 'authorization_pending');
  const fast = await poll(start.body.device_code);
  assert.deepEqual([fast.status, fast.body.error], [400, 'slow_down']);
  assert.match(fast.body.error_description, /interval is now 7/);
});

test('the person cancels → access_denied', async () => {
  const start = await startDevice({ scope: 'zaikio.person.r' });
  const { res } = await decide(start.body.user_code, { decision: 'cancel' });
  assert.match(res.body, /Device not connected/);
  const denied = await poll(start.body.device_code);
  assert.deepEqual([denied.status, denied.body.error], [400, 'access_denied']);
});

test('an expired device code → expired_token; unknown → invalid_grant; another client → invalid_grant', async () => {
  await hub.control.setLifetimes({ device_code: 1 });
  try {
    const start = await startDevice({ scope: 'zaikio.person.r' });
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await poll(start.body.device_code);
    assert.deepEqual([expired.status, expired.body.error], [400, 'expired_token']);
    const page = await new HttpClient().get(`${hub.url}/oauth/device?user_code=${start.body.user_code}`);
    assert.equal(page.status, 400);
    assert.match(page.body, /unknown or has expired/);
  } finally {
    await hub.control.setLifetimes({ device_code: 600 });
  }
  assert.equal((await poll('made-up')).body.error, 'invalid_grant');
  const start = await startDevice({ scope: 'zaikio.person.r' });
  const other = await tokenRequest(hub.url, { grant_type: deviceGrant, device_code: start.body.device_code }, { basic: ['zai_connect', hub.secret] });
  assert.equal(other.body.error, 'invalid_grant');
});

test('device authorization errors: scope problems and unknown clients', async () => {
  const bad = await startDevice({ scope: 'zaikio.person.rwx' });
  assert.deepEqual([bad.status, bad.body.error, bad.body.error_description], [400, 'invalid_scope', 'malformed_scope']);
  const person = await startDevice({ scope: `Per/${ada.id}.zaikio.person.r` });
  assert.equal(person.body.error_description, 'unpermitted_bearer_id');
  const unknown = await startDevice({ scope: 'zaikio.person.r', client_id: 'nobody' });
  assert.deepEqual([unknown.status, unknown.body.error], [401, 'invalid_client']);
});

test('the code entry page: a form with a labelled input; a wrong code is explained', async () => {
  const client = new HttpClient();
  const form = await client.get(`${hub.url}/oauth/device`);
  assert.equal(form.status, 200);
  assert.match(form.body, /<label for="user_code">/);
  assert.match(form.body, /id="user_code" name="user_code"/);
  const wrong = await client.get(`${hub.url}/oauth/device?user_code=1234-0000`);
  assert.equal(wrong.status, 400);
  assert.match(wrong.body, /role="alert"/);
});
