// security.md §B (R11–R23 but R18, which is in security_transport): the OAuth callback, over real HTTP
// against real hubsim and zai-connect processes. zai-connect talks to the Hub through a recording
// man in the middle (security_support.mjs), so the tests see the exact token request and can
// hand zai-connect token responses that are malformed or for the wrong subject. "Rejected" means:
// an error page, no session, and — asserted through hubsim's request log — no code exchange.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { obtainTokens } from '../lib/hub-flows.mjs';
import { HttpClient } from '../lib/http.mjs';
import { HUBSIM } from '../lib/procs.mjs';
import { RecordingClient, leaked } from '../lib/recording.mjs';
import { startStack } from '../lib/stack.mjs';
import {
  hubLeg, lastSeq, pendingVerifiers, query, sessionCookie, sha256hex, startFlow, startHubProxy, tokenCalls,
} from './security_support.mjs';

const { ada, bruno, dev, emil } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
// Characters that HTTP Basic must form-encode before base64 (RFC 6749 §2.3.1).
const secret = 'p+q/r s:t%25&u=v~é';

let stack;
let proxy;
let shortLived;  // a second process on the same database with TRANSACTION_SECONDS=1
const browsers = [];
const watched = new Set();  // states, verifiers, codes and cookies of this file: never in a log

before(async () => {
  proxy = await startHubProxy();
  stack = await startStack({
    hubArgs: ['--app-secret', secret, '--app-desired-scopes', 'zaikio.person.r,zaikio.organization.r,zaikio.organization_members.r'],
    env: {
      HUB_URL: proxy.url,
      HUB_OAUTH_CLIENT_SECRET: secret,
      HUB_ORGANIZATION_SCOPES: 'directory.organization.r,directory.organization_members.r',
    },
  });
  proxy.target = stack.hub.url;
  shortLived = await stack.secondApp({ TRANSACTION_SECONDS: '1' });
});
after(async () => {
  await stack?.stop();
  await proxy?.close();
});

function browser() {
  const c = new RecordingClient();
  browsers.push(c);
  return c;
}

/** Starts a flow and remembers its state and the verifiers pending now, for the log scan (R23). */
async function start(client, url) {
  const flow = await startFlow(client, url);
  if (flow.state) {
    watched.add(flow.state);
    for (const t of pendingVerifiers(stack.app)) watched.add(t.verifier);
  }
  return flow;
}

/** Starts at `path` and walks the Hub's pages; resolves with the flow and the callback URL (not requested). */
async function toCallback(client, path, options = { person: ada.id }, appUrl = stack.url) {
  const flow = await start(client, `${appUrl}${path}`);
  assert.equal(flow.res.status, 302, `${path}: ${flow.res.body.slice(0, 300)}`);
  const leg = await hubLeg(stack.hub.url, client, flow.authorizeUrl, options);
  assert.ok(leg.location, `the Hub answered ${leg.response.status}: ${leg.response.body.slice(0, 300)}`);
  const code = new URL(leg.location).searchParams.get('code');
  if (code) watched.add(code);
  return { flow, callback: leg.location };
}

async function signedIn(person = ada.id) {
  const c = browser();
  const { callback } = await toCallback(c, '/login', { person });
  assert.equal((await c.get(callback)).status, 303);
  return c;
}

async function nonceOf(client) {
  return (await stack.api(client, '/api/session')).body.action_nonce;
}

function assertRejected(res, code, what) {
  assert.equal(res.status, 400, `${what}: ${res.status} ${res.body.slice(0, 300)}`);
  assert.equal(res.location, undefined, `${what}: no redirect`);
  assert.match(res.body, new RegExp(`data-error-code="${code}"`), what);
  assert.ok(!res.setCookies.some((c) => c.startsWith('__Host-zai_session=') && !/Max-Age=0/.test(c)), `${what}: no session`);
}

