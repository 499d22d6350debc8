// security.md §G (R46–R50): cross-site request forgery and cross-origin reads, over real HTTP
// against real hubsim and zai-connect processes. A forged request must change nothing: the
// session stays, the installation stays, and hubsim's request log shows zai-connect did not act.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { HUBSIM } from '../lib/procs.mjs';
import { lastSeq, query, rawRequest, stackWithInstalls } from './security_support.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let stack;
let ada1;  // Ada, signed in, with Lindqvist installed

before(async () => {
  ({ stack, client: ada1 } = await stackWithInstalls(ada.id, [lindqvist]));
});
after(async () => {
  await stack?.stop();
});

const installed = () => query(stack.app, `SELECT state FROM installations WHERE organization_id = '${lindqvist.id}'`)[0]?.state;
const signedIn = async (c) => (await stack.api(c, '/api/session')).body.authenticated === true;

test('R46 every API route needs X-CSRF: 1; without it 403 before any session, token or Hub call', async () => {
  assert.equal(installed(), 'installed');
  const seq = await lastSeq(stack.hub);
  const routes = [
    ['GET', '/api/session'],
    ['GET', `/api/organizations/${lindqvist.id}`],
    ['POST', `/api/organizations/${lindqvist.id}/uninstall`],
    ['GET', '/api/organizations/not-a-uuid'],
    ['GET', '/api/no-such-route'],
  ];
  for (const [method, path] of routes) {
    for (const headers of [{}, { 'x-csrf': '0' }, { 'x-csrf': 'true' }, { 'x-requested-with': 'XMLHttpRequest' }]) {
      const res = await ada1.request(`${stack.url}${path}`, { method, headers });
      const what = `${method} ${path} ${JSON.stringify(headers)}`;
      assert.equal(res.status, 403, what);
      assert.equal(res.json().error.code, 'csrf_header_missing', what);
      assert.deepEqual(res.setCookies, [], `${what}: the session is not even looked at`);
    }
  }
  assert.deepEqual(await stack.hub.control.requests(seq), [], 'hubsim saw nothing');
  assert.equal(installed(), 'installed', 'the forged uninstall changed nothing');
  assert.equal((await stack.api(ada1, `/api/organizations/${lindqvist.id}`)).status, 200, 'with the header it works');
});

test('R47 no CORS: no Access-Control-* grant for a foreign origin, preflight included', async () => {
  const origin = 'https://evil.example';
  const cookie = ada1.jar.header(stack.url);
  const answers = [
    await rawRequest(stack.url, '/api/session', { headers: { origin, cookie, 'x-csrf': '1' } }),
    await rawRequest(stack.url, `/api/organizations/${lindqvist.id}/uninstall`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf' },
    }),
    await rawRequest(stack.url, '/api/session', {
      method: 'OPTIONS',
      headers: { origin: 'null', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-csrf' },
    }),
  ];
  for (const res of answers) {
    const granted = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
    assert.deepEqual(granted, [], `${res.status}: ${granted.join(', ')}`);
  }
});

test('R48 a state-changing request labelled cross-site, or from a foreign Origin, is refused even with the API header', async () => {
  const seq = await lastSeq(stack.hub);
  const forged = [
    ['POST', '/logout', { 'sec-fetch-site': 'cross-site' }],
    ['POST', '/logout', { origin: 'https://evil.example' }],
    ['POST', '/logout', { origin: 'null' }],
    ['POST', `/api/organizations/${lindqvist.id}/uninstall`, { 'sec-fetch-site': 'cross-site' }],
    ['POST', `/api/organizations/${lindqvist.id}/uninstall`, { origin: `${stack.url}.evil.example` }],
    ['DELETE', '/api/session', { origin: 'http://127.0.0.1:1' }],
  ];
  for (const [method, path, headers] of forged) {
    const res = await ada1.request(`${stack.url}${path}`, { method, headers: { 'x-csrf': '1', ...headers } });
    assert.equal(res.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
    assert.equal(res.json().error.code, 'forbidden');
  }
  assert.deepEqual(await stack.hub.control.requests(seq), [], 'hubsim saw nothing');
  assert.ok(await signedIn(ada1), 'still signed in');
  assert.equal(installed(), 'installed');
  // Same-origin requests, as the dashboard sends them, go through.
  const b = stack.client();
  await stack.signIn(b, bruno.id);
  const own = await b.post(`${stack.url}/logout`, { headers: { 'x-csrf': '1', origin: stack.url, 'sec-fetch-site': 'same-origin' } });
  assert.equal(own.status, 200);
  assert.equal(await signedIn(b), false);
});

test('R49 logout: a GET or a POST without the API header signs nobody out', async () => {
  const c = stack.client();
  await stack.signIn(c, bruno.id);
  const seq = await lastSeq(stack.hub);
  const get = await c.get(`${stack.url}/logout`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const form = await c.post(`${stack.url}/logout`, { form: { everywhere: '1' } });
  assert.equal(form.status, 403);
  assert.equal(form.json().error.code, 'csrf_header_missing');
  for (const res of [get, form]) assert.ok(!res.setCookies.some((h) => h.startsWith('__Host-zai_session=')), 'the cookie is not cleared');
  assert.ok(await signedIn(c));
  assert.deepEqual((await stack.hub.control.requests(seq)).filter((r) => r.path === '/api/v1/revoked_access_tokens'), [], 'nothing revoked');
});

test('R50 an install starts only with the nonce of the session that asks for it', async () => {
  const bruno1 = stack.client();
  await stack.signIn(bruno1, bruno.id);
  const own = (await stack.api(ada1, '/api/session')).body.action_nonce;
  const brunos = (await stack.api(bruno1, '/api/session')).body.action_nonce;
  assert.match(own, /^[A-Za-z0-9_-]{22,}$/);
  assert.notEqual(own, brunos);
  const seq = await lastSeq(stack.hub);
  const install = (nonce) => ada1.get(`${stack.url}/install?organization_id=${nordlicht.id}${nonce === undefined ? '' : `&nonce=${encodeURIComponent(nonce)}`}`);
  for (const [name, nonce] of [['no nonce', undefined], ['empty', ''], ['another session\'s', brunos], ['one character off', `${own.slice(0, -1)}${own.at(-1) === 'A' ? 'B' : 'A'}`]]) {
    const res = await install(nonce);
    assert.equal(res.status, 403, name);
    assert.equal(res.location, undefined, name);
    assert.match(res.body, /data-error-code="forbidden"/, name);
  }
  assert.deepEqual(await stack.hub.control.requests(seq), [], 'the Hub heard nothing, not even a membership read');
  const res = await install(own);
  assert.equal(res.status, 302);
  assert.ok(res.location.startsWith(`${stack.hub.url}/oauth/authorize?`));
});
