// Search and translations in real Chromium, over the example site in HAVEN_SITE (built by
// tests/run.sh; default target/browser-site): typing a query finds the expected page first
// (English and Spanish), the header box leads to the search page, the page works by keyboard
// and without JavaScript, axe finds nothing on it, the language switcher and hreflang
// alternates point both ways. Then a right-to-left site (tests/fixtures/i18n-rtl, built here
// with both themes): dir="rtl", no horizontal scroll, the outdated-translation notice, Arabic
// search. Last, French-, Arabic- and Vietnamese-only sites: words typed without their accents,
// tones or harakat find their pages.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SITE_DIR } from './lib/site.js';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { HAVEN_BIN, REPO_ROOT, tempDir, runHaven, setTomlKey } from './lib/theme-helpers.js';

const T = { timeout: 60_000 };
const hasSite = fs.existsSync(path.join(SITE_DIR, 'search', 'index.html'));
const skip = hasSite ? false : `no built site with a search page at ${SITE_DIR}`;
const skipRtl = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;

// [search page, query, expected first result (a path, or a RegExp over it)]
const QUERIES = [
  ['/search/', 'dysphoria', '/pcd/what-is-pcd/'],
  ['/search/', 'post-coital dysphoria', '/pcd/what-is-pcd/'],
  ['/search/', 'dysph', '/pcd/what-is-pcd/'],
  // Three pages have "space" in a heading: any of them may come first.
  ['/search/', 'space', /^\/(talking\/(sharing-your-needs|asking-what-they-need)|aftercare\/different-needs)\/$/],
  // Two have the words in a heading ("Asking for space", "If they ask for space"), and
  // different-needs links to "asking for space kindly" under its own "space" heading; there is no
  // phrase matching, so any of the three may come first.
  ['/search/', 'asking for space', /^\/(talking\/(sharing-your-needs|asking-what-they-need)|aftercare\/different-needs)\/$/],
  ['/search/', 'living with PCD', '/pcd/living-with-pcd/'],
  ['/search/', 'self-aftercare', '/self-care/self-aftercare/'],
  ['/search/', 'helplines', /^\/getting-help\//],
  ['/es/search/', 'disforia', '/es/pcd/what-is-pcd/'],
  ['/es/search/', 'disfórica', /^\/es\/pcd\//],
  ['/es/search/', 'qué es el aftercare', '/es/aftercare/what-is-aftercare/'],
  ['/es/search/', 'hablar con tu pareja', '/es/talking/'],
];

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

// Types `query` into the search page's box key by key, as a reader does, and returns the
// results once the live region has reported them.
async function searchFor(page, query) {
  const input = page.locator('#search-q');
  await input.click();
  await input.fill('');
  await page.keyboard.type(query, { delay: 20 });
  await page.waitForFunction(
    (q) => {
      const s = document.getElementById('search-status').textContent;
      return s && s.includes(q.trim());
    },
    query,
    { timeout: 10_000 },
  );
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    results: [...document.querySelectorAll('#search-results > li')].map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      title: li.querySelector('a').textContent,
      section: li.querySelector('.search-section')?.textContent || '',
      snippet: li.querySelector('.search-snippet')?.textContent || '',
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    })),
  }));
}

