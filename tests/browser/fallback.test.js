// Fallback pages in real Chromium (docs/translations.md, "Fallback pages"): over
// tests/fixtures/fallback-site (English, with Spanish and French lacking pages), built here with
// both themes, a fallback page and the section listing it are axe clean, show the notice in the
// reader's language and mark the original's text with its language; over tests/fixtures/i18n-rtl
// with fallback pages on and an English page Arabic lacks, the English text runs left to right
// inside the right-to-left page, with no horizontal scroll.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { HAVEN_BIN, REPO_ROOT, tempDir, runHaven, setTomlKey } from './lib/theme-helpers.js';

const T = { timeout: 60_000 };
const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;

// Copies tests/fixtures/NAME, applies `edit` to its haven.toml, writes `files`, builds it and
// serves the output: { root, server }.
async function serveFixture(name, prefix, edit, files = {}) {
  const root = tempDir(prefix);
  fs.cpSync(path.join(REPO_ROOT, 'tests/fixtures', name), root, { recursive: true });
  const config = path.join(root, 'haven.toml');
  fs.writeFileSync(config, edit(fs.readFileSync(config, 'utf8')));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), body);
  }
  const out = path.join(root, 'public');
  runHaven(root, out);
  return { root, server: await startServer(out) };
}

describe('fallback pages', { skip }, () => {
  let browser;
  const sites = {};
  before(async () => {
    if (skip) return;
    browser = await launchBrowser();
    for (const theme of ['guide', 'clinic']) {
      sites[theme] = await serveFixture('fallback-site', `haven-fallback-${theme}-`,
        (t) => setTomlKey(t, '', 'theme', `"${theme}"`));
    }
    sites.rtl = await serveFixture('i18n-rtl', 'haven-fallback-rtl-',
      (t) => setTomlKey(t, 'translations', 'fallback_pages', 'true'),
      { 'content/care/untranslated.md': '+++\ntitle = "Only in English"\ndescription = "A page Arabic lacks."\n+++\nThis page has no Arabic version yet. It is shown in English, left to right.\n' });
  });
  after(async () => {
    await browser?.close();
    for (const s of Object.values(sites)) {
      await s.server.close();
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });

  for (const theme of ['guide', 'clinic']) {
    test(`${theme}: the Spanish fallback page shows the notice, marks the English text and is axe clean`, T, async () => {
      const r = await openPage(browser, `${sites[theme].server.url}/es/aftercare/talking/`);
      try {
        const facts = await r.page.evaluate(() => ({
          lang: document.documentElement.lang,
          notice: document.querySelector('.fallback-notice')?.textContent || '',
          noticeLink: document.querySelector('.fallback-notice a')?.getAttribute('href'),
          h1: document.querySelector('h1')?.lang,
          prose: document.querySelector('.prose')?.lang,
          canonical: document.querySelector('link[rel=canonical]')?.href,
        }));
        assert.equal(facts.lang, 'es');
        assert.match(facts.notice, /aún no está traducida/);
        assert.equal(facts.noticeLink, '/aftercare/talking/');
        assert.equal(facts.h1, 'en');
        assert.equal(facts.prose, 'en');
        assert.equal(facts.canonical, 'https://guide.example.org/aftercare/talking/');
        const { summary } = await runAxe(r.page);
        assert.deepEqual(summary, []);
        assert.deepEqual(describeProblems(r), []);
      } finally {
        await r.close();
      }
    });

    test(`${theme}: the Spanish section lists the fallback page, marked, and is axe clean`, T, async () => {
      const r = await openPage(browser, `${sites[theme].server.url}/es/aftercare/`);
      try {
        const item = await r.page.evaluate(() => {
          const link = document.querySelector('a[href="/es/aftercare/talking/"]');
          return { lang: link?.lang, mark: link?.parentElement.querySelector('.fallback-mark')?.textContent };
        });
        assert.deepEqual(item, { lang: 'en', mark: '(aún sin traducir)' });
        const { summary } = await runAxe(r.page);
        assert.deepEqual(summary, []);
        assert.deepEqual(describeProblems(r), []);
      } finally {
        await r.close();
      }
    });
  }

  for (const width of [320, 1280]) {
    test(`an English fallback page in the Arabic site runs left to right inside it, no horizontal scroll at ${width} px`, T, async () => {
      const r = await openPage(browser, `${sites.rtl.server.url}/ar/care/untranslated/`, { width });
      try {
        const facts = await r.page.evaluate(() => {
          const w = window.innerWidth;
          const prose = document.querySelector('.prose');
          return {
            dir: document.documentElement.dir,
            lang: document.documentElement.lang,
            prose: [prose?.lang, prose?.dir, prose && getComputedStyle(prose).direction],
            scroll: document.documentElement.scrollWidth - w,
          };
        });
        assert.deepEqual(facts, { dir: 'rtl', lang: 'ar', prose: ['en', 'ltr', 'ltr'], scroll: 0 });
        if (width === 1280) {
          const { summary } = await runAxe(r.page);
          assert.deepEqual(summary, []);
        }
        assert.deepEqual(describeProblems(r), []);
      } finally {
        await r.close();
      }
    });
  }
});
