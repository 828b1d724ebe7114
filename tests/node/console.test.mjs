// The browser console end to end: the admin service (Python, over a SQLite registry) serves
// it; Chromium, driven by playwright-core, signs in with the first admin token, creates a
// key, rotates it and sees both keys valid in the timeline, draws usage, revokes, finds the
// audit entries and the verified chain, and the offline inspector rejects a key with one
// character changed without a single request. Screenshots go to build/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const python = process.env.FINFUSION_PYTHON || join(root, '.venv/bin/python');
const shots = join(root, 'build/screenshots');

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Starts the admin service; resolves with its URL and the first admin token it prints.
async function startService(dir) {
  const port = await freePort();
  const child = spawn(python, ['-m', 'finfusion_admin', '--registry', `sqlite:${join(dir, 'keys.db')}`, 'serve',
    '--port', String(port), '--rotate-every', '0'], { cwd: root, env: { ...process.env, PYTHONPATH: join(root, 'services/admin') } });
  let out = '';
  const token = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the admin service did not start: ${out}`)), 30000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /first admin token[^:]*: (\S+)/.exec(out);
      if (m && out.includes('console at')) { clearTimeout(timer); resolve(m[1]); }
    });
    child.stderr.on('data', (chunk) => { out += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the admin service exited (${code}): ${out}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/healthz`)).ok) break; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, token };
}

test('the browser console, end to end', { skip: !existsSync(executablePath) && `no Chromium at ${executablePath}`, timeout: 180000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'finfusion-console-'));
  mkdirSync(shots, { recursive: true });
  const { child, url, token } = await startService(dir);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems = [];
    page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
    page.on('pageerror', (err) => problems.push(`page: ${err.message}`));
    let requests = 0;
    page.on('request', () => { requests += 1; });

    await page.goto(`${url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#token', token);
    await page.click('#login');
    await page.waitForSelector('#chain-status.ok');

    // Create a key from the form: shown once, listed, its timeline one valid bar.
    await page.fill('#create-name', 'Console key');
    await page.fill('#create-permissions', 'payments, kyc');
    await page.click('#create');
    await page.waitForSelector('#created:not([hidden])');
    const key = await page.textContent('#created-key');
    assert.match(key, /^prod_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    const id = key.slice(0, 21);
    await page.waitForSelector(`#keys tr[data-id="${id}"]`);
    await page.waitForSelector(`#timeline rect.bar[data-id="${id}"]`);

    // Three verifications with latencies, then the usage chart shows them for today.
    for (const latencyMs of [4, 9, 30]) {
      const r = await fetch(`${url}/v1/api-keys/verify`, { method: 'POST', headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ key, required: ['payments'], latencyMs }) });
      assert.equal((await r.json()).valid, true);
    }
    await page.click(`#keys tr[data-id="${id}"] button.show`);
    await page.waitForFunction(() => {
      const bars = [...document.querySelectorAll('#usage-requests rect.requests')];
      return bars.length === 14 && bars[13].dataset.value === '3';
    });
    assert.equal(await page.getAttribute('#usage-latency polyline.p50Ms', 'data-points'), '1');
    await page.screenshot({ path: join(shots, 'console-key.png'), fullPage: true });

    // Rotate with a grace period: both keys are valid in the timeline.
    await page.fill('#rotate-grace', '48h');
    await page.click(`#keys tr[data-id="${id}"] button.rotate`);
    await page.waitForFunction(() => document.querySelectorAll('#timeline rect.bar').length === 2);
    const bars = await page.$$eval('#timeline rect.bar', (els) => els.map((e) => ({ id: e.dataset.id, state: e.dataset.state, cls: e.getAttribute('class') })));
    assert.deepEqual(bars.map((b) => b.state), ['valid', 'valid']);
    assert.equal(bars[0].id, id);
    assert.match(bars[0].cls, /grace/);
    const successor = bars[1].id;
    await page.screenshot({ path: join(shots, 'console-rotation.png'), fullPage: true });

    // Revoke the successor: the audit log shows it, and the chain still verifies.
    await page.click(`#keys tr[data-id="${successor}"] button.revoke`);
    await page.waitForSelector('#audit tr[data-type="key.revoked"]');
    await page.waitForFunction((s) => document.querySelector(`#timeline rect.bar[data-id="${s}"]`)?.dataset.state === 'revoked', successor);
    assert.match(await page.textContent('#chain-status'), /chain verified/);
    const revocation = await page.$eval('#audit tr[data-type="key.revoked"]', (tr) => [...tr.cells].map((c) => c.textContent));
    assert.equal(revocation[3], successor);
    assert.match(revocation[4], /^admin:admin$/);

    // The inspector checks keys in the page: a valid one, then one with a character changed.
    const before = requests;
    await page.fill('#inspect-input', key);
    await page.click('#inspect');
    await page.waitForSelector('#inspect-result.valid');
    assert.match(await page.textContent('#inspect-result'), new RegExp(`id: +${id}`));
    const i = key.length - 7;
    const edited = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    await page.fill('#inspect-input', edited);
    await page.click('#inspect');
    await page.waitForSelector('#inspect-result.invalid');
    assert.equal(await page.textContent('#inspect-result'), 'rejected: bad_checksum');
    assert.equal(requests, before, 'the inspector sent a request');
    await page.screenshot({ path: join(shots, 'console-inspector.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
