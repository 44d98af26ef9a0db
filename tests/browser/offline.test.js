// The offline copy (`haven build --offline DIR`, docs/offline.md) in real Chromium, opened from
// files (file://) with the network blocked: from START-HERE.html three links are followed, a
// glossary link leads to its entry, the header search finds a page, a quiz on it answers, its
// handout and large-print handout open styled with their QR code, quick exit leaves; no console
// error, no uncaught exception, no request outside the folder, nothing stored in the browser;
// axe finds nothing on START-HERE.html (not run on the site's pages here: from file:// axe asks
// for their style sheets by XHR, which Chromium refuses; search.test.js runs it on the same
// pages served). Builds the example site here with the debug binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { launchBrowser } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { HAVEN_BIN, REPO_ROOT, tempDir } from './lib/theme-helpers.js';

const T = { timeout: 120_000 };
const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;

let dir;
let folderUrl;
let browser;
before(async () => {
  if (skip) return;
  dir = path.join(tempDir('haven-offline-'), 'copy');
  execFileSync(HAVEN_BIN, ['build', '--root', REPO_ROOT, '--offline', dir], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  folderUrl = pathToFileURL(dir).href + '/';
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

// A fresh context with every request outside the folder aborted and recorded (the network is
// blocked), every file:// request checked to be inside the folder and to exist, and console
// errors and uncaught exceptions recorded.
async function offlinePage() {
  const context = await browser.newContext({ locale: 'en-US', offline: true });
  const outside = [];
  const missing = [];
  const consoleErrors = [];
  const pageErrors = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(folderUrl)) return route.continue();
    outside.push(url);
    // Leaving the copy (quick exit): a stand-in for the other site, so the test can see that
    // the page was left; nothing goes out.
    if (route.request().isNavigationRequest()) return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Elsewhere</title>' });
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('request', (req) => {
    const url = req.url();
    if (url.startsWith('file:') && !url.startsWith(folderUrl)) outside.push(url);
    if (url.startsWith(folderUrl)) {
      const file = decodeURIComponent(new URL(url).pathname);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) missing.push(url);
    }
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} ${msg.location()?.url || ''}`);
  });
  page.on('pageerror', (err) => pageErrors.push(String(err?.message ?? err)));
  const problems = () => [
    ...outside.map((u) => `request outside the folder: ${u}`),
    ...missing.map((u) => `request for a file that is not there: ${u}`),
    ...consoleErrors.map((c) => `console error: ${c}`),
    ...pageErrors.map((e) => `uncaught exception: ${e}`),
  ];
  return { page, context, outside, problems };
}

// Where the page is, relative to the folder.
function here(page) {
  const url = page.url();
  assert.ok(url.startsWith(folderUrl), `${url} is outside the copy`);
  return url.slice(folderUrl.length);
}

// Clicks the link `selector` and waits for the page it leads to.
async function follow(page, selector) {
  await Promise.all([page.waitForEvent('load'), page.click(selector)]);
  // The page's own style sheet applied (an address still starting with / would not load it).
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.skip-link') || document.body).position);
  return styled;
}

test('the offline copy works from file:// with the network blocked', { skip, ...T }, async () => {
  for (const f of ['START-HERE.html', 'index.html', 'offline-site.zip', 'search/en/index.js']) {
    assert.ok(fs.existsSync(path.join(dir, f)), `${f} is in the copy`);
  }
  for (const f of ['search/en/index.json', '_headers', 'sitemap.xml', 'robots.txt']) {
    assert.ok(!fs.existsSync(path.join(dir, f)), `${f} is not in the copy`);
  }
  const { page, context, outside, problems } = await offlinePage();
  try {
    await page.goto(folderUrl + 'START-HERE.html', { waitUntil: 'load' });
    assert.deepEqual((await runAxe(page)).summary, [], 'START-HERE.html: axe');

    // Three links: START-HERE to the home page, the main menu, a page of the section.
    await follow(page, 'a[href="index.html"]');
    assert.equal(here(page), 'index.html');
    assert.equal(await follow(page, '.site-nav a:text-is("Aftercare")'), 'absolute', 'the skip link is styled: style.css loaded');
    assert.equal(here(page), 'aftercare/index.html');
    await follow(page, 'a.page-list-title:text-is("What aftercare is")');
    assert.equal(here(page), 'aftercare/what-is-aftercare/index.html');

    // A glossary term leads to its entry on the glossary page.
    const term = page.locator('a.haven-term-link').first();
    const entry = (await term.getAttribute('href')).split('#')[1];
    await Promise.all([page.waitForEvent('load'), term.click()]);
    assert.equal(here(page), `glossary/index.html#${entry}`);
    assert.equal(await page.locator(`[id="${entry}"]`).count(), 1, 'the entry is on the glossary page');

    // The header search box leads to the search page, which finds the page.
    await page.fill('#site-search-q', 'dysphoria');
    await Promise.all([page.waitForEvent('load'), page.press('#site-search-q', 'Enter')]);
    assert.equal(here(page), 'search/index.html?q=dysphoria');
    await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0, null, { timeout: 10_000 });
    const first = await page.locator('#search-results a').first().evaluate((a) => a.href);
    assert.equal(first, folderUrl + 'pcd/what-is-pcd/index.html');
    await follow(page, '#search-results a >> nth=0');
    assert.equal(here(page), 'pcd/what-is-pcd/index.html');

    // A quiz answers.
    await page.click('label[for="pcd-facts-q1-1"]');
    await page.click('#pcd-facts-q1 .quiz-check');
    const verdict = await page.locator('#pcd-facts-q1-result .quiz-verdict').textContent();
    assert.match(verdict, /^(Correct\.|Not quite\.)$/);
    assert.equal(await page.locator('.quiz-remember').count(), 0, 'no offer to remember answers');
    assert.equal(await page.locator('.theme-toggle').count(), 0, 'no theme toggle (it stores the choice)');

    // The page's handout, and its large-print version, open with their styles and QR code.
    await follow(page, 'a:text-is("Print this as a handout")');
    assert.equal(here(page), 'handouts/what-is-pcd/index.html');
    const handout = () => page.evaluate(() => ({
      qr: document.querySelectorAll('svg').length > 0,
      // Loaded style sheets (from file:// their rules cannot be read, but a sheet that did not
      // load has none).
      sheets: [...document.querySelectorAll('link[rel=stylesheet]')].filter((l) => l.sheet).length,
    }));
    let facts = await handout();
    assert.ok(facts.qr && facts.sheets >= 2, `handout styled, with a QR code: ${JSON.stringify(facts)}`);
    await follow(page, 'a:text-is("Large print version")');
    assert.equal(here(page), 'handouts/what-is-pcd/large-print/index.html');
    facts = await handout();
    assert.ok(facts.qr && facts.sheets >= 2, `large print styled, with a QR code: ${JSON.stringify(facts)}`);
    await page.goBack({ waitUntil: 'load' });
    await page.goBack({ waitUntil: 'load' });
    assert.equal(here(page), 'pcd/what-is-pcd/index.html');

    // Nothing was stored in the browser.
    const stored = await page.evaluate(() => localStorage.length + sessionStorage.length);
    assert.equal(stored, 0, 'nothing in localStorage or sessionStorage');
    assert.deepEqual(problems(), []);

    // Quick exit leaves the page at once, for the neutral site (which needs the network).
    const exit = await page.locator('.quick-exit-link').getAttribute('href');
    await Promise.all([page.waitForURL(exit), page.click('.quick-exit-link')]);
    assert.deepEqual(outside, [exit], 'the only request outside the folder is quick exit leaving');
    assert.equal(await page.title(), 'Elsewhere');
  } finally {
    await context.close();
  }
});

