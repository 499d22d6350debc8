// The dashboard's journeys in Debian's Chromium against real hubsim and zai-connect processes
// (issue 5's acceptance): (a) signed out → sign in on hubsim's pages → the seeded organisations
// with the right roles; (b) a plain member sees no install action; (c) an admin installs and
// lands on the organisation's page with data read on its behalf; (d) reload, back and forward
// keep the view; (e) a connection revoked in hubsim shows as "access revoked" with reinstall;
// (f) sign out. Every step saves a screenshot into $ZAI_ARTIFACTS (journey-*.png), and a console
// error, failed request or HTTP error anywhere (hubsim's pages included) fails the test.
//
// Widgets are found in the accessibility mirror by role and name and clicked on the CANVAS, so
// the journeys go through ImGui's own input path.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import * as lib from './lib.mjs';

const { bruno, chiara } = HUBSIM.people;
const { lindqvist, nordlicht } = HUBSIM.organizations;
const lindqvistPath = `/organizations/${lindqvist.id}`;

let stack;
let brunos;  // Bruno's browser, kept from step (a) through (c) to (f)

before(async () => {
  lib.distDir();  // fails early, with advice, when the dashboard is not built
  stack = await startStack({ webhooks: true });
  brunos = await lib.launch();
});

after(async () => {
  await brunos?.close();
  await stack?.stop();
});

const pathname = (page) => page.evaluate(() => location.pathname);
const attached = (page, role, name) => lib.widget(page, role, name).waitFor({ state: 'attached' });

const passHub = (page, { person } = {}) => lib.throughHub(page, { hubUrl: stack.hub.url, appUrl: stack.url, person });

async function openSignedOut(page) {
  await page.goto(`${stack.url}/`);
  await lib.waitForFirstFrame(page);
  await attached(page, 'button', 'Sign in with Zaikio');
  await lib.waitForIdle(page);
}

async function signIn(page, person) {
  await lib.clickOnCanvas(page, 'button', 'Sign in with Zaikio');
  await passHub(page, { person });
  await attached(page, 'heading', 'Your organisations');
  await attached(page, 'text', person.name);
}

// The mirrored children of the list item named `item`: [tag, text] pairs.
function rowOf(page, item) {
  return lib.widget(page, 'listitem', item).evaluate((li) =>
    [...li.children].map((el) => [el.tagName.toLowerCase(), el.textContent]));
}

function assertNoProblems(b) {
  assert.deepEqual(b.problems, [], 'console errors, failed requests or HTTP errors');
}

test('(a) signed out → sign in on hubsim → the seeded organisations with their roles', async () => {
  const { page } = brunos;
  await openSignedOut(page);
  assert.equal(await page.title(), 'Sign in · zai-connect');
  await lib.screenshot(page, 'journey-a1-signed-out');

  await signIn(page, bruno);
  assert.equal(await pathname(page), '/');
  assert.equal(await page.title(), 'Organisations · zai-connect');
  await attached(page, 'text', bruno.email);
  await attached(page, 'status', 'Showing 2 of 2 organisations, sorted by name (A to Z).');
  assert.deepEqual(await rowOf(page, lindqvist.name), [
    ['p', lindqvist.name], ['p', 'Role: Admin'], ['p', 'Installation: Not installed'],
    ['button', `Install for ${lindqvist.name}`], ['button', `Open ${lindqvist.name}`],
  ]);
  assert.deepEqual(await rowOf(page, nordlicht.name), [
    ['p', nordlicht.name], ['p', 'Role: Member'], ['p', 'Installation: Not installed'],
    ['p', 'Ask an owner or admin to install'], ['button', `Open ${nordlicht.name}`],
  ]);
  await attached(page, 'button', 'Install for an organisation…');
  await lib.screenshot(page, 'journey-a2-dashboard');
  assertNoProblems(brunos);
});

test('(b) a plain member sees no install action, only whom to ask', async () => {
  const b = await lib.launch();
  try {
    const { page } = b;
    await openSignedOut(page);
    await signIn(page, chiara);
    assert.deepEqual(await rowOf(page, lindqvist.name), [
      ['p', lindqvist.name], ['p', 'Role: Member'], ['p', 'Role: Purchaser'], ['p', 'Installation: Not installed'],
      ['p', 'Ask an owner or admin to install'], ['button', `Open ${lindqvist.name}`],
    ]);
    const buttons = await page.locator('#a11y button').allTextContents();
    assert.deepEqual(buttons.filter((name) => /^(re)?install/i.test(name)), [], `buttons: ${buttons.join(', ')}`);

    // Her organisation's page says the same, and offers nothing to install either.
    await lib.clickOnCanvas(page, 'button', `Open ${lindqvist.name}`);
    await attached(page, 'text', `Only an owner or admin of ${lindqvist.name} can install zai-connect. Ask one of them.`);
    await lib.waitForIdle(page);
    const onPage = await page.locator('#a11y button').allTextContents();
    assert.deepEqual(onPage.filter((name) => /^(re)?install/i.test(name)), [], `buttons: ${onPage.join(', ')}`);
    await lib.screenshot(page, 'journey-b-member');
    assertNoProblems(b);
  } finally {
    await b.close();
  }
});

