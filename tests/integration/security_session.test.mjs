// security.md §E and §F (R37–R45): the session cookie and the session's life, over real HTTP
// against real hubsim and zai-connect processes. Timeouts are seconds long here
// (SESSION_IDLE_SECONDS=4, SESSION_ABSOLUTE_SECONDS=10) so the server's own clock can be watched
// ending sessions; the same rules with a fake clock are in tests/connect/test_policy.cpp (R41).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM, runProcess } from '../lib/procs.mjs';
import { RecordingClient } from '../lib/recording.mjs';
import { startStack } from '../lib/stack.mjs';
import { cookieAttributes, lastSeq, query, sessionCookie, sha256hex } from './security_support.mjs';

const { ada, bruno, chiara, dev } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const idle = 4;
const absolute = 10;

let stack;

before(async () => {
  stack = await startStack({ env: { SESSION_IDLE_SECONDS: String(idle), SESSION_ABSOLUTE_SECONDS: String(absolute) } });
});
after(async () => {
  await stack?.stop();
});

async function signedIn(person, client = stack.client()) {
  await stack.signIn(client, person);
  return client;
}

/** GET /api/session with exactly this Cookie header (or none) and extra headers; { status, body, res }. */
async function sessionWith(cookie, { path = '/api/session', headers = {} } = {}) {
  const res = await fetch(`${stack.url}${path}`, { redirect: 'manual', headers: { 'x-csrf': '1', ...(cookie ? { cookie } : {}), ...headers } });
  return { status: res.status, body: await res.json(), res };
}

const sessionRow = (value) => query(stack.app, `SELECT * FROM sessions WHERE id_hash = '${sha256hex(value)}'`)[0];

test('R37 the session cookie: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', async () => {
  const c = new RecordingClient();
  await stack.signIn(c, ada.id);
  const set = c.responses.filter((r) => r.url.startsWith(stack.url)).flatMap((r) => r.setCookies).filter((h) => h.startsWith('__Host-zai_session='));
  assert.equal(set.length, 1, 'set once, by the callback');
  const { value, attrs } = cookieAttributes(set[0]);
  assert.match(value, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(Object.keys(attrs).sort(), ['httponly', 'max-age', 'path', 'samesite', 'secure']);
  assert.equal(attrs.path, '/');
  assert.equal(attrs.samesite, 'Strict');
  assert.equal(Number(attrs['max-age']), absolute, 'lives no longer than the session can');
});

test('R38 every Set-Cookie stays far below 4096 bytes, even for a person in 1,000 organisations', async () => {
  const c = new RecordingClient();
  await stack.signIn(c, dev.id);
  const view = await stack.api(c, '/api/session');
  assert.equal(view.body.organizations.length, 1000, 'the largest seeded session');
  await stack.install(c, HUBSIM.organizations.scale(10).id);
  await c.post(`${stack.url}/logout`, { headers: { 'x-csrf': '1' } });
  const headers = c.responses.filter((r) => r.url.startsWith(stack.url)).flatMap((r) => r.setCookies);
  assert.ok(headers.length >= 4, `flow, session and clearing cookies seen (${headers.length})`);
  for (const h of headers) assert.ok(Buffer.byteLength(h) <= 256, `${Buffer.byteLength(h)} bytes: ${h.slice(0, 40)}`);
});

test('R39 the session is read from the cookie only; an unknown id is refused, never adopted', async () => {
  const c = await signedIn(ada.id);
  const value = sessionCookie(c);
  assert.equal((await sessionWith(`__Host-zai_session=${value}`)).body.authenticated, true);
  const query = `?session=${value}&__Host-zai_session=${value}`;
  const elsewhere = [
    ['a query parameter', null, { query }],
    ['a bearer header', null, { headers: { authorization: `Bearer ${value}` } }],
    ['a custom header', null, { headers: { 'x-session': value, 'x-session-id': value } }],
    ['a cookie of another name', `zai_session=${value}; __Secure-zai_session=${value}`, {}],
  ];
  for (const [name, cookie, { query: q = '', headers }] of elsewhere) {
    const r = await sessionWith(cookie, { path: `/api/session${q}`, headers });
    assert.equal(r.status, 200, name);
    assert.equal(r.body.authenticated, false, name);
    const org = await sessionWith(cookie, { path: `/api/organizations/${lindqvist.id}${q}`, headers });
    assert.equal(org.status, 401, name);
  }
  // A well-formed id the server never issued: refused and cleared, and no session comes of it.
  const forged = 'Q'.repeat(43);
  const r = await sessionWith(`__Host-zai_session=${forged}`);
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'session_expired');
  assert.match(r.res.headers.getSetCookie().join('\n'), /__Host-zai_session=;.*Max-Age=0/);
  assert.equal(sessionRow(forged), undefined);
});