/** Token responses to authorization-code exchanges are replaced by `f(original JSON)` while `fn` runs. */
async function rewritingCodeExchange(f, fn) {
  proxy.rewrite = (e) => {
    if (!e.path.startsWith('/oauth/access_token') || e.status !== 200) return undefined;
    if (new URLSearchParams(e.body).get('grant_type') !== 'authorization_code') return undefined;
    return f(JSON.parse(e.response), e);
  };
  try {
    return await fn();
  } finally {
    proxy.rewrite = undefined;
  }
}

test('R11 a callback without state, with an unknown state, or with another browser\'s state is rejected; no code exchange', async () => {
  const victim = browser();
  const attacker = browser();
  const { callback } = await toCallback(victim, '/login');
  const url = new URL(callback);
  await start(attacker, `${stack.url}/login`);  // the attacker has a flow cookie of their own
  const seq = await lastSeq(stack.hub);
  assertRejected(await attacker.get(`${stack.url}/oauth/zaikio/callback?code=${url.searchParams.get('code')}`), 'flow_state_missing', 'no state');
  assertRejected(await attacker.get(`${stack.url}/oauth/zaikio/callback?code=${url.searchParams.get('code')}&state=`), 'flow_state_missing', 'empty state');
  assertRejected(await attacker.get(`${callback.replace(/state=[^&]+/, 'state=not-a-state-we-issued')}`), 'flow_state_unknown', 'unknown state');
  assertRejected(await attacker.get(callback), 'flow_state_unknown', 'the victim\'s callback in the attacker\'s browser');
  assert.deepEqual(await tokenCalls(stack.hub, seq), [], 'hubsim saw no token request');
  // The victim's transaction was destroyed by the attempt: it cannot be finished either.
  assertRejected(await victim.get(callback), 'flow_state_unknown', 'the victim after the attempt');
  assert.deepEqual(await tokenCalls(stack.hub, seq), []);
});

test('R12 a callback when no transaction is pending at all is rejected; no code exchange', async () => {
  const seq = await lastSeq(stack.hub);
  const fresh = browser();
  assertRejected(await fresh.get(`${stack.url}/oauth/zaikio/callback`), 'flow_state_missing', 'no parameters');
  assertRejected(await fresh.get(`${stack.url}/oauth/zaikio/callback?code=abc&state=def`), 'flow_state_unknown', 'a code and a state, no flow cookie');
  // A browser with a flow cookie whose transactions were all finished.
  const c = await signedIn();
  assertRejected(await c.get(`${stack.url}/oauth/zaikio/callback?code=abc&state=def`), 'flow_state_unknown', 'nothing pending');
  const calls = (await tokenCalls(stack.hub, seq)).map((r) => r.grant_type);
  assert.deepEqual(calls, ['authorization_code'], 'only the sign-in of the second browser');
});

test('R13 state is single-use: the transaction is gone before the code exchange, a replayed callback fails', async () => {
  const c = browser();
  const { callback } = await toCallback(c, '/login');
  const seq = await lastSeq(stack.hub);
  // The exchange takes 1.5 s at the Hub; a replay during it must already find nothing.
  const fault = await stack.hub.control.addFault({ kind: 'latency', latency_ms: 1500, path: '/oauth/access_token', grant_type: 'authorization_code', count: 1 });
  try {
    const first = c.get(callback);
    for (let i = 0; i < 40 && (await tokenCalls(stack.hub, seq)).length === 0; i++) await sleep(25);
    const started = performance.now();
    const replay = await browser().get(callback);
    const sameBrowser = await c.get(callback);
    assert.ok(performance.now() - started < 1000, 'the replays did not wait for the exchange');
    assertRejected(replay, 'flow_state_unknown', 'replay from elsewhere');
    assertRejected(sameBrowser, 'flow_state_unknown', 'replay in the same browser');
    assert.equal((await first).status, 303, 'the first use succeeds');
  } finally {
    await stack.hub.control.removeFault(fault).catch(() => {});
  }
  assertRejected(await c.get(callback), 'flow_state_unknown', 'replay afterwards');
  assert.equal((await tokenCalls(stack.hub, seq)).length, 1, 'one code exchange in all');
  assert.equal(query(stack.app, `SELECT count(*) AS n FROM transactions WHERE state_hash = '${sha256hex(new URL(callback).searchParams.get('state'))}'`)[0].n, 0);
});

