// `haven serve` in Chromium: an open page reloads by itself after an edit (a page the edit did
// not change stays as it is), a CSS-only change swaps the stylesheet without a reload, a broken edit shows the error overlay and a fix
// clears it. Spawns the haven binary (HAVEN_BIN, default the debug build in CARGO_TARGET_DIR or target/) on a copy of
// tests/fixtures/basic; skipped when there is no binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.js';
import { HAVEN_BIN } from './lib/theme-helpers.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = HAVEN_BIN;
const FIXTURE = path.join(REPO, 'tests/fixtures/basic');
const skip = fs.existsSync(BIN) ? false : `no haven binary at ${BIN}`;
const WAIT = { timeout: 15_000, polling: 50 };

let site;
let child;
let output = '';
let origin;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, ms = 20_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`haven serve did not answer at ${url}:\n${output}`);
}

function edit(rel, from, to) {
  const file = path.join(site, rel);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${rel} has no ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

before(async () => {
  if (skip) return;
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-serve-'));
  fs.cpSync(FIXTURE, site, { recursive: true });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  child = spawn(BIN, ['serve', '--root', site, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await waitForServer(`${origin}/`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  child?.kill();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

test('an open page follows edits by itself', { skip, timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  try {
    await page.goto(`${origin}/aftercare/why/`, { waitUntil: 'load' });
    // No wait for the event stream: a page that connects after a rebuild reloads all the same
    // (it knows the version it was served at).
    assert.match(await page.textContent('main'), /Hormones rise and fall/);

    // Another page, listening before the edit (its event stream open).
    const other = await context.newPage();
    other.on('pageerror', (e) => problems.push(`exception (other page): ${e.message}`));
    const listening = other.waitForResponse((r) => r.url().endsWith('/__haven/events'));
    await other.goto(`${origin}/aftercare/what/`, { waitUntil: 'load' });
    await listening;
    await other.evaluate(() => (window.__havenMarker = 'other'));

    // A body edit: the page reloads by itself (the marker set on this document is gone).
    await page.evaluate(() => (window.__havenMarker = 'before'));
    edit('content/aftercare/why.md', 'Hormones rise and fall.', 'Hormones rise, then fall.');
    await page.waitForFunction(() => document.body.textContent.includes('Hormones rise, then fall.'), null, WAIT);
    assert.equal(await page.evaluate(() => window.__havenMarker), undefined, 'the page was reloaded');

    // A CSS-only change: stylesheets swapped, no reload.
    await page.evaluate(() => (window.__havenMarker = 'kept'));
    fs.mkdirSync(path.join(site, 'static'), { recursive: true });
    const themeCss = await (await fetch(`${origin}/style.css`)).text();
    fs.writeFileSync(path.join(site, 'static/style.css'), `${themeCss}\n:root { --haven-serve-test: swapped; }\n`);
    await page.waitForFunction(
      () => getComputedStyle(document.documentElement).getPropertyValue('--haven-serve-test').trim() === 'swapped',
      null,
      WAIT,
    );
    assert.equal(await page.evaluate(() => window.__havenMarker), 'kept', 'no full reload for CSS');
    // The other page got both events in order (it swapped the stylesheet too), and the body
    // edit, which did not change its HTML, did not reload it.
    await other.waitForFunction(
      () => getComputedStyle(document.documentElement).getPropertyValue('--haven-serve-test').trim() === 'swapped',
      null,
      WAIT,
    );
    assert.equal(await other.evaluate(() => window.__havenMarker), 'other', 'a page the edit did not change is not reloaded');
    await other.close();

    // A broken edit: the overlay shows the located error; the page underneath stays.
    edit('content/aftercare/why.md', 'title: Why it matters', 'title: [Why it matters');
    await page.waitForSelector('#haven-serve-error', WAIT);
    const overlay = await page.textContent('#haven-serve-error');
    assert.match(overlay, /content\/aftercare\/why\.md:2:\d+: error/);
    assert.match(await page.textContent('main'), /Hormones rise, then fall/);

    // Fixed: the page reloads with the fix and the overlay is gone.
    edit('content/aftercare/why.md', 'title: [Why it matters', 'title: Why it really matters');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('Why it really matters'), null, WAIT);
    assert.equal(await page.$('#haven-serve-error'), null);
    assert.deepEqual(problems, [], problems.join('\n'));
  } catch (e) {
    e.message += `\nhaven serve printed:\n${output}`;
    throw e;
  } finally {
    await context.close();
  }
});
