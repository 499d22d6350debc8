// security.md §H (R51–R55), as far as it applies: zai-connect is no generic API proxy — each
// route calls one fixed Hub endpoint (see tests/security/NOT_APPLICABLE.md) — so these tests prove
// that no request can steer it elsewhere, that it picks the right token for whom, that nothing of
// the browser's request reaches the Hub, and how it bounds Hub failures. zai-connect talks to
// hubsim through a recording man in the middle (security_support.mjs) to see every header it sends.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import { jwtPayload, lastSeq, rawRequest, startHubProxy } from './security_support.mjs';

const { ada, chiara, dev } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const readTimeoutMs = 1500;

let stack;
let proxy;
let ada1;
let chiara1;
let evil;  // a server no request may ever reach
let evilHits = 0;

before(async () => {
  proxy = await startHubProxy();
  stack = await startStack({ env: { HUB_URL: proxy.url, MEMBERSHIPS_MAX_AGE_SECONDS: '1', HUB_READ_TIMEOUT_MS: String(readTimeoutMs) } });
  proxy.target = stack.hub.url;
  evil = createServer((req, res) => {
    evilHits++;
    res.end('{}');
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  ada1 = stack.client();
  await stack.signIn(ada1, ada.id);
  await stack.install(ada1, lindqvist.id);
  chiara1 = stack.client();
  await stack.signIn(chiara1, chiara.id);
});
after(async () => {
  await stack?.stop();
  await proxy?.close();
  evil?.closeAllConnections();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve()));
});

const hubCalls = async (seq, path) => (await stack.hub.control.requests(seq)).filter((r) => r.path === path);

test('R51 fixed routes to fixed Hub endpoints: encoded dot segments, absolute URLs, @host, backslashes and other methods reach nothing else', async () => {
  const evilHost = `127.0.0.1:${evil.address().port}`;
  const id = lindqvist.id;
  const targets = [
    `/api/organizations/..%2F..%2Fapi%2Fv1%2Fperson`, `/api/organizations/%2e%2e/%2e%2e/api/v1/person`, `/api/organizations/${id}/..`,
    `/api/organizations/${id}/../../session`, `/api/organizations/${id}%2F..%2F..%2Fsession`, `/api/organizations/${id}@${evilHost}`,
    `/api/organizations/@${evilHost}/${id}`, `/api/organizations/http:%2F%2F${evilHost}%2F`, `/api//${evilHost}/api/v1/organization`,
    `/api/organizations/${id}\\..\\..\\session`, `/api/organizations/%5C%5C${evilHost}`, `http://${evilHost}/api/organizations/${id}`,
    `//${evilHost}/api/organizations/${id}`, `/api/organizations/${id.toUpperCase()}`, `/api/organizations/${id}%00`,
  ];
  const cookie = ada1.jar.header(stack.url);
  const seq = await lastSeq(stack.hub);
  const from = proxy.exchanges.length;
  for (const target of targets) {
    const res = await rawRequest(stack.url, target, { headers: { cookie, 'x-csrf': '1' } });
    assert.ok([400, 403, 404].includes(res.status), `${target}: ${res.status} ${res.body.slice(0, 120)}`);
  }
  for (const method of ['PUT', 'PATCH', 'DELETE']) {
    const res = await rawRequest(stack.url, `/api/organizations/${id}`, { method, headers: { cookie, 'x-csrf': '1', origin: stack.url } });
    assert.ok([404, 405].includes(res.status), `${method}: ${res.status}`);
  }
  assert.equal(evilHits, 0, 'no request left for another host');
  assert.deepEqual(proxy.exchanges.slice(from).map((e) => e.path), [], 'and none reached the Hub');
  assert.deepEqual(await stack.hub.control.requests(seq), []);
});

test('R52 the organisation\'s token is used only for members of an installed organisation, checked against fresh Hub data; the person\'s token for the person', async () => {
  const from = proxy.exchanges.length;
  const view = await stack.api(chiara1, `/api/organizations/${lindqvist.id}`);
  assert.equal(view.status, 200);
  assert.equal(view.body.data.id, lindqvist.id, 'a plain member sees the installed organisation');
  for (const e of proxy.exchanges.slice(from)) {
    const sub = jwtPayload(e.headers.authorization.replace('Bearer ', '')).sub;
    if (e.path === '/api/v1/organization') assert.match(sub, new RegExp(`Organization/${lindqvist.id}$`));
    if (e.path === '/api/v1/person') assert.match(sub, new RegExp(`Person/${chiara.id}$`));
  }

  const dev1 = stack.client();
  await stack.signIn(dev1, dev.id);
  const seq = await lastSeq(stack.hub);
  const foreign = await stack.api(dev1, `/api/organizations/${lindqvist.id}`);
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.error.code, 'not_a_member');
  assert.deepEqual(await hubCalls(seq, '/api/v1/organization'), [], 'Lindqvist\'s token was not used for Dev');

  await stack.hub.control.removeMember(chiara.id, lindqvist.id);
  try {
    await sleep(1200);  // MEMBERSHIPS_MAX_AGE_SECONDS=1
    const seq2 = await lastSeq(stack.hub);
    const removed = await stack.api(chiara1, `/api/organizations/${lindqvist.id}`);
    assert.equal(removed.status, 403);
    assert.equal(removed.body.error.code, 'not_a_member');
    assert.equal((await hubCalls(seq2, '/api/v1/person')).length, 1, 'the membership was read again');
    assert.deepEqual(await hubCalls(seq2, '/api/v1/organization'), []);
  } finally {
    await stack.hub.control.setRoles(chiara.id, lindqvist.id, ['member', 'purchaser']).catch(() => {});
  }
});

