// The dashboard's platform layer in Debian's Chromium, as built for release: History API routing
// (deep links, in-app links, back, forward, reload), high-DPI canvas, pixel-ratio changes,
// resizing, the mouse wheel, and what a browser that cannot run the dashboard shows. The backend
// is a stand-in that answers "signed out", so the start page is the sign-in view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as lib from './lib.mjs';

let server;

before(async () => {
  server = await lib.serveDist(lib.distDir(), { api: lib.fakeApi({ '/api/session': lib.signedOutSession }) });
});

after(() => server.close());

const at = (path) => `${server.origin}${path}`;
const pathname = (page) => page.evaluate(() => location.pathname);
const canvasWidth = (page) => page.evaluate(() => document.getElementById('canvas').width);

test('deep links, in-app links, back/forward and reload follow the History API', async () => {
  await lib.withDashboard(at('/no/such/page'), {}, async ({ page }) => {
    const notFound = lib.widget(page, 'heading', 'Page not found');
    const home = lib.widget(page, 'heading', 'zai-connect');
    await notFound.waitFor({ state: 'attached' });
    assert.equal(await page.title(), 'Page not found · zai-connect');
    await lib.widget(page, 'text', 'There is nothing at /no/such/page.').waitFor({ state: 'attached' });
    assert.equal(await lib.widget(page, 'link', 'Go to the start page').getAttribute('href'), '/');

    // The link is clicked on the canvas: ImGui handles it and pushes a history entry.
    const entries = await page.evaluate(() => history.length);
    await lib.clickOnCanvas(page, 'link', 'Go to the start page');
    await home.waitFor({ state: 'attached' });
    assert.equal(await pathname(page), '/');
    assert.equal(await page.title(), 'Sign in · zai-connect');
    assert.equal(await page.evaluate(() => history.length), entries + 1);

    await page.goBack();
    await notFound.waitFor({ state: 'attached' });
    assert.equal(await pathname(page), '/no/such/page');
    await page.goForward();
    await home.waitFor({ state: 'attached' });

    await page.goBack();
    await page.reload();
    await lib.waitForFirstFrame(page);
    await notFound.waitFor({ state: 'attached' });
    await lib.screenshot(page, 'not-found');
  });
});

test('on a 2x screen the canvas has twice the pixels, the mirror stays in CSS px and clicks land', async () => {
  const options = { viewport: { width: 900, height: 600 }, deviceScaleFactor: 2 };
  await lib.withDashboard(at('/no/such/page'), options, async ({ page }) => {
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('canvas');
      return { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight };
    });
    assert.deepEqual(canvas, { width: 1800, height: 1200, cssWidth: 900, cssHeight: 600 });

    const link = await lib.rectOf(page, 'link', 'Go to the start page');
    assert.ok(link.x + link.w <= 900 && link.y + link.h <= 600, JSON.stringify(link));
    await lib.clickOnCanvas(page, 'link', 'Go to the start page');
    await lib.widget(page, 'heading', 'zai-connect').waitFor({ state: 'attached' });
    await lib.waitForIdle(page);
    await lib.screenshot(page, 'first-screen-2x');
  });
});

test('a new device pixel ratio (zoom, another screen) is picked up by the next frame', async () => {
  await lib.withDashboard(at('/'), { viewport: { width: 800, height: 600 } }, async ({ page, context }) => {
    assert.equal(await canvasWidth(page), 800);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 800, height: 600, deviceScaleFactor: 2, mobile: false });
    // Headless Chromium fires neither resize nor the resolution media query for an emulated
    // change, so a mouse move provides the frame here; browsers fire both.
    await page.mouse.move(10, 10);
    await page.waitForFunction(() => document.getElementById('canvas').width === 1600);

    // Clicks still land: the sign-in button leaves for the backend's /login.
    await Promise.all([
      page.waitForURL(at('/login?return_to=%2F')),
      lib.clickOnCanvas(page, 'button', 'Sign in with Zaikio'),
    ]);
  });
});

test('the canvas follows window resizes and the page re-lays out', async () => {
  await lib.withDashboard(at('/'), {}, async ({ page }) => {
    const wide = await lib.rectOf(page, 'heading', 'zai-connect');
    const frames = await lib.frameCount(page);
    await page.setViewportSize({ width: 480, height: 700 });
    await page.waitForFunction(() => document.getElementById('canvas').width === 480);
    await lib.waitForIdle(page);
    assert.ok((await lib.frameCount(page)) > frames, 'a resize draws frames');
    assert.equal(await page.evaluate(() => document.getElementById('canvas').height), 700);
    assert.equal(wide.x, (1280 - 720) / 2);  // the column, centred
    assert.equal((await lib.rectOf(page, 'heading', 'zai-connect')).x, 24);  // the page margin
  });
});

test('the mouse wheel scrolls a page taller than the window', async () => {
  await lib.withDashboard(at('/'), { viewport: { width: 640, height: 180 } }, async ({ page }) => {
    const top = await lib.rectOf(page, 'heading', 'zai-connect');
    await page.mouse.move(320, 90);
    await page.mouse.wheel(0, 100);  // one notch down
    await lib.waitForIdle(page);
    const scrolled = await lib.rectOf(page, 'heading', 'zai-connect');
    assert.ok(scrolled.y < top.y - 40, `heading moved from ${top.y} to ${scrolled.y}`);

    await page.mouse.wheel(0, -1000);
    await lib.waitForIdle(page);
    assert.equal((await lib.rectOf(page, 'heading', 'zai-connect')).y, top.y);
  });
});

// What a visitor sees when the browser cannot run the dashboard. Each case takes the feature away
// before any page script runs: WebAssembly and WebGL2 missing entirely are caught by shell.js;
// WebGL2 present but refusing a context (a blocklisted GPU) is caught by the wasm itself.
const webgl2Missing = 'This dashboard needs WebGL 2, which this browser does not offer or has turned off.';
for (const { what, init, expected } of [
  {
    what: 'no WebAssembly',
    init: () => { delete window.WebAssembly; },
    expected: 'This dashboard needs WebAssembly, which this browser does not offer or has turned off.',
  },
  { what: 'no WebGL 2', init: () => { delete window.WebGL2RenderingContext; }, expected: webgl2Missing },
  {
    what: 'a WebGL 2 context refused',
    init: () => {
      const get = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return type === 'webgl2' ? null : get.call(this, type, ...rest);
      };
    },
    expected: webgl2Missing,
  },
]) {
  test(`with ${what} the page says so clearly`, async () => {
    const b = await lib.launch();
    try {
      await b.context.addInitScript(init);
      await b.page.goto(at('/'));
      await b.page.waitForFunction(() => document.documentElement.dataset.state === 'error');
      assert.equal(await b.page.locator('#error-text').textContent(), expected);
      assert.equal(await b.page.locator('#error').isVisible(), true);
      assert.equal(await b.page.locator('#loading').isVisible(), false);
      assert.deepEqual(b.problems, []);
    } finally {
      await b.close();
    }
  });
}
