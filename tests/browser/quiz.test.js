// Quizzes in a reader's browser: the fixture site tests/fixtures/quiz-basic, built here with the
// debug `haven` (HAVEN_BIN to change it) into a temporary folder. Mouse and keyboard answers,
// scores, a self-assessment's known results (with a tie), two independent quizzes on one page,
// flagged checklist statements (also on the example guide), shuffled options, ordering by keyboard,
// axe in every state, the page without JavaScript, and the quick-exit shortcut never swallowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { runVnu, formatVnu } from './lib/vnu.js';
import { HAVEN_BIN } from './lib/theme-helpers.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// One resolution of the binary for every suite (HAVEN_BIN, else CARGO_TARGET_DIR's debug build).
const HAVEN = HAVEN_BIN;
const FIXTURE = path.join(REPO, 'tests/fixtures/quiz-basic');
const T = { timeout: 60_000 };
const skip = fs.existsSync(HAVEN) ? false : `no haven binary at ${HAVEN}: run cargo build`;

let dir;
let site;
let server;
let browser;
before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-quiz-'));
  site = path.join(dir, 'site');
  execFileSync(HAVEN, ['build', '--root', FIXTURE, '--output', site], { stdio: 'pipe' });
  server = await startServer(site);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Opens a page; `fn(page)` runs the test; afterwards the page must have had no errors and
// made no request to another origin.
async function withPage(url, fn, opts = {}) {
  const r = await openPage(browser, server.url + url, opts);
  try {
    await fn(r.page, r);
    const problems = describeProblems(r);
    if (problems.length) assert.fail(problems.join('\n'));
  } finally {
    await r.close();
  }
}

const text = (page, sel) => page.locator(sel).innerText();
const visible = (page, sel) => page.locator(sel).isVisible();

async function axeClean(page, state) {
  const { summary } = await runAxe(page);
  if (summary.length) assert.fail(`axe (${state}):\n${summary.join('\n')}`);
}

test('vnu: the quiz pages are valid HTML', { skip, timeout: 240_000 }, async () => {
  const files = ['learn/two-quizzes', 'learn/checklist', 'learn/style', 'learn/shuffled', 'learn/steps', 'quizzes', 'quizzes/basics', 'quizzes/style'].map((p) => path.join(site, p, 'index.html'));
  const errors = await runVnu(files, { cwd: site });
  if (errors.length) assert.fail(formatVnu(errors));
});

test('mouse: wrong and right answers get their feedback, and the score reviews the misses', { skip, ...T }, async () => {
  await withPage('/learn/two-quizzes/', async (page) => {
    // Question 1: a wrong answer.
    await page.click('label[for="basics-q1-1"]');
    await page.click('#basics-q1 .quiz-check');
    assert.equal(await text(page, '#basics-q1-result .quiz-verdict'), 'Not quite.');
    assert.match(await text(page, '#basics-q1-1-fb'), /^Your choice: not right\.\s+Clean-up can be part of it/);
    assert.match(await text(page, '#basics-q1-2-fb'), /^A right answer you did not choose\.\s+Yes\./);
    assert.equal(await visible(page, '#basics-q1-3-fb'), false, 'feedback of an option neither chosen nor right');
    assert.match(await text(page, '#basics-q1-result'), /Aftercare is any care given once sex is over/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'basics-q1-result', 'focus moves to the result');
    await page.waitForFunction(() => document.querySelector('#basics .quiz-live').textContent === 'Not quite.');
    assert.equal(await page.locator('#basics-q1-1').isDisabled(), true);
    // Question 2: right.
    await page.click('label[for="basics-q2-2"]');
    await page.click('#basics-q2 .quiz-check');
    assert.equal(await text(page, '#basics-q2-result .quiz-verdict'), 'Correct.');
    assert.match(await text(page, '#basics-q2-2-fb'), /^Your choice: right\.\s+Right\./);
    // Question 3: several right answers, all chosen.
    await page.click('label[for="basics-q3-1"]');
    await page.click('label[for="basics-q3-2"]');
    await page.click('#basics-q3 .quiz-check');
    assert.equal(await text(page, '#basics-q3-result .quiz-verdict'), 'Correct.');
    await page.click('#basics .quiz-finish');
    const score = await text(page, '#basics-score');
    assert.match(score, /^You got 2 of 3 right\./);
    assert.match(score, /Question 1: What is aftercare\?\s+The care partners give each other after sex/);
    assert.doesNotMatch(score, /Question 2/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'basics-score');
    // Try again clears everything.
    await page.click('#basics .quiz-reset');
    assert.equal(await visible(page, '#basics-score'), false);
    assert.equal(await page.locator('#basics-q1-1').isChecked(), false);
    assert.equal(await page.locator('#basics-q1-1').isDisabled(), false);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'basics-q1-1');
  });
});