test('R53 nothing of the browser\'s request reaches the Hub but zai-connect\'s own bearer token; the Hub\'s cookies never reach the browser', async () => {
  proxy.extraHeaders = { 'set-cookie': 'hub_session=from-the-hub; Path=/' };
  const from = proxy.exchanges.length;
  let res;
  try {
    await sleep(1100);  // so the membership is read from the Hub again
    res = await ada1.get(`${stack.url}/api/organizations/${lindqvist.id}`, {
      headers: {
        'x-csrf': '1',
        authorization: 'Bearer from-the-browser',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=203.0.113.9',
        'x-custom-secret': 'browser-only',
      },
    });
  } finally {
    proxy.extraHeaders = {};
  }
  assert.equal(res.status, 200);
  const sent = proxy.exchanges.slice(from);
  assert.deepEqual(sent.map((e) => e.path).sort(), ['/api/v1/organization', '/api/v1/person']);
  for (const e of sent) {
    const names = Object.keys(e.headers);
    for (const banned of ['cookie', 'x-forwarded-for', 'x-forwarded-host', 'forwarded', 'x-custom-secret', 'x-csrf']) {
      assert.ok(!names.includes(banned), `${e.path} carried ${banned}`);
    }
    assert.match(e.headers.authorization, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/, 'a Hub JWT');
    assert.ok(!e.headers.authorization.includes('from-the-browser'));
  }
  assert.ok(!res.setCookies.some((h) => h.includes('hub_session')), 'the Hub\'s Set-Cookie stays at zai-connect');
  assert.ok(!JSON.stringify(res.body).includes('from-the-hub'));
});

test('R54 a token the Hub refuses gets one forced renewal and one retry, then an error: no loop', async () => {
  const path = '/api/v1/organization';
  const always = await stack.hub.control.addFault({ kind: 'status', status: 401, path });
  let seq;
  let view;
  try {
    seq = await lastSeq(stack.hub);
    view = await stack.api(ada1, `/api/organizations/${lindqvist.id}`);
  } finally {
    await stack.hub.control.removeFault(always);
  }
  assert.equal(view.status, 200, 'the view still answers');
  assert.ok(!view.body.data, 'no data');
  assert.ok(view.body.data_error, 'with a data error code');
  assert.equal((await hubCalls(seq, path)).length, 2, 'one try, one retry');
  assert.equal((await hubCalls(seq, '/oauth/access_token')).length, 1, 'one renewal');
  assert.equal(view.body.installation.state, 'installed', 'a refused read does not uninstall');

  const once = await stack.hub.control.addFault({ kind: 'status', status: 401, path, count: 1 });
  try {
    const seq2 = await lastSeq(stack.hub);
    const healed = await stack.api(ada1, `/api/organizations/${lindqvist.id}`);
    assert.equal(healed.body.data?.id, lindqvist.id, 'the retry with the renewed token succeeds');
    assert.equal((await hubCalls(seq2, path)).length, 2);
  } finally {
    await stack.hub.control.removeFault(once).catch(() => {});
  }
});

test('R55 bounded requests: a body over MAX_BODY_BYTES is refused with 413, a Hub slower than HUB_READ_TIMEOUT_MS becomes hub_timeout in time', async () => {
  const big = 'x'.repeat(70 * 1024);
  for (const path of [`/api/organizations/${lindqvist.id}/uninstall`, '/logout', '/webhooks/zaikio']) {
    const res = await ada1.post(`${stack.url}${path}`, { headers: { 'x-csrf': '1', 'content-type': 'application/json' }, body: big });
    assert.equal(res.status, 413, path);
  }
  assert.equal((await stack.api(ada1, `/api/organizations/${lindqvist.id}`)).body.installation.state, 'installed', 'the oversized uninstall did nothing');

  const slow = await stack.hub.control.addFault({ kind: 'latency', latency_ms: readTimeoutMs + 3000, path: '/api/v1/organization' });
  try {
    const started = performance.now();
    const view = await stack.api(ada1, `/api/organizations/${lindqvist.id}`);
    const ms = performance.now() - started;
    assert.equal(view.body.data_error, 'hub_timeout');
    assert.ok(ms < readTimeoutMs + 2000, `answered after ${Math.round(ms)} ms`);
  } finally {
    await stack.hub.control.removeFault(slow);
  }
});

test('R55 per-session rate limit: requests that call the Hub beyond SESSION_HUB_REQUESTS_PER_MINUTE get 429 with Retry-After, other sessions and local reads go on', async () => {
  const limited = await startStack({ env: { SESSION_HUB_REQUESTS_PER_MINUTE: '5' } });
  try {
    const a = limited.client();
    await limited.signIn(a, ada.id);
    await limited.install(a, lindqvist.id);
    const b = limited.client();
    await limited.signIn(b, ada.id);
    const seq = await lastSeq(limited.hub);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await limited.api(a, `/api/organizations/${lindqvist.id}`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await limited.api(a, `/api/organizations/${lindqvist.id}`);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
    const hubReads = (await limited.hub.control.requests(seq)).filter((r) => r.path.startsWith('/api/v1/')).length;
    assert.ok(hubReads <= 5, `${hubReads} Hub reads for 5 allowed requests`);
    assert.equal((await limited.api(b, `/api/organizations/${lindqvist.id}`)).status, 200, 'another session has its own budget');
    assert.equal((await limited.api(a, '/api/session')).status, 200, '/api/session reads only our database and is not limited');
  } finally {
    await limited.stop();
  }
});
