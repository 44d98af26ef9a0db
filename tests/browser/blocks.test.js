// Scripts and glossary terms in a reader's browser: the fixture site tests/fixtures/blocks-basic,
// built here with the debug `haven` (HAVEN_BIN to change it) into a temporary folder. axe on an
// article with a script and glossary terms, on the scripts pages and on the glossary page (light
// and dark); the copy button by keyboard (clipboard, live region, and the `haven:copied` hook);
// glossary definitions by keyboard (Tab, visible, described, Escape) and by tap; the page
// without JavaScript; the script as a print card; vnu on the generated pages.
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
const FIXTURE = path.join(REPO, 'tests/fixtures/blocks-basic');
const T = { timeout: 60_000 };
const skip = fs.existsSync(HAVEN) ? false : `no haven binary at ${HAVEN}: run cargo build`;
const ARTICLE = '/talk/asking/';

let dir;
let site;
let server;
let browser;
before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-blocks-'));
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

async function axeClean(page, state) {
  const { summary } = await runAxe(page);
  if (summary.length) assert.fail(`axe (${state}):\n${summary.join('\n')}`);
}

// Tabs from the top until the focused element matches `selector` (at most `max` presses).
async function tabTo(page, selector, max = 60) {
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`${selector} is not reachable with Tab`);
}

for (const colorScheme of ['light', 'dark']) {
  for (const url of [ARTICLE, '/scripts/', '/es/scripts/', '/glossary/', '/es/talk/asking/']) {
    test(`${colorScheme}: ${url} passes axe`, { skip, ...T }, async () => {
      await withPage(url, async (page) => {
        await axeClean(page, `${url}, ${colorScheme}`);
      }, { colorScheme });
    });
  }
}

test('the copy button copies the plain script by keyboard and announces it', { skip, ...T }, async () => {
  await withPage(ARTICLE, async (page, r) => {
    await r.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.evaluate(() => {
      window.__copied = [];
      document.addEventListener('haven:copied', (e) => window.__copied.push(e.detail.text));
    });
    const button = page.locator('.haven-script-copy').first();
    assert.ok(await button.isVisible(), 'the copy button is shown when JavaScript runs');
    assert.equal(await button.innerText(), 'Copy script');
    await tabTo(page, '.haven-script-copy');
    await page.keyboard.press('Enter');
    const status = page.locator('.haven-script-status').first();
    await status.filter({ hasText: 'Copied' }).waitFor({ timeout: 5000 });
    assert.equal(await status.getAttribute('role'), 'status');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(clip, /^Asking what your partner needs\n\nYou: Can I ask you something\?/);
    assert.match(clip, /\nPartner: I’m not sure\. Maybe just lying together for a bit\.\n/);
    assert.match(clip, /\(Tip: pick a calm moment outside the bedroom\.\)/);
    assert.match(clip, /\n\nIf they ask for space\nPartner: I think I need a few minutes on my own\./);
    assert.ok(!clip.includes('<'), 'plain text, no markup');
    assert.deepEqual(await page.evaluate(() => window.__copied), [clip]);
    // Space works too, and focus stays on the button.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('Space');
    await page.waitForFunction(() => window.__copied.length === 2);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clip);
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('haven-script-copy')));
    await axeClean(page, 'after copying');
  });
});

test('speakers are text, not colour: every line names its speaker', { skip, ...T }, async () => {
  await withPage(ARTICLE, async (page) => {
    const lines = await page.locator('.haven-script-line').evaluateAll((els) => els.map((e) => [e.querySelector('dt').innerText, e.querySelector('dd').innerText]));
    assert.deepEqual(lines.map((l) => l[0].replace(/:$/, '')), ['You', 'Partner', 'Partner', 'You']);
    const label = await page.locator('.haven-script').first().getAttribute('aria-labelledby');
    assert.match(await page.locator(`#${label}`).innerText(), /Asking what your partner needs/);
  });
});

test('glossary definitions are reachable by keyboard, described, and dismissible', { skip, ...T }, async () => {
  await withPage(ARTICLE, async (page) => {
    await tabTo(page, '.haven-term-link');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const tip = document.getElementById(a.getAttribute('aria-describedby'));
      const box = tip.getBoundingClientRect();
      return { text: a.textContent, href: a.getAttribute('href'), role: tip.getAttribute('role'), tip: tip.textContent, shown: getComputedStyle(tip).display !== 'none' && box.width > 0 };
    });
    assert.equal(focused.text, 'Aftercare');
    assert.equal(focused.href, '/glossary/#aftercare');
    assert.equal(focused.role, 'tooltip');
    assert.equal(focused.tip, 'The care partners give each other after sex.');
    assert.ok(focused.shown, 'the definition shows on focus');
    await axeClean(page, 'definition shown');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#term-aftercare').isVisible(), false, 'Escape hides the definition');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('haven-term-link')), 'focus stays on the term');
    // Enter follows the link to the glossary entry.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/glossary\/#aftercare$/);
    assert.ok(await page.locator('#aftercare').isVisible());
  });
});

test('glossary definitions show on hover', { skip, ...T }, async () => {
  await withPage(ARTICLE, async (page) => {
    await page.locator('.haven-term-link').first().hover();
    assert.ok(await page.locator('#term-aftercare').isVisible());
  });
});

test('a tap shows the definition first, a second tap opens the glossary', { skip, ...T }, async () => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 } });
  try {
    const page = await context.newPage();
    await page.goto(server.url + ARTICLE);
    const link = page.locator('.haven-term-link').first();
    await link.tap();
    assert.ok(await page.locator('#term-aftercare').isVisible(), 'the definition shows after one tap');
    assert.ok(page.url().endsWith(ARTICLE), 'the first tap does not leave the page');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'the open definition makes the page scroll sideways');
    await link.tap();
    await page.waitForURL(/\/glossary\/#aftercare$/);
  } finally {
    await context.close();
  }
});

test('without JavaScript the copy button stays hidden and the script reads in full', { skip, ...T }, async () => {
  await withPage(ARTICLE, async (page) => {
    assert.equal(await page.locator('.haven-script-copy').first().isVisible(), false);
    assert.ok(await page.locator('.haven-script-line').first().isVisible());
  }, { javaScriptEnabled: false });
});

test('a script prints as a card that does not split', { skip, ...T }, async () => {
  await withPage('/scripts/', async (page) => {
    await page.emulateMedia({ media: 'print' });
    const css = await page.locator('.haven-script').first().evaluate((el) => {
      const s = getComputedStyle(el);
      return { breakInside: s.breakInside, border: s.borderTopStyle };
    });
    assert.equal(css.breakInside, 'avoid');
    assert.equal(css.border, 'solid');
    assert.equal(await page.locator('.haven-script-copy').first().isVisible(), false, 'no copy button on paper');
  });
});

test('vnu: the article, scripts and glossary pages are valid HTML', { skip, timeout: 300_000 }, async () => {
  const files = ['talk/asking/index.html', 'scripts/index.html', 'es/scripts/index.html', 'glossary/index.html'].map((f) => path.join(site, f));
  const errors = await runVnu(files, { cwd: site });
  if (errors.length) assert.fail(formatVnu(errors));
});
