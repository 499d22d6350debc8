// Helpers for the security-requirement tests (security_*.test.mjs, security.md R1…R67): reading
// zai-connect's SQLite file the way an attacker with a copy of it would (raw bytes, `sqlite3`
// dump) and the way a test that holds the key can (opening sealed values), walking the Hub's
// pages of a flow zai-connect started without entering the callback, and a Hub in the middle
// that records and rewrites what zai-connect and the Hub say to each other.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { authorize } from '../lib/hub-flows.mjs';
import { runProcess } from '../lib/procs.mjs';
import { sqlite, startStack } from '../lib/stack.mjs';

export const sha256hex = (s) => createHash('sha256').update(s).digest('hex');

// --- the database -------------------------------------------------------------------------------

export const dbFile = (app) => join(app.dataDir, 'zai-connect.sqlite3');

/** Rows of `sql` run by the sqlite3 command-line shell on `app`'s database (WAL included). */
export const query = (app, sql) => sqlite(app.dataDir, sql);

/** `sqlite3 .dump` of `app`'s database: every row as SQL text. */
export function dump(app) {
  return execFileSync('sqlite3', [dbFile(app), '.dump'], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** The database file, its write-ahead log and shared-memory file as one latin1 string (raw bytes). */
export function rawDatabase(app) {
  return ['', '-wal', '-shm']
    .map((suffix) => dbFile(app) + suffix)
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

// --- sealed values (server/connect/vault.h: "<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>") ----

/** A key file as zai-connect reads it: 32 raw bytes, or 64 hex digits and an optional line end. */
export function readKey(file) {
  const bytes = readFileSync(file);
  return bytes.length === 32 ? bytes : Buffer.from(bytes.toString('latin1').trim(), 'hex');
}

export const keyId = (key) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** Opens a sealed value with AES-256-GCM and its associated data; throws if it does not open. */
export function openSealed(key, sealed, associatedData) {
  const dot = sealed.indexOf('.');
  if (sealed.slice(0, dot) !== keyId(key)) throw new Error(`sealed with key ${sealed.slice(0, dot)}, not ${keyId(key)}`);
  const bytes = Buffer.from(sealed.slice(dot + 1), 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** The tokens of grant `id` ("session:<hash>" or "org:<uuid>"), opened with `app`'s key. */
export function grantTokens(app, id, key = readKey(app.keyFile)) {
  const [row] = query(app, `SELECT * FROM grants WHERE id = '${id.replace(/'/g, "''")}'`);
  if (!row) return undefined;
  return {
    row,
    access: row.access_token ? openSealed(key, row.access_token, `grant:${id}:access`) : undefined,
    refresh: row.refresh_token ? openSealed(key, row.refresh_token, `grant:${id}:refresh`) : undefined,
  };
}

/** The PKCE verifiers of the transactions pending right now, opened with `app`'s key. */
export function pendingVerifiers(app, key = readKey(app.keyFile)) {
  return query(app, 'SELECT state_hash, code_verifier FROM transactions').map((t) => ({
    stateHash: t.state_hash,
    verifier: openSealed(key, t.code_verifier, `transaction:${t.state_hash}:verifier`),
  }));
}

/** The grant id of the session whose cookie value is `value`. */
export const sessionGrantId = (value) => `session:${sha256hex(value)}`;

/** The value of zai-connect's session cookie in `client`'s jar, or undefined. */
export const sessionCookie = (client) => client.jar.get('__Host-zai_session')?.value;

// --- responses and the process ------------------------------------------------------------------

/** One Set-Cookie header as { name, value, attrs } with lower-case attribute names (flags → true). */
export function cookieAttributes(header) {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attrs = Object.fromEntries(attributes.map((a) => [a.split('=')[0].toLowerCase(), a.includes('=') ? a.slice(a.indexOf('=') + 1) : true]));
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs };
}

/** The value of the Prometheus sample `name{labels}` (labels as written, e.g. 'result="ok"'), 0 when absent. */
export async function metric(app, name, labels = '') {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** zai-connect refuses to start against `hubUrl` with `env` added (exit status 2, stderr matching `pattern`). */
export async function refusesToStart(hubUrl, env, pattern) {
  const r = await runProcess(process.env.ZAI_CONNECT_BIN, [], {
    env: {
      HUB_URL: hubUrl,
      HUB_OAUTH_CLIENT_SECRET: 'x',
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'zai-connect-refuse-')),
      LISTEN: '127.0.0.1:0',
      ...env,
    },
  });
  assert.equal(r.code, 2, `exit status for ${JSON.stringify(env)}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
}

/** startStack(`options`), `person` signed in, the app installed for `organizations`: { stack, client }. */
export async function stackWithInstalls(person, organizations, options) {
  const stack = await startStack(options);
  const client = stack.client();
  await stack.signIn(client, person);
  for (const organization of organizations) await stack.install(client, organization.id);
  return { stack, client };
}

// --- flows --------------------------------------------------------------------------------------

/**
 * Walks the Hub's pages for an authorize URL that zai-connect redirected to, as `person` (choosing
 * `organization`, answering consent with `decision`), on the real hubsim at `hubUrl` even when
 * zai-connect's HUB_URL is a man in the middle. Resolves with hub-flows' authorize() result:
 * `location` is the callback URL the Hub sent the browser to (not requested).
 */
export async function hubLeg(hubUrl, client, authorizeUrl, { person, organization, decision } = {}) {
  const q = new URL(authorizeUrl).searchParams;
  const own = new Set(['client_id', 'redirect_uri', 'scope', 'state', 'response_type']);
  return authorize(hubUrl, client, {
    clientId: q.get('client_id') ?? undefined,
    redirectUri: q.get('redirect_uri') ?? undefined,
    scope: q.get('scope') ?? undefined,
    state: q.get('state') ?? undefined,
    person,
    organization,
    decision,
    query: Object.fromEntries([...q].filter(([k]) => !own.has(k))),
  });
}

/** GET `url` (a /login or /install URL) and, if it redirects to the Hub, the authorize URL and its state. */
export async function startFlow(client, url) {
  const res = await client.get(url);
  const authorizeUrl = res.status === 302 ? res.location : undefined;
  const params = authorizeUrl ? new URL(authorizeUrl).searchParams : new URLSearchParams();
  return { res, authorizeUrl, state: params.get('state'), challenge: params.get('code_challenge'), params };
}

/** hubsim's last request sequence number (0 when it saw nothing yet). */
export async function lastSeq(hub) {
  return (await hub.control.requests()).at(-1)?.seq ?? 0;
}

/** Calls to hubsim's token endpoint since `seq`. */
export async function tokenCalls(hub, seq) {
  return (await hub.control.requests(seq)).filter((r) => r.path === '/oauth/access_token');
}

/**
 * One request with node:http, for what fetch will not send: a Host header of our choosing, a
 * request target with dot segments or backslashes left as they are. Resolves with
 * { status, headers (lower-case names), body }.
 */
export function rawRequest(origin, target, { method = 'GET', headers = {}, body } = {}) {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path: target, headers, setHost: !Object.keys(headers).some((h) => h.toLowerCase() === 'host') }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (s) => { text += s; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// --- a Hub in the middle ------------------------------------------------------------------------

/**
 * An HTTP server to use as zai-connect's HUB_URL in front of hubsim (`proxy.target`, set once
 * hubsim runs). Browsers asking it for /oauth/authorize are sent on to hubsim; every other
 * request is forwarded and recorded in `proxy.exchanges` ({method, path, headers, body, status,
 * response}). `proxy.rewrite(exchange)` may return a new response body (object or string) for
 * a forwarded request; `proxy.extraHeaders` are added to every forwarded response.
 */
export async function startHubProxy() {
  const proxy = { target: undefined, exchanges: [], rewrite: undefined, extraHeaders: {} };
  const hopByHop = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'expect']);
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url.startsWith('/oauth/authorize')) {
      res.writeHead(302, { location: proxy.target + req.url });
      res.end();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !hopByHop.has(k)));
    try {
      const upstream = await fetch(proxy.target + req.url, {
        method: req.method,
        headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      });
      const exchange = { method: req.method, path: req.url, headers: req.headers, body, status: upstream.status, response: await upstream.text() };
      proxy.exchanges.push(exchange);
      const replaced = proxy.rewrite?.(exchange);
      if (replaced !== undefined) exchange.response = typeof replaced === 'string' ? replaced : JSON.stringify(replaced);
      const out = {};
      upstream.headers.forEach((v, k) => {
        if (!hopByHop.has(k) && k !== 'content-encoding') out[k] = v;
      });
      res.writeHead(upstream.status, { ...out, ...proxy.extraHeaders });
      res.end(exchange.response);
    } catch (e) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${server.address().port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  /** Recorded token-endpoint exchanges (from index `from` on) with their form parsed. */
  proxy.tokenExchanges = (from = 0) =>
    proxy.exchanges
      .slice(from)
      .filter((e) => e.path.startsWith('/oauth/access_token'))
      .map((e) => ({ ...e, form: Object.fromEntries(new URLSearchParams(e.body)) }));
  return proxy;
}

/** The JSON payload of a JWT, unchecked. */
export function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
