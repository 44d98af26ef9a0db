// Tests of the test harness itself: every check in site.test.js must fire on
// the deliberately broken fixture (fixtures/bad) and stay quiet on the good
// one (fixtures/good). A check that cannot fail proves nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, MIME } from './lib/server.js';
import { launchBrowser, openPage, describeProblems, measureOverflow, pageFacts } from './lib/browser.js';
import { runAxe } from './lib/axe.js';
import { runVnu } from './lib/vnu.js';
import { listHtml, samplePages, urlPath } from './lib/site.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOD = path.join(HERE, 'fixtures', 'good');
const BAD = path.join(HERE, 'fixtures', 'bad');

let browser;
let good;
let bad;
before(async () => {
  browser = await launchBrowser();
  good = await startServer(GOOD);
  bad = await startServer(BAD);
});
after(async () => {
  await browser?.close();
  await good?.close();
  await bad?.close();
});

// A raw GET: fetch() would normalise `..` away before sending.
function rawGet(base, rawPath) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

test('server: index files, folder redirect, 404 page, MIME types', async () => {
  let r = await rawGet(good.url, '/');
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/html/);
  assert.match(r.body, /<h1>Good fixture<\/h1>/);
  r = await rawGet(good.url, '/guide');
  assert.equal(r.status, 301);
  assert.equal(r.location, '/guide/');
  r = await rawGet(good.url, '/guide/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<h1>Guide<\/h1>/);
  r = await rawGet(good.url, '/no/such/page/');
  assert.equal(r.status, 404);
  assert.match(r.body, /Page not found/, 'the site\'s own 404.html is served');

  // Every listed extension, from a temporary site.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-mime-'));
  try {
    const want = { html: 'text/html', css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', xml: 'application/xml', json: 'application/json', txt: 'text/plain', woff2: 'font/woff2', ico: 'image/x-icon' };
    for (const ext of Object.keys(want)) fs.writeFileSync(path.join(dir, `f.${ext}`), 'x');
    const s = await startServer(dir);
    try {
      for (const [ext, type] of Object.entries(want)) {
        const res = await rawGet(s.url, `/f.${ext}`);
        assert.equal(res.status, 200, ext);
        assert.ok(res.type.startsWith(type), `.${ext} served as ${res.type}, expected ${type}`);
      }
      // No 404.html in this site: a plain 404.
      assert.equal((await rawGet(s.url, '/missing')).status, 404);
    } finally {
      await s.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(Object.keys(MIME).length >= 12);
});

test('server: refuses path traversal', async () => {
  // From fixtures/good, two levels up is tests/browser, whose files would
  // leak. URL parsing already folds `..` and `%2e%2e` (404 inside the site);
  // an encoded slash (`..%2f`) gets past it and must be refused.
  for (const p of ['/../../package.json', '/assets/../../../package.json', '/%2e%2e/%2E%2E/package.json', '/..%2f..%2fharness.test.js', '/assets/..%2F..%2F..%2Fpackage.json']) {
    const r = await rawGet(good.url, p);
    assert.ok(r.status === 403 || (r.status === 404 && !/%2f/i.test(p)), `${p} answered ${r.status}`);
    assert.doesNotMatch(r.body, /haven-browser-tests|node:test/, `${p} leaked a file outside the site`);
  }
});

test('site: lists HTML files, maps them to URLs, samples every page type', () => {
  const files = listHtml(GOOD);
  assert.deepEqual(files, ['404.html', 'guide/first/index.html', 'guide/index.html', 'index.html']);
  assert.deepEqual(files.map(urlPath), ['/404.html', '/guide/first/', '/guide/', '/']);
  const many = ['index.html', '404.html', ...Array.from({ length: 100 }, (_, i) => `posts/p${i}/index.html`), 'posts/index.html', 'tags/index.html'];
  const s = samplePages(many, 10);
  assert.equal(s.length, 12, 'cap plus home and 404');
  for (const f of ['index.html', '404.html', 'posts/index.html', 'tags/index.html']) assert.ok(s.includes(f), `${f} sampled`);
});

test('browser: fresh temporary user-data-dir per launch, flags applied', async () => {
  // playwright-core passes --user-data-dir itself; read it off the live
  // Chromium processes that are children of this node process.
  const children = () =>
    fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map((p) => {
        try {
          const ppid = Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
          return { ppid, cmd: fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0') };
        } catch {
          return null;
        }
      })
      .filter((c) => c && c.ppid === process.pid && c.cmd.some((a) => a.startsWith('--user-data-dir=')));
  const dirs = children().map((c) => c.cmd.find((a) => a.startsWith('--user-data-dir=')).slice(16));
  assert.ok(dirs.length >= 1, 'found the running Chromium');
  const second = await launchBrowser();
  const after2 = children();
  const dir2 = after2.map((c) => c.cmd.find((a) => a.startsWith('--user-data-dir=')).slice(16)).find((d) => !dirs.includes(d));
  for (const flag of ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-quic', '--disable-sync']) {
    assert.ok(after2.every((c) => c.cmd.includes(flag)), `${flag} missing`);
  }
  await second.close();
  assert.ok(dir2, 'the second launch got its own user-data-dir');
  assert.ok(dir2.startsWith(os.tmpdir()), `${dir2} is a temporary folder`);
  assert.ok(!fs.existsSync(dir2), 'the user-data-dir is removed on close');
});

test('vnu: reports the invalid element and the missing alt on bad, nothing on good', async () => {
  const errors = await runVnu([...listHtml(BAD).map((f) => path.join(BAD, f)), ...listHtml(GOOD).map((f) => path.join(GOOD, f))], { cwd: HERE });
  const badErrors = errors.filter((e) => e.file.startsWith('fixtures/bad/'));
  assert.ok(badErrors.some((e) => /frobnicate/.test(e.message) && e.file === 'fixtures/bad/index.html' && e.line === 25), JSON.stringify(badErrors));
  assert.ok(badErrors.some((e) => /“alt” attribute/.test(e.message)));
  assert.deepEqual(errors.filter((e) => !e.file.startsWith('fixtures/bad/')), [], 'good fixture is valid');
});

test('browser + axe: every problem of the bad home page is detected', async () => {
  const found = {};
  for (const colorScheme of ['light', 'dark']) {
    const r = await openPage(browser, `${bad.url}/`, { colorScheme });
    found[colorScheme] = { ...r, axe: await runAxe(r.page) };
    await r.close();
  }
  const { light, dark } = found;
  const ids = (x) => x.axe.violations.map((v) => v.id);
  assert.ok(ids(light).includes('image-alt'), ids(light).join());
  assert.ok(ids(light).includes('html-has-lang'), ids(light).join());
  // The contrast problem exists only in dark mode: proves the scheme is emulated.
  assert.ok(!ids(light).includes('color-contrast'), 'light scheme has no contrast problem');
  assert.ok(ids(dark).includes('color-contrast'), ids(dark).join());
  assert.ok(dark.axe.summary.some((l) => l.includes('color-contrast') && l.includes('class="dim"')), dark.axe.summary.join('\n'));
  for (const r of [light, dark]) {
    assert.deepEqual(r.thirdParty.map((t) => t.url), ['https://cdn.example.com/tracker.js']);
    assert.deepEqual(r.consoleErrors.map((c) => c.text), ['bad fixture: console error']);
    assert.deepEqual(r.pageErrors.map((e) => e.text), ['bad fixture: uncaught exception']);
    assert.deepEqual(r.failedLocal, [{ url: '/assets/missing.png', status: 404 }]);
  }
  assert.match(describeProblems(light).join('\n'), /third-party request \(script\): https:\/\/cdn\.example\.com/);
});

test('browser: the 404 page at a nested missing URL; relative assets break there', async () => {
  const r = await openPage(browser, `${bad.url}/__missing__/deep/page/`, { expectStatus: 404 });
  await r.close();
  assert.deepEqual(r.failedLocal, [{ url: '/__missing__/deep/page/assets/style.css', status: 404 }]);
  assert.deepEqual(r.consoleErrors, [], 'the expected 404 of the page itself is not an error');
  // Loading a missing page without saying so is a failure.
  const r2 = await openPage(browser, `${good.url}/nope/`);
  await r2.close();
  assert.deepEqual(r2.failedLocal, [{ url: '/nope/', status: 404, expected: 200 }]);
});

test('browser: 320 px overflow and home-page facts detected on bad', async () => {
  const r = await openPage(browser, `${bad.url}/`, { width: 320 });
  const m = await measureOverflow(r.page);
  const f = await pageFacts(r.page);
  await r.close();
  assert.equal(m.innerWidth, 320);
  assert.ok(m.scrollWidth > m.innerWidth, JSON.stringify(m));
  assert.ok(m.culprits.some((c) => c.startsWith('div.wide')), m.culprits.join());
  assert.deepEqual(f, { h1: ['Bad fixture', 'Second top heading'], lang: null, csp: [] });
});

// The real test file, end to end, in a child process: fails on bad with a
// message naming each problem, passes on good (which also proves that no
// check fires on a clean site).
function runSiteTests(site) {
  const env = { ...process.env, HAVEN_SITE: site };
  delete env.NODE_TEST_CONTEXT; // else the child talks the parent runner's protocol
  return spawnSync(process.execPath, ['--test', '--test-reporter=tap', path.join(HERE, 'site.test.js')], { env, encoding: 'utf8', timeout: 240_000 });
}

test('site.test.js fails on the bad fixture, naming every problem', { timeout: 300_000 }, () => {
  const r = runSiteTests(BAD);
  assert.notEqual(r.status, 0, 'site.test.js must fail on fixtures/bad');
  const out = r.stdout;
  for (const needle of [
    'Element “frobnicate” not allowed', // vnu
    'axe image-alt', // axe, light and dark
    'axe color-contrast', // axe, dark only
    'third-party request (script): https://cdn.example.com/tracker.js',
    'console error: bad fixture: console error',
    'uncaught exception: bad fixture: uncaught exception',
    'failed local request: /assets/missing.png -> 404',
    'failed local request: /__haven_missing__/deep/page/assets/style.css -> 404', // 404 page
    'scrolls sideways at 320 px',
    'expected exactly one <h1>, found 2',
    '<html> has no lang attribute',
    'no <meta http-equiv="Content-Security-Policy"> tag',
  ]) {
    assert.ok(out.includes(needle), `output lacks ${JSON.stringify(needle)}:\n${out.slice(-4000)}`);
  }
  // vnu, light and dark for / and the 404 page, 320 px on /, the home page.
  assert.ok(Number(out.match(/^# fail (\d+)$/m)?.[1]) >= 7, out.slice(-1000));
});

test('site.test.js passes on the good fixture', { timeout: 300_000 }, () => {
  const r = runSiteTests(GOOD);
  assert.equal(r.status, 0, r.stdout.slice(-4000) + r.stderr.slice(-2000));
  assert.match(r.stdout, /^# fail 0$/m);
});
