// The whole system for integration tests: hubsim and zai-connect as real processes on loopback,
// wired to each other (redirect URL, webhooks, client secret), each with fresh state, and a
// browser-like client that walks the sign-in and install flows through hubsim's pages.
//
//   const stack = await startStack();
//   const ada = stack.client();
//   await stack.signIn(ada, HUBSIM.people.ada.id);
//   const session = await stack.api(ada, '/api/session');      // { status, body }
//   await stack.install(ada, HUBSIM.organizations.lindqvist.id);  // { acknowledged, … }
//   await stack.killApp(); await stack.restartApp();            // SIGKILL, same database
//   stack.sqlite('PRAGMA integrity_check;')                      // the database, as rows
//   await stack.stop();                                         // fails on unclean exits
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { HttpClient } from './http.mjs';
import { pageKind, pendingOf } from './hub-flows.mjs';
import { startHubsim, startProcess, stopCleanly } from './procs.mjs';

/** A TCP port that was free a moment ago (zai-connect's URL must be known before hubsim starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs `sql` on zai-connect's database in `dataDir` with the sqlite3 CLI; returns its rows as objects. */
export function sqlite(dataDir, sql) {
  const out = execFileSync('sqlite3', ['-json', join(dataDir, 'zai-connect.sqlite3'), sql], { encoding: 'utf8' }).trim();
  return out ? JSON.parse(out) : [];
}

/**
 * The organisation whose install the browser saw succeed in `chain` (responses of one
 * navigation): zai-connect's callback answered with the redirect to /organizations/<id>.
 */
