// hubsim's pages in Debian's Chromium (playwright-core): sign in, choose an organisation,
// consent — by accessible names only — then the app's callback receives code and state.
// Screenshots go to $ZAI_ARTIFACTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

import { startHubsim, stopCleanly, HUBSIM } from '../lib/procs.mjs';
import { tokenRequest } from '../lib/hub-flows.mjs';

const artifacts = process.env.ZAI_ARTIFACTS ?? join(tmpdir(), 'zai-artifacts');
const chromiumFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

let hub;
let app;
let callbackUrl;
let context;
let profile;
const callbacks = [];

before(async () => {
  // The app's side: a callback page that records what the Hub sent back.
  app = createServer((req, res) => {
    if (!req.url.startsWith('/oauth/zaikio/callback')) return res.writeHead(404).end();
    callbacks.push(req.url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>App</title><h1>Callback received</h1>');
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${app.address().port}/oauth/zaikio/callback`;
  hub = await startHubsim({ args: ['--app-redirect-url', callbackUrl] });
  await mkdir(artifacts, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'hubsim-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumFlags,
    viewport: { width: 900, height: 800 },
  });
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await stopCleanly(hub);
  await new Promise((r) => app?.close(r));
});

test('a person signs in, chooses an organisation and consents in Chromium', async () => {
  const page = await context.newPage();
  const query = new URLSearchParams({ client_id: 'zai_connect', response_type: 'code', redirect_uri: callbackUrl, scope: 'Org.zaikio.organization.r', state: 'browser-state' });
  await page.goto(`${hub.url}/oauth/authorize?${query}`);

  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in to continue to zai_connect');
  await page.screenshot({ path: join(artifacts, 'hubsim-sign-in.png'), fullPage: true });
  await page.getByRole('button', { name: /Ada Lindqvist/ }).click();

  await page.getByRole('heading', { name: 'Choose an organisation' }).waitFor();
  const offered = await page.getByRole('list').getByRole('button').allTextContents();
  assert.equal(offered.length, 2);
  assert.ok(offered[0].startsWith(HUBSIM.organizations.lindqvist.name));
  await page.screenshot({ path: join(artifacts, 'hubsim-choose-organisation.png'), fullPage: true });
  await page.getByRole('button', { name: new RegExp(HUBSIM.organizations.nordlicht.name) }).click();

  await page.getByRole('heading', { name: 'Allow zai_connect access?' }).waitFor();
  assert.match(await page.getByRole('listitem').first().textContent(), /Read the organisation's profile.*Org\.zaikio\.organization\.r/);
  assert.match(await page.locator('main').textContent(), /Nordlicht Verpackungen AG/);
  await page.screenshot({ path: join(artifacts, 'hubsim-consent.png'), fullPage: true });
  await page.getByRole('button', { name: 'Allow' }).click();

  await page.waitForURL((url) => url.toString().startsWith(callbackUrl));
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('state'), 'browser-state');
  assert.ok(params.get('code'));
  assert.equal(callbacks.length, 1);

  const tokens = await tokenRequest(hub.url, { grant_type: 'authorization_code', code: params.get('code') }, { basic: ['zai_connect', hub.secret] });
  assert.equal(tokens.status, 200);
  assert.deepEqual(tokens.body.bearer, { id: HUBSIM.organizations.nordlicht.id, type: 'Organization' });

  // Still signed in at hubsim (its own cookie): the next authorize starts at the chooser, and an
  // organisation that already granted the scopes needs no consent.
  await page.goto(`${hub.url}/oauth/authorize?${query}`);
  await page.getByRole('heading', { name: 'Choose an organisation' }).waitFor();
  await page.getByRole('button', { name: new RegExp(HUBSIM.organizations.nordlicht.name) }).click();
  await page.waitForURL((url) => url.toString().startsWith(callbackUrl));
  assert.ok(new URL(page.url()).searchParams.get('code'));
  assert.equal(callbacks.length, 2);
  await page.close();
});

test('the device page: a labelled code field in Chromium', async () => {
  const page = await context.newPage();
  await page.goto(`${hub.url}/oauth/device`);
  const field = page.getByLabel('Code shown on your device');
  await field.fill('0000-0000');
  await page.getByRole('button', { name: 'Continue' }).click();
  assert.match(await page.getByRole('alert').textContent(), /unknown or has expired/);
  await page.close();
});
