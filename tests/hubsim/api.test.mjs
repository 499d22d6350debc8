// The REST API's checks over real HTTP, like zaikio-jwt_auth (zaikio-hub.md §5.3): missing or
// malformed bearer, expired, tampered, foreign-signed and revoked tokens, subject type, scope;
// /connections with HTTP Basic and pagination.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, createSign } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { decodeJwt, obtainTokens } from '../lib/hub-flows.mjs';

const { ada, bruno } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let hub;
let person;
let organization;
before(async () => {
  hub = await startHubsim();
  person = await obtainTokens(hub, new HttpClient(), { scope: 'directory.person.r', person: ada.id });
  organization = await obtainTokens(hub, new HttpClient(), { scope: 'Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id });
});
after(() => stopCleanly(hub));

async function call(path, authorization, method = 'GET') {
  const res = await fetch(hub.url + path, { method, headers: authorization ? { authorization } : {} });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

test('no or malformed Authorization → 401 no_jwt_passed', async () => {
  for (const auth of [undefined, `bearer ${person.access_token}`, `Bearer  ${person.access_token}`, 'Bearer', `Basic ${person.access_token}`]) {
    const res = await call('/api/v1/person', auth);
    assert.equal(res.status, 401, String(auth).slice(0, 20));
    assert.deepEqual(res.body, { errors: ['no_jwt_passed'] });
  }
});

test('a token that does not verify → 403 invalid_jwt (tampered, foreign key, garbage)', async () => {
  const { header, payload } = decodeJwt(person.access_token);
  const [h, , s] = person.access_token.split('.');
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: `Person/${bruno.id}` })).toString('base64url')}.${s}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const foreign = `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  const unknownKid = `${Buffer.from(JSON.stringify({ ...header, kid: 'f'.repeat(64) })).toString('base64url')}.${person.access_token.split('.').slice(1).join('.')}`;

  for (const [what, token] of Object.entries({ tampered, foreign, unknownKid, garbage: 'abc.def.ghi' })) {
    const res = await call('/api/v1/person', `Bearer ${token}`);
    assert.equal(res.status, 403, what);
    assert.deepEqual(res.body, { errors: ['invalid_jwt'] }, what);
  }
});

test('the wrong subject type → 403 unpermitted_subject', async () => {
  const a = await call('/api/v1/organization', `Bearer ${person.access_token}`);
  assert.equal(a.status, 403);
  assert.equal(a.body.errors[0], 'unpermitted_subject');
  assert.match(a.body.errors[1], /Expected Subject Type: Organization \| Subject type from Access Token: Person/);
  const b = await call('/api/v1/person', `Bearer ${organization.access_token}`);
  assert.deepEqual([b.status, b.body.errors[0]], [403, 'unpermitted_subject']);
});

test('a missing scope → 403 unpermitted_scope', async () => {
  const res = await call('/api/v1/organization/memberships', `Bearer ${organization.access_token}`);
  assert.equal(res.status, 403);
  assert.equal(res.body.errors[0], 'unpermitted_scope');
  assert.match(res.body.errors[1], /zaikio\.organization_members\.r/);
});

test('directory.* scopes count as zaikio.* (the alias is on by default)', async () => {
  assert.equal(person.scope, 'directory.person.r');
  const res = await call('/api/v1/person', `Bearer ${person.access_token}`);
  assert.equal(res.status, 200);
  assert.equal(res.body.id, ada.id);
});

test('an expired token → 403 jwt_expired', async () => {
  await hub.control.setLifetimes({ access_token: 1 });
  try {
    const short = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
    await new Promise((r) => setTimeout(r, 2100));
    const res = await call('/api/v1/person', `Bearer ${short.access_token}`);
    assert.deepEqual([res.status, res.body], [403, { errors: ['jwt_expired'] }]);
  } finally {
    await hub.control.setLifetimes({ access_token: 3600 });
  }
});

test('POST /revoked_access_tokens revokes the presented token: listed, then invalid_jwt', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  const jti = decodeJwt(t.access_token).payload.jti;
  const revoke = await call('/api/v1/revoked_access_tokens.json', `Bearer ${t.access_token}`, 'POST');
  assert.deepEqual([revoke.status, revoke.body], [201, { access_token_id: jti }]);
  assert.ok((await call('/api/v1/revoked_access_tokens')).body.revoked_token_ids.includes(jti));
  assert.deepEqual((await call('/api/v1/person', `Bearer ${t.access_token}`)).body, { errors: ['invalid_jwt'] });
  const twice = await call('/api/v1/revoked_access_tokens', `Bearer ${t.access_token}`, 'POST');
  assert.equal(twice.status, 403);
  assert.equal((await call('/api/v1/revoked_access_tokens', undefined, 'POST')).status, 401);
});

test('GET /connections needs a confidential app\'s HTTP Basic credentials', async () => {
  const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  for (const auth of [undefined, basic('zai_connect', 'wrong'), basic('zai_mobile', ''), `Bearer ${organization.access_token}`]) {
    const res = await call('/api/v1/connections', auth);
    assert.deepEqual([res.status, res.body], [401, { errors: ['unauthorized'] }]);
    assert.match(res.headers.get('www-authenticate'), /^Basic/);
  }
  const ok = await call('/api/v1/connections', basic('zai_connect', hub.secret));
  assert.equal(ok.status, 200);
  assert.ok(ok.body.some((c) => c.connectable_type === 'Organization' && c.connectable_id === lindqvist.id));
  assert.ok(ok.body.every((c) => c.app_name === 'zai_connect'));
});

test('GET /connections: filter, pagination headers, bad page parameters', async () => {
  await obtainTokens(hub, new HttpClient(), { scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: ada.id });
  const auth = `Basic ${Buffer.from(`zai_connect:${hub.secret}`).toString('base64')}`;
  const filtered = await call(`/api/v1/connections?filters%5Bconnectable_id%5D=Organization-${lindqvist.id}`, auth);
  assert.deepEqual(filtered.body.map((c) => c.connectable_id), [lindqvist.id]);
  assert.deepEqual(filtered.body[0].granted_oauth_scopes, ['zaikio.organization.r']);

  const all = await call('/api/v1/connections', auth);
  const total = all.body.length;
  assert.ok(total >= 3);
  const page2 = await call('/api/v1/connections?page=2&per_page=1', auth);
  assert.equal(page2.body.length, 1);
  assert.deepEqual(page2.body[0], all.body[1]);
  assert.equal(page2.headers.get('current-page'), '2');
  assert.equal(page2.headers.get('total-count'), String(total));
  assert.equal(page2.headers.get('total-pages'), String(total));
  const link = page2.headers.get('link');
  for (const rel of ['first', 'prev', 'next', 'last']) assert.match(link, new RegExp(`rel="${rel}"`));
  assert.match(link, new RegExp(`<${hub.url}/api/v1/connections\\?page=3&per_page=1>; rel="next"`));

  for (const q of ['page=0', 'page=x', 'per_page=101', 'per_page=0']) {
    const res = await call(`/api/v1/connections?${q}`, auth);
    assert.equal(res.status, 400, q);
  }
});

test('unknown paths answer 404 in the API\'s error shape', async () => {
  const res = await call('/api/v1/nothing');
  assert.deepEqual([res.status, res.body], [404, { errors: ['not_found'] }]);
});
