// The built-in themes (guide, clinic) in real Chromium: the example site built with each theme
// and test settings (quick exit leaving for a second local server, since there is no internet),
// then axe in light and dark on every page type, privacy, quick exit by click and by keyboard,
// the theme toggle, 320 px layout, metadata, and a site template overriding a theme template.
// Needs the debug binary built from the current themes (`cargo build`; tests/run.sh does it).
// HAVEN_SHOTS=DIR also saves screenshots of home and an article at 390 and 1280 px.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.js';
import { launchBrowser, openPage, describeProblems, measureOverflow } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { runVnu, formatVnu } from './lib/vnu.js';
import { listHtml } from './lib/site.js';
import { HAVEN_BIN, buildExampleSite, setTomlKey, writeNeutralSite, headingFacts, focusAfterTabs, jsonLd, tempDir, runHaven } from './lib/theme-helpers.js';

const T = { timeout: 60_000 };
const ARTICLE = '/pcd/what-is-pcd/';
const MISSING = '/__haven_missing__/deep/page/';
// Every page type: home, section, article, tag list, tag, 404, quick-exit info.
const PAGES = [
  { name: 'home', url: '/' },
  { name: 'section', url: '/pcd/' },
  { name: 'article', url: ARTICLE },
  { name: 'tag list', url: '/tags/' },
  { name: 'tag', url: '/tags/pcd/' },
  { name: '404', url: MISSING, expectStatus: 404 },
  { name: 'staying private', url: '/staying-private/' },
  { name: 'translated article', url: '/es/aftercare/what-is-aftercare/' },
  { name: 'translated glossary', url: '/es/glossary/' },
];
const CLINIC_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><circle cx="32" cy="32" r="30" fill="#1d5a85"/><path d="M27 14h10v13h13v10H37v13H27V37H14V27h13z" fill="#fff"/></svg>\n';

const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;
let browser;
let neutral;
const themes = {};

before(async () => {
  if (skip) return;
  neutral = await startServer(writeNeutralSite());
  const exitUrl = `${neutral.url}/`;
  const guide = buildExampleSite({
    prefix: 'haven-guide-',
    edit: (t) => setTomlKey(setTomlKey(t, '', 'theme', '"guide"'), 'quick_exit', 'url', JSON.stringify(exitUrl)),
  });
  const clinic = buildExampleSite({
    prefix: 'haven-clinic-',
    edit: (t) => {
      let c = setTomlKey(setTomlKey(t, '', 'theme', '"clinic"'), 'quick_exit', 'url', JSON.stringify(exitUrl));
      c = setTomlKey(c, 'clinic', 'logo', '"clinic-logo.svg"');
      c = setTomlKey(c, 'clinic', 'email', '"hello@clinic.example.org"');
      c = setTomlKey(c, 'colors', 'accent', '"#1d5a85"');
      return setTomlKey(c, 'colors', 'accent_dark', '"#9cc9ea"');
    },
    files: { 'static/clinic-logo.svg': CLINIC_LOGO },
  });
  themes.guide = { ...guide, server: await startServer(guide.out) };
  themes.clinic = { ...clinic, server: await startServer(clinic.out) };
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const t of Object.values(themes)) {
    await t.server?.close();
    fs.rmSync(t.root, { recursive: true, force: true });
  }
  await neutral?.close();
});

function problemsOf(r, extra = []) {
  return [...extra, ...describeProblems(r)];
}

