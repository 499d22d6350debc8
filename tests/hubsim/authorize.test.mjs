// GET /oauth/authorize and its pages over real HTTP: client and redirect URI checks (error page,
// never a redirect), every scope error id, PKCE rules, cancel, the organisation chooser, the
// hubsim session, consent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { HttpClient } from '../lib/http.mjs';
import { authorize, buttonValues, pageKind, pendingOf, pkcePair } from '../lib/hub-flows.mjs';

const { ada, bruno, chiara, dev, emil } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const callback = HUBSIM.apps.connect.redirectUri;

let hub;
before(async () => {
  hub = await startHubsim();
});
after(() => stopCleanly(hub));

const authorizeUrl = (params) => `${hub.url}/oauth/authorize?${new URLSearchParams(params)}`;

/** The error redirect for `params` (no sign-in needed), as URLSearchParams. */
async function errorRedirect(params) {
  const res = await new HttpClient().get(authorizeUrl({ client_id: 'zai_connect', state: 'st-1', ...params }));
  assert.equal(res.status, 302, res.body.slice(0, 300));
  assert.ok(res.location.startsWith(callback + '?'), res.location);
  return new URL(res.location).searchParams;
}

test('an unknown client gets an error page, never a redirect', async () => {
  const res = await new HttpClient().get(authorizeUrl({ client_id: 'nope', scope: 'zaikio.person.r', redirect_uri: callback }));
  assert.equal(res.status, 400);
  assert.equal(res.location, undefined);
  assert.match(res.body, /Unknown application/);
});

test('a redirect_uri that is not exactly registered gets an error page, never a redirect', async () => {
  for (const redirect of [`${callback}?x=1`, `${callback}/`, callback.replace('8080', '8081'), 'http://evil.example/cb',
    callback.replace('http://', 'https://'), callback.toUpperCase()]) {
    const res = await new HttpClient().get(authorizeUrl({ client_id: 'zai_connect', scope: 'zaikio.person.r', redirect_uri: redirect }));
    assert.equal(res.status, 400, redirect);
    assert.equal(res.location, undefined, redirect);
    assert.match(res.body, /Redirect URI not registered/);
  }
});

test('without redirect_uri the first registered URL is used', async () => {
  const flow = await authorize(hub.url, new HttpClient(), { scope: 'zaikio.person.r', person: chiara.id, state: 'x' });
  assert.ok(flow.location.startsWith(callback + '?'));
  assert.ok(flow.params.get('code'));
});

test('scope errors redirect with error=invalid_scope and the Hub error id, state echoed', async () => {
  const cases = {
    malformed_scope: ['zaikio.person.rwx', 'zaikio..r', '', 'Foo.zaikio.person.r', 'zaikio.person.r,', 'zaikio.person.r zaikio.person.r'],
    different_bearer_types: ['zaikio.person.r,Org.zaikio.organization.r'],
    different_bearer_ids: [`Org/${lindqvist.id}.zaikio.organization.r,Org/${nordlicht.id}.zaikio.organization.r`],
    scope_is_not_included_in_desired_scopes: ['zaikio.sites.r', 'Org.zaikio.organization.rw', 'warehouse.items.r'],
    bearer_does_not_exist: [`Org/${randomUUID()}.zaikio.organization.r`, 'Org/not-a-uuid.zaikio.organization.r'],
    unpermitted_bearer_id: [`Per/${ada.id}.zaikio.person.r`],
    subscription_create_not_supported: ['Org.subscription_create', 'Org.subscription_create.advanced'],
    on_behalf_not_supported: ['Per>Org.zaikio.organization.r'],
  };
  for (const [id, scopes] of Object.entries(cases)) {
    for (const scope of scopes) {
      const p = await errorRedirect({ scope, redirect_uri: callback });
      assert.equal(p.get('error'), 'invalid_scope', scope);
      assert.equal(p.get('error_description'), id, scope);
      assert.equal(p.get('state'), 'st-1', scope);
      assert.equal(p.get('code'), null);
    }
  }
});

