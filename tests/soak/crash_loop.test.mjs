// Crash safety (issue 6 §5): browsers keep installing and reading organisations (tokens live
// 2 s, so grants are refreshed all the time; the Hub's token endpoint answers slowly at random to
// widen the windows) while zai-connect is killed with SIGKILL at random moments, CRASH_KILLS
// times, and restarted on the same data folder. After every restart the database passes
// `PRAGMA integrity_check` and holds every installation a browser saw acknowledged (the install
// callback answered with the redirect to /organizations/<id>); at the end, with the Hub calm,
// each of them also works through the API.
//
//   ctest --test-dir build/native-debug -R crash_loop --output-on-failure   (CI: 60 kills, ~90 s)
//   CRASH_KILLS=300 ZAI_HUBSIM_BIN=build/native-debug/server/hubsim/hubsim \
//     ZAI_CONNECT_BIN=build/native-debug/server/connect/zai-connect ZAI_WEB_DIST=build/web/dist \
//     node --test tests/soak/crash_loop.test.mjs    (longer than ctest's 300 s allow)
//   CRASH_SEED=<n> fixes when the kills come and what the browsers do; the processes' timing is
//   not seeded, so a replay repeats the plan, not every interleaving.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { seededRandom } from '../lib/random.mjs';
import { acknowledgedInstall, startStack } from '../lib/stack.mjs';
import { assertInstallsWork, hubPosition, ROSTER } from './workload.mjs';

const KILLS = Number(process.env.CRASH_KILLS ?? 60);
const BROWSERS = 8;
const REQUEST_TIMEOUT_MS = 30000;

// Slow token answers, so that many kills land while a code exchange or a refresh is in flight.
const FAULTS = [
  { kind: 'latency', path: '/oauth/access_token', latency_ms: 150, probability: 0.3 },
  { kind: 'latency', path: '/oauth/access_token', latency_ms: 400, probability: 0.2 },
];

let stack;
const acknowledged = new Set();
const counts = { installs: 0, acknowledged: 0, reads: 0, signIns: 0 };
let stopping = false;

before(async () => {
  stack = await startStack({
    hubArgs: ['--threads', '128', '--access-token-lifetime', '2', '--no-log-requests', '--request-log-capacity', '10000000'],
    env: { HUB_READ_TIMEOUT_MS: '2000', MEMBERSHIPS_MAX_AGE_SECONDS: '1' },
  });
});
after(async () => {
  stopping = true;
  await stack?.stop();
});

/** Notes an install the browser saw succeed (`id` undefined: it did not). */
function noteAcknowledged(id) {
  if (!id) return;
  counts.acknowledged++;
  acknowledged.add(id);
}

/** One person at one browser: installs and reads until told to stop; failures are expected here. */
async function browse(person, rng) {
  const client = stack.client({ timeoutMs: REQUEST_TIMEOUT_MS });
  while (!stopping) {
    try {
      if (client.jar.get('__Host-zai_session') === undefined) {
        counts.signIns++;
        await stack.navigate(client, `${stack.url}/login`, { person: person.id });
      } else if (rng.chance(0.4)) {
        counts.installs++;
        noteAcknowledged((await stack.install(client, rng.pick(person.admin))).acknowledged);
      } else {
        counts.reads++;
        await stack.api(client, `/api/organizations/${rng.pick(person.admin)}`);
      }
    } catch (e) {
      // The browser may have been told "installed" just before the connection died.
      if (e.chain) noteAcknowledged(acknowledgedInstall(e.chain, stack.url));
      await sleep(20);  // zai-connect is down; a browser would retry soon
    }
  }
}

/** Organisation ids the database holds as installed. */
const installedInDatabase = () => new Set(stack.sqlite("SELECT organization_id FROM installations WHERE state = 'installed'").map((r) => r.organization_id));

test(`${KILLS} SIGKILLs during installs and refreshes: the database stays whole, no acknowledged install is lost`, async () => {
  const rng = seededRandom('CRASH_SEED');
  const admins = ROSTER.filter((p) => p.admin.length);
  const hubStart = await hubPosition(stack.hub);
  for (const f of FAULTS) await stack.hub.control.addFault(f);
  const started = performance.now();
  const browsers = Array.from({ length: BROWSERS }, (_, i) => browse(admins[i % admins.length], rng.fork()));

  const killedAt = [];
  for (let kill = 1; kill <= KILLS; kill++) {
    await sleep(rng.between(300, 2000));
    const { signal } = await stack.killApp();
    assert.equal(signal, 'SIGKILL');
    killedAt.push(Date.now());
    await stack.restartApp();
    assert.deepEqual(stack.sqlite('PRAGMA integrity_check;'), [{ integrity_check: 'ok' }], `after kill ${kill}`);
    const installed = installedInDatabase();
    const lost = [...acknowledged].filter((id) => !installed.has(id));
    assert.deepEqual(lost, [], `acknowledged installs missing after kill ${kill}`);
  }
  stopping = true;
  await Promise.all(browsers);
  const seconds = (performance.now() - started) / 1000;

  // Which kills caught the Hub answering a token request (hubsim logs a request when it ends).
  await stack.hub.control.clearFaults();
  const tokenRequests = (await stack.hub.control.requests(hubStart)).filter((r) => r.path === '/oauth/access_token');
  const during = (grant) => killedAt.filter((t) => tokenRequests.some((r) => r.grant_type === grant && r.time_ms - r.duration_ms <= t && t <= r.time_ms)).length;
  const byGrant = {};
  for (const r of tokenRequests) byGrant[r.grant_type] = (byGrant[r.grant_type] ?? 0) + 1;
  console.log(`kills ${KILLS} in ${seconds.toFixed(1)} s; during a code exchange ${during('authorization_code')}, ` +
    `during a refresh ${during('refresh_token')}, during client credentials ${during('client_credentials')}`);
  console.log(`sign-ins ${counts.signIns}, installs tried ${counts.installs}, acknowledged ${counts.acknowledged} ` +
    `(${acknowledged.size} organisations), organisation reads ${counts.reads}`);
  console.log(`hub token calls ${JSON.stringify(byGrant)}`);

  assert.ok(acknowledged.size > 0, 'installs got through between the kills');
  assert.ok((byGrant.refresh_token ?? 0) > 0, 'grants were refreshed between the kills');

  await assertInstallsWork(stack, acknowledged, REQUEST_TIMEOUT_MS);
});
