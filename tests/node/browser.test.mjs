// The package in Chromium: serves the repository on 127.0.0.1, opens tests/browser/index.html
// (which imports bindings/node/dist/index.mjs as an ES module, no bundler), runs every
// conformance vector in the page, and fails on any mismatch or console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm' };
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

function serve() {
  const server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (!path.startsWith(root) || path.split(sep).includes('node_modules') || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('conformance vectors in headless Chromium', { skip: !existsSync(executablePath) && `no Chromium at ${executablePath}`, timeout: 120000 }, async () => {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    const problems = [];
    // Warnings too: the core falls back from streaming compilation with a warning (a
    // server that sends the .wasm without application/wasm), which should not pass unseen.
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page: ${err.message}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/tests/browser/index.html`);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 });
    const result = await page.evaluate(() => window.__result);
    if (process.env.FINFUSION_SCREENSHOT) await page.screenshot({ path: process.env.FINFUSION_SCREENSHOT });
    assert.deepEqual(result.failures, []);
    assert.ok(result.count > 250, `only ${result.count} vectors ran`);
    assert.match(result.sample.masked, /^prod_[0-9A-Za-z]{16}_\*{8}$/);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
