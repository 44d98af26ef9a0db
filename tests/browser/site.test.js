// Generic checks over the whole built site (HAVEN_SITE, default
// target/browser-site): what a reader's browser, a screen reader and the W3C
// validator would find. They hold for any correct site; each failure message
// names the page and the problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SITE_DIR, listHtml, samplePages, urlPath } from './lib/site.js';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems, measureOverflow, pageFacts } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { runVnu, formatVnu } from './lib/vnu.js';

// How many pages to check (plus the home page and 404.html, always): the
// browser passes cost ~1.6 s a page.
const VNU_CAP = Number(process.env.HAVEN_VNU_FILES || 300);
const BROWSER_CAP = Number(process.env.HAVEN_BROWSER_PAGES || 40);
// A missing, nested URL: how readers meet the 404 page, and where relative
// asset URLs in it would break.
const MISSING_URL = '/__haven_missing__/deep/page/';
const PAGE_TIMEOUT = { timeout: 60_000 };

const files = fs.existsSync(path.join(SITE_DIR, 'index.html')) ? listHtml(SITE_DIR) : [];
const skip = files.length ? false : `no site at ${SITE_DIR}`;
const pages = samplePages(files, BROWSER_CAP);
// 404.html is loaded at a missing URL with status 404 rather than directly.
const targets = pages.map((f) => (f === '404.html' ? { name: `404 page at ${MISSING_URL}`, url: MISSING_URL, expectStatus: 404 } : { name: urlPath(f), url: urlPath(f), expectStatus: 200 }));

let server;
let browser;
before(async () => {
  if (skip) return;
  server = await startServer(SITE_DIR);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('the site is built', () => {
  assert.ok(files.length, `no index.html in ${SITE_DIR}: build the site first (tests/run.sh does, or set HAVEN_SITE)`);
});

const vnuFiles = samplePages(files, VNU_CAP).map((f) => path.join(SITE_DIR, f));
test(`vnu: no HTML errors in ${vnuFiles.length} of ${files.length} files`, { skip, timeout: 300_000 }, async () => {
  const checked = vnuFiles;
  const errors = await runVnu(checked, { cwd: SITE_DIR });
  if (errors.length) assert.fail(`${errors.length} HTML errors in ${new Set(errors.map((e) => e.file)).size} of ${checked.length} files:\n${formatVnu(errors)}`);
});

for (const colorScheme of ['light', 'dark']) {
  for (const t of targets) {
    test(`${colorScheme}: ${t.name}: accessible, no third-party requests, no errors`, { skip, ...PAGE_TIMEOUT }, async () => {
      const r = await openPage(browser, server.url + t.url, { colorScheme, expectStatus: t.expectStatus });
      try {
        const axe = await runAxe(r.page);
        const problems = [...axe.summary, ...describeProblems(r)];
        if (problems.length) assert.fail(`${problems.length} problems on ${t.name} (${colorScheme} scheme):\n${problems.join('\n')}`);
      } finally {
        await r.close();
      }
    });
  }
}

for (const t of targets) {
  test(`320 px: ${t.name}: no horizontal scroll`, { skip, ...PAGE_TIMEOUT }, async () => {
    const r = await openPage(browser, server.url + t.url, { width: 320, height: 640, expectStatus: t.expectStatus });
    try {
      const m = await measureOverflow(r.page);
      assert.ok(
        m.scrollWidth <= m.innerWidth,
        `${t.name} scrolls sideways at 320 px: document.documentElement.scrollWidth ${m.scrollWidth} > window.innerWidth ${m.innerWidth}; sticking out: ${m.culprits.join(', ') || '(none found)'}`,
      );
    } finally {
      await r.close();
    }
  });
}

test('home page: one h1, a lang, a Content-Security-Policy meta tag', { skip, ...PAGE_TIMEOUT }, async () => {
  const r = await openPage(browser, `${server.url}/`);
  try {
    const f = await pageFacts(r.page);
    const problems = [];
    if (f.h1.length !== 1) problems.push(`expected exactly one <h1>, found ${f.h1.length}: ${JSON.stringify(f.h1)}`);
    if (!f.lang?.trim()) problems.push('<html> has no lang attribute');
    if (!f.csp.length) problems.push('no <meta http-equiv="Content-Security-Policy"> tag');
    if (problems.length) assert.fail(`home page:\n${problems.join('\n')}`);
  } finally {
    await r.close();
  }
});
