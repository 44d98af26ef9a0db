// A French-only and an Arabic-only site (tests/fixtures/lang-fr, lang-ar-ui), each built with both
// themes (issue 21): the pages are axe clean, and what the scripts say (quiz verdicts and score,
// the copy button's status, the search results count) is in the page's language, read from the
// page, never from English words in the scripts. The words expected are Haven's own strings of
// the language (src/i18n/LANG.toml).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { HAVEN_BIN, REPO_ROOT, tempDir, runHaven, setTomlKey } from './lib/theme-helpers.js';

const T = { timeout: 90_000 };
const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;

// The flat `key = "text"` lines of a strings file (TOML basic strings decode as JSON ones).
function pack(lang) {
  const text = fs.readFileSync(path.join(REPO_ROOT, `src/i18n/${lang}.toml`), 'utf8');
  const out = {};
  for (const m of text.matchAll(/^([a-z0-9_]+) = ("(?:[^"\\]|\\.)*")$/gm)) out[m[1]] = JSON.parse(m[2]);
  return out;
}
const fill = (s, values) => s.replace(/\{(\w+)\}/g, (_, k) => String(values[k]));

const SITES = [
  {
    lang: 'fr', dir: 'ltr', fixture: 'lang-fr', article: '/apres/tristesse/', quiz: 'tristesse',
    handout: '/handouts/tristesse/', word: 'tristes',
  },
  {
    lang: 'ar', dir: 'rtl', fixture: 'lang-ar-ui', article: '/baad/huzn/', quiz: 'huzn',
    handout: '/handouts/huzn/', word: 'الوقت',
  },
];

let browser;
before(async () => {
  if (skip) return;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const site of SITES) {
  const t = skip ? {} : pack(site.lang);
  for (const theme of ['guide', 'clinic']) {
    describe(`${site.fixture} with ${theme}`, { skip }, () => {
      let root;
      let server;
      before(async () => {
        if (skip) return;
        root = tempDir(`haven-${site.fixture}-${theme}-`);
        fs.cpSync(path.join(REPO_ROOT, 'tests/fixtures', site.fixture), root, { recursive: true });
        const config = path.join(root, 'haven.toml');
        fs.writeFileSync(config, setTomlKey(fs.readFileSync(config, 'utf8'), '', 'theme', `"${theme}"`));
        const out = path.join(root, 'public');
        runHaven(root, out);
        server = await startServer(out);
      });
      after(async () => {
        await server?.close();
        if (root) fs.rmSync(root, { recursive: true, force: true });
      });

      test('pages are axe clean, in the language and direction of the site', T, async () => {
        for (const p of ['/', site.article, '/scripts/', site.handout, '/search/', '/quizzes/', '/glossary/']) {
          const r = await openPage(browser, `${server.url}${p}`);
          try {
            const facts = await r.page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
            assert.deepEqual(facts, { lang: site.lang, dir: site.dir }, p);
            const { summary } = await runAxe(r.page);
            assert.deepEqual(summary, [], `${p}: axe`);
            assert.deepEqual(describeProblems(r), [], p);
          } finally {
            await r.close();
          }
        }
      });

      test('the quiz speaks the language of the page', T, async () => {
        const r = await openPage(browser, `${server.url}${site.article}`);
        try {
          const { page } = r;
          const q = site.quiz;
          await page.click(`label[for="${q}-q1-1"]`);
          await page.click(`#${q}-q1 .quiz-check`);
          assert.equal((await page.textContent(`#${q}-q1-result .quiz-verdict`)).trim(), t.quiz_js_wrong);
          await page.click(`#${q} .quiz-finish`);
          const score = (await page.textContent(`#${q}-score`)).trim();
          assert.ok(score.startsWith(fill(t.quiz_js_score, { n: 0, total: 1 })), score);
          assert.deepEqual(describeProblems(r), []);
        } finally {
          await r.close();
        }
      });

      test('the copy button reports in the language of the page', T, async () => {
        const r = await openPage(browser, `${server.url}/scripts/`);
        try {
          const { page } = r;
          await page.click('.haven-script-copy');
          await page.waitForFunction(() => document.querySelector('.haven-script-status').textContent !== '');
          const status = await page.textContent('.haven-script-status');
          assert.ok([t.script_copied, t.script_copy_failed].includes(status), status);
        } finally {
          await r.close();
        }
      });

      test('search reports its results in the language of the page', T, async () => {
        const r = await openPage(browser, `${server.url}/search/`);
        try {
          const { page } = r;
          await page.locator('#search-q').click();
          await page.keyboard.type(site.word);
          await page.waitForFunction(() => document.querySelector('#search-status').textContent !== '');
          const status = (await page.textContent('#search-status')).trim();
          const expected = [
            fill(t.search_results_none, { q: site.word }),
            fill(t.search_results_one, { q: site.word }),
            ...[2, 3, 4].map((n) => fill(t.search_results_many, { n, q: site.word })),
          ];
          assert.ok(expected.includes(status), `${status} is none of ${expected.join(' | ')}`);
          assert.notEqual(status, expected[0], 'the word is on a page');
        } finally {
          await r.close();
        }
      });
    });
  }
}
