// Running hubsim: --help, refusals with clear messages, signals, TLS with a generated
// certificate, --state across restarts, --seed files and their errors, limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runProcess, startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, buttonValues, decodeJwt, obtainTokens, pendingOf, tokenRequest } from '../lib/hub-flows.mjs';

const bin = process.env.ZAI_HUBSIM_BIN;
const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;
const temp = () => mkdtemp(join(tmpdir(), 'hubsim-test-'));

test('--help lists every option, including the UNCONFIRMED switches', async () => {
  const r = await runProcess(bin, ['--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--port', '--seed', '--state', '--control', '--tls', '--tls-cert', '--app-secret', '--app-redirect-url',
    '--access-token-lifetime', '--state-on-error', '--directory-alias', '--invalid-client-status', '--cc-scope-error-status',
    '--device-error-status', '--revoked-connection-event', '--webhook-retry-ms', '--threads', '--max-body-bytes']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test('refusals: no secret, unknown option, bad value, --tls without --tls-cert — exit 2 with one clear line', async () => {
  const cases = [
    [[], {}, /HUBSIM_APP_SECRET/],
    [['--app-secret', 's', '--bogus'], {}, /unknown option --bogus/],
    [['--app-secret', 's', '--port', 'eighty'], {}, /--port needs a whole number/],
    [['--app-secret', 's', '--port'], {}, /--port needs a value/],
    [['--app-secret', 's', '--control=maybe'], {}, /--control takes on or off/],
    [['--app-secret', 's', '--tls'], {}, /--tls needs --tls-cert/],
    [['--app-secret', 's', '--app-desired-scopes', 'zaikio.person'], {}, /app-desired-scopes/],
    [['--app-secret', 's', '--app-webhook-url', 'http://127.0.0.1:1/x'], {}, /webhook URL but no secret/],
  ];
  for (const [args, env, message] of cases) {
    const r = await runProcess(bin, args, { env: { HUBSIM_APP_SECRET: '', ...env } });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('a port in use → exit 1, saying so', async () => {
  const hub = await startHubsim({ control: false });
  try {
    const r = await runProcess(bin, ['--port', String(hub.port)], { env: { HUBSIM_APP_SECRET: 's' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+/);
  } finally {
    await stopCleanly(hub);
  }
});

test('SIGTERM and SIGINT stop it cleanly (exit 0), even with open keep-alive connections', async () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const hub = await startHubsim({ control: false });
    assert.match(hub.stdout(), /^hubsim listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    await (await fetch(`${hub.url}/api/v1/roles`)).text();
    const started = Date.now();
    hub.child.kill(signal);
    const { code } = await hub.exited;
    assert.equal(code, 0, signal);
    assert.ok(Date.now() - started < 2000, `${signal} took ${Date.now() - started} ms`);
    assert.match(hub.logs(), /hubsim: stopped/);
  }
});

function httpsGet(url, options) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, options, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('R18 --tls: HTTPS with a generated certificate that clients can trust — or refuse', async () => {
  const dir = await temp();
  const certFile = join(dir, 'hubsim.pem');
  const hub = await startHubsim({ args: ['--tls', '--tls-cert', certFile], control: false });
  try {
    assert.match(hub.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(certFile, 'utf8');
    assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
    const ok = await httpsGet(`${hub.url}/api/v1/jwt_public_keys`, { ca });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).keys.length, 1);
    await assert.rejects(httpsGet(`${hub.url}/api/v1/roles`, {}), /self[- ]signed|unable to verify/i);
    const keys = JSON.parse(ok.body);
    assert.ok(keys.keys[0].kid);
  } finally {
    await stopCleanly(hub);
  }
  const wrongHost = await startHubsim({ args: ['--tls', '--tls-cert', certFile, '--tls-hostname', 'hub.example.org'], control: false });
  try {
    const ca = await readFile(certFile, 'utf8');
    await assert.rejects(httpsGet(`${wrongHost.url}/api/v1/roles`, { ca }), /altnames|hostname|IP/i);
  } finally {
    await stopCleanly(wrongHost);
  }
});

test('--state keeps connections, refresh tokens, revocations and keys across a restart', async () => {
  const dir = await temp();
  const stateFile = join(dir, 'state.json');
  const first = await startHubsim({ args: ['--state', stateFile] });
  const client = new HttpClient();
  const org = await obtainTokens(first, client, { scope: 'Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id });
  const revoked = await obtainTokens(first, client, { scope: 'zaikio.person.r', person: ada.id });
  await fetch(`${first.url}/api/v1/revoked_access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${revoked.access_token}` } });
  const kid = decodeJwt(org.access_token).header.kid;
  assert.equal((await first.stop()).code, 0);

  const saved = await readFile(stateFile, 'utf8');
  assert.equal((await stat(stateFile)).mode & 0o777, 0o600, 'it holds private keys');
  for (const secretValue of [org.refresh_token, org.access_token, first.secret]) assert.ok(!saved.includes(secretValue));

  const second = await startHubsim({ args: ['--state', stateFile] });
  try {
    const keys = await (await fetch(`${second.url}/api/v1/jwt_public_keys`)).json();
    assert.deepEqual(keys.keys.map((k) => k.kid), [kid], 'the same signing key');
    const api = await fetch(`${second.url}/api/v1/organization`, { headers: { authorization: `Bearer ${org.access_token}` } });
    assert.equal(api.status, 200, 'a token from before the restart still works');
    const revokedList = await (await fetch(`${second.url}/api/v1/revoked_access_tokens`)).json();
    assert.ok(revokedList.revoked_token_ids.includes(decodeJwt(revoked.access_token).payload.jti));
    const refreshed = await tokenRequest(second.url, { grant_type: 'refresh_token', refresh_token: org.refresh_token }, { basic: ['zai_connect', second.secret] });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const cc = await tokenRequest(second.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` }, { basic: ['zai_connect', second.secret] });
    assert.equal(cc.status, 200);
    assert.equal((await second.control.connections()).length, 2);
  } finally {
    await stopCleanly(second);
  }

  await writeFile(stateFile, '{"version": 1, "keys": [');
  const broken = await runProcess(bin, ['--port', '0', '--state', stateFile], { env: { HUBSIM_APP_SECRET: 's' } });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /state file .* is not a JSON object/);
});

const personA = { id: '11111111-1111-4111-8111-111111111111', first_name: 'Greta', name: 'Berg', email: 'greta@example.org' };
const orgA = { id: '22222222-2222-4222-8222-222222222222', name: 'Zeta <b>&</b> "Co"', kinds: ['publisher'], sections: { publisher: ['brochures'] } };
const seed = () => structuredClone({
  apps: [{ name: 'seeded_app', client_id: 'seeded', client_secret: 'seed-secret', redirect_urls: ['http://127.0.0.1:9999/cb'], desired_scopes: 'zaikio.person.r,Org.zaikio.organization.r' }],
  organizations: [orgA],
  people: [personA],
  memberships: [{ id: '33333333-3333-4333-8333-333333333333', person_id: personA.id, organization_id: orgA.id, roles: ['owner'] }],
  connections: [{ client_id: 'seeded', subject: `Organization/${orgA.id}`, scopes: 'zaikio.organization.r', installed_by: personA.id }],
});

test('--seed replaces the demo data; names are HTML-escaped on the pages', async () => {
  const dir = await temp();
  const file = join(dir, 'seed.json');
  await writeFile(file, JSON.stringify(seed()));
  const hub = await startHubsim({ args: ['--seed', file], env: { HUBSIM_APP_SECRET: '' } });
  try {
    const client = new HttpClient();
    const first = await client.get(`${hub.url}/oauth/authorize?client_id=seeded&scope=Org.zaikio.organization.r`);
    assert.deepEqual(buttonValues(first.body, 'person_id'), [personA.id]);
    const next = await client.follow(`${hub.url}/oauth/authorize/sign_in`, { method: 'POST', form: { pending: pendingOf(first.body), person_id: personA.id } });
    assert.ok(next.response.body.includes('Zeta &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;'));
    assert.ok(!next.response.body.includes('<b>&</b>'));
    const cc = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${orgA.id}.zaikio.organization.r` }, { basic: ['seeded', 'seed-secret'] });
    assert.equal(cc.status, 200, 'seeded connections exist from the start');
    assert.equal((await authorize(hub.url, new HttpClient(), { clientId: 'zai_connect', scope: 'zaikio.person.r' })).response.status, 400);
  } finally {
    await stopCleanly(hub);
  }
});

test('a bad seed file is refused with the member that is wrong', async () => {
  const dir = await temp();
  const cases = [
    [(s) => { s.people[0].nickname = 'x'; }, /people\[0\]: unknown member "nickname"/],
    [(s) => { s.people[0].id = 'ABC'; }, /people\[0\]\.id is not a lower-case UUID/],
    [(s) => { s.memberships[0].roles = ['boss']; }, /unknown role boss/],
    [(s) => { s.memberships[0].organization_id = '44444444-4444-4444-8444-444444444444'; }, /memberships\[0\]\.organization_id is not an organization/],
    [(s) => { delete s.apps[0].client_secret; }, /confidential but has no secret/],
    [(s) => { s.organizations[0].kinds = ['bakery']; }, /unknown kind bakery/],
    [(s) => { s.organizations[0].brand_color = 'red'; }, /brand_color/],
    [(s) => { s.apps[0].desired_scopes = 'zaikio..r'; }, /desired_scopes/],
    [(s) => { s.connections[0].installed_by = '55555555-5555-4555-8555-555555555555'; }, /installed_by is not a person/],
    [(s) => { s.memberships[0].roles = ['member']; }, /installed_by is not owner or admin/],
  ];
  for (const [mutate, message] of cases) {
    const s = seed();
    mutate(s);
    const file = join(dir, 'seed.json');
    await writeFile(file, JSON.stringify(s));
    const r = await runProcess(bin, ['--port', '0', '--seed', file], { env: { HUBSIM_APP_SECRET: '' } });
    assert.equal(r.code, 2, String(message));
    assert.match(r.stderr, message);
  }
  await writeFile(join(dir, 'not.json'), 'apps: []');
  const notJson = await runProcess(bin, ['--port', '0', '--seed', join(dir, 'not.json')], { env: { HUBSIM_APP_SECRET: 's' } });
  assert.match(notJson.stderr, /is not JSON/);
  const missing = await runProcess(bin, ['--port', '0', '--seed', join(dir, 'missing.json')], { env: { HUBSIM_APP_SECRET: 's' } });
  assert.match(missing.stderr, /cannot read seed file/);
});

test('request bodies over --max-body-bytes are refused with 413', async () => {
  const hub = await startHubsim({ args: ['--max-body-bytes', '4096'], control: false });
  try {
    const res = await fetch(`${hub.url}/oauth/access_token`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'x'.repeat(10000) }),
    });
    assert.equal(res.status, 413);
  } finally {
    await stopCleanly(hub);
  }
});