test('R14 the browser binding is compared exactly: a flow cookie one character off is refused', async () => {
  // Timing is not measured here (see tests/security/NOT_APPLICABLE.md): the comparison is CRYPTO_memcmp,
  // and the state itself is found by its SHA-256, never compared as text.
  const c = browser();
  const { callback } = await toCallback(c, '/login');
  const cookie = c.jar.get('__Host-zai_flow');
  const last = cookie.value.at(-1) === 'A' ? 'B' : 'A';
  const seq = await lastSeq(stack.hub);
  const res = await c.get(callback, { headers: { cookie: `__Host-zai_flow=${cookie.value.slice(0, -1)}${last}` }, cookies: false });
  assertRejected(res, 'flow_state_unknown', 'altered flow cookie');
  assert.deepEqual(await tokenCalls(stack.hub, seq), []);
});

test('R15 a transaction older than TRANSACTION_SECONDS is rejected without a code exchange', async () => {
  const c = browser();
  const fresh = await start(c, `${shortLived.url}/login`);
  const old = await start(c, `${shortLived.url}/login`);
  const seq = await lastSeq(stack.hub);
  // Within its second, the transaction is accepted and the (made-up) code goes to the Hub, which refuses it.
  assertRejected(await c.get(`${shortLived.url}/oauth/zaikio/callback?code=made-up&state=${fresh.state}`), 'flow_code_rejected', 'fresh');
  assert.equal((await tokenCalls(stack.hub, seq)).length, 1);
  const flowCookie = c.jar.get('__Host-zai_flow').value;
  await sleep(2100);
  assert.ok(!(c.jar.header(shortLived.url) ?? '').includes('__Host-zai_flow='), 'the flow cookie lives no longer than its transaction');
  // The server's own clock decides even when a client keeps sending the cookie after its Max-Age.
  const seq2 = await lastSeq(stack.hub);
  const late = await c.get(`${shortLived.url}/oauth/zaikio/callback?code=made-up&state=${old.state}`, { headers: { cookie: `__Host-zai_flow=${flowCookie}` }, cookies: false });
  assertRejected(late, 'flow_expired', 'two seconds old');
  assert.deepEqual(await tokenCalls(stack.hub, seq2), []);
});

test('R16 an error from the Hub: no code exchange, transaction cleared, a friendly page that never reflects markup', async () => {
  const seq = await lastSeq(stack.hub);
  const cancelled = browser();
  // Emil has not consented to zai_connect yet, so the Hub shows him the consent page to cancel.
  const { callback } = await toCallback(cancelled, '/login', { person: emil.id, decision: 'cancel' });
  assert.equal(new URL(callback).searchParams.get('error'), 'access_denied');
  assertRejected(await cancelled.get(callback), 'flow_denied', 'access_denied');
  assertRejected(await cancelled.get(callback), 'flow_state_unknown', 'the transaction is gone');

  const c = browser();
  const cases = [
    ['invalid_scope', 'malformed_scope', /invalid_scope: malformed_scope/],
    ['invalid_scope', '<script>alert(1)</script>', /invalid_scope\)/],
    ['<img src=x onerror=alert(1)>', 'x', /could not finish|Hub/i],
    ['server_error', '"><svg onload=alert(1)>', /server_error\)/],
  ];
  for (const [error, description, shown] of cases) {
    const flow = await start(c, `${stack.url}/login`);
    const q = new URLSearchParams({ state: flow.state, error, error_description: description });
    const res = await c.get(`${stack.url}/oauth/zaikio/callback?${q}`);
    assertRejected(res, 'flow_hub_error', error);
    assert.match(res.body, shown, error);
    for (const markup of ['<script', '<img', '<svg', 'onerror', 'onload']) assert.ok(!res.body.includes(markup), `${markup} reflected`);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assertRejected(await c.get(`${stack.url}/oauth/zaikio/callback?${q}`), 'flow_state_unknown', 'cleared');
  }
  assert.deepEqual(await tokenCalls(stack.hub, seq), []);
});

