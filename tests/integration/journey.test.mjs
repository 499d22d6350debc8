// The install guide's journey end to end, over real HTTP against real hubsim and zai-connect
// processes: sign in → dashboard data → install → organisation view → refresh → uninstall →
// logout; a plain member cannot start an install; nothing secret ever reaches the browser or logs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { RecordingClient, leaked } from '../lib/recording.mjs';
import { startStack } from '../lib/stack.mjs';

const { ada, chiara } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let stack;
const browsers = [];
const browser = () => {
  const c = new RecordingClient();
  browsers.push(c);
  return c;
};

before(async () => {
  stack = await startStack({ webhooks: true });
});
after(async () => {
  await stack?.stop();
});

test('the guide: sign in, see organisations, install, act for the organisation, refresh, uninstall, sign out', async () => {
  const c = browser();

  const signedOut = await stack.api(c, '/api/session');
  assert.equal(signedOut.status, 200);
  assert.equal(signedOut.body.authenticated, false);

  const signIn = await stack.signIn(c, ada.id, '/');
  assert.equal(signIn.response.status, 200, 'the dashboard shell after sign-in');
  assert.equal(new URL(signIn.response.url).pathname, '/');

  const session = await stack.api(c, '/api/session');
  assert.equal(session.status, 200);
  assert.equal(session.body.person.full_name, ada.name);
  assert.equal(session.body.person.email, ada.email);
  const rows = Object.fromEntries(session.body.organizations.map((o) => [o.id, o]));
  assert.deepEqual(rows[lindqvist.id].roles, ['owner']);
  assert.deepEqual(rows[nordlicht.id].roles, ['owner']);
  assert.equal(rows[lindqvist.id].installation, 'not_installed');

  // Tokens now live 4 s: the organisation's token will need a refresh during this test.
  await stack.hub.control.setLifetimes({ access_token: 4 });
  const install = await stack.install(c, lindqvist.id);
  assert.equal(install.response.status, 200);
  assert.equal(new URL(install.response.url).pathname, `/organizations/${lindqvist.id}`, 'lands on the organisation dashboard');

  const view = await stack.api(c, `/api/organizations/${lindqvist.id}`);
  assert.equal(view.status, 200);
  assert.equal(view.body.installation.state, 'installed');
  assert.equal(view.body.installation.installed_by, ada.name);
  assert.deepEqual(view.body.installation.granted_scopes, ['directory.organization.r']);
  assert.equal(view.body.data.name, lindqvist.name, 'read from the Hub on the organisation\'s behalf');
  assert.equal((await stack.api(c, '/api/session')).body.organizations.find((o) => o.id === lindqvist.id).installation, 'installed');

  const before = (await stack.hub.control.requests()).at(-1).seq;
  await sleep(2500);  // past half the token's life: the next use refreshes first
  const later = await stack.api(c, `/api/organizations/${lindqvist.id}`);
  assert.equal(later.status, 200);
  assert.equal(later.body.data.name, lindqvist.name);
  assert.ok(later.body.installation.refreshed_at > view.body.installation.refreshed_at, 'the grant was renewed');
  const renewals = (await stack.hub.control.requests(before)).filter((r) => r.path === '/oauth/access_token');
  assert.deepEqual(renewals.map((r) => r.grant_type), ['refresh_token']);
  assert.equal(renewals[0].client_auth, 'basic');

  const uninstall = await stack.api(c, `/api/organizations/${lindqvist.id}/uninstall`, { method: 'POST' });
  assert.equal(uninstall.status, 200);
  assert.equal(uninstall.body.installation.state, 'not_installed');
  assert.equal(uninstall.body.data, null);
  const revocations = (await stack.hub.control.requests(before)).filter((r) => r.path === '/api/v1/revoked_access_tokens');
  assert.equal(revocations.length, 1, 'uninstall revokes the organisation token at the Hub');

  const logout = await stack.api(c, '/logout', { method: 'POST' });
  assert.equal(logout.status, 200);
  assert.equal((await stack.api(c, '/api/session')).body.authenticated, false);
});

test('a plain member is refused an install without any redirect to the Hub', async () => {
  const c = browser();
  await stack.signIn(c, chiara.id);
  const session = await stack.api(c, '/api/session');
  assert.deepEqual(session.body.organizations.map((o) => o.roles), [['member', 'purchaser']]);
  const seq = (await stack.hub.control.requests()).at(-1).seq;

  const res = await c.get(`${stack.url}/install?organization_id=${lindqvist.id}&nonce=${session.body.action_nonce}`);
  assert.equal(res.status, 403);
  assert.equal(res.location, undefined);
  assert.match(res.body, /data-error-code="not_an_admin"/);
  const toHub = (await stack.hub.control.requests(seq)).filter((r) => r.path.startsWith('/oauth/'));
  assert.deepEqual(toHub, [], 'hubsim saw no authorize or token request');
});

test('R24 no code or token hubsim issued appears in any response or log of the journey', async () => {
  const secrets = await stack.hub.control.issuedSecrets();
  assert.ok(secrets.length >= 6, `hubsim issued codes and tokens (${secrets.length})`);
  const responses = browsers.map((b) => b.seenFrom(stack.url)).join('\n');
  assert.ok(responses.length > 1000, 'the journey produced responses to scan');
  assert.deepEqual(leaked(responses, secrets), [], 'in zai-connect responses');
  assert.deepEqual(leaked(stack.app.logs(), secrets), [], 'in zai-connect logs');
  assert.deepEqual(leaked(stack.hub.logs(), secrets), [], 'in hubsim logs');
  assert.deepEqual(leaked(stack.app.logs() + responses, [stack.hub.secret, stack.webhookSecret]), [], 'secrets');
});
