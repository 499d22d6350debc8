// Access tokens are RS256 JWTs that verify with the published key (checked here with node:crypto,
// which is OpenSSL underneath) and carry the Hub's claims (zaikio-hub.md §5.1); key rotation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { decodeJwt, obtainTokens, tokenRequest } from '../lib/hub-flows.mjs';

const { ada } = HUBSIM.people;
const { lindqvist } = HUBSIM.organizations;

let hub;
before(async () => {
  hub = await startHubsim();
});
after(() => stopCleanly(hub));

const jwks = async () => (await (await fetch(`${hub.url}/api/v1/jwt_public_keys`)).json()).keys;

/** Verifies with OpenSSL (node:crypto) against the published key named by the token's kid. */
function verifies(token, keys) {
  const { header, signature, signingInput } = decodeJwt(token);
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) return false;
  return verify('RSA-SHA256', Buffer.from(signingInput), createPublicKey({ key: jwk, format: 'jwk' }), signature);
}

test('an access token verifies with the published key and carries the Hub\'s claims', async () => {
  const before = Math.floor(Date.now() / 1000);
  const t = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  const keys = await jwks();
  assert.ok(verifies(t.access_token, keys));

  const { header, payload } = decodeJwt(t.access_token);
  const rawHeader = Buffer.from(t.access_token.split('.')[0], 'base64url').toString('utf8');
  assert.equal(rawHeader, `{"kid":"${header.kid}","alg":"RS256"}`, 'header exactly {kid, alg}, no typ');

  // kid = hex SHA-256 of the DER public key.
  const der = createPublicKey({ key: keys.find((k) => k.kid === header.kid), format: 'jwk' }).export({ type: 'spki', format: 'der' });
  assert.equal(header.kid, createHash('sha256').update(der).digest('hex'));

  assert.deepEqual(Object.keys(payload), ['iss', 'sub', 'aud', 'jti', 'nbf', 'exp', 'jku', 'scope']);
  assert.equal(payload.iss, 'ZAI');
  assert.equal(payload.sub, `Person/${ada.id}`);
  assert.deepEqual(payload.aud, ['zai_connect']);
  assert.match(payload.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(payload.nbf >= before - 1 && payload.nbf <= Math.floor(Date.now() / 1000) + 1);
  assert.equal(payload.exp - payload.nbf, t.expires_in);
  assert.equal(payload.jku, `${hub.url}/api/v1/jwt_public_keys`);
  assert.deepEqual(payload.scope, ['zaikio.person.r']);
});

test('an organisation token: sub Organization/<uuid>; client credentials the same', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: `Org/${lindqvist.id}.zaikio.organization.r`, person: ada.id });
  assert.equal(decodeJwt(t.access_token).payload.sub, `Organization/${lindqvist.id}`);
  const cc = await tokenRequest(hub.url, { grant_type: 'client_credentials', scope: `Org/${lindqvist.id}.zaikio.organization.r` },
    { basic: ['zai_connect', hub.secret] });
  assert.ok(verifies(cc.body.access_token, await jwks()));
  assert.deepEqual(decodeJwt(cc.body.access_token).payload.scope, ['zaikio.organization.r']);
});

test('the check can fail: an altered payload or signature does not verify', async () => {
  const t = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  const keys = await jwks();
  const [h, p, s] = t.access_token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  payload.exp += 3600;
  assert.equal(verifies(`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, keys), false);
  const sig = Buffer.from(s, 'base64url');
  sig[5] ^= 1;
  assert.equal(verifies(`${h}.${p}.${sig.toString('base64url')}`, keys), false);
});

test('key rotation: new tokens use the new kid, old tokens keep verifying; drop_old unpublishes', async () => {
  const old = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  const oldKid = decodeJwt(old.access_token).header.kid;
  const rotated = await hub.control.rotateKeys();
  assert.notEqual(rotated.kid, oldKid);
  const keys = await jwks();
  assert.deepEqual(keys.map((k) => k.kid), [rotated.kid, oldKid], 'newest first, old still published');

  const fresh = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  assert.equal(decodeJwt(fresh.access_token).header.kid, rotated.kid);
  assert.ok(verifies(fresh.access_token, keys));
  assert.ok(verifies(old.access_token, keys));
  const api = (token) => fetch(`${hub.url}/api/v1/person`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await api(old.access_token)).status, 200);

  const dropped = await hub.control.rotateKeys(true);
  assert.deepEqual((await jwks()).map((k) => k.kid), [dropped.kid]);
  assert.equal(verifies(old.access_token, await jwks()), false);
  const res = await api(old.access_token);
  assert.deepEqual([res.status, await res.json()], [403, { errors: ['invalid_jwt'] }]);
});