for (const theme of ['guide', 'clinic']) {
  describe(`${theme} theme`, { skip }, () => {
    const site = () => themes[theme];

    for (const colorScheme of ['light', 'dark']) {
      for (const p of PAGES) {
        test(`${colorScheme}: ${p.name}: axe clean, nothing leaves localhost, no console errors`, T, async () => {
          const r = await openPage(browser, site().server.url + p.url, { colorScheme, expectStatus: p.expectStatus ?? 200 });
          try {
            const axe = await runAxe(r.page);
            const h = await headingFacts(r.page);
            const extra = [...axe.summary];
            if (h.h1.length !== 1) extra.push(`expected one h1, found ${h.h1.length}: ${JSON.stringify(h.h1)}`);
            if (h.first !== 1) extra.push(`the first heading is an h${h.first}, not the h1`);
            for (const s of h.skips) extra.push(`heading level skipped: ${s}`);
            const problems = problemsOf(r, extra);
            if (problems.length) assert.fail(`${problems.length} problems on ${p.name} (${theme}, ${colorScheme}):\n${problems.join('\n')}`);
          } finally {
            await r.close();
          }
        });
      }
    }

    for (const p of PAGES) {
      test(`320 px: ${p.name}: no horizontal scroll; 200% text: still none`, T, async () => {
        const r = await openPage(browser, site().server.url + p.url, { width: 320, height: 640, expectStatus: p.expectStatus ?? 200 });
        try {
          const m = await measureOverflow(r.page);
          assert.ok(m.scrollWidth <= m.innerWidth, `${p.name} scrolls sideways at 320 px (${m.scrollWidth} > ${m.innerWidth}): ${m.culprits.join(', ')}`);
          // 200% text on a 640 px wide window is the same reflow as 320 px at 100%; check the
          // root font size doubling too (browser text-size setting).
          await r.page.setViewportSize({ width: 640, height: 800 });
          await r.page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
          const m2 = await measureOverflow(r.page);
          assert.ok(m2.scrollWidth <= m2.innerWidth, `${p.name} scrolls sideways with 200% text at 640 px (${m2.scrollWidth} > ${m2.innerWidth}): ${m2.culprits.join(', ')}`);
        } finally {
          await r.close();
        }
      });
    }

    test('keyboard: the skip link is the first Tab stop, quick exit the second', T, async () => {
      const r = await openPage(browser, site().server.url + ARTICLE);
      try {
        const first = await focusAfterTabs(r.page, 1);
        assert.match(first.className, /skip-link/, `first Tab stop: ${JSON.stringify(first)}`);
        await r.page.goto(site().server.url + ARTICLE);
        const second = await focusAfterTabs(r.page, 2);
        assert.match(second.className, /quick-exit-link/, `second Tab stop: ${JSON.stringify(second)}`);
        const visible = await r.page.locator('.quick-exit-link').isVisible();
        assert.ok(visible, 'quick exit link is visible');
      } finally {
        await r.close();
      }
    });

    test('quick exit without JavaScript is a plain link to the configured URL', T, async () => {
      const r = await openPage(browser, site().server.url + ARTICLE, { javaScriptEnabled: false });
      try {
        const href = await r.page.locator('.quick-exit-link').getAttribute('href');
        assert.equal(href, `${neutral.url}/`);
        const info = await r.page.locator('.quick-exit-info').getAttribute('href');
        assert.equal(info, '/staying-private/');
      } finally {
        await r.close();
      }
    });

    // Opens the home page then the article (so Back has somewhere to go), lets requests to the
    // neutral server through, runs `act`, and checks we land there and Back skips the article.
    async function quickExitCase(act) {
      const r = await openPage(browser, `${site().server.url}/`);
      const articleUrl = site().server.url + ARTICLE;
      // Routes registered later win: the neutral server is the one other origin allowed.
      await r.context.route(`${neutral.url}/**`, (route) => route.continue());
      try {
        await r.page.goto(articleUrl, { waitUntil: 'load' });
        await act(r.page);
        await r.page.waitForURL(`${neutral.url}/`, { timeout: 10_000 });
        assert.match(await r.page.textContent('h1'), /Neutral weather page/);
        await r.page.goBack({ waitUntil: 'load' }).catch(() => null);
        assert.notEqual(r.page.url(), articleUrl, 'Back returned to the article');
        const h1 = await r.page.evaluate(() => (document.body && !document.body.hidden ? document.querySelector('h1')?.textContent.trim() : ''));
        assert.notEqual(h1, 'Post-coital dysphoria: what it is', 'Back shows the article again');
        const problems = problemsOf(r).filter((l) => !l.includes(neutral.url) && !l.includes('net::ERR_ABORTED')); // leaving aborts late loads (the icon)
        if (problems.length) assert.fail(problems.join('\n'));
      } finally {
        await r.close();
      }
    }

    test('quick exit by click lands on the configured URL and Back does not return', T, async () => {
      await quickExitCase((page) => page.click('.quick-exit-link'));
    });

    test('quick exit by Shift ×3 with a spoken countdown, even if a page script swallows keys', T, async () => {
      await quickExitCase(async (page) => {
        // A script that stops every key event must not stop the shortcut.
        await page.evaluate(() => document.addEventListener('keydown', (e) => e.stopImmediatePropagation(), true));
        await page.keyboard.press('Shift');
        const status = page.locator('.quick-exit-status');
        assert.equal(await status.getAttribute('role'), 'status');
        assert.match(await status.textContent(), /2/, 'countdown after the first Shift');
        await page.keyboard.press('Shift');
        assert.match(await status.textContent(), /1/, 'countdown after the second Shift');
        await page.keyboard.press('Shift');
      });
    });

    test('typing capitals (Shift with letters) never triggers quick exit, nor Escape', T, async () => {
      const r = await openPage(browser, site().server.url + ARTICLE);
      try {
        for (const key of ['Shift', 'Shift+A', 'Shift', 'Shift+B', 'Shift', 'Escape', 'Escape', 'Escape']) await r.page.keyboard.press(key);
        await r.page.waitForTimeout(300);
        assert.equal(r.page.url(), site().server.url + ARTICLE);
        assert.equal(await r.page.evaluate(() => document.body.hidden), false);
      } finally {
        await r.close();
      }
    });

    test('help contacts and the quick exit are in the same place on every page', T, async () => {
      const orders = [];
      for (const p of PAGES.filter((x) => !x.url.startsWith('/es/'))) {
        const r = await openPage(browser, site().server.url + p.url, { expectStatus: p.expectStatus ?? 200 });
        try {
          orders.push({
            name: p.name,
            help: await r.page.locator('footer .help#help li').count(),
            order: await r.page.evaluate(() => [...document.querySelectorAll('body > *')].map((e) => e.className || e.tagName.toLowerCase()).join(' | ')),
          });
        } finally {
          await r.close();
        }
      }
      for (const o of orders) assert.ok(o.help >= 1, `${o.name}: no help contacts in the footer`);
      assert.equal(new Set(orders.map((o) => o.order)).size, 1, `page structure differs:\n${orders.map((o) => `${o.name}: ${o.order}`).join('\n')}`);
    });

    test('metadata: title, description, canonical, Open Graph, hreflang, language switcher, JSON-LD', () => {
      const out = site().out;
      const article = fs.readFileSync(path.join(out, 'pcd/what-is-pcd/index.html'), 'utf8');
      for (const re of [/<html lang="en" dir="ltr">/, /<title>Post-coital dysphoria: what it is · /, /<meta name="description" content="[^"]+">/, /<link rel="canonical" href="https:\/\/haven-guide\.example\.org\/pcd\/what-is-pcd\/">/, /<meta property="og:title" content="Post-coital dysphoria: what it is">/, /<meta property="og:type" content="article">/, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'/, /<meta name="referrer" content="no-referrer">/]) {
        assert.match(article, re);
      }
      const [ld] = jsonLd(article);
      assert.equal(ld['@type'], 'MedicalWebPage');
      assert.equal(ld.lastReviewed, '2026-12-07');
      assert.deepEqual(ld.reviewedBy, { '@type': 'Organization', name: 'Haven editorial team' });
      const es = fs.readFileSync(path.join(out, 'es/pcd/what-is-pcd/index.html'), 'utf8');
      assert.match(es, /<html lang="es"/);
      assert.match(es, /<link rel="alternate" hreflang="en" href="https:\/\/haven-guide\.example\.org\/pcd\/what-is-pcd\/">/);
      assert.match(es, /<nav class="languages" aria-label="Idiomas">/);
      assert.match(es, /<a href="\/pcd\/what-is-pcd\/" hreflang="en" lang="en">English<\/a>/);
      assert.match(es, /Salida rápida/, 'quick exit label in Spanish');
      const home = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
      assert.equal(jsonLd(home)[0]['@type'], 'WebSite');
      assert.match(home, /class="featured"/, 'home lists featured articles');
    });

    test('vnu: no HTML errors in this theme\'s build', { timeout: 300_000 }, async () => {
      const files = listHtml(site().out).map((f) => path.join(site().out, f));
      const errors = await runVnu(files, { cwd: site().out });
      if (errors.length) assert.fail(`${errors.length} HTML errors:\n${formatVnu(errors)}`);
    });

    if (process.env.HAVEN_SHOTS) {
      test('screenshots', T, async () => {
        fs.mkdirSync(process.env.HAVEN_SHOTS, { recursive: true });
        for (const [name, url] of [['home', '/'], ['article', ARTICLE]]) {
          for (const width of [390, 1280]) {
            const r = await openPage(browser, site().server.url + url, { width, height: 900 });
            await r.page.screenshot({ path: path.join(process.env.HAVEN_SHOTS, `${theme}-${name}-${width}.png`), fullPage: true });
            await r.close();
          }
        }
      });
    }
  });
}

