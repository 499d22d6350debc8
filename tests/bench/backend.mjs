// zai-connect's backend figures (issue 6 §1, performance.md budgets), measured against real
// processes on loopback with wrk, next to a bare cpp-httplib server returning the same bytes in
// the same run:
//   - GET /api/session (signed in), a static asset, /healthz at -c32 and -c256: requests/s, p50,
//     p99, and zai-connect / bare as a ratio of medians;
//   - RSS idle and with 10,000 live sessions;
//   - a refresh storm: N concurrent requests on an expired organisation grant → refreshes seen at
//     hubsim, and the storm's latency.
// Every figure is the median of --runs runs, with min–max beside it. Prints markdown.
//
//   ZAI_HUBSIM_BIN=… ZAI_CONNECT_BIN=… ZAI_BARE_BIN=… ZAI_WEB_DIST=… node tests/bench/backend.mjs \
//     [--runs 3] [--duration 5] [--sessions 10000] [--storm 200]
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { HttpClient } from '../lib/http.mjs';
import { HUBSIM, runWrk, startProcess, stopCleanly } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : fallback);
};
const runs = option('runs', 3);
const duration = option('duration', 5);
const sessionCount = option('sessions', 10000);
const stormSize = option('storm', 200);
const threads = 64;  // zai-connect's default THREADS, given to the bare server too

const toMs = (text) => {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]];
};

async function wrk(url, connections, headers) {
  const args = ['-t2', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '--latency'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const out = await runWrk([...args, url], (duration + 30) * 1000);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(out)?.[1];
  if (non2xx > 0) throw new Error(`${url}: ${non2xx} non-2xx responses`);
  return {
    rate: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: toMs(/\s50%\s+(\S+)/.exec(out)[1]),
    p99: toMs(/\s99%\s+(\S+)/.exec(out)[1]),
    errors,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, digits) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
async function pool(count, parallel, job) {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await job(next++);
  }));
}