test('keyboard: answering with Tab, arrows, Space and Enter', { skip, ...T }, async () => {
  await withPage('/learn/two-quizzes/', async (page) => {
    const active = () => page.evaluate(() => document.activeElement.id || document.activeElement.className);
    await page.focus('#basics-q1-1');
    await page.keyboard.press('ArrowDown'); // selects option 2, the right one
    assert.equal(await page.locator('#basics-q1-2').isChecked(), true);
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'quiz-check');
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#basics-q1-result .quiz-verdict'), 'Correct.');
    assert.equal(await active(), 'basics-q1-result');
    // The explanation's link, then question 2's radio group.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.closest('.quiz-result')?.id), 'basics-q1-result');
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'basics-q2-1');
    // Checking with nothing chosen says so and changes nothing.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#basics .quiz-live').textContent === 'Choose an answer first.');
    assert.equal(await visible(page, '#basics-q2-result'), false);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space'); // True: wrong
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#basics-q2-result .quiz-verdict'), 'Not quite.');
    assert.match(await text(page, '#basics-q2-1-fb'), /^Your choice: not right\./);
    await page.keyboard.press('Tab'); // question 3: checkboxes
    assert.equal(await active(), 'basics-q3-1');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'quiz-check');
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#basics-q3-result .quiz-verdict'), 'Correct.');
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'quiz-finish');
    await page.keyboard.press('Enter');
    assert.match(await text(page, '#basics-score'), /^You got 2 of 3 right\./);
    assert.equal(await active(), 'basics-score');
  });
});

test('self-assessment: known answers give the known result, ties named and explained', { skip, ...T }, async () => {
  await withPage('/learn/style/', async (page) => {
    const run = async (picks) => {
      await page.click('#style .quiz-reset');
      for (const id of picks) await page.click(`label[for="${id}"]`);
      await page.click('#style .quiz-finish');
      return { result: await page.getAttribute('#style-score', 'data-result'), text: await text(page, '#style-score') };
    };
    let r = await run(['style-q1-1', 'style-q2-1']);
    assert.equal(r.result, 'closeness');
    assert.match(r.text, /^Your answers lean most toward Closeness\./);
    assert.match(r.text, /You feel cared for through touch/);
    assert.doesNotMatch(r.text, /what people say/);
    r = await run(['style-q1-2', 'style-q2-3']); // words 1, space 2
    assert.equal(r.result, 'space');
    r = await run(['style-q1-1', 'style-q2-2']); // closeness 1, words 1: a tie
    assert.equal(r.result, 'closeness words');
    assert.match(r.text, /^Your answers lean equally toward Closeness and Words\. They came out level/);
    assert.match(r.text, /through touch[\s\S]*what people say/);
    r = await run(['style-q2-1']); // one question answered is enough
    assert.equal(r.result, 'closeness');
    r = await run([]);
    assert.equal(r.result, null);
    assert.match(r.text, /^Answer at least one question/);
    await axeClean(page, 'self-assessment finished');
  });
});

test('checklist: the count falls into its band', { skip, ...T }, async () => {
  await withPage('/learn/checklist/', async (page) => {
    await page.click('label[for="time-to-talk-q1-1"]');
    await page.click('label[for="time-to-talk-q1-3"]');
    await page.click('#time-to-talk .quiz-finish');
    const t = await text(page, '#time-to-talk-score');
    assert.match(t, /^You ticked 2 of 5\.\s+Some things weigh on you/);
    for (const i of [2, 4]) await page.click(`label[for="time-to-talk-q1-${i}"]`);
    await page.click('#time-to-talk .quiz-finish');
    assert.match(await text(page, '#time-to-talk-score'), /^You ticked 4 of 5\.\s+It may be time to talk to someone/);
    await axeClean(page, 'checklist finished');
  });
});