test('(c) an admin installs and lands on the organisation, read on its behalf', async () => {
  const { page } = brunos;
  await lib.clickOnCanvas(page, 'button', `Install for ${lindqvist.name}`);
  await passHub(page);
  assert.equal(await pathname(page), lindqvistPath);
  await attached(page, 'heading', 'What zai-connect reads');
  await lib.waitForIdle(page);
  assert.equal(await page.title(), `${lindqvist.name} · zai-connect`);
  for (const line of [`Name: ${lindqvist.name}`, 'Country: DE', 'Currency: EUR', 'Installed by: Bruno Hartmann',
                      'Installation: Installed', 'directory.organization.r']) {
    await attached(page, 'text', line);
  }
  await attached(page, 'listitem', "Read the organisation's profile (name, kinds, country)");
  await attached(page, 'button', `Uninstall from ${lindqvist.name}`);
  // Freshness in words, and no token anywhere on the page.
  const texts = await page.locator('#a11y').innerText();
  assert.match(texts, /The current access is valid for another/);
  assert.doesNotMatch(texts, /eyJ[\w-]+\./, 'no JWT in the page');
  await lib.screenshot(page, 'journey-c-organization');
  assertNoProblems(brunos);
});

test('(d) reload, back and forward keep the view', async () => {
  const { page } = brunos;
  const organization = () => attached(page, 'heading', 'What zai-connect reads');
  const dashboard = () => attached(page, 'heading', 'Your organisations');

  await page.reload();
  await lib.waitForFirstFrame(page);
  await organization();
  assert.equal(await pathname(page), lindqvistPath);

  await lib.waitForIdle(page);
  await lib.clickOnCanvas(page, 'link', '← All organisations');
  await dashboard();
  assert.equal(await pathname(page), '/');
  await attached(page, 'text', 'Installation: Installed');

  await page.goBack();
  await organization();
  assert.equal(await pathname(page), lindqvistPath);
  await page.goForward();
  await dashboard();
  assert.equal(await pathname(page), '/');
  await lib.waitForIdle(page);
  await lib.screenshot(page, 'journey-d-back-forward');
  assertNoProblems(brunos);
});

test('(e) a connection revoked in hubsim shows as "access revoked" and offers reinstall', async () => {
  const { page } = brunos;
  await stack.hub.control.revokeConnection(`Organization/${lindqvist.id}`);
  // zai-connect learns it from hubsim's signed webhook.
  for (let i = 0; ; i++) {
    const deliveries = await stack.hub.control.webhooks();
    if (deliveries.some((d) => d.name.endsWith('revoked_connection') && d.subject === `Org/${lindqvist.id}` && d.delivered)) break;
    assert.ok(i < 100, 'the revocation webhook was delivered');
    await sleep(100);
  }

  await page.reload();
  await lib.waitForFirstFrame(page);
  await attached(page, 'heading', 'Your organisations');
  const row = await rowOf(page, lindqvist.name);
  assert.deepEqual(row.slice(1, 3), [['p', 'Role: Admin'], ['p', 'Installation: Access revoked']]);
  await attached(page, 'button', `Reinstall for ${lindqvist.name}`);
  await lib.waitForIdle(page);
  await lib.screenshot(page, 'journey-e1-revoked');

  await lib.clickOnCanvas(page, 'button', `Open ${lindqvist.name}`);
  await attached(page, 'heading', 'Installation');
  await attached(page, 'text', 'Reason: The connection was removed in Zaikio.');
  await attached(page, 'button', `Reinstall for ${lindqvist.name}`);
  await lib.waitForIdle(page);
  await lib.screenshot(page, 'journey-e2-revoked-organization');
  assertNoProblems(brunos);
});

test('(f) sign out', async () => {
  const { page } = brunos;
  await lib.clickOnCanvas(page, 'button', 'Sign out');
  await attached(page, 'status', 'You have signed out.');
  await attached(page, 'button', 'Sign in with Zaikio');
  assert.equal(await pathname(page), '/');
  assert.equal(await page.title(), 'Sign in · zai-connect');

  // The session is gone on the server too: a reload stays signed out, without a notice.
  await page.reload();
  await lib.waitForFirstFrame(page);
  await attached(page, 'button', 'Sign in with Zaikio');
  await lib.waitForIdle(page);
  await lib.screenshot(page, 'journey-f-signed-out');
  assertNoProblems(brunos);
});