describe('search on the example site', { skip }, () => {
  for (const [where, query, expected] of QUERIES) {
    test(`${where}: "${query}" finds ${expected} first`, T, async () => {
      const r = await openPage(browser, `${server.url}${where}`);
      try {
        const found = await searchFor(r.page, query);
        assert.ok(found.results.length > 0, `no results for "${query}": ${found.status}`);
        const first = found.results[0].href;
        if (expected instanceof RegExp) assert.match(first, expected, JSON.stringify(found.results.slice(0, 3)));
        else assert.equal(first, expected, JSON.stringify(found.results.slice(0, 3)));
        assert.deepEqual(describeProblems(r), []);
      } finally {
        await r.close();
      }
    });
  }

  test('results show title, section and a snippet with the matches marked', T, async () => {
    const r = await openPage(browser, `${server.url}/search/`);
    try {
      const found = await searchFor(r.page, 'dysphoria');
      const first = found.results[0];
      assert.match(first.title, /dysphoria/i);
      assert.equal(first.section, 'Post-coital dysphoria');
      assert.ok(first.marks.length > 0, `no <mark> in ${first.snippet}`);
      assert.ok(first.marks.every((m) => /^dysphori/i.test(m)), first.marks.join(', '));
      assert.match(found.status, /\d+ pages? found for “dysphoria”/);
    } finally {
      await r.close();
    }
  });

  test('the header box leads to the search page with results, and the URL keeps the query', T, async () => {
    const r = await openPage(browser, `${server.url}/aftercare/`);
    try {
      const box = r.page.getByRole('search').getByLabel('Search this site');
      await box.fill('dysphoria');
      await Promise.all([r.page.waitForURL(/\/search\/\?q=dysphoria$/), box.press('Enter')]);
      await r.page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 0);
      assert.equal(await r.page.inputValue('#search-q'), 'dysphoria');
      assert.deepEqual(describeProblems(r), []);
    } finally {
      await r.close();
    }
  });

  test('by keyboard: Tab reaches the box, arrows move through results, Enter opens one', T, async () => {
    const r = await openPage(browser, `${server.url}/search/`);
    try {
      const page = r.page;
      const order = [];
      for (let i = 0; i < 30 && !order.includes('search-q'); i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className || document.activeElement.tagName));
      }
      assert.equal(order[0], 'skip-link', `first stop: ${order[0]}`);
      assert.match(order[1], /quick-exit/, `second stop: ${order[1]}`);
      assert.ok(order.includes('search-q'), `Tab never reached the search box: ${order.join(' > ')}`);
      await page.keyboard.type('space');
      await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 1);
      await page.keyboard.press('ArrowDown');
      const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
      assert.equal(href, await page.evaluate(() => document.querySelector('#search-results a').getAttribute('href')));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), href);
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
      await page.keyboard.press('ArrowDown');
      await Promise.all([page.waitForURL((u) => u.pathname === href), page.keyboard.press('Enter')]);
    } finally {
      await r.close();
    }
  });

  test('the input is labelled, results are a list, the count is a live region', T, async () => {
    const r = await openPage(browser, `${server.url}/es/search/`);
    try {
      const facts = await r.page.evaluate(() => {
        const input = document.getElementById('search-q');
        const status = document.getElementById('search-status');
        return {
          label: input.labels[0]?.textContent,
          lang: document.documentElement.lang,
          live: status.getAttribute('aria-live'),
          role: status.getAttribute('role'),
          list: document.getElementById('search-results').tagName,
          nojsHidden: document.getElementById('search-nojs').hidden,
          landmark: !!input.closest('[role=search]'),
        };
      });
      assert.deepEqual(facts, { label: 'Buscar en este sitio', lang: 'es', live: 'polite', role: 'status', list: 'OL', nojsHidden: true, landmark: true });
    } finally {
      await r.close();
    }
  });

  test('without JavaScript the search page says so and lists the sections', T, async () => {
    const r = await openPage(browser, `${server.url}/search/?q=dysphoria`, { javaScriptEnabled: false });
    try {
      const facts = await r.page.evaluate(() => ({
        note: document.getElementById('search-nojs').textContent,
        visible: !!document.getElementById('search-nojs').offsetParent,
        sections: [...document.querySelectorAll('.search-sections a')].map((a) => a.getAttribute('href')),
      }));
      assert.match(facts.note, /needs JavaScript/);
      assert.ok(facts.visible);
      assert.ok(facts.sections.includes('/pcd/') && facts.sections.includes('/talking/'), facts.sections.join(' '));
    } finally {
      await r.close();
    }
  });

  for (const [where, query] of [['/search/', 'space'], ['/es/search/', 'disforia']]) {
    for (const colorScheme of ['light', 'dark']) {
      test(`axe finds nothing on ${where} with results (${colorScheme})`, T, async () => {
        const r = await openPage(browser, `${server.url}${where}`, { colorScheme });
        try {
          await searchFor(r.page, query);
          const { summary } = await runAxe(r.page);
          assert.deepEqual(summary, []);
        } finally {
          await r.close();
        }
      });
    }
  }

  test('the search page asks search engines not to index it', T, async () => {
    const html = fs.readFileSync(path.join(SITE_DIR, 'search', 'index.html'), 'utf8');
    assert.match(html, /<meta name="robots" content="noindex">/);
  });
});