test('checklist: a flagged statement ticked alone speaks first, is announced, and no band reassures', { skip, ...T }, async () => {
  for (const url of ['/learn/checklist/', '/quizzes/time-to-talk/']) {
    await withPage(url, async (page) => {
      await page.click('label[for="time-to-talk-q1-5"]');
      await page.click('#time-to-talk .quiz-finish');
      const score = page.locator('#time-to-talk-score');
      const t = await score.innerText();
      assert.match(t, /^Please read this first\s+You ticked: I have had thoughts of hurting myself\.\s+If you might act on these thoughts, call your local emergency number now\./);
      assert.doesNotMatch(t, /mostly OK/, 'the lowest band shown beside a flagged statement');
      // The flagged message is a heading one level below the quiz's title, so it is in the outline.
      const levels = await page.evaluate(() => [
        +document.querySelector('#time-to-talk .quiz-title').tagName[1],
        +document.querySelector('#time-to-talk-score .quiz-flagged > :first-child').tagName[1],
      ]);
      assert.equal(levels[1], levels[0] + 1, `heading levels ${levels}`);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'time-to-talk-score');
      await page.waitForFunction(() => /^Please read this first If you might act on these thoughts, call your local emergency number now\./.test(document.querySelector('#time-to-talk .quiz-live').textContent));
      // With the other statements ticked too, the flag still comes first and the band stays hidden.
      for (const i of [1, 2, 3, 4]) await page.click(`label[for="time-to-talk-q1-${i}"]`);
      await page.click('#time-to-talk .quiz-finish');
      const all = await score.innerText();
      assert.match(all, /^Please read this first/);
      assert.doesNotMatch(all, /It may be time to talk to someone|mostly OK/);
      await axeClean(page, `flagged checklist finished (${url})`);
    });
  }
});

test('shuffle: options move with their labels; without JavaScript and in print, source order', { skip, ...T }, async () => {
  const order = (page, q) => page.$$eval(`#${q} .quiz-option input`, (ins) => ins.map((i) => i.value).join(','));
  await withPage('/learn/shuffled/', async (page) => {
    // Math.random fixed before the page's scripts run, so the order is known: 3 options come
    // out as the 2nd, 3rd, 1st.
    await page.addInitScript(() => { Math.random = () => 0; });
    await page.reload();
    assert.equal(await order(page, 'mixed-q1'), '2,3,1');
    assert.equal(await order(page, 'mixed-q2'), '1,2', 'true/false keeps True first');
    const tied = await page.$$eval('#mixed .quiz-option', (lis) => lis.every((li) => {
      const input = li.querySelector('input');
      return input.labels.length === 1 && input.labels[0] === li.querySelector('label') && input.id === `${input.name}-${input.value}`;
    }));
    assert.ok(tied, 'a label is no longer beside its own input');
    await axeClean(page, 'shuffled');
    // The keyboard follows the order shown: arrows go from the first shown option to the next.
    await page.focus('#mixed-q1-2');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#mixed-q1-3').isChecked(), true);
    // Choosing by the label's words picks that option, and it is scored as itself.
    await page.click('#mixed-q1 label:has-text("A glass of water")');
    assert.equal(await page.locator('#mixed-q1-2').isChecked(), true);
    await page.click('#mixed-q1 .quiz-check');
    assert.equal(await text(page, '#mixed-q1-result .quiz-verdict'), 'Correct.');
    assert.match(await text(page, '#mixed-q1-2-fb'), /^Your choice: right\.\s+Yes\. Practical care counts\./);
    // Printed in source order, and shuffled again on screen.
    await page.emulateMedia({ media: 'print' });
    await page.waitForFunction(() => [...document.querySelectorAll('#mixed-q1 .quiz-option input')].map((i) => i.value).join(',') === '1,2,3');
    await page.emulateMedia({ media: 'screen' });
    await page.waitForFunction(() => [...document.querySelectorAll('#mixed-q1 .quiz-option input')].map((i) => i.value).join(',') === '2,3,1');
  });
  await withPage('/learn/shuffled/', async (page) => {
    assert.equal(await order(page, 'mixed-q1'), '1,2,3');
  }, { javaScriptEnabled: false });
});