test('a preselected organisation the person does not administer: unpermitted_bearer_id after sign-in', async () => {
  const flow = await authorize(hub.url, new HttpClient(), {
    scope: `Org/${nordlicht.id}.zaikio.organization.r`, person: bruno.id, state: 'b',
  });
  assert.deepEqual(flow.pages, ['sign_in']);
  assert.equal(flow.params.get('error'), 'invalid_scope');
  assert.equal(flow.params.get('error_description'), 'unpermitted_bearer_id');
  assert.equal(flow.params.get('state'), 'b');
});

test('a preselected organisation the person administers skips the chooser', async () => {
  const flow = await authorize(hub.url, new HttpClient(), {
    scope: `Org/${lindqvist.id}.zaikio.organization.r`, person: bruno.id, state: 'b',
  });
  assert.deepEqual(flow.pages, ['sign_in', 'consent']);
  assert.ok(flow.params.get('code'));
});

test('PKCE problems redirect with error=invalid_request', async () => {
  const mobile = HUBSIM.apps.mobile;
  const { challenge } = pkcePair();
  const cases = [
    [{ client_id: mobile.clientId, redirect_uri: mobile.redirectUri }, 'a non-confidential app without PKCE'],
    [{ code_challenge: challenge, code_challenge_method: 'S512' }, 'an unknown method'],
    [{ code_challenge: challenge }, 'a challenge without method'],
    [{ code_challenge_method: 'S256' }, 'a method without challenge'],
    [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'a challenge that is too short'],
    [{ code_challenge: `${challenge}+`, code_challenge_method: 'plain' }, 'a challenge with a bad character'],
  ];
  for (const [params, what] of cases) {
    const res = await new HttpClient().get(authorizeUrl({ client_id: 'zai_connect', scope: 'zaikio.person.r', state: 'p', ...params }));
    assert.equal(res.status, 302, what);
    const p = new URL(res.location).searchParams;
    assert.equal(p.get('error'), 'invalid_request', what);
    assert.equal(p.get('state'), 'p', what);
  }
});

test('response_type other than code is refused', async () => {
  const p = await errorRedirect({ scope: 'zaikio.person.r', response_type: 'token' });
  assert.equal(p.get('error'), 'unsupported_response_type');
});

test('Cancel on the sign-in page or the consent page: error=access_denied with state', async () => {
  const client = new HttpClient();
  const first = await client.get(authorizeUrl({ client_id: 'zai_connect', scope: 'zaikio.person.r', state: 'c1' }));
  assert.equal(pageKind(first.body), 'sign_in');
  const cancelled = await client.post(`${hub.url}/oauth/authorize/sign_in`, { form: { pending: pendingOf(first.body), action: 'cancel' } });
  assert.equal(cancelled.status, 302);
  assert.equal(new URL(cancelled.location).searchParams.get('error'), 'access_denied');
  assert.equal(new URL(cancelled.location).searchParams.get('state'), 'c1');

  const flow = await authorize(hub.url, new HttpClient(), { scope: 'zaikio.person.r', person: emil.id, state: 'c2', decision: 'cancel' });
  assert.deepEqual(flow.pages, ['sign_in', 'consent']);
  assert.equal(flow.params.get('error'), 'access_denied');
  assert.equal(flow.params.get('state'), 'c2');
  assert.equal(flow.params.get('code'), null);
});

test('the chooser lists only organisations where the person is owner or admin', async () => {
  const offered = async (person) => {
    const client = new HttpClient();
    const first = await client.get(authorizeUrl({ client_id: 'zai_connect', scope: 'Org.zaikio.organization.r' }));
    const signed = await client.follow(`${hub.url}/oauth/authorize/sign_in`, { method: 'POST', form: { pending: pendingOf(first.body), person_id: person } });
    assert.equal(pageKind(signed.response.body), 'organization');
    return { ids: buttonValues(signed.response.body, 'organization_id'), body: signed.response.body, client, pending: pendingOf(signed.response.body) };
  };
  assert.deepEqual((await offered(ada.id)).ids, [lindqvist.id, nordlicht.id]);
  const brunos = await offered(bruno.id);
  assert.deepEqual(brunos.ids, [lindqvist.id]);
  assert.deepEqual((await offered(chiara.id)).ids, []);
  const emils = await offered(emil.id);
  assert.deepEqual(emils.ids, []);
  assert.match(emils.body, /role="alert"/);
  assert.equal((await offered(dev.id)).ids.length, 100);

  // Posting an organisation that was not offered is refused.
  const forged = await brunos.client.post(`${hub.url}/oauth/authorize/organization`, { form: { pending: brunos.pending, organization_id: nordlicht.id } });
  assert.equal(forged.status, 403);
});

