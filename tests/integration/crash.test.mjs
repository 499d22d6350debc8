// SIGKILL during an install and during a refresh (issue 4 acceptance): after a restart on the
// same database the store passes integrity_check, every installation the browser saw succeed is
// still there and works, and an interrupted one can simply be done again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';

const { ada } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;

let stack;
let client;

before(async () => {
  stack = await startStack();
  client = stack.client();
  await stack.signIn(client, ada.id);
});
after(async () => {
  await stack?.stop();
});

async function kill() {
  assert.equal((await stack.killApp()).signal, 'SIGKILL');
}

const integrity = () => stack.sqlite('PRAGMA integrity_check;')[0].integrity_check;

const view = (id) => stack.api(client, `/api/organizations/${id}`);

test('SIGKILL while the callback exchanges the code: the committed installation survives, the interrupted one can be redone', async () => {
  const done = await stack.install(client, lindqvist.id);
  assert.equal(done.acknowledged, lindqvist.id, 'lindqvist installed and acknowledged');

  // The code exchange for nordlicht hangs at the Hub; zai-connect dies while waiting for it.
  const fault = await stack.hub.control.addFault({ kind: 'latency', latency_ms: 3000, path: '/oauth/access_token', grant_type: 'authorization_code' });
  const pending = stack.install(client, nordlicht.id).catch((e) => e);
  await sleep(1500);  // well inside the Hub's 3 s delay (hubsim logs a request only once it is answered)
  await kill();
  assert.ok((await pending) instanceof Error, 'the browser saw the connection fail, not a success');
  await stack.hub.control.removeFault(fault);

  await stack.restartApp();
  assert.equal(integrity(), 'ok');
  const kept = await view(lindqvist.id);
  assert.equal(kept.status, 200, 'the session survived too');
  assert.equal(kept.body.installation.state, 'installed');
  assert.equal(kept.body.data?.id, lindqvist.id);
  assert.equal((await view(nordlicht.id)).body.installation.state, 'not_installed');
  const redo = await stack.install(client, nordlicht.id);
  assert.equal(redo.response.status, 200);
  assert.equal((await view(nordlicht.id)).body.data?.id, nordlicht.id);
});

test('SIGKILL while refreshing: the grant survives and works after the restart', async () => {
  await stack.hub.control.setLifetimes({ access_token: 4 });
  await stack.install(client, lindqvist.id);
  await stack.hub.control.setLifetimes({ access_token: 3600 });
  await sleep(2500);

  // The refresh reaches the Hub (which rotates the refresh token) but its answer never arrives.
  const fault = await stack.hub.control.addFault({ kind: 'latency', latency_ms: 3000, path: '/oauth/access_token', grant_type: 'refresh_token' });
  const seq = (await stack.hub.control.requests()).at(-1).seq;
  const pending = view(lindqvist.id).catch((e) => e);
  await sleep(1000);  // inside the Hub's 3 s delay
  await kill();
  assert.ok((await pending) instanceof Error);
  await stack.hub.control.removeFault(fault);

  await stack.restartApp();
  assert.equal(integrity(), 'ok');
  const after = await view(lindqvist.id);
  assert.equal(after.status, 200);
  assert.equal(after.body.installation.state, 'installed', 'the installation is still there');
  assert.equal(after.body.data?.id, lindqvist.id, 'and the app can act for the organisation again');
  const renewals = (await stack.hub.control.requests(seq)).filter((r) => r.path === '/oauth/access_token').map((r) => r.grant_type);
  assert.ok(renewals.includes('client_credentials') || renewals.filter((g) => g === 'refresh_token').length >= 2,
    `renewed after the restart: ${renewals}`);
});