test('ordering by keyboard only: move up and down, each move announced, per-step feedback', { skip, ...T }, async () => {
  const order = (page) => page.$$eval('#steps-q1 .quiz-step', (lis) => lis.map((li) => li.dataset.step).join(','));
  const active = (page) => page.evaluate(() => `${document.activeElement.closest('li')?.id || document.activeElement.id} ${document.activeElement.className}`);
  const live = (page, m) => page.waitForFunction((m) => document.querySelector('#steps .quiz-live').textContent === m, m);
  await withPage('/learn/steps/', async (page) => {
    // Shown mixed up (the same at every build), never in the right order.
    assert.equal(await order(page), '1,4,3,2');
    assert.equal(await page.locator('#steps-q1-2 .quiz-up').getAttribute('aria-label'), 'Move up Say what you noticed');
    await axeClean(page, 'ordering question, unanswered');
    // Step 2 up twice: focus stays on its button, and each move says where it is now.
    await page.focus('#steps-q1-2 .quiz-up');
    await page.keyboard.press('Enter');
    assert.equal(await order(page), '1,4,2,3');
    await live(page, 'Say what you noticed: now 3 of 4.');
    assert.equal(await active(page), 'steps-q1-2 quiz-up');
    await page.keyboard.press('Space');
    assert.equal(await order(page), '1,2,4,3');
    await live(page, 'Say what you noticed: now 2 of 4.');
    // Tab to step 4 (Move down of step 2, then step 4's Move up, then its Move down), move it down.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    assert.equal(await active(page), 'steps-q1-4 quiz-down');
    await page.keyboard.press('Enter');
    assert.equal(await order(page), '1,2,3,4');
    await live(page, 'Agree what happens next: now 4 of 4.');
    // Down from the last place stays there, and says so.
    await page.keyboard.press('Enter');
    assert.equal(await order(page), '1,2,3,4');
    await page.keyboard.press('Tab');
    assert.equal(await active(page), ' quiz-check');
    await page.keyboard.press('Enter');
    assert.equal(await text(page, '#steps-q1-result .quiz-verdict'), 'Correct.');
    assert.match(await text(page, '#steps-q1-result'), /A check-in starts with consent to talk/);
    assert.match(await text(page, '#steps-q1-1-fb'), /^In the right place\.\s+First, make sure/);
    assert.equal(await page.locator('#steps-q1-1 .quiz-up').isDisabled(), true, 'steps still move after checking');
    await axeClean(page, 'ordering question, checked');
    // Start again: the first order, and a wrong answer gets per-step feedback.
    await page.click('#steps .quiz-reset');
    assert.equal(await order(page), '1,4,3,2');
    await page.click('#steps-q1 .quiz-check');
    assert.equal(await text(page, '#steps-q1-result .quiz-verdict'), 'Not quite.');
    assert.match(await text(page, '#steps-q1-4-fb'), /^This goes at number 4\./);
    assert.match(await text(page, '#steps-q1-3-fb'), /^In the right place\.\s+Then listen to the answer\./);
    await page.click('#steps .quiz-finish');
    assert.match(await text(page, '#steps-score'), /Question 1: Put these steps of a check-in in order\.\s+Ask if now is a good time to talk; Say what you noticed; Ask what they need; Agree what happens next/);
  });
  await withPage('/learn/steps/', async (page) => {
    assert.equal(await visible(page, '#steps-q1-1 .quiz-up'), false, 'a move button that cannot work');
    await page.click('#steps-q1 .quiz-answer summary');
    const t = await text(page, '#steps-q1 .quiz-answer');
    assert.equal(await page.$eval('#steps-q1 .quiz-right-order', (ol) => ol.tagName), 'OL');
    assert.match(t, /The right order:\s+Ask if now is a good time to talk: First, make sure you both have room for it\.\s+Say what you noticed\s+Ask what they need: Then listen to the answer\.\s+Agree what happens next/);
  }, { javaScriptEnabled: false });
});