// Every page of the copy up to two folders deep (sections, their first pages, the glossary,
// handouts, quizzes, scripts, tags, both languages) loads from file:// with no error and no
// request outside the folder.
test("the copy's pages load offline without errors", { skip, ...T }, async () => {
  const pages = [];
  const walk = (rel, depth) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < 2 && !p.startsWith('search/')) walk(p, depth + 1);
      else if (e.name.endsWith('.html')) pages.push(p);
    }
  };
  walk('', 0);
  assert.ok(pages.length > 60, `only ${pages.length} pages`);
  const { page, context, problems } = await offlinePage();
  try {
    const failed = [];
    for (const p of pages) {
      const before = problems().length;
      await page.goto(folderUrl + p, { waitUntil: 'load' });
      for (const line of problems().slice(before)) failed.push(`${p}: ${line}`);
    }
    assert.deepEqual(failed, []);
  } finally {
    await context.close();
  }
});

test('the zip unpacks to the same files as the folder', { skip, ...T }, () => {
  const out = path.join(path.dirname(dir), 'unzipped');
  // Python's zipfile: a reader other than the zip crate that tests/offline.rs reads it with.
  execFileSync('python3', ['-m', 'zipfile', '-e', path.join(dir, 'offline-site.zip'), out]);
  const list = (root) => {
    const files = [];
    const walk = (d) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(path.relative(root, p));
      }
    };
    walk(root);
    return files.sort();
  };
  const inFolder = list(dir).filter((f) => f !== 'offline-site.zip' && f !== '.haven-manifest');
  assert.deepEqual(list(out), inFolder);
  for (const f of inFolder) {
    assert.ok(fs.readFileSync(path.join(out, f)).equals(fs.readFileSync(path.join(dir, f))), `${f} is the same`);
  }
});