describe('language switcher and alternates', { skip }, () => {
  const PAIRS = [
    ['/aftercare/what-is-aftercare/', '/es/aftercare/what-is-aftercare/'],
    ['/pcd/what-is-pcd/', '/es/pcd/what-is-pcd/'],
    ['/talking/', '/es/talking/'],
    ['/', '/es/'],
  ];
  for (const [en, es] of PAIRS) {
    test(`${en} <-> ${es}`, T, async () => {
      for (const [from, to, lang, other] of [[en, es, 'en', 'es'], [es, en, 'es', 'en']]) {
        const r = await openPage(browser, `${server.url}${from}`);
        try {
          const facts = await r.page.evaluate((other) => {
            const nav = document.querySelector('nav.languages');
            const link = nav?.querySelector(`a[hreflang="${other}"]`);
            const alt = (l) => document.querySelector(`link[rel=alternate][hreflang="${l}"]`)?.getAttribute('href');
            return {
              htmlLang: document.documentElement.lang,
              dir: document.documentElement.dir,
              href: link?.getAttribute('href'),
              linkLang: link?.getAttribute('lang'),
              current: nav?.querySelector('a[aria-current=page]')?.getAttribute('href'),
              altOther: alt(other),
              altSelf: alt(document.documentElement.lang),
              xDefault: alt('x-default'),
            };
          }, other);
          assert.equal(facts.htmlLang, lang);
          assert.equal(facts.dir, 'ltr');
          assert.equal(facts.href, to, `${from}: switcher link to ${other}`);
          assert.equal(facts.linkLang, other);
          assert.equal(facts.current, from);
          assert.equal(new URL(facts.altOther).pathname, to);
          assert.equal(new URL(facts.altSelf).pathname, from);
          assert.equal(new URL(facts.xDefault).pathname, lang === 'en' ? from : to);
        } finally {
          await r.close();
        }
      }
    });
  }
});