test('R40 responses that set or depend on the session are no-store', async () => {
  const c = stack.client();
  const seen = [];
  const login = await c.get(`${stack.url}/login`);
  seen.push(['/login', login]);
  const { chain } = await stack.navigate(c, login.location, { person: bruno.id });
  seen.push(['callback', chain.find((r) => r.url.startsWith(`${stack.url}/oauth/zaikio/callback`))]);
  seen.push(['/api/session', (await stack.api(c, '/api/session')).raw]);
  seen.push(['/api/organizations', (await stack.api(c, `/api/organizations/${lindqvist.id}`)).raw]);
  const nonce = (await stack.api(c, '/api/session')).body.action_nonce;
  seen.push(['/install', await c.get(`${stack.url}/install?organization_id=${lindqvist.id}&nonce=${nonce}`)]);
  seen.push(['/install refused', await c.get(`${stack.url}/install?organization_id=${lindqvist.id}`)]);
  seen.push(['/logout', await c.post(`${stack.url}/logout`, { headers: { 'x-csrf': '1' } })]);
  seen.push(['/api/session signed out', (await stack.api(c, '/api/session')).raw]);
  for (const [name, res] of seen) assert.equal(res.headers.get('cache-control'), 'no-store', name);
});

test('R41 idle and absolute timeouts on the server: activity keeps a session past the idle time, idleness ends it, the absolute end wins', async () => {
  const busy = await signedIn(ada.id);
  const resting = await signedIn(bruno.id);
  const busyValue = sessionCookie(busy);
  const restingValue = sessionCookie(resting);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;

  // Both are active for longer than the idle timeout; then one rests.
  while (elapsed() < idle + 1.5) {
    for (const value of [busyValue, restingValue]) assert.equal((await sessionWith(`__Host-zai_session=${value}`)).status, 200, `active at ${elapsed()} s`);
    await sleep(700);
  }
  let busyEnded;
  while (busyEnded === undefined && elapsed() < absolute + 3) {
    const r = await sessionWith(`__Host-zai_session=${busyValue}`);  // sent even after the cookie's Max-Age
    if (r.status === 401) {
      assert.equal(r.body.error.code, 'session_expired');
      assert.equal(r.res.headers.get('location'), null, 'JSON, never a redirect (R42)');
      busyEnded = elapsed();
    } else {
      assert.equal(r.status, 200);
      await sleep(700);
    }
  }
  assert.ok(busyEnded >= absolute - 1.5 && busyEnded <= absolute + 1.5, `the busy session ended at ${busyEnded} s, not at the absolute end`);
  assert.equal(sessionRow(busyValue), undefined, 'and was deleted');
  const r = await sessionWith(`__Host-zai_session=${restingValue}`);
  assert.equal(r.status, 401, 'the resting session ended after its idle time');
  assert.equal(r.body.error.code, 'session_expired');
});