test('the example guide: ticking only "thoughts of hurting myself" never reads as reassurance', { skip, timeout: 180_000 }, async () => {
  const guide = path.join(dir, 'guide');
  execFileSync(HAVEN, ['build', '--no-cache', '--root', REPO, '--output', guide], { stdio: 'pipe' });
  const guideServer = await startServer(guide);
  const r = await openPage(browser, `${guideServer.url}/pcd/living-with-pcd/`);
  try {
    const page = r.page;
    const label = page.locator('#time-to-talk label', { hasText: 'I have had thoughts of hurting myself' });
    await label.click();
    await page.click('#time-to-talk .quiz-finish');
    const t = await page.locator('#time-to-talk-score').innerText();
    assert.match(t, /^Please read this first\s+You ticked: I have had thoughts of hurting myself\.\s+Please reach out now\./);
    assert.match(t, /call your local emergency number/);
    assert.doesNotMatch(t, /mostly OK/);
    await page.waitForFunction(() => /emergency number/.test(document.querySelector('#time-to-talk .quiz-live').textContent));
    await axeClean(page, 'example guide checklist, flagged');
    const problems = describeProblems(r);
    if (problems.length) assert.fail(problems.join('\n'));
  } finally {
    await r.close();
    await guideServer.close();
  }
});

test('two quizzes on one page stay independent', { skip, ...T }, async () => {
  await withPage('/learn/two-quizzes/', async (page) => {
    await page.click('label[for="basics-q1-2"]');
    await page.click('label[for="drop-q1-1"]');
    assert.equal(await page.locator('#basics-q1-2').isChecked(), true, 'choosing in one quiz unchecks the other');
    await page.click('#basics-q1 .quiz-check');
    assert.equal(await visible(page, '#drop-q1-result'), false);
    assert.equal(await page.locator('#drop-q1-1').isDisabled(), false);
    await page.click('#drop .quiz-finish');
    assert.match(await text(page, '#drop-score'), /^You got 0 of 1 right\./);
    assert.equal(await visible(page, '#basics-score'), false);
    assert.equal(await visible(page, '#basics-q2-result'), false, 'finishing one quiz checked the other');
    await page.click('#drop .quiz-reset');
    assert.equal(await text(page, '#basics-q1-result .quiz-verdict'), 'Correct.', 'resetting one quiz reset the other');
  });
});

test('axe: no violations unanswered, answered and finished', { skip, ...T }, async () => {
  await withPage('/learn/two-quizzes/', async (page) => {
    await axeClean(page, 'unanswered');
    await page.click('label[for="basics-q1-1"]');
    await page.click('#basics-q1 .quiz-check');
    await page.click('label[for="basics-q2-2"]');
    await page.click('#basics-q2 .quiz-check');
    await axeClean(page, 'answered');
    await page.click('#basics .quiz-finish');
    await page.click('#drop .quiz-finish');
    await axeClean(page, 'finished');
  });
  for (const colorScheme of ['light', 'dark']) {
    await withPage('/quizzes/basics/', (page) => axeClean(page, `quiz page, ${colorScheme}`), { colorScheme });
  }
  await withPage('/quizzes/', (page) => axeClean(page, 'quiz index'));
});