test('R17 the token request: POST form with grant_type, code, the identical redirect_uri and the verifier; HTTP Basic with form-encoded id and secret', async () => {
  const c = browser();
  const { flow, callback } = await toCallback(c, '/login');
  const from = proxy.exchanges.length;
  assert.equal((await c.get(callback)).status, 303);
  const [exchange] = proxy.tokenExchanges(from);
  assert.equal(exchange.method, 'POST');
  assert.equal(exchange.path, '/oauth/access_token');
  assert.equal(exchange.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.keys(exchange.form).sort(), ['code', 'code_verifier', 'grant_type', 'redirect_uri']);
  assert.equal(exchange.form.grant_type, 'authorization_code');
  assert.equal(exchange.form.code, new URL(callback).searchParams.get('code'));
  assert.equal(exchange.form.redirect_uri, flow.params.get('redirect_uri'), 'the same redirect_uri as in the authorize request');
  assert.equal(createHash('sha256').update(exchange.form.code_verifier).digest('base64url'), flow.challenge);

  const [scheme, credentials] = exchange.headers.authorization.split(' ');
  assert.equal(scheme, 'Basic');
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const parts = decoded.split(':');
  assert.equal(parts.length, 2, 'the secret\'s own ":" is encoded');
  assert.match(parts[1], /^[A-Za-z0-9._~%+-]+$/, 'nothing but unreserved characters and escapes');
  const formDecode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
  assert.equal(formDecode(parts[0]), 'zai_connect');
  assert.equal(formDecode(parts[1]), secret);
  assert.ok(!exchange.body.includes('client_secret'));
  assert.equal(exchange.status, 200, 'hubsim accepted the credentials');
});

test('R19 token responses are validated: missing or empty token, wrong token_type, non-numeric or missing expires_in, not JSON → no session', async () => {
  const broken = [
    ['no access_token', (j) => { delete j.access_token; return j; }],
    ['empty access_token', (j) => ({ ...j, access_token: '' })],
    ['token_type mac', (j) => ({ ...j, token_type: 'mac' })],
    ['expires_in a string', (j) => ({ ...j, expires_in: '3600' })],
    ['expires_in an ISO date', (j) => ({ ...j, expires_in: '2030-01-01T00:00:00Z' })],
    ['no expires_in', (j) => { delete j.expires_in; return j; }],
    ['negative expires_in', (j) => ({ ...j, expires_in: -1 })],
    ['no bearer', (j) => { delete j.bearer; return j; }],
    ['an HTML page', () => '<!doctype html><title>Hub</title>'],
    ['a JSON array', () => '[]'],
  ];
  for (const [name, f] of broken) {
    const c = browser();
    const { callback } = await toCallback(c, '/login');
    const res = await rewritingCodeExchange(f, () => c.get(callback));
    assert.ok(res.status >= 400, `${name}: ${res.status}`);
    assert.match(res.body, /data-error-code="hub_bad_response"/, name);
    assert.equal(sessionCookie(c), undefined, `${name}: no session`);
  }
});

test('R19 an absurd expires_in does not crash zai-connect or overflow the expiry', async () => {
  const c = browser();
  const { callback } = await toCallback(c, '/login');
  const res = await rewritingCodeExchange((j) => JSON.stringify(j).replace(/"expires_in":\d+/, '"expires_in":9223372036854775807'), () => c.get(callback));
  assert.ok([303, 502].includes(res.status), `${res.status} ${res.body.slice(0, 200)}`);
  assert.equal((await fetch(`${stack.url}/healthz`)).status, 200, 'still alive');
  if (res.status === 303) {
    const view = await stack.api(c, '/api/session');
    assert.equal(view.status, 200);
    assert.ok(view.body.authenticated);
  }
});

