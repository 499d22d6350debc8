// The shared Node helpers themselves (tests/lib): the cookie jar's browser rules, redirect
// following, process start/stop, and the OpenAPI → JSON Schema conversion. Everyone's
// integration tests stand on these, so they get their own checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { CookieJar, HttpClient, isSecureOrigin } from '../lib/http.mjs';
import { startProcess } from '../lib/procs.mjs';
import { makeAjv, toJsonSchema } from '../lib/openapi.mjs';

const local = 'http://127.0.0.1:8080';

test('loopback http counts as a secure origin, like Chromium', () => {
  assert.ok(isSecureOrigin('http://127.0.0.1:1/x'));
  assert.ok(isSecureOrigin('http://127.3.4.5/'));
  assert.ok(isSecureOrigin('http://localhost:3000/'));
  assert.ok(isSecureOrigin('https://example.org/'));
  assert.equal(isSecureOrigin('http://example.org/'), false);
  assert.equal(isSecureOrigin('http://10.0.0.1/'), false);
});

test('cookie jar: __Host- and Secure cookies over http://127.0.0.1 are kept and sent', () => {
  const jar = new CookieJar();
  assert.ok(jar.set(`${local}/login`, '__Host-zai_session=abc; Path=/; Secure; HttpOnly; SameSite=Lax'));
  assert.ok(jar.set(`${local}/app/login`, 'plain=1'));
  assert.equal(jar.header(`${local}/api/session`), '__Host-zai_session=abc');
  assert.equal(jar.header(`${local}/app/other`), 'plain=1; __Host-zai_session=abc', 'longer paths first');
  assert.equal(jar.get('__Host-zai_session').httpOnly, true);
  assert.equal(jar.get('__Host-zai_session').sameSite, 'Lax');
  // Ports do not separate cookies: another server on 127.0.0.1 sees them too.
  assert.match(jar.header('http://127.0.0.1:8081/'), /__Host-zai_session=abc/);
});

test('cookie jar: prefix rules and insecure origins are enforced', () => {
  const jar = new CookieJar();
  assert.equal(jar.set(`${local}/`, '__Host-a=1; Path=/'), false, '__Host- without Secure');
  assert.equal(jar.set(`${local}/`, '__Host-a=1; Secure'), false, '__Host- without Path=/');
  assert.equal(jar.set(`${local}/`, '__Host-a=1; Secure; Path=/x'), false, '__Host- with another path');
  assert.equal(jar.set(`${local}/`, '__Host-a=1; Secure; Path=/; Domain=127.0.0.1'), false, '__Host- with Domain');
  assert.equal(jar.set(`${local}/`, '__Secure-b=1'), false, '__Secure- without Secure');
  assert.equal(jar.set('http://example.org/', 's=1; Secure'), false, 'Secure from an insecure origin');
  assert.ok(jar.set('https://example.org/', 's=1; Secure'));
  assert.equal(jar.header('http://example.org/'), undefined, 'Secure cookies are not sent over insecure http');
  assert.equal(jar.header('https://example.org/'), 's=1');
  assert.equal(jar.set(`${local}/`, 'x=1; Domain=example.org'), false, 'a foreign Domain');
});

test('cookie jar: paths, expiry, deletion, host-only', () => {
  const jar = new CookieJar();
  const now = 1_000_000;
  jar.set(`${local}/app/page`, 'scoped=1', now);
  jar.set(`${local}/`, 'root=1; Path=/', now);
  jar.set(`${local}/`, 'short=1; Max-Age=10', now);
  assert.equal(jar.header(`${local}/app/x`, now), 'scoped=1; root=1; short=1');
  assert.equal(jar.header(`${local}/application`, now), 'root=1; short=1', '/app does not match /application');
  assert.equal(jar.header(`${local}/`, now + 11_000), 'root=1', 'Max-Age expired');
  jar.set(`${local}/`, 'root=; Path=/; Max-Age=0', now);
  assert.equal(jar.header(`${local}/`, now), undefined, 'Max-Age=0 deletes');
  jar.set('http://a.example/', 'h=1', now);
  assert.equal(jar.header('http://b.a.example/', now), undefined, 'host-only');
});

test('HttpClient.follow records every redirect and keeps cookies along the way', async () => {
  const server = createServer((req, res) => {
    if (req.url === '/start') return res.writeHead(302, { location: '/next', 'set-cookie': '__Host-t=1; Path=/; Secure' }).end();
    if (req.url === '/next' && req.method === 'GET') return res.writeHead(303, { location: '/done' }).end();
    if (req.url === '/post') return res.writeHead(303, { location: '/done' }).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`cookie=${req.headers.cookie ?? ''} method=${req.method}`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const client = new HttpClient();
    const { response, chain } = await client.follow(`${base}/start`);
    assert.deepEqual(chain.map((r) => r.status), [302, 303, 200]);
    assert.equal(chain[0].location, `${base}/next`);
    assert.equal(response.body, 'cookie=__Host-t=1 method=GET');
    const posted = await client.follow(`${base}/post`, { method: 'POST', form: { a: '1' } });
    assert.equal(posted.response.body, 'cookie=__Host-t=1 method=GET', '303 after POST becomes GET');
    const stopped = await client.follow(`${base}/start`, {}, { stopAt: (url) => url.endsWith('/next') });
    assert.equal(stopped.stoppedAt, `${base}/next`);
    assert.equal(stopped.chain.length, 1);
  } finally {
    server.close();
  }
});

test('startProcess waits for the ready line, keeps the output, stops with SIGTERM', async () => {
  const script = "console.log('warming up'); setTimeout(() => console.log('listening on http://127.0.0.1:1'), 100);"
    + " process.on('SIGTERM', () => { console.error('bye'); process.exit(0); }); setInterval(() => {}, 1000);";
  const p = await startProcess({ command: process.execPath, args: ['-e', script], name: 'demo' });
  assert.equal(p.match[1], 'http://127.0.0.1:1');
  assert.match(p.logs(), /warming up/);
  const result = await p.stop();
  assert.deepEqual(result, { code: 0, signal: null });
  assert.match(p.stderr(), /bye/);

  await assert.rejects(
    startProcess({ command: process.execPath, args: ['-e', "console.log('no luck'); process.exit(3)"], name: 'quitter' }),
    /quitter exited \(code 3/);
  await assert.rejects(
    startProcess({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], name: 'mute', timeoutMs: 300 }),
    /mute did not print/);
});

test('openapi conversion: nullable, allOf merging, Ruby anchors', () => {
  const ajv = makeAjv();
  const nullable = ajv.compile(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] }));
  assert.ok(nullable(null) && nullable('a') && !nullable('b'));
  const onlyNull = ajv.compile(toJsonSchema({ anyOf: [{ type: 'object', properties: { x: { type: 'string' } }, required: ['x'], additionalProperties: false }, { nullable: true }] }));
  assert.ok(onlyNull(null) && onlyNull({ x: 'y' }) && !onlyNull('anything') && !onlyNull({}));
  const merged = ajv.compile(toJsonSchema({
    allOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
      { type: 'object', properties: { b: { type: 'integer' } }, required: ['b'], additionalProperties: false },
    ],
  }));
  assert.ok(merged({ a: 'x', b: 1 }));
  assert.ok(!merged({ a: 'x' }) && !merged({ a: 'x', b: 1, c: 2 }));
  const color = ajv.compile(toJsonSchema({ type: 'string', pattern: '^\\A#?(?:[0-9a-fA-F]{3}){1,2}\\z$' }));
  assert.ok(color('#0a6e5c') && color('fff') && !color('#0a6e5cx') && !color('red'));
});
