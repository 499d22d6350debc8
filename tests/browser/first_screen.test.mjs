// The dashboard's first screens in Debian's Chromium, as built for release (-Oz, Closure): it
// starts, draws real ImGui pixels, mirrors its widgets for screen readers, acts on a click on the
// CANVAS at the mirrored position, calls the API with the API header, copies to the clipboard,
// answers keyboard and screen-reader activation, and draws nothing while nothing happens. The
// backend is a stand-in here (lib.fakeApi); journey.test.mjs runs against the real one.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as lib from './lib.mjs';

const organization = { id: randomUUID(), name: 'Acme Print GmbH', roles: ['owner'], installation: 'not_installed' };
const signedIn = {
  authenticated: true,
  person: { id: randomUUID(), full_name: 'Ada Lovelace', email: 'ada@example.org' },
  organizations: [organization],
  expires_in: 3600,
  action_nonce: 'n',
};
const organizationView = {
  organization,
  installation: {
    state: 'not_installed', installed_by: '', installed_at: 0, revoked_at: 0, revoked_reason: '',
    granted_scopes: [], access_expires_at: 0, refreshed_at: 0,
  },
  data: null,
  data_error: null,
  server_time: Math.floor(Date.now() / 1000),
};
const organizationApi = `/api/organizations/${organization.id}`;

let visitor;  // a backend that answers "signed out"
let member;   // one where Ada is signed in

before(async () => {
  visitor = await lib.serveDist(lib.distDir(), { api: lib.fakeApi({ '/api/session': lib.signedOutSession }) });
  member = await lib.serveDist(lib.distDir(), {
    api: lib.fakeApi({ '/api/session': signedIn, [organizationApi]: organizationView }),
  });
});

after(async () => {
  await visitor.close();
  await member.close();
});

const signInPath = '/login?return_to=%2F';
const leftForSignIn = (page) => page.waitForURL(`${visitor.origin}${signInPath}`);

test('R61 starts under the strict CSP, draws ImGui pixels and mirrors the first screen', async (t) => {
  await lib.withDashboard(`${visitor.origin}/`, {}, async ({ page, firstFrameMs }) => {
    t.diagnostic(`first frame ${firstFrameMs} ms after navigation start`);
    assert.equal(await page.title(), 'Sign in · zai-connect');
    assert.equal(await page.locator('#loading').isVisible(), false, 'the loading screen is gone');
    assert.equal(await page.getByRole('heading', { level: 1, name: 'zai-connect', exact: true }).count(), 1);

    // Where the mirror says the content is, the canvas has text and a button in many shades;
    // an empty stretch of the page is one flat colour. (A blank or failed canvas is one colour.)
    const h = await lib.rectOf(page, 'heading', 'zai-connect');
    const button = await lib.rectOf(page, 'button', 'Sign in with Zaikio');
    const content = { x: h.x - 8, y: h.y - 8, width: 480, height: button.y + button.h + 8 - h.y };
    const inContent = await lib.distinctColours(page, content);
    const inEmpty = await lib.distinctColours(page, { x: 1280 - 120, y: 800 - 120, width: 100, height: 100 });
    t.diagnostic(`distinct colours: ${inContent} where the content is, ${inEmpty} in an empty area`);
    assert.ok(inContent >= 12, `expected ImGui text and widgets, found ${inContent} colours`);
    assert.equal(inEmpty, 1);
    await lib.screenshot(page, 'first-screen');
  });
});

