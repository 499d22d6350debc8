// security.md §A (R1–R10): starting a sign-in or an install, over real HTTP against real hubsim
// and zai-connect processes. Each start stores its own transaction; what the Hub is asked for
// (redirect URI, scopes, PKCE) comes from configuration alone; an install starts only for an
// admin the Hub confirms at that moment; return paths never leave the app.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import {
  cookieAttributes, hubLeg, lastSeq, pendingVerifiers, query, rawRequest, refusesToStart, sessionCookie, sha256hex, startFlow,
} from './security_support.mjs';

const { ada, bruno, chiara, emil } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const base64url43 = /^[A-Za-z0-9_-]{43}$/;

let stack;

before(async () => {
  // Requests from 127.0.0.1 come from a "trusted proxy": even its X-Forwarded-* must not steer flows (R4).
  stack = await startStack({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
});
after(async () => {
  await stack?.stop();
});

const transactionCount = () => query(stack.app, 'SELECT count(*) AS n FROM transactions')[0].n;
const loginUrl = (returnTo) => `${stack.url}/login${returnTo === undefined ? '' : `?return_to=${encodeURIComponent(returnTo)}`}`;

async function nonceOf(client) {
  return (await stack.api(client, '/api/session')).body.action_nonce;
}

/** Finishes a started flow as `person` in the same browser; resolves with zai-connect's callback response. */
async function finish(client, flow, options) {
  const leg = await hubLeg(stack.hub.url, client, flow.authorizeUrl, options);
  assert.ok(leg.location?.startsWith(`${stack.url}/oauth/zaikio/callback?`), `the Hub sent the browser back: ${leg.location ?? leg.response.status}`);
  return client.get(leg.location);
}

/** zai-connect refuses to start with these settings added. */
const refuses = (env, pattern) => refusesToStart(stack.hub.url, env, pattern);

test('R1 each start stores its own transaction (state, verifier, intent, organisation, return path); two starts share nothing', async () => {
  const c = stack.client();
  const a = await startFlow(c, loginUrl('/a'));
  const b = await startFlow(c, loginUrl('/b'));
  assert.equal(a.res.status, 302);
  assert.equal(b.res.status, 302);
  assert.notEqual(a.state, b.state);
  assert.notEqual(a.challenge, b.challenge);

  const rows = query(stack.app, `SELECT * FROM transactions WHERE state_hash IN ('${sha256hex(a.state)}', '${sha256hex(b.state)}') ORDER BY return_path`);
  assert.equal(rows.length, 2, 'one server-side record per start, found by the hash of its state');
  assert.deepEqual(rows.map((r) => [r.intent, r.return_path, r.organization_id]), [['sign_in', '/a', ''], ['sign_in', '/b', '']]);
  assert.equal(rows[0].browser_hash, rows[1].browser_hash, 'both bound to this browser');
  assert.notEqual(rows[0].code_verifier, rows[1].code_verifier);
  for (const r of rows) assert.ok(Math.abs(r.created_at - Date.now() / 1000) < 30, 'created_at is now');

  // Finishing them in the opposite order: each lands where its own transaction says.
  assert.equal((await finish(c, b, { person: ada.id })).headers.get('location'), '/b');
  assert.equal((await finish(c, a, { person: ada.id })).headers.get('location'), '/a');

  const install = await startFlow(c, `${stack.url}/install?organization_id=${lindqvist.id}&nonce=${await nonceOf(c)}`);
  assert.equal(install.res.status, 302);
  const [row] = query(stack.app, `SELECT * FROM transactions WHERE state_hash = '${sha256hex(install.state)}'`);
  assert.equal(row.intent, 'install');
  assert.equal(row.organization_id, lindqvist.id);
  assert.equal(row.person_id, ada.id);
  assert.equal(row.session_hash, sha256hex(sessionCookie(c)), 'bound to the session that started it');
  assert.equal(row.return_path, `/organizations/${lindqvist.id}`);
});

test('R2 state: 43 base64url characters (256 random bits), no repeats over 1,000 starts via HTTP', async () => {
  // 10,000 draws of the same generator are checked in tests/common (R2 random tokens); over HTTP a
  // thousand starts cover the route. One flow cookie keeps the browser's pending list short.
  const cookie = `__Host-zai_flow=${randomBytes(32).toString('base64url')}`;
  const states = new Set();
  const challenges = new Set();
  let next = 0;
  const worker = async () => {
    while (next < 1000) {
      next++;
      const r = await fetch(loginUrl(), { redirect: 'manual', headers: { cookie } });
      assert.equal(r.status, 302);
      const q = new URL(r.headers.get('location')).searchParams;
      assert.match(q.get('state'), base64url43);
      states.add(q.get('state'));
      challenges.add(q.get('code_challenge'));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  assert.equal(states.size, 1000, 'no state repeated');
  assert.equal(challenges.size, 1000, 'no PKCE challenge repeated');
});

test('R3 PKCE S256 on sign-in and install: 43-character challenge of a 43–128 character verifier, checked by the Hub; plain never sent', async () => {
  const c = stack.client();
  const seq = await lastSeq(stack.hub);
  const login = await startFlow(c, loginUrl());
  await finish(c, login, { person: ada.id });
  const install = await startFlow(c, `${stack.url}/install?organization_id=${nordlicht.id}&nonce=${await nonceOf(c)}`);
  for (const flow of [login, install]) {
    assert.equal(flow.params.get('code_challenge_method'), 'S256');
    assert.match(flow.challenge, base64url43);
  }
  // The verifier never leaves zai-connect except to the token endpoint: read it from the store with the key.
  const pending = pendingVerifiers(stack.app).find((t) => t.stateHash === sha256hex(install.state));
  assert.match(pending.verifier, /^[A-Za-z0-9._~-]{43,128}$/);
  assert.equal(createHash('sha256').update(pending.verifier).digest('base64url'), install.challenge, 'challenge = BASE64URL(SHA256(verifier))');
  assert.equal((await finish(c, install)).status, 303);

  const log = await stack.hub.control.requests(seq);
  assert.deepEqual(log.filter((r) => r.path === '/oauth/authorize' && r.client_id === 'zai_connect').map((r) => r.code_challenge_method), ['S256', 'S256']);
  const exchanges = log.filter((r) => r.grant_type === 'authorization_code');
  assert.equal(exchanges.length, 2);
  for (const e of exchanges) {
    assert.equal(e.status, 200, 'hubsim accepted the verifier against the S256 challenge');
    assert.ok(e.params.includes('code_verifier'));
  }
  const all = await stack.hub.control.requests();
  assert.ok(all.filter((r) => r.path === '/oauth/authorize').every((r) => r.code_challenge_method === 'S256'), 'no start in this file sent plain');
});

test('R4 redirect_uri comes from configuration: spoofed Host and X-Forwarded-* (even from a trusted proxy) change nothing', async () => {
  const expected = `${stack.url}/oauth/zaikio/callback`;
  const spoofs = [
    {},
    { host: 'evil.example' },
    { host: 'evil.example:443', 'x-forwarded-proto': 'https' },
    { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' },
    { forwarded: 'for=1.2.3.4;host=evil.example;proto=https' },
    { 'x-forwarded-prefix': '/evil', 'x-original-url': '//evil.example/', 'x-rewrite-url': '//evil.example/' },
  ];
  for (const headers of spoofs) {
    const res = await rawRequest(stack.url, '/login', { headers });
    assert.equal(res.status, 302, JSON.stringify(headers));
    const authorizeUrl = new URL(res.headers.location);
    assert.equal(authorizeUrl.searchParams.get('redirect_uri'), expected, JSON.stringify(headers));
    assert.equal(`${authorizeUrl.origin}${authorizeUrl.pathname}`, `${stack.hub.url}/oauth/authorize`);
  }
  // The code exchange repeats the configured URL, not one derived from the callback request.
  const c = stack.client();
  const seq = await lastSeq(stack.hub);
  const flow = await startFlow(c, loginUrl());
  const leg = await hubLeg(stack.hub.url, c, flow.authorizeUrl, { person: bruno.id });
  const callback = new URL(leg.location);
  const res = await rawRequest(stack.url, callback.pathname + callback.search, {
    headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', cookie: c.jar.header(stack.url) },
  });
  assert.equal(res.status, 303);
  const [exchange] = (await stack.hub.control.requests(seq)).filter((r) => r.grant_type === 'authorization_code');
  assert.equal(exchange.redirect_uri, expected);
});

test('R5 only the configured minimum scopes: the person scope at sign-in, Org/<chosen id> scopes at install', async () => {
  const c = stack.client();
  const login = await startFlow(c, loginUrl());
  assert.equal(login.params.get('scope'), 'directory.person.r', 'HUB_PERSON_SCOPES default');
  await finish(c, login, { person: ada.id });
  const nonce = await nonceOf(c);
  const chosen = await startFlow(c, `${stack.url}/install?organization_id=${lindqvist.id}&nonce=${nonce}`);
  assert.equal(chosen.params.get('scope'), `Org/${lindqvist.id}.directory.organization.r`);
  const open = await startFlow(c, `${stack.url}/install?nonce=${nonce}`);
  assert.equal(open.params.get('scope'), 'Org.directory.organization.r', 'without an id the Hub lets the admin choose');
});

test('R6 the Hub endpoints are fixed by HUB_URL, which must be a bare https origin (http only on loopback)', async () => {
  const res = await rawRequest(stack.url, '/login', { headers: { host: 'hub.evil.example' } });
  assert.ok(res.headers.location.startsWith(`${stack.hub.url}/oauth/authorize?`));
  await refuses({ HUB_URL: 'http://hub.example.com' }, /HUB_URL may use http:\/\/ only for 127\.0\.0\.1/);
  await refuses({ HUB_URL: 'https://hub.example.com/other/path' }, /HUB_URL must be an origin/);
  await refuses({ HUB_URL: 'https://user:pw@hub.example.com' }, /HUB_URL must be an origin/);
  await refuses({ HUB_URL: 'https://hub.example.com?x=1' }, /HUB_URL must be an origin/);
  await refuses({ HUB_URL: 'hub.example.com' }, /HUB_URL must be an absolute/);
});

test('R7 install needs a session, a UUID and an admin the Hub confirms now; otherwise 401/400/403 and no redirect', async () => {
  const anonymous = stack.client();
  const people = {};
  for (const p of [bruno, chiara, emil]) {
    people[p.id] = stack.client();
    await stack.signIn(people[p.id], p.id);
  }
  const seq = await lastSeq(stack.hub);
  const installAs = async (client, organizationId) => {
    const q = new URLSearchParams({ nonce: (await nonceOf(client)) ?? '' });
    if (organizationId !== undefined) q.set('organization_id', organizationId);
    return client.get(`${stack.url}/install?${q}`);
  };
  const refused = [
    ['no session', await anonymous.get(`${stack.url}/install?organization_id=${lindqvist.id}`), 401, 'unauthenticated'],
    ['not a UUID', await installAs(people[chiara.id], 'lindqvist'), 400, 'invalid_organization_id'],
    ['a path', await installAs(people[chiara.id], `../${lindqvist.id}`), 400, 'invalid_organization_id'],
    ['a plain member', await installAs(people[chiara.id], lindqvist.id), 403, 'not_an_admin'],
    ['not a member', await installAs(people[chiara.id], nordlicht.id), 403, 'not_a_member'],
    ['in no organisation, Hub to choose', await installAs(people[emil.id]), 403, 'not_an_admin'],
  ];
  // Bruno's session snapshot says admin; the Hub says member since a moment ago.
  await stack.hub.control.setRoles(bruno.id, lindqvist.id, ['member']);
  try {
    refused.push(['an admin demoted at the Hub just now', await installAs(people[bruno.id], lindqvist.id), 403, 'not_an_admin']);
  } finally {
    await stack.hub.control.setRoles(bruno.id, lindqvist.id, ['admin']);
  }
  for (const [name, res, status, code] of refused) {
    assert.equal(res.status, status, name);
    assert.equal(res.location, undefined, `${name}: no redirect`);
    assert.match(res.body, new RegExp(`data-error-code="${code}"`), name);
  }
  const log = await stack.hub.control.requests(seq);
  assert.deepEqual(log.filter((r) => r.path.startsWith('/oauth/')), [], 'the Hub saw no authorize or token request');
  assert.equal(log.filter((r) => r.path === '/api/v1/person').length, 4, 'each membership decision read the person from the Hub');

  const admitted = await installAs(people[bruno.id], lindqvist.id);
  assert.equal(admitted.status, 302, 'once the Hub says admin again, the install starts');
  assert.ok(admitted.location.startsWith(`${stack.hub.url}/oauth/authorize?`));
});

test('R8 parallel starts in several tabs each complete', async () => {
  const c = stack.client();
  const first = await startFlow(c, loginUrl('/tab0'));
  const others = await Promise.all([1, 2, 3].map((i) => startFlow(c, loginUrl(`/tab${i}`))));
  const tabs = [first, ...others];
  for (const i of [2, 0, 3, 1]) {
    const res = await finish(c, tabs[i], { person: ada.id });
    assert.equal(res.status, 303, `tab ${i}: ${res.body.slice(0, 200)}`);
    assert.equal(res.headers.get('location'), `/tab${i}`);
  }
});

test('R8 beyond MAX_PENDING_TRANSACTIONS (5) pending starts in one browser, the oldest is dropped', async () => {
  const c = stack.client();
  const tabs = [];
  for (let i = 0; i < 6; i++) tabs.push(await startFlow(c, loginUrl(`/tab${i}`)));
  const browser = c.jar.get('__Host-zai_flow').value;
  const rows = query(stack.app, `SELECT return_path FROM transactions WHERE browser_hash = '${sha256hex(browser)}' ORDER BY return_path`);
  assert.deepEqual(rows.map((r) => r.return_path), ['/tab1', '/tab2', '/tab3', '/tab4', '/tab5']);
  const seq = await lastSeq(stack.hub);
  const dropped = await finish(c, tabs[0], { person: ada.id });
  assert.equal(dropped.status, 400);
  assert.match(dropped.body, /data-error-code="flow_state_unknown"/);
  assert.deepEqual((await stack.hub.control.requests(seq)).filter((r) => r.path === '/oauth/access_token'), [], 'no code exchange for it');
  assert.equal((await finish(c, tabs[5], { person: ada.id })).headers.get('location'), '/tab5');
  assert.equal((await finish(c, tabs[1], { person: ada.id })).headers.get('location'), '/tab1');
});

test('R9 the flow cookie: __Host- prefix, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain, Max-Age at most 15 minutes', async () => {
  const res = await fetch(loginUrl(), { redirect: 'manual' });
  const cookies = res.headers.getSetCookie();
  assert.equal(cookies.length, 1);
  const { name, value, attrs } = cookieAttributes(cookies[0]);
  assert.equal(name, '__Host-zai_flow');
  assert.match(value, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(Object.keys(attrs).sort(), ['httponly', 'max-age', 'path', 'samesite', 'secure']);
  assert.equal(attrs.path, '/');
  assert.equal(attrs.samesite, 'Lax', 'must survive the top-level return from the Hub');
  assert.ok(Number(attrs['max-age']) > 0 && Number(attrs['max-age']) <= 900, attrs['max-age']);
  // The cookie names the browser only: the state and the verifier stay on the server.
  assert.ok(!cookies[0].includes(new URL(res.headers.get('location')).searchParams.get('state')));
  await refuses({ TRANSACTION_SECONDS: '901' }, /TRANSACTION_SECONDS must be between 1 and 900/);
});

// Shapes of known open-redirect bypasses (scheme-relative URLs, backslashes, whitespace and
// control characters that browsers drop, percent-encoded variants, schemes, header splitting),
// written for this project; each is the decoded value of return_to.
const leaving = [
  'https://evil.example', 'http://evil.example/x', 'HTTPS://EVIL.EXAMPLE', 'ftp://evil.example', 'http:evil.example',
  'https:/evil.example', 'https:\\\\evil.example', 'https:%2F%2Fevil.example',
  '//evil.example', '//evil.example/path', '///evil.example', '////evil.example', '//evil.example:443', '//127.0.0.1:1/',
  '//[::1]/', '//user@evil.example', '//%65vil.example', '//evil.example\\@app.example',
  '/\\evil.example', '\\/evil.example', '\\\\evil.example', '\\evil.example', '/\\/evil.example', '/\\\\evil.example', '/a\\b',
  '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/\r\n/evil.example', '/ /evil.example', '/\t\t/evil.example',
  '/\x0b/evil.example', '/\x0c/evil.example', '/\x00/evil.example', '\t//evil.example', ' //evil.example', ' /path', '/x\x7f',
  '/path\r\nSet-Cookie: stolen=1', '/path\r\nLocation: https://evil.example', '/path\nx',
  '/%2F/evil.example', '/%2f%2fevil.example', '/%5C/evil.example', '/%5cevil.example', '/%5C%5Cevil.example',
  '/%09/evil.example', '/%0A/evil.example', '/%0d%0a/evil.example', '/%0D%0ASet-Cookie:%20a=b', '%2F%2Fevil.example',
  '/%00', '/%', '/%zz', '/%2', '/%E0%A4%A',
  'javascript:alert(1)', 'JavaScript:alert(document.cookie)', ' javascript:alert(1)', 'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'mailto:x@evil.example',
  'evil.example', 'evil.example/path', '.evil.example', '@evil.example', '?next=/', '#/', 'organizations', '~/x',
  `/${'a'.repeat(2048)}`,
];
const staying = [
  '/', `/organizations/${lindqvist.id}`, '/a/b?c=d&e=f', '/x#frag', '/a//b', '/%20/x', '/@evil.example', '/.evil.example',
  '/x:y', '/%252F%252Fevil.example', '/search?q=https://evil.example',
];

test(`R10 /login refuses all ${leaving.length} return paths that could leave the app, before any transaction`, async () => {
  const seq = await lastSeq(stack.hub);
  const count = transactionCount();
  for (const value of leaving) {
    const res = await fetch(loginUrl(value), { redirect: 'manual' });
    const body = await res.text();
    assert.equal(res.status, 400, JSON.stringify(value));
    assert.equal(res.headers.get('location'), null, JSON.stringify(value));
    assert.deepEqual(res.headers.getSetCookie(), [], JSON.stringify(value));
    assert.match(body, /data-error-code="invalid_return_path"/, JSON.stringify(value));
  }
  // The same value given twice, in either order, is judged by the one that is stored.
  for (const q of ['return_to=%2F%2Fevil.example&return_to=%2Fok', 'return_to=%2Fok&return_to=%2F%2Fevil.example']) {
    const res = await fetch(`${stack.url}/login?${q}`, { redirect: 'manual' });
    if (res.status === 302) {
      const [row] = query(stack.app, `SELECT return_path FROM transactions WHERE state_hash = '${sha256hex(new URL(res.headers.get('location')).searchParams.get('state'))}'`);
      assert.equal(row.return_path, '/ok', q);
    } else {
      assert.equal(res.status, 400, q);
    }
  }
  assert.ok(transactionCount() <= count + 2, 'refused starts store nothing');
  assert.deepEqual(await stack.hub.control.requests(seq), [], 'nothing reached the Hub');
});

test(`R10 the ${staying.length} local paths are kept in the transaction and are where sign-in lands; a return_to on the callback is ignored`, async () => {
  for (const path of staying) {
    const c = stack.client();
    const flow = await startFlow(c, loginUrl(path));
    assert.equal(flow.res.status, 302, path);
    const leg = await hubLeg(stack.hub.url, c, flow.authorizeUrl, { person: ada.id });
    const callback = `${leg.location}&return_to=${encodeURIComponent('https://evil.example/')}`;
    const res = await c.get(callback);
    assert.equal(res.status, 303, path);
    assert.equal(res.headers.get('location'), path, 'the stored path, verbatim');
    assert.equal(new URL(res.headers.get('location'), stack.url).origin, stack.url);
  }
});
