// Browser-test helpers for the dashboard: Debian's Chromium through playwright-core, a tiny
// static server for $ZAI_WEB_DIST, and the dashboard's test surface — the frame counter in
// <html data-frames> and the accessibility mirror in #a11y, whose elements carry their widget's
// canvas rectangle (data-x/y/w/h, CSS px). Tests find a widget by role and name in the mirror,
// then click the CANVAS there, so ImGui's own input path is what gets exercised.
//
//   const server = await serveDist(distDir(), { api });      // or the real backend's origin
//   await withDashboard(`${server.origin}/`, {}, async ({ page }) => {
//     await clickOnCanvas(page, 'button', 'Open Acme Print');
//     await widget(page, 'heading', 'Acme Print').waitFor({ state: 'attached' });
//   });                                            // fails on console errors, failed requests, HTTP ≥ 400

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

// toolchain.md: what works as root in this closed network; WebGL2 on SwiftShader.
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

// The CSP the backend will send (security.md); serving with it proves the shell obeys it, since
// Chromium reports every violation as a console error.
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function distDir() {
  const dir = process.env.ZAI_WEB_DIST;
  if (!dir) throw new Error('ZAI_WEB_DIST is not set (the built dashboard folder, e.g. build/web/dist)');
  for (const file of ['index.html', 'dashboard.js', 'dashboard.wasm']) {
    if (!existsSync(path.join(dir, file))) {
      throw new Error(`${dir} has no ${file}: build the dashboard first (cmake --preset web && cmake --build build/web)`);
    }
  }
  return dir;
}

export async function artifactsDir() {
  const dir = process.env.ZAI_ARTIFACTS ?? path.join(tmpdir(), 'zai-artifacts');
  await mkdir(dir, { recursive: true });
  return dir;
}

// Chromium in a fresh profile. `problems` collects everything a test must fail on: console
// errors, uncaught exceptions, failed requests and HTTP errors.
// `extraArgs` adds Chromium switches (e.g. to take WebGL away).
export async function launch({ viewport = { width: 1280, height: 800 }, deviceScaleFactor = 1, permissions = [], extraArgs = [] } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'zai-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: [...chromiumArgs, ...extraArgs],
    headless: true,
    viewport,
    deviceScaleFactor,
    permissions,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Opens `url` in a fresh Chromium, waits for the dashboard's first frame and for it to go idle,
// runs `body(b)` (b: launch()'s result plus firstFrameMs), then fails on any problem the page
// reported. The browser is closed whatever happens.
export async function withDashboard(url, options, body) {
  const b = await launch(options);
  try {
    await b.page.goto(url);
    b.firstFrameMs = await waitForFirstFrame(b.page);
    await waitForIdle(b.page);
    await body(b);
    assert.deepEqual(b.problems, [], 'console errors, failed requests or HTTP errors');
  } finally {
    await b.close();
  }
}

export function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return problems;
}

const mimeTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