// The storms send 200 requests at once from one session, several times: the per-session budget
// (R55) is off so they measure single-flight refresh, not the limiter.
const stack = await startStack({
  hubArgs: ['--log-requests=off', '--threads', '64'],
  env: { THREADS: String(threads), SESSION_HUB_REQUESTS_PER_MINUTE: '0' },
});
let bare;
const say = (s = '') => console.log(s);
try {
  const ada = stack.client();
  await stack.signIn(ada, HUBSIM.people.ada.id);
  const cookie = ada.jar.header(stack.url);
  const apiHeaders = { Cookie: cookie, 'X-CSRF': '1' };
  const idleRss = stack.app.rssMb();

  // The bare server answers with exactly the bytes zai-connect sends.
  const dir = await mkdtemp(join(tmpdir(), 'zai-bench-'));
  const endpoints = [
    { name: 'GET /api/session (signed in)', path: '/api/session', type: 'application/json', headers: apiHeaders },
    { name: 'GET /dashboard.js (static)', path: '/dashboard.js', type: 'text/javascript; charset=utf-8', headers: {} },
    { name: 'GET /healthz', path: '/healthz', type: 'application/json', headers: {} },
  ];
  const routes = [];
  for (const e of endpoints) {
    const res = await fetch(stack.url + e.path, { headers: e.headers });
    if (res.status !== 200) throw new Error(`${e.path} → ${res.status}`);
    const file = join(dir, e.path.replaceAll('/', '_'));
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    routes.push('--route', e.path, file, e.type);
  }
  bare = await startProcess({ command: process.env.ZAI_BARE_BIN, args: ['--threads', String(threads), ...routes], name: 'bare', ready: /bare listening on (\S+)/ });
  const bareUrl = bare.match[1];

  const results = [];
  for (const e of endpoints) {
    for (const c of [32, 256]) {
      const app = [];
      const ref = [];
      for (let r = 0; r < runs; r++) {
        // Alternate the order so drift on this shared machine hurts both sides alike.
        const pair = [() => wrk(stack.url + e.path, c, e.headers).then((x) => app.push(x)), () => wrk(bareUrl + e.path, c, {}).then((x) => ref.push(x))];
        if (r % 2) pair.reverse();
        for (const step of pair) await step();
      }
      results.push({ e, c, app, ref });
    }
  }

  say(`## Backend (wrk -t2, ${duration} s × ${runs} runs, keep-alive; median (min–max))\n`);
  say('| endpoint | conns | zai-connect req/s | bare req/s | ratio | zai-connect p50 ms | p99 ms | bare p50 ms | p99 ms |');
  say('|---|---|---|---|---|---|---|---|---|');
  for (const { e, c, app, ref } of results) {
    const ratio = median(app.map((x) => x.rate)) / median(ref.map((x) => x.rate));
    say(`| ${e.name} | ${c} | ${spread(app.map((x) => x.rate), 0)} | ${spread(ref.map((x) => x.rate), 0)} | ${(ratio * 100).toFixed(0)} % | ` +
      `${spread(app.map((x) => x.p50), 2)} | ${spread(app.map((x) => x.p99), 2)} | ${spread(ref.map((x) => x.p50), 2)} | ${spread(ref.map((x) => x.p99), 2)} |`);
  }

  // 10,000 live sessions: real sign-ins through hubsim, each a new session in zai-connect.
  const started = performance.now();
  const cookies = [];
  await pool(sessionCount, 16, async () => {
    const browser = new HttpClient();  // one per sign-in: a flow cookie must not be shared
    await stack.signIn(browser, HUBSIM.people.ada.id);
    cookies.push(browser.jar.header(stack.url));
  });
  const signInSeconds = (performance.now() - started) / 1000;
  await pool(cookies.length, 32, async (i) => {
    const r = await fetch(`${stack.url}/api/session`, { headers: { Cookie: cookies[i], 'X-CSRF': '1' } });
    if (!(await r.json()).authenticated) throw new Error('a session was not live');
  });
  const loadedRss = stack.app.rssMb();
  say(`\n## Memory\n`);
  say(`| zai-connect RSS | MB |`);
  say('|---|---|');
  say(`| idle, one session | ${idleRss.toFixed(1)} |`);
  say(`| after the wrk runs and ${cookies.length} live sessions (each read once) | ${loadedRss.toFixed(1)} |`);
  say(`\n(${cookies.length} sign-ins through hubsim took ${signInSeconds.toFixed(1)} s: ${(cookies.length / signInSeconds).toFixed(0)} per second.)`);

  // Refresh storms: every run installs with a 4 s token, waits until it needs renewal, then fires.
  const storms = [];
  for (let r = 0; r < runs; r++) {
    await stack.hub.control.setLifetimes({ access_token: 4 });
    await stack.install(ada, HUBSIM.organizations.lindqvist.id);
    await stack.hub.control.setLifetimes({ access_token: 3600 });
    await sleep(2500);
    const seq = (await stack.hub.control.requests()).at(-1).seq;
    const latencies = [];
    const t0 = performance.now();
    const statuses = await Promise.all(Array.from({ length: stormSize }, async () => {
      const t = performance.now();
      const res = await fetch(`${stack.url}/api/organizations/${HUBSIM.organizations.lindqvist.id}`, { headers: apiHeaders });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      return res.status;
    }));
    const total = performance.now() - t0;
    const refreshes = (await stack.hub.control.requests(seq)).filter((x) => x.path === '/oauth/access_token').length;
    storms.push({ total, refreshes, ok: statuses.filter((s) => s === 200).length, p50: median(latencies), max: Math.max(...latencies) });
  }
  say(`\n## Refresh storm (${stormSize} concurrent requests on an expired organisation grant, ${runs} runs)\n`);
  say('| run | token calls at hubsim | 200 OK | storm ms | p50 ms | slowest ms |');
  say('|---|---|---|---|---|---|');
  storms.forEach((s, i) => say(`| ${i + 1} | ${s.refreshes} | ${s.ok} | ${s.total.toFixed(0)} | ${s.p50.toFixed(0)} | ${s.max.toFixed(0)} |`));
} finally {
  await stopCleanly(bare);
  await stack.stop();
}
