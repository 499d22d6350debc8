// Token-endpoint throughput of hubsim, per grant, measured with wrk (hubsim-token.lua).
// Run through hubsim-token.sh (which builds the release binary), or directly:
//   ZAI_HUBSIM_BIN=build/native-release/server/hubsim/hubsim node tests/bench/hubsim-token.mjs \
//     [--duration 3] [--threads 2] [--connections 16] [--grants client_credentials,authorization_code,...]
//
// Each grant needs fresh material (codes, refresh tokens and device codes are single use), made
// beforehand over HTTP: codes by authorize redirects of a signed-in, already-connected person;
// device codes by the device authorization + approval pages. Material is sized from the
// client-credentials rate measured first, so a run does not run dry (non-2xx would show it).
// Prints one table (requests/s and latency percentiles per grant) and the exact wrk commands.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { HUBSIM, runWrk, startHubsim, stopCleanly } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, pendingOf, tokenRequest } from '../lib/hub-flows.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const duration = Number(option('duration', '3'));
const threads = Number(option('threads', '2'));
const connections = Number(option('connections', '16'));
const grants = option('grants', 'client_credentials,authorization_code,refresh_token,device_code').split(',');
const secret = 'bench-secret';
const basicHeader = `Basic ${Buffer.from(`zai_connect:${secret}`).toString('base64')}`;
const org = HUBSIM.organizations.lindqvist.id;
const orgScope = `Org/${org}.zaikio.organization.r`;

/** Runs `count` async jobs with `parallel` at a time; returns their results in order. */
async function pool(count, parallel, job) {
  const results = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i);
    }
  }));
  return results;
}

async function wrk(hubUrl, path, grant, material, dir) {
  const file = join(dir, `${grant}.txt`);
  await writeFile(file, `${material.join('\n')}\n`);
  const args = [`-t${threads}`, `-c${connections}`, `-d${duration}s`, '--timeout', '5s', '-s', join(here, 'hubsim-token.lua'),
    `${hubUrl}${path}`, '--', grant, file, String(threads), grant === 'device_code' ? '' : basicHeader];
  const out = await runWrk(args, (duration + 30) * 1000);
  const line = /RESULT (\{.*\})/.exec(out);
  if (!line) throw new Error(`no RESULT from wrk:\n${out}`);
  const r = JSON.parse(line[1]);
  const shown = args.map((a) => (a === basicHeader ? '"Basic <zai_connect:secret>"' : a.includes(' ') ? `"${a}"` : a));
  return { grant, ...r, rate: r.requests / (r.duration_us / 1e6), material: material.length, command: `wrk ${shown.join(' ')}` };
}

const hub = await startHubsim({
  secret,
  control: false,
  // Idle keep-alive connections left by the material-making fetches each hold a worker until they
  // time out (cpp-httplib 0.11.4), so the pool is sized well above wrk's connections.
  args: ['--log-requests=off', '--threads', String(connections + 48), '--device-interval', '0'],
});
const dir = await mkdtemp(join(tmpdir(), 'hubsim-bench-'));
const results = [];
try {
  // A signed-in browser whose organisation is already connected: authorize answers at once.
  const browser = new HttpClient();
  const first = await authorize(hub.url, browser, { scope: orgScope, person: HUBSIM.people.ada.id });
  if (!first.params?.get('code')) throw new Error('could not connect the organisation');
  const cookie = browser.jar.header(hub.url);
  const authorizeUrl = `${hub.url}/oauth/authorize?${new URLSearchParams({ client_id: 'zai_connect', response_type: 'code', scope: orgScope })}`;
  const code = async () => {
    const res = await fetch(authorizeUrl, { headers: { cookie }, redirect: 'manual' });
    return new URL(res.headers.get('location')).searchParams.get('code');
  };

  const baseline = await runWrk([`-t${threads}`, `-c${connections}`, `-d${duration}s`, `${hub.url}/api/v1/roles`]);
  const baselineRate = Number(/Requests\/sec:\s+([\d.]+)/.exec(baseline)[1]);

  const cc = await wrk(hub.url, '/oauth/access_token', 'client_credentials', [encodeURIComponent(orgScope)], dir);
  results.push(cc);
  // Single-use grants may run faster than client credentials (less work per request): size
  // generously; a run that still runs dry shows non-2xx responses.
  const needed = Math.ceil(cc.rate * duration * 2) + connections * 4;

  for (const grant of grants.filter((g) => g !== 'client_credentials')) {
    let material;
    if (grant === 'authorization_code') {
      material = await pool(needed, 16, code);
    } else if (grant === 'refresh_token') {
      // One chain per connection, plus one spare per thread for wrk's check call (see the .lua).
      material = await pool(connections + threads, 4, async () => {
        const t = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: await code() }, { basic: ['zai_connect', secret] });
        return t.body.refresh_token;
      });
    } else if (grant === 'device_code') {
      material = await pool(needed, 16, async () => {
        const start = await tokenRequest(hub.url, { client_id: 'zai_mobile', scope: 'zaikio.person.r' }, { path: '/oauth/device_authorizations/authorize' });
        const page = await (await fetch(`${hub.url}/oauth/device?user_code=${start.body.user_code}`, { headers: { cookie } })).text();
        await fetch(`${hub.url}/oauth/authorize/consent`, {
          method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ pending: pendingOf(page), decision: 'allow' }),
        });
        return start.body.device_code;
      });
    } else {
      throw new Error(`unknown grant ${grant}`);
    }
    results.push(await wrk(hub.url, '/oauth/access_token', grant, material, dir));
  }

  const ms = (us) => (us / 1000).toFixed(2);
  console.log(`hubsim token endpoint, wrk -t${threads} -c${connections} -d${duration}s, keep-alive, ${process.env.ZAI_HUBSIM_BIN}`);
  console.log(`baseline GET /api/v1/roles (no signing): ${baselineRate.toFixed(0)} req/s\n`);
  console.log('| grant | requests/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors | material |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    if (r.non_2xx > 0) console.error(`warning: ${r.grant}: ${r.non_2xx} refused requests (material ran out?) — its rate is not trustworthy`);
    console.log(`| ${r.grant} | ${r.rate.toFixed(0)} | ${ms(r.p50_us)} | ${ms(r.p90_us)} | ${ms(r.p99_us)} | ${r.non_2xx} | ${r.socket_errors} | ${r.material} |`);
  }
  console.log('\ncommands:');
  for (const r of results) console.log(`  ${r.command}`);
} finally {
  await stopCleanly(hub);
}