test('R42 /api/session is JSON with the time left, never a redirect, and a passive poll does not count as activity', async () => {
  const anonymous = await sessionWith();
  assert.equal(anonymous.status, 200);
  assert.deepEqual([anonymous.body.authenticated, anonymous.res.headers.get('location')], [false, null]);
  assert.match(anonymous.res.headers.get('content-type'), /^application\/json/);

  const c = await signedIn(chiara.id);
  const value = sessionCookie(c);
  const first = sessionRow(value).last_seen_at;
  await sleep(1300);
  const passive = await sessionWith(`__Host-zai_session=${value}`, { path: '/api/session?passive=1' });
  assert.equal(passive.status, 200);
  assert.ok(passive.body.expires_in > 0 && passive.body.expires_in < idle, `expires_in ${passive.body.expires_in}`);
  assert.equal(sessionRow(value).last_seen_at, first, 'a passive poll leaves last_seen alone');
  assert.equal((await sessionWith(`__Host-zai_session=${value}`)).status, 200);
  assert.ok(sessionRow(value).last_seen_at > first, 'an active call moves it');
  // An ended session is a 401 JSON answer, not a redirect: see R41 above.
});

test('R43 after logout the old cookie is refused', async () => {
  const c = await signedIn(ada.id);
  const value = sessionCookie(c);
  assert.equal((await stack.api(c, '/api/session')).status, 200);
  assert.equal((await c.post(`${stack.url}/logout`, { headers: { 'x-csrf': '1' } })).status, 200);
  const replay = await sessionWith(`__Host-zai_session=${value}`, { path: `/api/organizations/${lindqvist.id}` });
  assert.equal(replay.status, 401);
  assert.equal(sessionRow(value), undefined);
});

test('R44 sign out everywhere ends every session of the person; an operator can end them too', async () => {
  const phone = await signedIn(ada.id);
  const laptop = await signedIn(ada.id);
  const other = await signedIn(bruno.id);
  const res = await phone.post(`${stack.url}/logout?everywhere=1`, { headers: { 'x-csrf': '1' } });
  assert.equal(res.status, 200);
  assert.equal((await stack.api(laptop, '/api/session')).status, 401, 'the other device is signed out too');
  assert.equal((await stack.api(other, '/api/session')).body.person.id, bruno.id, 'another person is not');

  // The operator's command (R44 admin-side termination) on the live database.
  const again = await signedIn(bruno.id);
  const r = await runProcess(process.env.ZAI_CONNECT_BIN, ['end-sessions', bruno.id], {
    env: { HUB_URL: stack.hub.url, HUB_OAUTH_CLIENT_SECRET: 'x', DATA_DIR: stack.app.dataDir, ENCRYPTION_KEY_FILE: stack.app.keyFile, LISTEN: '127.0.0.1:0' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ended 2 session\(s\)/);
  for (const c of [other, again]) assert.equal((await stack.api(c, '/api/session')).status, 401);
});

test('R45 without a session the API answers 401 JSON; only /login sends the browser to the Hub', async () => {
  const c = stack.client();
  const seq = await lastSeq(stack.hub);
  const api = [
    ['GET', `/api/organizations/${lindqvist.id}`],
    ['POST', `/api/organizations/${lindqvist.id}/uninstall`],
  ];
  for (const [method, path] of api) {
    const r = await stack.api(c, path, { method });
    assert.equal(r.status, 401, path);
    assert.equal(r.body.error.code, 'unauthenticated', path);
    assert.equal(r.headers.get('location'), null, path);
  }
  const install = await c.get(`${stack.url}/install?organization_id=${lindqvist.id}`);
  assert.equal(install.status, 401);
  assert.equal(install.location, undefined);
  assert.deepEqual(await stack.hub.control.requests(seq), [], 'the Hub heard nothing');
  const login = await c.get(`${stack.url}/login`);
  assert.equal(login.status, 302);
  assert.ok(login.location.startsWith(`${stack.hub.url}/oauth/authorize?`));
});