test('R46 a click on the canvas opens an organisation, fetched with the API header; its id is copied', async () => {
  await lib.withDashboard(`${member.origin}/`, { permissions: ['clipboard-read', 'clipboard-write'] }, async ({ page }) => {
    await lib.widget(page, 'heading', 'Your organisations').waitFor({ state: 'attached' });
    const calls = () => member.requests.filter((r) => r.path === organizationApi);
    assert.equal(calls().length, 0);

    await lib.clickOnCanvas(page, 'button', `Open ${organization.name}`);
    await lib.widget(page, 'text', `Organisation id: ${organization.id}`).waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => location.pathname), `/organizations/${organization.id}`);
    assert.equal(calls().length, 1);
    assert.equal(calls()[0].method, 'GET');
    assert.equal(calls()[0].headers['x-csrf'], '1');

    await lib.waitForIdle(page);
    await lib.clickOnCanvas(page, 'button', 'Copy organisation id');
    await lib.widget(page, 'status', 'Copied the organisation id.').waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), organization.id);
    await lib.waitForIdle(page);
    await lib.screenshot(page, 'first-screen-organization');
  });
});

test('draws no frame while nothing happens, and draws when the mouse moves', async (t) => {
  await lib.withDashboard(`${visitor.origin}/`, {}, async ({ page }) => {
    const atRest = await lib.frameCount(page);
    await page.waitForTimeout(3000);
    const later = await lib.frameCount(page);
    t.diagnostic(`frames: ${atRest} after start, ${later - atRest} in 3 s at rest`);
    assert.equal(later, atRest);

    // The counter is live: input draws frames (hover over the button changes its colour, and the
    // pointer becomes a hand as on any web page).
    const r = await lib.rectOf(page, 'button', 'Sign in with Zaikio');
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await page.waitForFunction((n) => Number(document.documentElement.dataset.frames) > n, atRest);
    await lib.waitForIdle(page);
    assert.equal(await page.evaluate(() => document.getElementById('canvas').style.cursor), 'pointer');
  });
});

test('a screen reader or keyboard user can use the mirrored button', async () => {
  await lib.withDashboard(`${visitor.origin}/`, {}, async ({ page }) => {
    // Tab moves the browser's focus into the mirror; Enter on a <button> clicks it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Sign in with Zaikio');
    await Promise.all([leftForSignIn(page), page.keyboard.press('Enter')]);
  });
});

test("ImGui's own keyboard navigation reaches and presses the button", async () => {
  await lib.withDashboard(`${visitor.origin}/`, {}, async ({ page }) => {
    await page.keyboard.press('ArrowDown');  // nothing focused yet: focuses the first item
    await lib.waitForIdle(page);
    await Promise.all([leftForSignIn(page), page.keyboard.press('Enter')]);
  });
});

test('a backend that drops the connection gets a clear alert with retry, and the page keeps working', async () => {
  const dropping = await lib.serveDist(lib.distDir(), {
    api(req, res, url) {
      if (url.pathname !== '/api/session') return false;
      req.socket.destroy();
      return true;
    },
  });
  const calls = () => dropping.requests.filter((r) => r.path === '/api/session').length;
  const b = await lib.launch();
  try {
    await b.page.goto(`${dropping.origin}/`);
    await lib.waitForFirstFrame(b.page);
    const alert = 'No answer from the backend. Check your connection, then try again.';
    await lib.widget(b.page, 'alert', alert).waitFor({ state: 'attached' });
    await lib.waitForIdle(b.page);

    // Chromium itself may resend a GET whose connection dropped, so the server counts one or more.
    const first = calls();
    await lib.clickOnCanvas(b.page, 'button', 'Try loading again');
    while (calls() === first) await b.page.waitForTimeout(20);
    await lib.waitForIdle(b.page);
    await lib.widget(b.page, 'alert', alert).waitFor({ state: 'attached' });
    // The failed fetches are the only problems (Chromium reports each twice); nothing threw.
    const expected = [/^request failed: .*\/api\/session/, /^console: Failed to load resource: net::ERR_EMPTY_RESPONSE/];
    assert.equal(b.problems.length, 4, b.problems.join('\n'));
    for (const p of b.problems) assert.ok(expected.some((pattern) => pattern.test(p)), p);
  } finally {
    await b.close();
    await dropping.close();
  }
});