test('R19 accepted: token_type in any case, unknown members ignored, expiry from local receive time + expires_in, granted scopes recorded even when fewer than asked', async () => {
  const c = browser();
  const { callback } = await toCallback(c, '/login');
  const res = await rewritingCodeExchange((j) => ({ ...j, token_type: 'Bearer', x_unknown: { nested: [1, 2] }, id_token_hint: 'ignored' }), () => c.get(callback));
  assert.equal(res.status, 303, res.body.slice(0, 300));

  const nonce = await nonceOf(c);
  const install = await toCallback(c, `/install?organization_id=${lindqvist.id}&nonce=${nonce}`, {});
  assert.deepEqual(install.flow.params.get('scope').split(','), [`Org/${lindqvist.id}.directory.organization.r`, `Org/${lindqvist.id}.directory.organization_members.r`]);
  const before = Math.floor(Date.now() / 1000);
  const done = await rewritingCodeExchange((j) => ({ ...j, scope: 'directory.organization.r', expires_in: 1234 }), () => c.get(install.callback));
  assert.equal(done.status, 303, done.body.slice(0, 300));
  const view = await stack.api(c, `/api/organizations/${lindqvist.id}`);
  assert.deepEqual(view.body.installation.granted_scopes, ['directory.organization.r'], 'what the Hub granted, not what was asked');
  const expiresAt = view.body.installation.access_expires_at;
  assert.ok(expiresAt >= before + 1234 && expiresAt <= Math.floor(Date.now() / 1000) + 1234, `expiry ${expiresAt - before} s from receipt, not the JWT's 3600`);
  assert.equal(view.body.data?.id, lindqvist.id);
});

test('R20 a sign-in must yield a Person token and an install an Organization token for the requested id; otherwise rejected and the token revoked', async () => {
  const other = new HttpClient();
  const orgToken = await obtainTokens(stack.hub, other, { scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: ada.id, secret });
  const personToken = await obtainTokens(stack.hub, other, { scope: 'zaikio.person.r', person: ada.id, secret });
  const foreignOrgToken = await obtainTokens(stack.hub, new HttpClient(), { scope: `Org/${HUBSIM.organizations.scale(10).id}.zaikio.organization.r`, person: dev.id, secret });
  for (const t of [orgToken, personToken, foreignOrgToken]) watched.add(t.access_token).add(t.refresh_token);

  const c = await signedIn();
  const installations = () => query(stack.app, 'SELECT organization_id, installed_at, state FROM installations ORDER BY organization_id');
  const before = installations();
  const cases = [
    ['a sign-in that yields an organisation token', '/login', { person: ada.id }, orgToken, false],
    ['an install that yields a person token', `/install?organization_id=${lindqvist.id}`, {}, personToken, true],
    ['an install for Lindqvist that yields a Nordlicht token', `/install?organization_id=${lindqvist.id}`, {}, orgToken, true],
    ['an install where the Hub let her choose, for an organisation she does not administer', '/install', { organization: nordlicht.id }, foreignOrgToken, true],
  ];
  for (const [name, path, options, substitute, install] of cases) {
    const client = install ? c : browser();
    const url = install ? `${path}${path.includes('?') ? '&' : '?'}nonce=${await nonceOf(c)}` : path;
    const { callback } = await toCallback(client, url, options);
    const from = proxy.exchanges.length;
    const res = await rewritingCodeExchange(() => substitute, () => client.get(callback));
    assertRejected(res, 'flow_bearer_mismatch', name);
    const revocations = proxy.exchanges.slice(from).filter((e) => e.path === '/api/v1/revoked_access_tokens');
    assert.deepEqual(revocations.map((e) => e.headers.authorization), [`Bearer ${substitute.access_token}`], `${name}: the token is revoked`);
  }
  assert.deepEqual(installations(), before, 'no installation recorded or replaced');
  const revoked = await fetch(`${stack.hub.url}/api/v1/organization`, { headers: { authorization: `Bearer ${orgToken.access_token}` } });
  assert.ok([401, 403].includes(revoked.status), 'the Hub no longer accepts the discarded token');

  // hubsim's wrong_bearer fault: the response names a random organisation.
  const { callback } = await toCallback(c, `/install?organization_id=${lindqvist.id}&nonce=${await nonceOf(c)}`, {});
  const fault = await stack.hub.control.addFault({ kind: 'wrong_bearer', path: '/oauth/access_token', grant_type: 'authorization_code', count: 1 });
  try {
    assertRejected(await c.get(callback), 'flow_bearer_mismatch', 'wrong_bearer');
  } finally {
    await stack.hub.control.removeFault(fault).catch(() => {});
  }
});

