// A checklist with a flagged statement, printed as a handout (the quiz fixture's checklist page
// made a handout): on paper the answers must list each flagged statement with its message under
// "If you ticked any of these, read this first", before the bands. The print rule that hides
// per-choice feedback once hid them too, leaving the heading alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { HAVEN_BIN, REPO_ROOT, tempDir, runHaven } from './lib/theme-helpers.js';

const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;
let browser;
let server;

before(async () => {
  if (skip) return;
  const root = tempDir('haven-flags-');
  fs.cpSync(path.join(REPO_ROOT, 'tests/fixtures/quiz-basic'), root, { recursive: true });
  const page = path.join(root, 'content/learn/checklist.md');
  fs.writeFileSync(page, fs.readFileSync(page, 'utf8').replace(/^\+\+\+\n/, '+++\nhandout = true\n'));
  const out = path.join(tempDir('haven-flags-out-'), 'public');
  runHaven(root, out);
  server = await startServer(out);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('on paper, a flagged statement and its message lead the checklist answers', { skip, timeout: 90_000 }, async () => {
  const r = await openPage(browser, `${server.url}/handouts/checklist/`);
  const page = r.page;
  try {
    await page.emulateMedia({ media: 'print' });
    const answers = await page.evaluate(() => {
      const flags = document.querySelector('.handout-answers .quiz-flags');
      const shown = (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none';
      const items = flags ? [...flags.querySelectorAll('li')] : [];
      const bands = document.querySelector('.handout-answers .quiz-bands');
      return {
        intro: flags?.querySelector('.quiz-sub')?.textContent.trim() || '',
        items: items.map((li) => ({ shown: shown(li), text: li.textContent.trim() })),
        flagsFirst: !!(flags && bands && flags.compareDocumentPosition(bands) & Node.DOCUMENT_POSITION_FOLLOWING),
      };
    });
    assert.ok(answers.items.length > 0, 'no flagged statement in the printed answers');
    for (const item of answers.items) {
      assert.ok(item.shown, `printed answers hide the flagged statement "${item.text}"`);
      assert.ok(item.text.length > 20, `no message with "${item.text}"`);
    }
    assert.ok(answers.flagsFirst, 'flagged statements come before the bands');
    const problems = describeProblems(r);
    assert.deepEqual(problems, [], problems.join('\n'));
  } finally {
    await r.close();
  }
});