describe('right-to-left site (tests/fixtures/i18n-rtl)', { skip: skipRtl }, () => {
  const sites = {};
  before(async () => {
    if (skipRtl) return;
    browser ??= await launchBrowser();
    for (const theme of ['guide', 'clinic']) {
      const root = tempDir(`haven-rtl-${theme}-`);
      fs.cpSync(path.join(REPO_ROOT, 'tests/fixtures/i18n-rtl'), root, { recursive: true });
      const config = path.join(root, 'haven.toml');
      fs.writeFileSync(config, setTomlKey(fs.readFileSync(config, 'utf8'), '', 'theme', `"${theme}"`));
      const out = path.join(root, 'public');
      runHaven(root, out);
      sites[theme] = { root, server: await startServer(out) };
    }
  });
  after(async () => {
    for (const s of Object.values(sites)) {
      await s.server.close();
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });

  for (const theme of ['guide', 'clinic']) {
    for (const width of [320, 1280]) {
      test(`${theme}: the Arabic page is rtl with no horizontal scroll at ${width} px`, T, async () => {
        const r = await openPage(browser, `${sites[theme].server.url}/ar/care/after/`, { width });
        try {
          const facts = await r.page.evaluate(() => {
            const w = window.innerWidth;
            const out = [...document.body.querySelectorAll('*')]
              .filter((el) => { const b = el.getBoundingClientRect(); return b.width > 0 && (b.left < -1 || b.right > w + 1); })
              .map((el) => el.tagName.toLowerCase() + (el.className ? `.${el.className}` : ''));
            const title = document.querySelector('.site-title, .clinic-name').getBoundingClientRect();
            return {
              dir: document.documentElement.dir,
              lang: document.documentElement.lang,
              scroll: document.documentElement.scrollWidth - w,
              out: out.slice(0, 5),
              titleOnRight: title.right > w / 2,
              notice: document.querySelector('.translation-notice')?.textContent || '',
              noticeLink: document.querySelector('.translation-notice a')?.getAttribute('lang'),
            };
          });
          assert.equal(facts.dir, 'rtl');
          assert.equal(facts.lang, 'ar');
          assert.ok(facts.scroll <= 0, `scrolls ${facts.scroll} px: ${facts.out.join(', ')}`);
          assert.deepEqual(facts.out, []);
          assert.ok(facts.titleOnRight, 'the site title starts on the right');
          // In Arabic: Haven's Arabic strings (src/i18n/ar.toml), not the English fallback.
          const arabic = /^translation_outdated = "(.*)"$/m.exec(
            fs.readFileSync(path.join(REPO_ROOT, 'src/i18n/ar.toml'), 'utf8'))[1];
          assert.ok(facts.notice.startsWith(arabic), `the outdated translation shows its notice in Arabic: ${facts.notice}`);
          assert.equal(facts.noticeLink, 'en', 'the link to the English original is marked lang="en"');
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
  }

  test('the English original carries no notice and the switcher points to Arabic', T, async () => {
    const r = await openPage(browser, `${sites.guide.server.url}/care/after/`);
    try {
      const facts = await r.page.evaluate(() => ({
        dir: document.documentElement.dir,
        notice: !!document.querySelector('.translation-notice'),
        ar: document.querySelector('nav.languages a[hreflang=ar]')?.getAttribute('href'),
      }));
      assert.deepEqual(facts, { dir: 'ltr', notice: false, ar: '/ar/care/after/' });
    } finally {
      await r.close();
    }
  });

  test('Arabic search finds the Arabic page', T, async () => {
    const r = await openPage(browser, `${sites.guide.server.url}/ar/search/`);
    try {
      const found = await searchFor(r.page, 'المساحة');
      assert.equal(found.results[0]?.href, '/ar/care/after/', JSON.stringify(found));
      assert.equal(await r.page.evaluate(() => document.documentElement.dir), 'rtl');
    } finally {
      await r.close();
    }
  });
});

// Single-language sites (tests/fixtures/lang-fr, lang-ar, lang-vi), built here with both
// themes: a reader types words without their accents, tones, harakat or hamza and finds the page
// that has them (docs/search.md, "Folding"; the fold itself is tests/browser/search-fold.test.js).
describe('accents, tones and harakat typed or not (lang-fr, lang-ar, lang-vi)', { skip: skipRtl }, () => {
  // [fixture, query, the page expected first]
  const CASES = [
    ['lang-fr', 'ecoute', '/apres/ecouter/'],
    ['lang-fr', 'ECOUTEZ', '/apres/ecouter/'],
    ['lang-fr', 'frequent', '/apres/tristesse/'],
    ['lang-fr', 'facon', '/apres/parler/'],
    // Stemmed (French Snowball): the singular finds "émotions".
    ['lang-fr', 'emotion', '/apres/ecouter/'],
    // Written الإِحْساسُ: typed without harakat, with a plain alef, with or without the article.
    ['lang-ar', 'الاحساس', '/care/sadness/'],
    ['lang-ar', 'احساس', '/care/sadness/'],
    ['lang-ar', 'الإحساس', '/care/sadness/'],
    // Written الأَمانُ وَالرِّعايَةُ in the title.
    ['lang-ar', 'الامان', '/care/safety/'],
    // Written الصِّحَّةِ: typed with its ta marbuta, without harakat.
    ['lang-ar', 'الصحة', '/care/sadness/'],
    // Vietnamese, not stemmed: tones and vowel marks left out, đ typed d, a word being typed.
    ['lang-vi', 'buon', '/cham-soc/cam-thay-buon/'],
    ['lang-vi', 'suc khoe', '/cham-soc/cam-thay-buon/'],
    ['lang-vi', 'lang nghe', '/cham-soc/lang-nghe/'],
    ['lang-vi', 'khong gi', '/cham-soc/lang-nghe/'],
  ];
  const sites = {};
  before(async () => {
    if (skipRtl) return;
    browser ??= await launchBrowser();
    for (const fixture of ['lang-fr', 'lang-ar', 'lang-vi']) {
      for (const theme of ['guide', 'clinic']) {
        const root = tempDir(`haven-${fixture}-${theme}-`);
        fs.cpSync(path.join(REPO_ROOT, 'tests/fixtures', fixture), root, { recursive: true });
        const config = path.join(root, 'haven.toml');
        fs.writeFileSync(config, setTomlKey(fs.readFileSync(config, 'utf8'), '', 'theme', `"${theme}"`));
        const out = path.join(root, 'public');
        runHaven(root, out);
        sites[`${fixture} ${theme}`] = { root, server: await startServer(out) };
      }
    }
  });
  after(async () => {
    for (const s of Object.values(sites)) {
      await s.server.close();
      fs.rmSync(s.root, { recursive: true, force: true });
    }
  });

  for (const theme of ['guide', 'clinic']) {
    for (const [fixture, query, expected] of CASES) {
      test(`${fixture} (${theme}): "${query}" finds ${expected} first`, T, async () => {
        const r = await openPage(browser, `${sites[`${fixture} ${theme}`].server.url}/search/`);
        try {
          const found = await searchFor(r.page, query);
          assert.equal(found.results[0]?.href, expected, JSON.stringify(found));
          // Marked in the snippet: the French words. An Arabic word found through its stem
          // past a prefix (الإحساس for احساس), or only in the title, is not marked.
          if (fixture === 'lang-fr') assert.ok(found.results[0].marks.length > 0, `nothing marked: ${found.results[0].snippet}`);
          assert.deepEqual(describeProblems(r), []);
        } finally {
          await r.close();
        }
      });
    }
  }
});