test('R21 a refused code (expired at the Hub) creates no session and restarts nothing: one exchange, no redirect', async () => {
  await stack.hub.control.setLifetimes({ code: 1 });
  try {
    const c = browser();
    const { callback } = await toCallback(c, '/login');
    await sleep(2200);
    const seq = await lastSeq(stack.hub);
    const res = await c.get(callback);
    assertRejected(res, 'flow_code_rejected', 'expired code');
    assert.equal(sessionCookie(c), undefined);
    const calls = await tokenCalls(stack.hub, seq);
    assert.deepEqual(calls.map((r) => [r.grant_type, r.status]), [['authorization_code', 400]]);
    assert.deepEqual((await stack.hub.control.requests(seq)).filter((r) => r.path === '/oauth/authorize'), [], 'no automatic new start');
    assert.match(res.body, /href="\/"/, 'the page offers a way back instead');
  } finally {
    await stack.hub.control.setLifetimes({ code: 600 });
  }
});

test('R22 success: a brand-new session id (a pre-login or planted id is discarded), 303 to the stored path, no-store, no-referrer, no content', async () => {
  const c = await signedIn(bruno.id);
  const first = sessionCookie(c);
  // The Hub still knows this browser as Bruno: signing in again goes straight back.
  const { callback } = await toCallback(c, `/login?return_to=${encodeURIComponent('/organizations/x')}`, { person: bruno.id });
  const res = await c.get(callback);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/organizations/x');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.body, '', 'loads nothing, third-party or not');
  const second = sessionCookie(c);
  assert.match(second, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(second, first);
  const old = await fetch(`${stack.url}/api/session`, { headers: { 'x-csrf': '1', cookie: `__Host-zai_session=${first}` } });
  assert.equal(old.status, 401, 'the pre-login session is ended, not kept alongside');
  assert.equal((await stack.api(c, '/api/session')).body.person.id, bruno.id);

  // Session fixation: a value planted before sign-in is never adopted.
  const planted = 'A'.repeat(43);
  const victim = browser();
  victim.jar.set(stack.url, `__Host-zai_session=${planted}; Path=/; Secure; HttpOnly; SameSite=Strict`);
  const fixation = await toCallback(victim, '/login');
  assert.equal((await victim.get(fixation.callback)).status, 303);
  assert.notEqual(sessionCookie(victim), planted);
  const withPlanted = await fetch(`${stack.url}/api/session`, { headers: { 'x-csrf': '1', cookie: `__Host-zai_session=${planted}` } });
  assert.equal(withPlanted.status, 401);
  // The flow cookie only names the browser; the finished transaction is gone from the store.
  assert.equal(query(stack.app, `SELECT count(*) AS n FROM transactions WHERE state_hash = '${sha256hex(fixation.flow.state)}'`)[0].n, 0);
});

test('R23 no code, token, verifier, state, cookie value or client secret of this file appears in any log', async () => {
  const issued = await stack.hub.control.issuedSecrets();
  assert.ok(issued.length >= 20, `hubsim issued ${issued.length} codes and tokens`);
  for (const c of browsers) {
    for (const cookie of c.jar.all()) if (cookie.value.length >= 16) watched.add(cookie.value);
  }
  const enc = (s) => encodeURIComponent(s);
  const secrets = [secret, enc(secret), Buffer.from(`zai_connect:${enc(secret)}`).toString('base64')];
  const logs = stack.logs();
  assert.ok(logs.includes('flow rejected'), 'the logs are there to scan');
  assert.deepEqual(leaked(logs, issued), [], 'issued codes and tokens');
  assert.deepEqual(leaked(logs, [...watched]), [], `states, verifiers, cookies (${watched.size} values)`);
  assert.deepEqual(leaked(logs, secrets), [], 'the client secret');
  // And none reached a browser from zai-connect either (R24 is the same scan for tokens).
  const responses = browsers.map((b) => b.seenFrom(stack.url)).join('\n');
  assert.deepEqual(leaked(responses, [...issued, ...secrets]), []);
});
