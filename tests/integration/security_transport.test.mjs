// security.md §J (R60–R65; R66 and R67 do not apply, see tests/security/NOT_APPLICABLE.md) and
// R18 (TLS to the Hub), over real HTTP against real hubsim and zai-connect processes: TLS
// verification, security headers, where secrets may not appear, forwarded headers, several
// processes and key rotation on one database, health, readiness and metrics.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM, runProcess, startHubsim, stopCleanly } from '../lib/procs.mjs';
import { leaked } from '../lib/recording.mjs';
import { freePort, startConnect } from '../lib/stack.mjs';
import {
  grantTokens, keyId, openSealed, readKey, refusesToStart, stackWithInstalls, startFlow,
} from './security_support.mjs';

const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;

let stack;
let ada1;

before(async () => {
  ({ stack, client: ada1 } = await stackWithInstalls(ada.id, [lindqvist]));
});
after(async () => {
  await stack?.stop();
});

const readyz = async (app) => {
  const res = await fetch(`${app.url}/readyz`);
  return { status: res.status, body: await res.json() };
};

test('R18 TLS to the Hub verifies the chain and the host name: untrusted or wrong-host certificates are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zai-tls-'));
  const cert = join(dir, 'hub.pem');
  const cases = [
    ['a self-signed certificate zai-connect was not told to trust', {}, false],
    ['the same certificate named in HUB_CA_FILE', { HUB_CA_FILE: cert }, true],
  ];
  const wrongHost = [['a trusted certificate for another host', { HUB_CA_FILE: cert }, false]];
  for (const [hubArgs, appCases] of [[[], cases], [['--tls-hostname', 'hub.example.org'], wrongHost]]) {
    const hub = await startHubsim({ args: ['--tls', '--tls-cert', cert, ...hubArgs], control: false });
    try {
      for (const [name, env, ok] of appCases) {
        const app = await startConnect({ hub, port: await freePort(), env });
        try {
          const r = await readyz(app);  // the same Hub client that exchanges codes fetches the keys here
          assert.equal(r.body.hub, ok, name);
          assert.equal(r.status, ok ? 200 : 503, name);
        } finally {
          await stopCleanly(app);
        }
      }
    } finally {
      await stopCleanly(hub);
    }
  }
});