export function acknowledgedInstall(chain, appUrl) {
  for (const res of chain) {
    if (!res.url.startsWith(`${appUrl}/oauth/zaikio/callback`) || res.status < 300 || res.status >= 400) continue;
    const m = /^\/organizations\/([0-9a-f-]{36})$/.exec(new URL(res.location, appUrl).pathname);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Starts zai-connect against `hub` with a fresh data folder and key unless given.
 * @param {object} o
 * @param {object} o.hub           a startHubsim() result
 * @param {number} o.port
 * @param {string} [o.dataDir]     reuse a data folder (restarts, two processes on one database)
 * @param {string} [o.keyFile]
 * @param {Record<string,string>} [o.env]  more settings (SESSION_IDLE_SECONDS=…)
 */
export async function startConnect({ hub, port, dataDir, keyFile, webhookSecret, env = {}, bin = process.env.ZAI_CONNECT_BIN, timeoutMs } = {}) {
  if (!bin) throw new Error('ZAI_CONNECT_BIN is not set (run the tests through ctest, or export it)');
  const folder = dataDir ?? mkdtempSync(join(tmpdir(), 'zai-connect-'));
  const key = keyFile ?? join(folder, 'key.bin');
  if (!keyFile) writeFileSync(key, randomBytes(32), { mode: 0o600 });
  const publicUrl = `http://127.0.0.1:${port}`;
  const proc = await startProcess({
    command: bin,
    name: 'zai-connect',
    ready: /zai-connect listening on (\S+)/,
    timeoutMs,
    env: {
      HUB_URL: hub.url,
      HUB_OAUTH_CLIENT_SECRET: hub.secret,
      PUBLIC_URL: publicUrl,
      LISTEN: `127.0.0.1:${port}`,
      DATA_DIR: folder,
      ENCRYPTION_KEY_FILE: key,
      STATIC_DIR: process.env.ZAI_WEB_DIST ?? '',
      WEBHOOK_SECRET: webhookSecret ?? '',
      ...env,
    },
  });
  return { ...proc, url: publicUrl, port, dataDir: folder, keyFile: key };
}

/**
 * hubsim + zai-connect wired together. `hubArgs` go to hubsim, `env` to zai-connect.
 * `webhooks: true` registers zai-connect's webhook URL and a shared secret at hubsim.
 */
export async function startStack({ hubArgs = [], env = {}, webhooks = false } = {}) {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const webhookSecret = webhooks ? randomBytes(16).toString('hex') : undefined;
  const hub = await startHubsim({
    args: [
      '--app-redirect-url', `${appUrl}/oauth/zaikio/callback`,
      '--app-desired-scopes', 'zaikio.person.r,zaikio.organization.r',
      ...(webhooks ? ['--app-webhook-url', `${appUrl}/webhooks/zaikio`, '--webhook-retry-ms', '200'] : []),
      ...hubArgs,
    ],
    env: webhooks ? { HUBSIM_APP_WEBHOOK_SECRET: webhookSecret } : {},
  });
  let first;
  try {
    first = await startConnect({ hub, port, env, webhookSecret });
  } catch (e) {
    await hub.stop();  // a live child keeps Node's event loop, and with it the test run, alive
    throw e;
  }

  // One navigation (see stack.navigate), recording every response in `chain`.
  async function walk(client, url, { person, organization, decision = 'allow' }, chain) {
    const pages = [];
    let res = await client.get(url);
    for (let step = 0; step < 20; step++) {
      chain.push(res);
      if (res.status >= 300 && res.status < 400 && res.location) {
        res = await client.get(res.location);
        continue;
      }
      if (res.status !== 200 || !res.url.startsWith(hub.url)) {
        return { response: res, chain, pages };
      }
      const kind = pageKind(res.body);
      const pending = pendingOf(res.body);
      pages.push(kind);
      if (kind === 'sign_in' && person) res = await client.post(`${hub.url}/oauth/authorize/sign_in`, { form: { pending, person_id: person } });
      else if (kind === 'organization' && organization) res = await client.post(`${hub.url}/oauth/authorize/organization`, { form: { pending, organization_id: organization } });
      else if (kind === 'consent') res = await client.post(`${hub.url}/oauth/authorize/consent`, { form: { pending, decision } });
      else return { response: res, chain, pages };
    }
    throw new Error(`navigation from ${url} did not settle in 20 steps`);
  }

  const apps = [first];
  const stack = {
    hub,
    app: apps[0],
    url: appUrl,
    webhookSecret,
    /** A browser: its own cookie jar; `options` as for HttpClient (timeoutMs, …). */
    client: (options) => new HttpClient(options),

    /** Another zai-connect process on the same database (and key), on its own port. */
    async secondApp(extraEnv = {}) {
      const other = await startConnect({ hub, port: await freePort(), dataDir: apps[0].dataDir, keyFile: apps[0].keyFile, webhookSecret, env: { ...env, ...extraEnv } });
      apps.push(other);
      return other;
    },

    /** SIGKILL to zai-connect; resolves once it is gone. */
    async killApp() {
      stack.app.child.kill('SIGKILL');
      return stack.app.exited;
    },

    /** Rows of `sql` run on zai-connect's database (sqlite3 CLI; fine while it runs: WAL). */
    sqlite: (sql) => sqlite(apps[0].dataDir, sql),

    /** Restarts zai-connect on the same port, database and key (after a crash or a stop). */
    async restartApp(extraEnv = {}) {
      const old = apps[0];
      apps[0] = await startConnect({ hub, port, dataDir: old.dataDir, keyFile: old.keyFile, webhookSecret, env: { ...env, ...extraEnv } });
      stack.app = apps[0];
      return apps[0];
    },

    /**
     * Follows a navigation through zai-connect and hubsim like a browser: redirects, and hubsim's
     * pages answered as `person` / `organization` / `decision`. Resolves with
     * { response, chain, pages } where `response` is the first answer that is neither a redirect
     * nor a hubsim page it could answer. A request that fails rejects with an error that carries
     * the `chain` so far (a crash test still sees what the browser was told before).
     */
    async navigate(client, url, options = {}) {
      const chain = [];
      try {
        return await walk(client, url, options, chain);
      } catch (e) {
        e.chain = chain;
        throw e;
      }
    },

    /** Signs `client` in as `person`; resolves with the final response (the dashboard shell). */
    async signIn(client, person, returnTo = '/') {
      const r = await stack.navigate(client, `${appUrl}/login?return_to=${encodeURIComponent(returnTo)}`, { person });
      if (!client.jar.header(appUrl).includes('__Host-zai_session=')) {
        throw new Error(`sign-in as ${person} did not create a session: ${r.response.status} ${r.response.body.slice(0, 300)}`);
      }
      return r;
    },

    /** GET/POST a JSON API path with the X-CSRF header; resolves with { status, body, headers, raw }. */
    async api(client, path, { method = 'GET', headers = {} } = {}) {
      const res = await client.request(`${appUrl}${path}`, { method, headers: { 'x-csrf': '1', ...headers } });
      let body;
      try { body = JSON.parse(res.body); } catch { body = res.body; }
      return { status: res.status, body, headers: res.headers, raw: res };
    },

    /**
     * Installs the app for `organization` (or lets the Hub ask, with `choose`). Resolves as
     * navigate() does, plus `acknowledged`: the organisation the callback confirmed, if any.
     */
    async install(client, organization, { choose } = {}) {
      const session = await stack.api(client, '/api/session');
      const q = new URLSearchParams({ nonce: session.body.action_nonce });
      if (organization) q.set('organization_id', organization);
      const r = await stack.navigate(client, `${appUrl}/install?${q}`, { organization: choose });
      return { ...r, acknowledged: acknowledgedInstall(r.chain, appUrl) };
    },

    /** Every process's output so far, for log scans. */
    logs: () => [hub, ...apps].map((p) => p.logs()).join('\n'),

    async stop() {
      await stopCleanly(...apps, hub);
    },
  };
  return stack;
}