describe('guide theme: light/dark toggle', { skip }, () => {
  const read = (page) =>
    page.evaluate(() => ({
      stored: Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`),
      theme: document.documentElement.getAttribute('data-theme'),
      pressed: document.querySelector('.theme-toggle')?.getAttribute('aria-pressed'),
      hidden: document.querySelector('.theme-toggle')?.hidden,
      bg: getComputedStyle(document.body).backgroundColor,
      cookies: document.cookie,
    }));

  test('follows the device, stores nothing until used, then remembers the choice', T, async () => {
    const r = await openPage(browser, `${themes.guide.server.url}/`, { colorScheme: 'light' });
    try {
      const s0 = await read(r.page);
      assert.deepEqual(s0.stored, [], 'nothing stored on load');
      assert.equal(s0.cookies, '');
      assert.equal(s0.hidden, false, 'the toggle shows with JavaScript');
      assert.equal(s0.pressed, 'false');
      await r.page.click('.theme-toggle');
      const s1 = await read(r.page);
      assert.equal(s1.theme, 'dark');
      assert.equal(s1.pressed, 'true');
      assert.notEqual(s1.bg, s0.bg, 'the background changes');
      assert.deepEqual(s1.stored, ['haven-theme=dark']);
      await r.page.reload();
      const s2 = await read(r.page);
      assert.equal(s2.theme, 'dark', 'the choice survives a reload');
      assert.equal(s2.bg, s1.bg);
      const axe = await runAxe(r.page);
      assert.deepEqual(axe.summary, [], 'axe in the chosen dark theme');
      await r.page.click('.theme-toggle');
      const s3 = await read(r.page);
      assert.equal(s3.pressed, 'false');
      assert.deepEqual(s3.stored, [], 'choosing the device scheme again forgets the choice');
      assert.equal(s3.bg, s0.bg);
    } finally {
      await r.close();
    }
  });

  test('a dark device starts dark, and light can be chosen', T, async () => {
    const r = await openPage(browser, `${themes.guide.server.url}${ARTICLE}`, { colorScheme: 'dark' });
    try {
      const s0 = await read(r.page);
      assert.equal(s0.pressed, 'true');
      assert.deepEqual(s0.stored, []);
      await r.page.click('.theme-toggle');
      const s1 = await read(r.page);
      assert.equal(s1.theme, 'light');
      assert.deepEqual(s1.stored, ['haven-theme=light']);
      const axe = await runAxe(r.page);
      assert.deepEqual(axe.summary, [], 'axe in the chosen light theme on a dark device');
    } finally {
      await r.close();
    }
  });

  test('without JavaScript the toggle is not shown', T, async () => {
    const r = await openPage(browser, `${themes.guide.server.url}/`, { javaScriptEnabled: false });
    try {
      assert.equal(await r.page.locator('.theme-toggle').isVisible(), false);
    } finally {
      await r.close();
    }
  });
});

describe('clinic theme: the clinic on every page', { skip }, () => {
  test('name, logo, colours and contact block on every page type', T, async () => {
    for (const p of PAGES) {
      const r = await openPage(browser, themes.clinic.server.url + p.url, { expectStatus: p.expectStatus ?? 200 });
      try {
        const f = await r.page.evaluate(() => ({
          name: document.querySelector('.clinic-name')?.textContent.trim(),
          logo: document.querySelector('.clinic-name img')?.getAttribute('src'),
          logoLoaded: document.querySelector('.clinic-name img')?.naturalWidth > 0,
          contact: document.querySelector('.clinic-contact')?.textContent.replace(/\s+/g, ' '),
          accent: getComputedStyle(document.documentElement).getPropertyValue('--brand-accent').trim(),
        }));
        assert.equal(f.name, 'Example Sexual Health Clinic', p.name);
        assert.equal(f.logo, '/clinic-logo.svg', p.name);
        assert.ok(f.logoLoaded, `${p.name}: logo did not load`);
        assert.match(f.contact, /1 Example Street/, p.name);
        assert.match(f.contact, /0100 000 0000/, p.name);
        assert.match(f.contact, /hello@clinic\.example\.org/, p.name);
        assert.equal(f.accent, '#1d5a85', `${p.name}: brand colour from haven.toml`);
      } finally {
        await r.close();
      }
    }
  });

  test('print: navigation and quick exit hidden, contact block kept', T, async () => {
    const r = await openPage(browser, themes.clinic.server.url + ARTICLE);
    try {
      await r.page.emulateMedia({ media: 'print' });
      const f = await r.page.evaluate(() => ({
        exit: getComputedStyle(document.querySelector('.quick-exit')).display,
        nav: getComputedStyle(document.querySelector('.site-nav')).display,
        contact: getComputedStyle(document.querySelector('.clinic-contact')).display,
        printedFrom: getComputedStyle(document.querySelector('.print-only')).display,
      }));
      assert.equal(f.exit, 'none');
      assert.equal(f.nav, 'none');
      assert.notEqual(f.contact, 'none');
      assert.notEqual(f.printedFrom, 'none');
    } finally {
      await r.close();
    }
  });
});

describe('site overrides and settings', { skip }, () => {
  let root;
  before(() => {
    // A small site: one theme template overridden, quick exit off, a hostile page title.
    root = tempDir('haven-override-');
    fs.mkdirSync(path.join(root, 'content'), { recursive: true });
    fs.mkdirSync(path.join(root, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(root, 'haven.toml'), 'title = "Override test"\nbase_url = "https://example.org/"\n\n[quick_exit]\nenabled = false\n');
    fs.writeFileSync(path.join(root, 'content', '_index.md'), '+++\ntitle = "Home"\n+++\n\nHello.\n');
    fs.writeFileSync(
      path.join(root, 'content', 'odd.md'),
      '+++\ntitle = "A </script><script>alert(1)</script> title"\ndescription = "Quotes \\" and <b>tags</b>"\nreviewed_by = "Dr </script> Person"\nreviewed_on = 2026-01-02\n\n[extra]\nreviewed_by_type = "Person"\n+++\n\nBody.\n',
    );
    fs.writeFileSync(
      path.join(root, 'templates', '404.html'),
      '{% extends "base.html" %}{% block main %}<h1>Site 404 override</h1><p><a href="{{ home.path }}">{{ t.back_home }}</a></p>{% endblock main %}\n',
    );
    runHaven(root, path.join(root, 'public'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a site template (templates/404.html) overrides the theme one', () => {
    const html = fs.readFileSync(path.join(root, 'public', '404.html'), 'utf8');
    assert.match(html, /<h1>Site 404 override<\/h1>/);
    assert.match(html, /class="site-header"/, 'still extends the theme base.html');
  });

  test('quick_exit.enabled = false removes the quick exit and its script', () => {
    const html = fs.readFileSync(path.join(root, 'public', 'index.html'), 'utf8');
    assert.doesNotMatch(html, /quick-exit/);
  });

  test('JSON-LD cannot be broken out of by page data', () => {
    const html = fs.readFileSync(path.join(root, 'public', 'odd', 'index.html'), 'utf8');
    const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    assert.equal(blocks.length, 1, 'one JSON-LD block, closed where the template closes it');
    assert.doesNotMatch(blocks[0][1], /</, 'no < inside the JSON-LD');
    const ld = JSON.parse(blocks[0][1]);
    assert.equal(ld.headline, 'A </script><script>alert(1)</script> title');
    assert.equal(ld['@type'], 'MedicalWebPage');
    assert.deepEqual(ld.reviewedBy, { '@type': 'Person', name: 'Dr </script> Person' });
  });
});
