// The dashboard's first screen in Debian's Chromium, as built for release (-Oz, Closure): it
// starts, draws real ImGui pixels, mirrors its widgets for screen readers, acts on a click on the
// CANVAS at the mirrored position, calls the API with the API header, copies to the clipboard,
// answers keyboard and screen-reader activation, and draws nothing while nothing happens.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as lib from './lib.mjs';

const person = { id: randomUUID(), full_name: 'Ada Lovelace', email: 'ada@example.org' };
const signedIn = 'Connected. Signed in as Ada Lovelace.';

let server;
let home;

before(async () => {
  server = await lib.serveDist(lib.distDir(), {
    // Stands in for the backend's GET /api/session (shape: shared/include/zai/api.h). Like the
    // backend it refuses a JSON API call without the API header; the 403 would fail the test.
    api(req, res, url) {
      if (url.pathname !== '/api/session') return false;
      if (req.headers['x-csrf'] !== '1') {
        lib.sendJson(res, 403, { error: { code: 'csrf_header_missing', message: 'API header missing' } });
      } else {
        lib.sendJson(res, 200, { authenticated: true, person, organizations: [], expires_in: 3600, action_nonce: 'n' });
      }
      return true;
    },
  });
  home = `${server.origin}/`;
});

after(() => server.close());

// Runs `act` and checks that it made exactly one connection check, which succeeded.
async function checksOnce(page, act) {
  const calls = () => server.requests.filter((r) => r.path === '/api/session');
  const before = calls().length;
  await act();
  await lib.widget(page, 'status', signedIn).waitFor({ state: 'attached' });
  const made = calls().slice(before);
  assert.equal(made.length, 1);
  assert.equal(made[0].method, 'GET');
  assert.equal(made[0].headers['x-csrf'], '1');
}

test('R61 starts under the strict CSP, draws ImGui pixels and mirrors the first screen', async (t) => {
  await lib.withDashboard(home, {}, async ({ page, firstFrameMs }) => {
    t.diagnostic(`first frame ${firstFrameMs} ms after navigation start`);
    assert.equal(await page.title(), 'zai-connect');
    assert.equal(await page.locator('#loading').isVisible(), false, 'the loading screen is gone');
    assert.equal(await page.getByRole('heading', { level: 1, name: 'zai-connect', exact: true }).count(), 1);

    // Where the mirror says the content is, the canvas has text and a button in many shades;
    // an empty stretch of the page is one flat colour. (A blank or failed canvas is one colour.)
    const h = await lib.rectOf(page, 'heading', 'zai-connect');
    const button = await lib.rectOf(page, 'button', 'Check connection');
    const content = { x: h.x - 8, y: h.y - 8, width: 480, height: button.y + button.h + 8 - h.y };
    const inContent = await lib.distinctColours(page, content);
    const inEmpty = await lib.distinctColours(page, { x: 1280 - 120, y: 800 - 120, width: 100, height: 100 });
    t.diagnostic(`distinct colours: ${inContent} where the content is, ${inEmpty} in an empty area`);
    assert.ok(inContent >= 12, `expected ImGui text and widgets, found ${inContent} colours`);
    assert.equal(inEmpty, 1);
    await lib.screenshot(page, 'first-screen');
  });
});

test('R46 a click on the canvas at the mirrored button checks the connection with the API header', async () => {
  await lib.withDashboard(home, { permissions: ['clipboard-read', 'clipboard-write'] }, async ({ page }) => {
    await checksOnce(page, () => lib.clickOnCanvas(page, 'button', 'Check connection'));

    await lib.clickOnCanvas(page, 'button', 'Copy person id');
    await lib.widget(page, 'status', 'Copied the person id.').waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), person.id);
    await lib.waitForIdle(page);
    await lib.screenshot(page, 'first-screen-signed-in');
  });
});

test('draws no frame while nothing happens, and draws when the mouse moves', async (t) => {
  await lib.withDashboard(home, {}, async ({ page }) => {
    const atRest = await lib.frameCount(page);
    await page.waitForTimeout(3000);
    const later = await lib.frameCount(page);
    t.diagnostic(`frames: ${atRest} after start, ${later - atRest} in 3 s at rest`);
    assert.equal(later, atRest);

    // The counter is live: input draws frames (hover over the button changes its colour, and the
    // pointer becomes a hand as on any web page).
    const r = await lib.rectOf(page, 'button', 'Check connection');
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await page.waitForFunction((n) => Number(document.documentElement.dataset.frames) > n, atRest);
    await lib.waitForIdle(page);
    assert.equal(await page.evaluate(() => document.getElementById('canvas').style.cursor), 'pointer');
  });
});

test('a screen reader or keyboard user can use the mirrored button', async () => {
  await lib.withDashboard(home, {}, async ({ page }) => {
    // Tab moves the browser's focus into the mirror; Enter on a <button> clicks it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Check connection');
    await checksOnce(page, () => page.keyboard.press('Enter'));
  });
});

test("ImGui's own keyboard navigation reaches and presses the button", async () => {
  await lib.withDashboard(home, {}, async ({ page }) => {
    await page.keyboard.press('ArrowDown');  // nothing focused yet: focuses the first item
    await lib.waitForIdle(page);
    await checksOnce(page, () => page.keyboard.press('Enter'));
  });
});

test('a backend that drops the connection gets a clear alert, and the page keeps working', async () => {
  const dropping = await lib.serveDist(lib.distDir(), {
    api(req, res, url) {
      if (url.pathname !== '/api/session') return false;
      req.socket.destroy();
      return true;
    },
  });
  const b = await lib.launch();
  try {
    await b.page.goto(`${dropping.origin}/`);
    await lib.waitForFirstFrame(b.page);
    await lib.waitForIdle(b.page);
    await lib.clickOnCanvas(b.page, 'button', 'Check connection');
    const alert = 'No answer from the backend. Check that zai-connect is running, then try again.';
    await lib.widget(b.page, 'alert', alert).waitFor({ state: 'attached' });
    await lib.waitForIdle(b.page);
    assert.equal(await lib.widget(b.page, 'button', 'Check connection').isDisabled(), false);
    // The failed fetch is the only problem (Chromium reports it twice); nothing threw.
    const expected = [/^request failed: .*\/api\/session/, /^console: Failed to load resource: net::ERR_EMPTY_RESPONSE/];
    assert.equal(b.problems.length, 2, b.problems.join('\n'));
    for (const pattern of expected) assert.ok(b.problems.some((p) => pattern.test(p)), b.problems.join('\n'));
  } finally {
    await b.close();
    await dropping.close();
  }
});