test('the consent page lists each scope in words with the raw scope beside it', async () => {
  const client = new HttpClient();
  const first = await client.get(authorizeUrl({ client_id: 'zai_connect', scope: `Org/${lindqvist.id}.zaikio.organization.r`, prompt: 'consent' }));
  const next = await client.follow(`${hub.url}/oauth/authorize/sign_in`, { method: 'POST', form: { pending: pendingOf(first.body), person_id: ada.id } },
    { stopAt: (url) => url.startsWith(callback) });
  assert.equal(pageKind(next.response.body), 'consent');
  assert.match(next.response.body, /Read the organisation&#39;s profile|Read the organisation's profile/);
  assert.ok(next.response.body.includes(`<code>Org/${lindqvist.id}.zaikio.organization.r</code>`));
  assert.match(next.response.body, /Lindqvist Druck GmbH/);
  assert.match(next.response.body, /name="decision" value="allow">Allow</);
});

test('the hubsim session: a second authorize goes straight on; force_login and prompt=select_account ask again', async () => {
  const client = new HttpClient();
  const first = await authorize(hub.url, client, { scope: 'zaikio.person.r', person: ada.id, state: 's1' });
  assert.deepEqual(first.pages, ['sign_in', 'consent']);
  assert.ok(client.jar.get('hubsim_session'));
  assert.equal(client.jar.get('hubsim_session').httpOnly, true);

  const second = await authorize(hub.url, client, { scope: 'zaikio.person.r', state: 's2' });
  assert.deepEqual(second.pages, [], 'signed in and already granted: straight back to the app');
  assert.equal(second.chain.length, 1);
  assert.ok(second.params.get('code'));
  assert.equal(second.params.get('state'), 's2');

  for (const query of [{ force_login: '1' }, { prompt: 'select_account' }]) {
    const again = await authorize(hub.url, client, { scope: 'zaikio.person.r', person: bruno.id, query });
    assert.equal(again.pages[0], 'sign_in', JSON.stringify(query));
  }
  const consentAgain = await authorize(hub.url, client, { scope: 'zaikio.person.r', query: { prompt: 'consent' } });
  assert.deepEqual(consentAgain.pages, ['consent']);
});

test('another browser cannot continue someone else\'s authorization', async () => {
  const mine = new HttpClient();
  const first = await mine.get(authorizeUrl({ client_id: 'zai_connect', scope: 'zaikio.person.r' }));
  const pending = pendingOf(first.body);
  await mine.post(`${hub.url}/oauth/authorize/sign_in`, { form: { pending, person_id: ada.id } });
  const other = new HttpClient();
  const stolen = await other.get(`${hub.url}/oauth/authorize/continue?pending=${pending}`);
  assert.equal(pageKind(stolen.body), 'sign_in');
  const consent = await other.post(`${hub.url}/oauth/authorize/consent`, { form: { pending, decision: 'allow' } });
  assert.equal(consent.status, 303);
  assert.ok(!consent.location.startsWith(callback));
});

test('an unknown or expired pending authorization gets an error page', async () => {
  const res = await new HttpClient().post(`${hub.url}/oauth/authorize/consent`, { form: { pending: 'nope', decision: 'allow' } });
  assert.equal(res.status, 400);
  assert.match(res.body, /expired/);
});

test('pages are plain HTML with security headers, and sign-out ends the hubsim session', async () => {
  const client = new HttpClient();
  await authorize(hub.url, client, { scope: 'zaikio.person.r', person: ada.id });
  const home = await client.get(`${hub.url}/`);
  assert.match(home.body, /Signed in as Ada Lindqvist/);
  assert.equal(home.headers.get('x-frame-options'), 'DENY');
  assert.equal(home.headers.get('cache-control'), 'no-store');
  assert.doesNotMatch(home.body, /<script/i);
  const out = await client.post(`${hub.url}/oauth/sign_out`);
  assert.equal(out.status, 303);
  assert.equal(client.jar.get('hubsim_session'), undefined);
  assert.match((await client.get(`${hub.url}/`)).body, /Nobody is signed in/);
});
