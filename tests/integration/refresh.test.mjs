// Refresh under load (issue 4 acceptance, security.md R30, R31): many requests that all need the
// same expired organisation grant cause exactly one call to the Hub's token endpoint — in one
// process and in two processes sharing one database — and every request succeeds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';

const { ada } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const lifetime = 4;  // seconds; the grants need renewal after half of it (R29)

let stack;
let client;

before(async () => {
  stack = await startStack({ env: { THREADS: '64' } });
  client = stack.client();
  await stack.signIn(client, ada.id);
  // Both installations get short-lived tokens; their renewals live long, so a storm slower than
  // the short lifetime still needs exactly one renewal.
  await stack.hub.control.setLifetimes({ access_token: lifetime });
  await stack.install(client, lindqvist.id);
  await stack.install(client, nordlicht.id);
  await stack.hub.control.setLifetimes({ access_token: 3600 });
});
after(async () => {
  await stack?.stop();
});

/** Sends `n` organisation-view requests at once to `appUrl`; resolves with their statuses and bodies. */
async function storm(appUrl, n, organization) {
  const cookie = client.jar.header(appUrl);
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, () =>
      fetch(`${appUrl}/api/organizations/${organization.id}`, { headers: { 'x-csrf': '1', cookie } }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      })),
    ),
  );
  return { results, ms: performance.now() - started };
}

async function tokenCallsSince(seq) {
  return (await stack.hub.control.requests(seq)).filter((r) => r.path === '/oauth/access_token');
}

/** Waits until the short-lived grants need renewal; returns hubsim's request-log position. */
async function expireGrants() {
  const seq = (await stack.hub.control.requests()).at(-1).seq;
  await sleep((lifetime / 2) * 1000 + 500);
  return seq;
}

test('R30 200 concurrent requests on an expired organisation grant: one refresh, 200 successes', async () => {
  const seq = await expireGrants();
  const { results, ms } = await storm(stack.url, 200, lindqvist);
  const failed = results.filter((r) => r.status !== 200 || r.body.data?.id !== lindqvist.id);
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of 200 failed`);
  const calls = await tokenCallsSince(seq);
  assert.equal(calls.length, 1, `token endpoint calls: ${JSON.stringify(calls.map((c) => c.grant_type))}`);
  assert.equal(calls[0].grant_type, 'refresh_token');
  console.log(`storm of 200: ${ms.toFixed(0)} ms`);
});

test('R31 two zai-connect processes on one database: still one refresh', async () => {
  const second = await stack.secondApp();
  const seq = await expireGrants();
  const [a, b] = await Promise.all([storm(stack.url, 100, nordlicht), storm(second.url, 100, nordlicht)]);
  const results = [...a.results, ...b.results];
  const failed = results.filter((r) => r.status !== 200 || r.body.data?.id !== nordlicht.id);
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of 200 failed`);
  const calls = await tokenCallsSince(seq);
  assert.equal(calls.length, 1, `token endpoint calls: ${JSON.stringify(calls.map((c) => c.grant_type))}`);
  assert.ok(results.every((r) => r.body.installation.refreshed_at === results[0].body.installation.refreshed_at),
    'both processes serve the one renewed grant');
});
