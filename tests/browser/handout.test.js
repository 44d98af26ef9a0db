// Large-print handouts in real Chromium: the example site built with the debug binary, each
// large-print page measured on screen and with print media emulated. The body must compute to at
// least 16 pt (21.33 px), headings larger, and no visible text in the handout (small print, QR
// caption, quiz hints, answers) under 14 pt (18.67 px); the clinic block, sample banner and QR
// code are there; axe finds nothing. Needs `cargo build` first (tests/run.sh does it).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { buildExampleSite } from './lib/theme-helpers.js';

const T = { timeout: 90_000 };
const PT = 96 / 72;
// A quiz with answers, conversation scripts, and a translated one.
const LARGE = ['/handouts/what-is-pcd/large-print/', '/handouts/asking-what-they-need/large-print/', '/es/handouts/what-is-pcd/large-print/'];

let browser;
let server;

before(async () => {
  const site = buildExampleSite({ prefix: 'haven-handout-' });
  server = await startServer(site.out);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// Font sizes in px: the body's, the smallest visible text in the handout (and where), the
// title's and the first body heading's, the small print's; and what the handout holds.
function measure(page) {
  return page.evaluate(() => {
    const px = (el) => parseFloat(getComputedStyle(el).fontSize);
    const handout = document.querySelector('article.handout');
    let smallest = { size: Infinity, where: '' };
    for (const el of handout.querySelectorAll('*')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      if (!ownText || el.getClientRects().length === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // Text kept for screen readers only (clipped to 1 px) is never seen.
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      if (px(el) < smallest.size) smallest = { size: px(el), where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: ${el.textContent.trim().slice(0, 40)}` };
    }
    const h2 = handout.querySelector('.handout-body h2');
    return {
      body: px(document.body),
      bodyParagraph: px(handout.querySelector('.handout-body p')),
      lineHeight: parseFloat(getComputedStyle(handout.querySelector('.handout-body p')).lineHeight),
      smallest,
      title: px(handout.querySelector('.handout-title')),
      h2: h2 ? px(h2) : null,
      smallPrint: px(handout.querySelector('.handout-smallprint p')),
      qr: !!handout.querySelector('.handout-qr svg'),
      clinic: handout.querySelector('.handout-clinic-name')?.textContent.trim() || '',
      phone: handout.querySelector('.handout-phone a')?.textContent.trim() || '',
      sample: !!handout.querySelector('.handout-sample'),
    };
  });
}

describe('large-print handouts', () => {
  for (const url of LARGE) {
    for (const media of ['screen', 'print']) {
      test(`${url} on ${media}: body at least 16 pt, nothing under 14 pt`, T, async () => {
        const r = await openPage(browser, server.url + url);
        try {
          await r.page.emulateMedia({ media });
          const m = await measure(r.page);
          assert.ok(m.body >= 16 * PT - 0.01, `body ${m.body}px < 16pt`);
          assert.ok(m.bodyParagraph >= 16 * PT - 0.01, `body paragraph ${m.bodyParagraph}px < 16pt`);
          assert.ok(m.lineHeight >= 1.4 * m.bodyParagraph, `line height ${m.lineHeight}px for ${m.bodyParagraph}px type`);
          assert.ok(m.smallest.size >= 14 * PT - 0.01, `text at ${m.smallest.size}px (< 14pt): ${m.smallest.where}`);
          assert.ok(m.smallPrint >= 14 * PT - 0.01, `small print ${m.smallPrint}px < 14pt`);
          assert.ok(m.title > m.body, `title ${m.title}px not larger than body ${m.body}px`);
          if (m.h2 !== null) assert.ok(m.h2 > m.body, `h2 ${m.h2}px not larger than body ${m.body}px`);
          assert.ok(m.qr, 'no QR code');
          assert.ok(m.clinic && m.phone, `clinic block missing: ${JSON.stringify(m)}`);
          assert.ok(m.sample, 'the example site has sample_details = true: the sample banner is missing');
          assert.deepEqual(describeProblems(r), [], describeProblems(r).join('\n'));
        } finally {
          await r.close();
        }
      });
    }

    test(`${url}: axe clean`, T, async () => {
      const r = await openPage(browser, server.url + url);
      try {
        const { summary } = await runAxe(r.page);
        assert.deepEqual(summary, [], summary.join('\n'));
      } finally {
        await r.close();
      }
    });
  }

  test('the standard handout and the handouts list link to the large-print version', T, async () => {
    const r = await openPage(browser, server.url + '/handouts/what-is-pcd/');
    try {
      await r.page.click('a.handout-large-print-link');
      await r.page.waitForURL('**/handouts/what-is-pcd/large-print/');
      const m = await measure(r.page);
      assert.ok(m.body >= 16 * PT - 0.01, `body ${m.body}px after following the link`);
      await r.page.goto(server.url + '/handouts/');
      const links = await r.page.$$eval('.handout-large-print a', (as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.includes('/handouts/what-is-pcd/large-print/'), links.join(' '));
    } finally {
      await r.close();
    }
  });
});
