// Contract: every REST path hubsim serves answers in the Hub's published shapes, validated
// strictly against $ZAI_SHARED_DOCS/zaikio/hub-api-openapi.json (tests/lib/openapi.mjs), and the
// validator is shown to reject responses that break the schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { obtainTokens } from '../lib/hub-flows.mjs';
import { loadHubSchema } from '../lib/openapi.mjs';

const { ada, dev } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let hub;
let schema;
const tokens = {};

async function get(path, { token, basic } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (basic) headers.authorization = `Basic ${Buffer.from(basic.join(':')).toString('base64')}`;
  const res = await fetch(hub.url + path, { headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

function assertValid(path, method, status, body) {
  const result = schema.validate(path, method, status, body);
  assert.ok(result.valid, `${method.toUpperCase()} ${path}: ${JSON.stringify(result.errors, null, 1)}`);
}

before(async () => {
  hub = await startHubsim({
    args: ['--app-desired-scopes', 'zaikio.person.r,Org.zaikio.organization.r,Org.zaikio.organization_members.r'],
  });
  schema = await loadHubSchema();
  tokens.ada = (await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id })).access_token;
  tokens.dev = (await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: dev.id })).access_token;
  tokens.lindqvist = (await obtainTokens(hub, new HttpClient(), {
    scope: 'Org.zaikio.organization.r,Org.zaikio.organization_members.r', person: ada.id, organization: lindqvist.id,
  })).access_token;
  tokens.nordlicht = (await obtainTokens(hub, new HttpClient(), {
    scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: ada.id,
  })).access_token;
});

after(() => stopCleanly(hub));

for (const suffix of ['', '.json']) {
  test(`GET /api/v1/person${suffix} validates (memberships with nested organisations)`, async () => {
    const res = await get(`/api/v1/person${suffix}`, { token: tokens.ada });
    assert.equal(res.status, 200);
    assert.equal(res.body.id, ada.id);
    assert.equal(res.body.organization_memberships.length, 2);
    assert.equal(res.body.connected, true);
    assertValid('/person', 'get', 200, res.body);
  });

  test(`GET /api/v1/person/organization_memberships${suffix} validates`, async () => {
    const res = await get(`/api/v1/person/organization_memberships${suffix}`, { token: tokens.ada });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.map((m) => m.organization.id).sort(), [lindqvist.id, nordlicht.id].sort());
    assertValid('/person/organization_memberships', 'get', 200, res.body);
  });

  test(`GET /api/v1/organization${suffix} validates (with and without nullable members)`, async () => {
    const a = await get(`/api/v1/organization${suffix}`, { token: tokens.lindqvist });
    assert.equal(a.status, 200);
    assert.equal(a.body.brand_color, '#0a6e5c');
    assertValid('/organization', 'get', 200, a.body);
    const b = await get(`/api/v1/organization${suffix}`, { token: tokens.nordlicht });
    assert.equal(b.status, 200);
    assert.equal(b.body.brand_color, null);
    assertValid('/organization', 'get', 200, b.body);
  });

  test(`GET /api/v1/organization/memberships${suffix} validates`, async () => {
    const res = await get(`/api/v1/organization/memberships${suffix}`, { token: tokens.lindqvist });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 3);
    assertValid('/organization/memberships', 'get', 200, res.body);
  });

  test(`GET /api/v1/roles${suffix} validates in both languages`, async () => {
    for (const lang of ['', '?lang=de', '?lang=en']) {
      const res = await get(`/api/v1/roles${suffix}${lang}`);
      assert.equal(res.status, 200);
      assert.equal(res.body[0].id, 'owner');
      assertValid('/roles', 'get', 200, res.body);
    }
    assert.equal((await get(`/api/v1/roles${suffix}?lang=de`)).body[0].name, 'Eigentümer');
  });

  test(`GET /api/v1/jwt_public_keys${suffix} validates and has only kty, n, e, kid`, async () => {
    const res = await get(`/api/v1/jwt_public_keys${suffix}`);
    assert.equal(res.status, 200);
    assertValid('/jwt_public_keys', 'get', 200, res.body);
    assert.deepEqual(Object.keys(res.body.keys[0]), ['kty', 'n', 'e', 'kid']);
  });

  test(`GET /api/v1/connections${suffix} validates, with pagination headers`, async () => {
    const res = await get(`/api/v1/connections${suffix}?per_page=2`, { basic: ['zai_connect', hub.secret] });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 2);
    assertValid('/connections', 'get', 200, res.body);
    assert.equal(res.headers.get('current-page'), '1');
    assert.ok(Number(res.headers.get('total-count')) >= 4);
    assert.match(res.headers.get('link'), /rel="next"/);
  });
}

test('GET /api/v1/person validates for someone in 1,000 organisations', async () => {
  const res = await get('/api/v1/person', { token: tokens.dev });
  assert.equal(res.status, 200);
  assert.equal(res.body.organization_memberships.length, 1000);
  assert.equal(res.body.unit_system, 'imperial');
  assertValid('/person', 'get', 200, res.body);
});

test('POST and GET /api/v1/revoked_access_tokens validate', async () => {
  const client = new HttpClient();
  for (const suffix of ['', '.json']) {
    const token = (await obtainTokens(hub, client, { scope: 'zaikio.person.r', person: ada.id })).access_token;
    const res = await fetch(`${hub.url}/api/v1/revoked_access_tokens${suffix}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 201);
    const body = await res.json();
    assertValid('/revoked_access_tokens', 'post', 201, body);
    const list = await get(`/api/v1/revoked_access_tokens${suffix}`);
    assert.equal(list.status, 200);
    assert.ok(list.body.revoked_token_ids.includes(body.access_token_id));
    assertValid('/revoked_access_tokens', 'get', 200, list.body);
  }
});

test('the validator rejects responses that break the schema (the check can fail)', async () => {
  const good = (await get('/api/v1/person', { token: tokens.ada })).body;
  assertValid('/person', 'get', 200, good);
  const broken = {
    'a required member is missing': (p) => { delete p.email; },
    'an extra member': (p) => { p.granted_oauth_scopes = []; },
    'a value outside the enum': (p) => { p.locale = 'fr'; },
    'null where it is not nullable': (p) => { p.full_name = null; },
    'a wrong type': (p) => { p.email_confirmed = 'yes'; },
    'not a UUID': (p) => { p.id = 'ABC'; },
    'not a date-time': (p) => { p.created_at = 'yesterday'; },
    'a nested organisation without kinds': (p) => { p.organization_memberships[0].organization.kinds = []; },
    'a nested brand colour that is not #rrggbb': (p) => { p.organization_memberships[0].organization.brand_color = 'red'; },
    'a membership with an extra member (merged allOf)': (p) => { p.organization_memberships[0].extra = 1; },
  };
  for (const [what, mutate] of Object.entries(broken)) {
    const copy = structuredClone(good);
    mutate(copy);
    assert.equal(schema.validate('/person', 'get', 200, copy).valid, false, `accepted ${what}`);
  }
  const keys = (await get('/api/v1/jwt_public_keys')).body;
  keys.keys[0].alg = 'RS256';
  assert.equal(schema.validate('/jwt_public_keys', 'get', 200, keys).valid, false, 'accepted a key with alg');
});
