// Loom webhooks (zaikio-hub.md §6): a receiver in this test checks X-Loom-Signature over the raw
// body and answers 500 to each event's first delivery; hubsim must deliver it again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { decodeJwt, obtainTokens } from '../lib/hub-flows.mjs';

const { ada, chiara } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const secret = 'loom-shared-secret';

function signatureOk(raw, header, key = secret) {
  const expected = createHmac('sha256', key).update(raw).digest('hex');
  return typeof header === 'string' && header.length === expected.length && timingSafeEqual(Buffer.from(header), Buffer.from(expected));
}

/** A webhook receiver; `policy(event, earlierDeliveries)` picks the HTTP status. */
async function startReceiver() {
  const deliveries = [];
  const receiver = {
    deliveries,
    policy: (event, earlier) => (earlier === 0 ? 500 : 200),
    async waitFor(predicate, timeoutMs = 10000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const found = deliveries.filter(predicate);
        if (found.length) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no matching delivery within ${timeoutMs} ms; got ${JSON.stringify(deliveries.map((d) => d.event.name))}`);
    },
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const event = JSON.parse(raw.toString('utf8'));
      const earlier = deliveries.filter((d) => d.event.id === event.id).length;
      const status = receiver.policy(event, earlier);
      deliveries.push({ event, raw, path: req.url, headers: req.headers, status, at: Date.now() });
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}/webhooks/zaikio`;
  receiver.close = () => new Promise((resolve) => server.close(resolve));
  return receiver;
}

let hub;
let receiver;
before(async () => {
  receiver = await startReceiver();
  hub = await startHubsim({
    args: ['--app-webhook-url', receiver.url, '--webhook-retry-ms', '200', '--webhook-max-attempts', '3',
      '--app-desired-scopes', 'zaikio.person.r,Org.zaikio.organization.r,Org.zaikio.organization_members.r'],
    env: { HUBSIM_APP_WEBHOOK_SECRET: secret },
  });
});
after(async () => {
  await stopCleanly(hub);
  await receiver?.close();
});

test('established connection: signed, retried after a 500, at least once', async () => {
  await obtainTokens(hub, new HttpClient(), { scope: 'Org.zaikio.organization.r', person: ada.id, organization: lindqvist.id });
  const got = await receiver.waitFor((d) => d.event.name === 'zaikio.established_connection' && d.status === 200);
  const id = got[0].event.id;
  const attempts = receiver.deliveries.filter((d) => d.event.id === id);
  assert.deepEqual(attempts.map((d) => d.status), [500, 200]);
  assert.ok(attempts[1].at - attempts[0].at >= 150, 'the retry waits for the backoff');
  assert.ok(attempts[1].raw.equals(attempts[0].raw), 'the same event again');
  for (const d of attempts) {
    assert.ok(signatureOk(d.raw, d.headers['x-loom-signature']), 'X-Loom-Signature = hex HMAC-SHA256 of the raw body');
    assert.match(d.headers['x-loom-signature'], /^[0-9a-f]{64}$/);
    assert.match(d.headers['content-type'], /^application\/json/);
    assert.equal(d.path, '/webhooks/zaikio');
  }
  const event = attempts[0].event;
  assert.deepEqual(Object.keys(event), ['id', 'name', 'subject', 'timestamp', 'version', 'received_at']);
  assert.equal(event.subject, `Org/${lindqvist.id}`);
  assert.equal(event.version, '1.0');
  assert.ok(!Number.isNaN(Date.parse(event.timestamp)));

  const log = (await hub.control.webhooks()).find((d) => d.event_id === id);
  assert.equal(log.delivered, true);
  assert.deepEqual(log.attempts.map((a) => a.status), [500, 200]);
  assert.ok(!JSON.stringify(log).includes(secret));
});

test('the signature check can fail: another secret or another body does not match', async () => {
  const [d] = await receiver.waitFor((x) => x.event.name === 'zaikio.established_connection');
  assert.equal(signatureOk(d.raw, d.headers['x-loom-signature'], 'another-secret'), false);
  assert.equal(signatureOk(Buffer.concat([d.raw, Buffer.from(' ')]), d.headers['x-loom-signature']), false);
});

test('a revoked access token: zaikio.revoked_access_token with {access_token_id}', async () => {
  receiver.policy = () => 200;
  const t = await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: chiara.id });
  const jti = decodeJwt(t.access_token).payload.jti;
  const res = await fetch(`${hub.url}/api/v1/revoked_access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(res.status, 201);
  const [d] = await receiver.waitFor((x) => x.event.name === 'zaikio.revoked_access_token' && x.event.payload?.access_token_id === jti);
  assert.equal(d.event.subject, `Per/${chiara.id}`);
  assert.deepEqual(d.event.payload, { access_token_id: jti });
  assert.ok(signatureOk(d.raw, d.headers['x-loom-signature']));
});

test('a revoked connection: zaikio.revoked_connection, and its live tokens revoked', async () => {
  receiver.policy = () => 200;
  const t = await obtainTokens(hub, new HttpClient(), { scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: ada.id });
  await hub.control.revokeConnection(`Organization/${nordlicht.id}`);
  await receiver.waitFor((x) => x.event.name === 'zaikio.revoked_connection' && x.event.subject === `Org/${nordlicht.id}`);
  const jti = decodeJwt(t.access_token).payload.jti;
  await receiver.waitFor((x) => x.event.name === 'zaikio.revoked_access_token' && x.event.payload?.access_token_id === jti);
});

test('widening a connection\'s scopes: zaikio.connection_changed', async () => {
  receiver.policy = () => 200;
  await obtainTokens(hub, new HttpClient(), { scope: `Org/${lindqvist.id}.zaikio.organization_members.r`, person: ada.id });
  await receiver.waitFor((x) => x.event.name === 'zaikio.connection_changed' && x.event.subject === `Org/${lindqvist.id}`);
});

test('a receiver that keeps failing: retried up to the limit, then given up', async () => {
  receiver.policy = () => 503;
  await obtainTokens(hub, new HttpClient(), { scope: 'zaikio.person.r', person: ada.id });
  const [first] = await receiver.waitFor((x) => x.event.name === 'zaikio.established_connection' && x.event.subject === `Per/${ada.id}`);
  const deadline = Date.now() + 10000;
  let log;
  while (Date.now() < deadline) {
    log = (await hub.control.webhooks()).find((d) => d.event_id === first.event.id);
    if (log?.given_up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(log.given_up, true);
  assert.equal(log.delivered, false);
  assert.deepEqual(log.attempts.map((a) => a.status), [503, 503, 503]);
  assert.equal(receiver.deliveries.filter((d) => d.event.id === first.event.id).length, 3);
});