test('without JavaScript the answers and the way to read a result can be revealed', { skip, ...T }, async () => {
  await withPage(
    '/learn/two-quizzes/',
    async (page) => {
      assert.equal(await visible(page, '#basics-q1 .quiz-check'), false, 'a check button that cannot work');
      assert.equal(await visible(page, '#basics-q1 .quiz-explanation'), false);
      await page.click('#basics-q1 .quiz-answer summary');
      assert.match(await text(page, '#basics-q1 .quiz-answer'), /Right answer: The care partners give each other after sex/);
      assert.match(await text(page, '#basics-q1 .quiz-answer'), /A medical treatment: No\. It is everyday care/);
      assert.match(await text(page, '#basics-q1 .quiz-answer'), /Aftercare is any care given once sex is over/);
    },
    { javaScriptEnabled: false },
  );
  await withPage(
    '/learn/checklist/',
    async (page) => {
      await page.click('#time-to-talk .quiz-answer summary');
      const t = await text(page, '#time-to-talk .quiz-answer');
      assert.match(t, /^What your count means\s+If you ticked any of these, read this first:\s+I have had thoughts of hurting myself\. If you might act on these thoughts, call your local emergency number now\./);
      assert.ok(t.indexOf('emergency number') < t.indexOf('mostly OK'), 'the flagged statement leads the explanation');
      assert.match(t, /If you ticked none of those, count the statements you ticked/);
      // Ticking the flagged statement shows its message right under it, by CSS alone.
      assert.equal(await visible(page, '#time-to-talk-q1-5 ~ .quiz-flag-note'), false);
      await page.click('label[for="time-to-talk-q1-5"]');
      assert.equal(await visible(page, '#time-to-talk-q1-5 ~ .quiz-flag-note'), true);
      assert.match(await text(page, '#time-to-talk-q1-5 ~ .quiz-flag-note'), /^If you might act on these thoughts, call your local emergency number now\./);
    },
    { javaScriptEnabled: false },
  );
  await withPage(
    '/learn/style/',
    async (page) => {
      await page.click('#style .quiz-answer summary');
      const t = await text(page, '#style .quiz-answer');
      assert.match(t, /Add up which category your answers lean toward most/);
      assert.match(t, /Gives me room: Space ×2/);
      assert.match(t, /You feel best with a little room/);
    },
    { javaScriptEnabled: false },
  );
});

test('Shift pressed three times inside a quiz reaches the document', { skip, ...T }, async () => {
  // The third Shift may fire the site's quick exit and leave the page: the presses are counted
  // in Node (exposeFunction survives the navigation), and the page is not checked for
  // third-party requests (the quick exit's own destination is one).
  for (const sel of ['#basics-q1-1', '#basics-q3-1', '#basics-q1 .quiz-check']) {
    const r = await openPage(browser, `${server.url}/learn/two-quizzes/`);
    try {
      const seen = [];
      await r.page.exposeFunction('__shift', (prevented) => seen.push(prevented));
      await r.page.evaluate(() => {
        document.addEventListener('keydown', (e) => {
          if (e.key === 'Shift') window.__shift(e.defaultPrevented);
        });
      });
      await r.page.focus(sel);
      for (let i = 0; i < 3; i++) await r.page.keyboard.press('Shift');
      await new Promise((ok) => setTimeout(ok, 100));
      assert.deepEqual(seen, [false, false, false], `Shift presses on ${sel} seen by document (true: default prevented)`);
      assert.deepEqual(r.pageErrors, []);
    } finally {
      await r.close();
    }
  }
});

test('remember my answers is opt-in, local, and clearable; nothing is sent', { skip, ...T }, async () => {
  await withPage('/learn/two-quizzes/', async (page) => {
    const requests = [];
    // Chromium fetches the icon by itself whenever it likes: not the quiz's doing.
    page.on('request', (r) => /\/favicon\.\w+$/.test(r.url()) || requests.push(r.url()));
    await page.click('label[for="basics-q1-2"]');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'stored without opting in');
    await page.click('label[for="basics-remember"]');
    await page.click('label[for="basics-q3-1"]');
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('haven-quiz:basics'))), [['2'], [], ['1']]);
    assert.deepEqual(requests, [], 'answering made requests');
    await page.reload();
    assert.equal(await page.locator('#basics-q1-2').isChecked(), true);
    assert.equal(await page.locator('#basics-q3-1').isChecked(), true);
    assert.equal(await page.locator('#basics-remember').isChecked(), true);
    assert.equal(await page.locator('#drop-q1-1').isChecked(), false);
    await page.click('#basics .quiz-clear');
    assert.equal(await page.evaluate(() => localStorage.getItem('haven-quiz:basics')), null);
    assert.equal(await page.locator('#basics-q1-2').isChecked(), false);
  });
});
