// Prints the dashboard's budget figures (performance.md): transfer sizes of the served files
// (raw, gzip -9, brotli -q 11, from the .gz/.br the build wrote), the embedded font subsets,
// first-frame time in headless Chromium over several cold loads, and frames drawn at rest.
// A measuring script, not a test: it prints numbers and asserts nothing.
//
//   ZAI_WEB_DIST=build/web/dist node tests/browser/measure.mjs [loads]
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

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
