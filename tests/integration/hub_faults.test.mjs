// The Hub misbehaves (issue 4 acceptance; security.md R34): 5xx, slow answers, garbage JSON,
// dropped connections and tokens for the wrong bearer become clear JSON errors or data_error
// codes, zai-connect keeps running, and no grant is lost: once the Hub recovers, all works again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let stack;
let client;

before(async () => {
  stack = await startStack({ env: { HUB_READ_TIMEOUT_MS: '1000', MEMBERSHIPS_MAX_AGE_SECONDS: '1' } });
  client = stack.client();
  await stack.signIn(client, ada.id);
  await stack.install(client, lindqvist.id);
});
after(async () => {
  await stack?.stop();
});

const view = (id = lindqvist.id) => stack.api(client, `/api/organizations/${id}`);

async function withFault(fault, fn) {
  const id = await stack.hub.control.addFault(fault);
  try {
    return await fn();
  } finally {
    await stack.hub.control.removeFault(id).catch(() => {});
  }
}

for (const [name, fault, code] of [
  ['a 503', { kind: 'status', status: 503 }, 'hub_unavailable'],
  ['a 500', { kind: 'status', status: 500 }, 'hub_unavailable'],
  ['malformed JSON', { kind: 'malformed_json' }, 'hub_bad_response'],
  ['a dropped connection', { kind: 'drop' }, 'hub_unavailable'],
  ['an answer slower than HUB_READ_TIMEOUT_MS', { kind: 'latency', latency_ms: 2500 }, 'hub_timeout'],
]) {
  test(`reading the organisation meets ${name}: data_error ${code}, installation kept`, async () => {
    const started = performance.now();
    const res = await withFault({ ...fault, path: '/api/v1/organization' }, view);
    assert.equal(res.status, 200);
    assert.equal(res.body.data, null);
    assert.equal(res.body.data_error, code);
    assert.equal(res.body.installation.state, 'installed');
    assert.ok(performance.now() - started < 2400, 'answers within the timeout, not after the Hub');
    const healed = await view();
    assert.equal(healed.body.data.id, lindqvist.id, 'works again once the Hub does');
  });
}

test('R34 a refresh that meets a 5xx or a timeout keeps the grant; the next one succeeds', async () => {
  await stack.hub.control.setLifetimes({ access_token: 4 });
  await stack.install(client, nordlicht.id);
  await stack.hub.control.setLifetimes({ access_token: 3600 });
  await sleep(2500);
  for (const fault of [{ kind: 'status', status: 502 }, { kind: 'latency', latency_ms: 2500 }, { kind: 'drop' }]) {
    const res = await withFault({ ...fault, path: '/oauth/access_token', grant_type: 'refresh_token' }, () => view(nordlicht.id));
    assert.equal(res.status, 200, JSON.stringify(fault));
    assert.ok(['hub_unavailable', 'hub_timeout'].includes(res.body.data_error), res.body.data_error);
    assert.equal(res.body.installation.state, 'installed');
  }
  const healed = await view(nordlicht.id);
  assert.equal(healed.body.data?.id, nordlicht.id);
  assert.equal(healed.body.data_error, null);
});

test('a refreshed token for the wrong bearer is refused and the grant kept', async () => {
  await stack.hub.control.setLifetimes({ access_token: 4 });
  await stack.install(client, nordlicht.id);
  await stack.hub.control.setLifetimes({ access_token: 3600 });
  await sleep(2500);
  const res = await withFault({ kind: 'wrong_bearer', path: '/oauth/access_token', grant_type: 'refresh_token', count: 1 }, () => view(nordlicht.id));
  assert.equal(res.body.data_error, 'hub_bad_response');
  assert.equal(res.body.installation.state, 'installed');
  assert.equal((await view(nordlicht.id)).body.data?.id, nordlicht.id);
});

for (const [name, fault, code] of [
  ['a 500', { kind: 'status', status: 500 }, 'hub_unavailable'],
  ['malformed JSON', { kind: 'malformed_json' }, 'hub_bad_response'],
  ['a token for the wrong bearer', { kind: 'wrong_bearer' }, 'hub_bad_response'],
  ['a dropped connection', { kind: 'drop' }, 'hub_unavailable'],
]) {
  test(`sign-in whose code exchange meets ${name}: an error page (${code}), no session`, async () => {
    const c = stack.client();
    const r = await withFault({ ...fault, path: '/oauth/access_token', grant_type: 'authorization_code' }, () =>
      stack.navigate(c, `${stack.url}/login`, { person: bruno.id }));
    assert.match(r.response.body, new RegExp(`data-error-code="${code}"`));
    assert.ok(r.response.status >= 400);
    assert.equal(c.jar.header(stack.url).includes('__Host-zai_session='), false);
    assert.equal((await stack.api(c, '/api/session')).body.authenticated, false);
  });
}

test('the dashboard still answers while the Hub is down, and zai-connect is alive throughout', async () => {
  await sleep(1100);  // the memberships snapshot is now due for a re-read from the Hub
  const seq = (await stack.hub.control.requests()).at(-1).seq;
  await withFault({ kind: 'status', status: 503, path: '/api/v1/' }, async () => {
    const res = await stack.api(client, '/api/session');
    assert.equal(res.status, 200, 'the session view falls back to the stored snapshot');
    assert.ok(res.body.organizations.some((o) => o.id === lindqvist.id));
  });
  const asked = (await stack.hub.control.requests(seq)).filter((r) => r.path === '/api/v1/person');
  assert.deepEqual(asked.map((r) => r.status), [503], 'the Hub was asked and failed');
  const health = await fetch(`${stack.url}/healthz`);
  assert.equal(health.status, 200);
});
