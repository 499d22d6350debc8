// Prints the dashboard's budget figures (performance.md): transfer sizes of the served files
// (raw, gzip -9, brotli -q 11, from the .gz/.br the build wrote), the embedded font subsets,
// first-frame time in headless Chromium over several cold loads, frames drawn at rest, and for
// hubsim's seeded person in 1,000 organisations (Dev Patel, through real hubsim + zai-connect)
// the frame build time and the number of frames drawn during a scroll through the list.
// A measuring script, not a test: it prints numbers and asserts nothing.
//
//   ZAI_WEB_DIST=build/web/dist node tests/browser/measure.mjs [loads]
//
// The servers for the 1,000-organisation part are $ZAI_HUBSIM_BIN and $ZAI_CONNECT_BIN, by default
// those of build/native-debug; without them that part is skipped.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

import { HUBSIM } from '../lib/procs.mjs';
import { startStack } from '../lib/stack.mjs';
import * as lib from './lib.mjs';

const kb = (n) => (n / 1024).toFixed(1);
const dist = lib.distDir();
const loads = Number(process.argv[2] ?? 5);

async function size(file) {
  return (await stat(file).catch(() => null))?.size ?? null;
}

// The sizes the backend will send: the precompressed files the build wrote beside each file.
const rows = [];
for (const name of ['index.html', 'shell.css', 'shell.js', 'favicon.svg', 'dashboard.js', 'dashboard.wasm']) {
  const f = path.join(dist, name);
  rows.push({ name, raw: await size(f), gz: await size(`${f}.gz`), br: await size(`${f}.br`) });
}
// The font is embedded in the wasm; its subsets are in the web build tree beside dist/.
for (const weight of ['Regular', 'SemiBold']) {
  const f = path.join(dist, '..', 'web', 'fonts', `Inter-${weight}.subset.otf`);
  const data = await readFile(f).catch(() => null);
  if (!data) continue;
  rows.push({
    name: `(in wasm) Inter-${weight}`,
    raw: data.length,
    gz: gzipSync(data, { level: 9 }).length,
    br: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
console.log('file                         raw KB   gzip KB  brotli KB');
for (const r of rows) {
  console.log(`${r.name.padEnd(28)} ${kb(r.raw).padStart(7)} ${kb(r.gz).padStart(9)} ${kb(r.br).padStart(10)}`);
}
const served = rows.filter((r) => !r.name.startsWith('(') && r.name !== 'favicon.svg');
const total = (k) => served.reduce((sum, r) => sum + r[k], 0);
console.log(`total html+css+js+wasm (font inside): ${kb(total('raw'))} KB raw, ${kb(total('gz'))} KB gzip ` +
            `(budget 350), ${kb(total('br'))} KB brotli`);

const server = await lib.serveDist(dist);
const times = [];
let rest = null;
try {
  for (let i = 0; i < loads; ++i) {
    const b = await lib.launch();
    try {
      await b.page.goto(`${server.origin}/`);
      times.push(await lib.waitForFirstFrame(b.page));
      if (i === loads - 1) {
        const start = await lib.waitForIdle(b.page);
        await b.page.waitForTimeout(5000);
        rest = (await lib.frameCount(b.page)) - start;
      }
      if (b.problems.length) console.log('problems:', b.problems);
    } finally {
      await b.close();
    }
  }
} finally {
  await server.close();
}
times.sort((a, b) => a - b);
console.log(`first frame after navigation start, ${loads} cold loads: median ${times[times.length >> 1]} ms ` +
            `(min ${times[0]}, max ${times[times.length - 1]}; budget 1500)`);
console.log(`frames drawn in 5 s at rest: ${rest}`);

// ---- 1,000 organisations -------------------------------------------------------------------------
const built = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../build/native-debug/server');
process.env.ZAI_HUBSIM_BIN ??= path.join(built, 'hubsim/hubsim');
process.env.ZAI_CONNECT_BIN ??= path.join(built, 'connect/zai-connect');

const stats = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};

async function measureScale() {
  const stack = await startStack();
  const b = await lib.launch();
  try {
    const { page } = b;
    await page.goto(`${stack.url}/`);
    await lib.waitForFirstFrame(page);
    await lib.clickOnCanvas(page, 'button', 'Sign in with Zaikio');
    await lib.throughHub(page, { hubUrl: stack.hub.url, appUrl: stack.url, person: HUBSIM.people.dev });
    await lib.widget(page, 'status', 'Showing 1,000 of 1,000 organisations, sorted by name (A to Z).')
      .waitFor({ state: 'attached' });
    await lib.waitForIdle(page);

    // Frame build times (window.zaiFrameMs: C++ time per frame, build + GL submission).
    const frameTimes = () => page.evaluate(() => window.zaiFrameMs.slice());
    const rows = () => page.locator('#a11y li').count();
    const atRest = await lib.frameCount(page);
    const mirrored = await rows();

    // Scroll: 40 wheel notches of 100 px over the list, about 60 per second, as a person flicks.
    await page.mouse.move(640, 600);
    for (let i = 0; i < 40; ++i) {
      await page.mouse.wheel(0, 100);
      await page.waitForTimeout(16);
    }
    const after = await lib.waitForIdle(page);
    const scrolled = (await frameTimes()).slice(-(after - atRest));
    const first = await page.locator('#a11y li').first().getAttribute('aria-posinset');

    // Typing into the filter rebuilds the filtered, sorted model of 1,000 rows once per key.
    await page.mouse.wheel(0, -100000);  // back to the top, where the filter is
    const beforeFilter = await lib.waitForIdle(page);
    await lib.clickOnCanvas(page, 'textbox', 'Filter organisations');
    await page.keyboard.type('0420', { delay: 30 });
    await lib.widget(page, 'status', 'Showing 1 of 1,000 organisations matching “0420”, sorted by name (A to Z).')
      .waitFor({ state: 'attached' });
    const afterFilter = await lib.waitForIdle(page);
    const filtered = (await frameTimes()).slice(-(afterFilter - beforeFilter));

    console.log(`1,000 organisations (Dev Patel, real hubsim + zai-connect): ${mirrored} rows built and mirrored ` +
                `of 1,000 (clipped list)`);
    console.log(`  scroll, 40 wheel notches (4,000 px): ${scrolled.length} frames drawn, then idle at row ${first}; ` +
                `frame build ${stats(scrolled)}`);
    console.log(`  filter as you type (4 keys): ${filtered.length} frames; frame build ${stats(filtered)}`);
    if (b.problems.length) console.log('problems:', b.problems);
  } finally {
    await b.close();
    await stack.stop();
  }
}

if (!existsSync(process.env.ZAI_HUBSIM_BIN) || !existsSync(process.env.ZAI_CONNECT_BIN)) {
  console.log('1,000 organisations: skipped (no hubsim / zai-connect binaries; build native-debug or set ZAI_*_BIN)');
} else {
  await measureScale();
}