test('R60 HTTPS: HSTS for a year when the public URL is https; http only for loopback addresses', async () => {
  const behindProxy = await startConnect({ hub: stack.hub, port: await freePort(), env: { PUBLIC_URL: 'https://app.example.test' } });
  try {
    const res = await fetch(`${behindProxy.url}/healthz`);
    const hsts = res.headers.get('strict-transport-security');
    assert.ok(Number(/max-age=(\d+)/.exec(hsts ?? '')?.[1]) >= 31536000, hsts);
  } finally {
    await stopCleanly(behindProxy);
  }
  // Serving TLS itself (TLS_CERT_FILE, TLS_KEY_FILE): HTTPS with HSTS.
  const dir = mkdtempSync(join(tmpdir(), 'zai-serve-tls-'));
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const port = await freePort();
  const tls = await startConnect({ hub: stack.hub, port, env: { TLS_CERT_FILE: cert, TLS_KEY_FILE: key, PUBLIC_URL: `https://127.0.0.1:${port}` } });
  try {
    assert.match(tls.match[1], /^https:\/\//);
    const headers = await new Promise((resolve, reject) => {
      httpsGet(`https://127.0.0.1:${port}/healthz`, { ca: readFileSync(cert) }, (res) => {
        res.resume();
        resolve(res.headers);
      }).on('error', reject);
    });
    assert.ok(Number(/max-age=(\d+)/.exec(headers['strict-transport-security'] ?? '')?.[1]) >= 31536000, 'HSTS over TLS');
  } finally {
    await stopCleanly(tls);
  }
  assert.equal((await fetch(`${stack.url}/healthz`)).headers.get('strict-transport-security'), null, 'not over plain http on loopback, where browsers ignore it');
  await refusesToStart(stack.hub.url, { PUBLIC_URL: 'http://app.example.test' }, /PUBLIC_URL may use http:\/\/ only for 127\.0\.0\.1/);
  await refusesToStart(stack.hub.url, { PUBLIC_URL: 'https://app.example.test', HUB_OAUTH_REDIRECT_URL: 'http://app.example.test/oauth/zaikio/callback' }, /HUB_OAUTH_REDIRECT_URL may use http:\/\/ only/);
});

test('R61 the dashboard shell, its files, API answers and error pages carry the CSP, nosniff and a referrer policy', async () => {
  const dist = process.env.ZAI_WEB_DIST;
  const paths = ['/', `/organizations/${lindqvist.id}`, '/api/session', '/login?return_to=//evil.example', '/no-such-file'];
  if (dist) paths.push('/dashboard.js', '/dashboard.wasm');
  for (const path of paths) {
    const res = await fetch(`${stack.url}${path}`, { redirect: 'manual', headers: { 'x-csrf': '1' } });
    const csp = Object.fromEntries((res.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(csp['object-src'], ["'none'"], path);
    assert.deepEqual(csp['base-uri'], ["'none'"], path);
    assert.deepEqual(csp['frame-ancestors'], ["'none'"], path);
    assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"], `${path}: nothing but what Emscripten needs`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
  }
});

test('R62 the client secret and the encryption key appear in no log, health output, API answer or dashboard file', async () => {
  const key = readKey(stack.app.keyFile);
  const secrets = [stack.hub.secret, key.toString('hex'), key.toString('base64'), key.toString('base64url')];
  const outputs = [];
  for (const path of ['/healthz', '/readyz', '/metrics', '/api/session', `/api/organizations/${lindqvist.id}`]) {
    outputs.push(await (await fetch(`${stack.url}${path}`, { headers: { 'x-csrf': '1', cookie: ada1.jar.header(stack.url) } })).text());
  }
  assert.deepEqual(leaked(outputs.join('\n'), secrets), []);
  assert.deepEqual(leaked(stack.app.logs(), secrets), [], 'zai-connect\'s log');
  assert.match(stack.app.logs(), /HUB_OAUTH_CLIENT_SECRET=\*\*\*\*/, 'the configuration print masks it');
  const dist = process.env.ZAI_WEB_DIST;
  if (dist) {
    const bundle = readdirSync(dist).map((f) => readFileSync(join(dist, f)).toString('latin1')).join('\n');
    assert.deepEqual(leaked(bundle, [...secrets, 'HUB_OAUTH_CLIENT_SECRET', 'ENCRYPTION_KEY']), [], 'the dashboard bundle');
  }
});

test('R63 X-Forwarded-For is believed only from TRUSTED_PROXIES', async () => {
  const trusting = await stack.secondApp({ TRUSTED_PROXIES: '127.0.0.1' });
  for (const [app, expected] of [[stack.app, '127.0.0.1'], [trusting, '203.0.113.7']]) {
    const line = app.waitFor(/access \S+ (\S+) GET \/r63-probe /);
    await fetch(`${app.url}/r63-probe`, { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } });
    assert.equal((await line)[1], expected);
  }
});

test('R64 processes on one database share sessions, flows and grants; a new key seals while the old one still opens', async () => {
  const other = await stack.secondApp();
  const cookie = ada1.jar.header(stack.url);
  const there = await fetch(`${other.url}/api/organizations/${lindqvist.id}`, { headers: { 'x-csrf': '1', cookie } });
  assert.equal((await there.json()).data?.id, lindqvist.id, 'a session and a grant made by one process work at the other');
  const browser = stack.client();
  const flow = await startFlow(browser, `${other.url}/login`);
  const callback = await browser.get(`${stack.url}/oauth/zaikio/callback?code=made-up&state=${flow.state}`);
  assert.match(callback.body, /data-error-code="flow_code_rejected"/, 'a flow started at one process is found by the other, which asks the Hub');

  // Rotation: restart with a new key, the old one listed for opening only.
  const oldKey = readKey(stack.app.keyFile);
  const newKeyFile = join(mkdtempSync(join(tmpdir(), 'zai-key-')), 'new.bin');
  writeFileSync(newKeyFile, randomBytes(32), { mode: 0o600 });
  await stopCleanly(other, stack.app);
  await stack.restartApp({ ENCRYPTION_KEY_FILE: newKeyFile, OLD_ENCRYPTION_KEY_FILES: stack.app.keyFile });
  assert.equal((await stack.api(ada1, '/api/session')).body.person?.id, ada.id, 'nobody is signed out');
  assert.ok(grantTokens(stack.app, `org:${lindqvist.id}`, oldKey).row.access_token.startsWith(`${keyId(oldKey)}.`));
  assert.equal((await stack.api(ada1, `/api/organizations/${lindqvist.id}`)).body.data?.id, lindqvist.id, 'the grant sealed with the old key still opens');
  await stack.install(ada1, lindqvist.id);  // a new grant, sealed now
  const newKey = readKey(newKeyFile);
  const after = grantTokens(stack.app, `org:${lindqvist.id}`, newKey);
  assert.ok(after.row.access_token.startsWith(`${keyId(newKey)}.`), 'written with the new key');
  assert.equal(openSealed(newKey, after.row.access_token, `grant:org:${lindqvist.id}:access`), after.access);
  assert.equal((await stack.api(ada1, `/api/organizations/${lindqvist.id}`)).body.data?.id, lindqvist.id);
});

test('R65 liveness, readiness (database and Hub) and metrics by outcome, with no secret in any label', async () => {
  assert.deepEqual(await (await fetch(`${stack.url}/healthz`)).json(), { status: 'ok' });
  assert.deepEqual(await readyz(stack.app), { status: 200, body: { database: true, hub: true } });
  const noHub = await startConnect({ hub: { url: `http://127.0.0.1:${await freePort()}`, secret: 'x' }, port: await freePort() });
  try {
    assert.deepEqual(await readyz(noHub), { status: 503, body: { database: true, hub: false } });
  } finally {
    await stopCleanly(noHub);
  }
  await stack.signIn(stack.client(), ada.id);  // this process's counters start at its (re)start
  await fetch(`${stack.url}/oauth/zaikio/callback?state=nothing-we-issued`);
  await sleep(50);
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  for (const family of ['zai_logins_total', 'zai_flow_starts_total', 'zai_flow_rejects_total', 'zai_http_responses_total']) {
    assert.match(text, new RegExp(`^${family}[{ ]`, 'm'), family);
  }
  assert.match(text, /^zai_flow_rejects_total\{reason="flow_state_unknown"\} [1-9]/m, 'rejects by reason');
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    assert.match(line, /^zai_[a-z_]+(\{[a-z_]+="[a-z0-9_]+"(,[a-z_]+="[a-z0-9_]+")*\})? \d+(\.\d+)?$/, `label values are fixed words: ${line}`);
  }
  assert.deepEqual(leaked(text, [...(await stack.hub.control.issuedSecrets()), stack.hub.secret]), []);
});

test('R64 a second process on a port in use exits instead of sharing it (no SO_REUSEPORT)', async () => {
  const r = await runProcess(process.env.ZAI_CONNECT_BIN, [], {
    env: {
      HUB_URL: stack.hub.url,
      HUB_OAUTH_CLIENT_SECRET: stack.hub.secret,
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'zai-connect-port-')),
      LISTEN: `127.0.0.1:${stack.app.port}`,
      PUBLIC_URL: stack.url,
    },
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  assert.equal((await readyz(stack.app)).status, 200, 'the first process still answers');
});