// Serves `root` on 127.0.0.1 the way the backend will: right MIME types (application/wasm for
// streaming compilation), the shell (index.html) for any path without a file extension (SPA
// routes, deep links), 404 for a missing file. `api(req, res, url)` may answer a request first
// (return true when it did). Every request is recorded with its headers.
export async function serveDist(root, { api } = {}) {
  const requests = [];
  const base = path.resolve(root);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname + url.search, headers: { ...req.headers } });
    try {
      if (api && (await api(req, res, url))) return;
      let file = path.resolve(base, '.' + decodeURIComponent(url.pathname));
      if (!file.startsWith(base + path.sep) && file !== base) return send(res, 403, 'text/plain', 'outside');
      if (!path.extname(file)) file = path.join(base, 'index.html');
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) return send(res, 404, 'text/plain', 'not found');
      const type = mimeTypes[path.extname(file)] ?? 'application/octet-stream';
      send(res, 200, type, await readFile(file));
    } catch (e) {
      send(res, 500, 'text/plain', String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

export function send(res, status, type, body) {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

export function sendJson(res, status, value) {
  send(res, status, 'application/json', JSON.stringify(value));
}

// What GET /api/session answers for a visitor (shape: shared/include/zai/api.h).
export const signedOutSession = { authenticated: false, organizations: [], expires_in: 0, action_nonce: '' };

// A serveDist() `api` that stands in for the backend's JSON API: `routes` maps a path
// ('/api/session') to the JSON it answers. Like the backend it refuses a JSON API call without the
// API header; that 403 would fail the test.
export function fakeApi(routes) {
  return (req, res, url) => {
    if (!Object.hasOwn(routes, url.pathname)) return false;
    if (req.headers['x-csrf'] !== '1') {
      sendJson(res, 403, { error: { code: 'csrf_header_missing', message: 'API header missing' } });
    } else {
      sendJson(res, 200, routes[url.pathname]);
    }
    return true;
  };
}

// Waits for the dashboard's first frame; returns its time in ms since navigation start.
export async function waitForFirstFrame(page, { timeout = 15000 } = {}) {
  await page.waitForFunction(() => document.documentElement.dataset.state !== 'loading', null, { timeout });
  const state = await page.evaluate(() => document.documentElement.dataset.state);
  if (state !== 'ready') {
    const message = await page.locator('#error-text').textContent();
    throw new Error(`dashboard did not start (state ${state}): ${message}`);
  }
  return Number(await page.evaluate(() => document.documentElement.dataset.firstFrameMs));
}

// Frames drawn so far.
export async function frameCount(page) {
  return Number(await page.evaluate(() => document.documentElement.dataset.frames ?? 0));
}

// Resolves once no frame was drawn for `quietMs`; returns the frame count then.
export async function waitForIdle(page, { quietMs = 400, timeout = 10000 } = {}) {
  const end = Date.now() + timeout;
  let last = await frameCount(page);
  let since = Date.now();
  while (Date.now() < end) {
    await page.waitForTimeout(50);
    const now = await frameCount(page);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return now;
    }
  }
  throw new Error(`dashboard kept drawing for ${timeout} ms (frames: ${last})`);
}

function exactly(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

// The mirror element of a widget. Roles as in web/a11y.h: heading, text, button, link, list,
// listitem, status, alert, textbox. Live regions and text are matched by their text, the rest by their
// accessible name, exactly.
export function widget(page, role, name) {
  const mirror = page.locator('#a11y');
  if (role === 'text') return mirror.locator('p:not([role])').filter({ hasText: exactly(name) });
  if (role === 'status' || role === 'alert') return mirror.locator(`[role=${role}]`).filter({ hasText: exactly(name) });
  return mirror.getByRole(role, { name, exact: true });
}

// The widget's rectangle on the canvas in CSS px, as the dashboard reports it.
export async function rectOf(page, role, name, { timeout = 5000 } = {}) {
  const el = widget(page, role, name);
  await el.waitFor({ state: 'attached', timeout });
  const r = await el.evaluate((e) => ['x', 'y', 'w', 'h'].map((k) => Number(e.getAttribute(`data-${k}`))));
  return { x: r[0], y: r[1], w: r[2], h: r[3] };
}

// Clicks the canvas at the centre of the widget's rectangle (a real, trusted mouse click).
export async function clickOnCanvas(page, role, name) {
  const r = await rectOf(page, role, name);
  await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
  return r;
}

// After the page left for hubsim (`hubUrl`): picks `person` on its sign-in page when given
// (by the name on the button), allows on the consent page, and waits until the dashboard at
// `appUrl` has drawn its first frame and gone idle.
export async function throughHub(page, { hubUrl, appUrl, person }) {
  await page.waitForURL((u) => u.origin === hubUrl);
  if (person) await page.getByRole('button', { name: new RegExp(person.name) }).click();
  await page.getByRole('button', { name: 'Allow', exact: true }).click();
  await page.waitForURL((u) => u.origin === appUrl);
  await waitForFirstFrame(page);
  await waitForIdle(page);
}

export async function screenshot(page, name) {
  const file = path.join(await artifactsDir(), `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

// Distinct colours in a region of the page (CSS px). The screenshot is decoded by the browser in
// a blank page, so no PNG library is needed; channels drop their low 2 bits before counting.
export async function distinctColours(page, clip) {
  const png = await page.screenshot({ clip });
  const blank = await page.context().newPage();
  try {
    return await blank.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set();
      for (let i = 0; i < px.length; i += 4) seen.add(((px[i] >> 2) << 12) | ((px[i + 1] >> 2) << 6) | (px[i + 2] >> 2));
      return seen.size;
    }, png.toString('base64'));
  } finally {
    await blank.close();
  }
}
