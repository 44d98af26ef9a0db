// Headless Debian Chromium through playwright-core (never a downloaded browser:
// the machine has no network but the package registries).
import { chromium } from 'playwright-core';

export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts and floods the closed network with refused connections.
export const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox', // we run as root in CI, where the sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// playwright-core starts every launch with a new, empty temporary
// --user-data-dir and deletes it on close, so no state leaks between runs
// (tests/browser/harness.test.js checks the flag on the live process).
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROME_PATH, args: CHROME_FLAGS, timeout: 60_000 });
}

// Chromium asks for /favicon.ico by itself when a page declares no icon, and
// only sometimes before the page closes: not the page's own request, so it is
// left out to keep results deterministic.
function isAutoFavicon(url) {
  try {
    return new URL(url).pathname === '/favicon.ico';
  } catch {
    return false;
  }
}

// Opens `url` in a fresh context and records what a reader's browser would
// see go wrong. Any request to another origin is aborted (nothing leaves the
// machine) and recorded: a third-party request is a privacy leak for readers
// of a sexual-health site. `expectStatus` is the status the page itself is
// meant to have (404 when loading a missing URL to see the site's 404 page).
export async function openPage(browser, url, { colorScheme = 'light', width = 1280, height = 800, javaScriptEnabled = true, expectStatus = 200 } = {}) {
  const origin = new URL(url).origin;
  const context = await browser.newContext({ colorScheme, viewport: { width, height }, javaScriptEnabled, locale: 'en-US' });
  const thirdParty = [];
  const consoleErrors = [];
  const pageErrors = [];
  const failedLocal = [];
  const blocked = new Set();

  await context.route('**/*', (route) => {
    const reqUrl = route.request().url();
    let reqOrigin = null;
    try {
      reqOrigin = new URL(reqUrl).origin;
    } catch {}
    if (reqOrigin === origin) return route.continue();
    blocked.add(reqUrl);
    thirdParty.push({ url: reqUrl, type: route.request().resourceType() });
    return route.abort('blockedbyclient');
  });

  const page = await context.newPage();
  // WebSockets are not routed by context.route: record them separately.
  page.on('websocket', (ws) => {
    if (new URL(ws.url()).host !== new URL(url).host) thirdParty.push({ url: ws.url(), type: 'websocket' });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location()?.url || '';
    // Chromium logs every request we aborted, and the expected status of an
    // intentional 404 page load: those are already counted elsewhere.
    // "Failed to load resource" repeats a failed request, which is already
    // recorded in failedLocal or thirdParty.
    if (blocked.has(loc) || isAutoFavicon(loc) || /^Failed to load resource|ERR_BLOCKED_BY_CLIENT/.test(msg.text())) return;
    if (loc === url && expectStatus !== 200 && msg.text().includes(`status of ${expectStatus}`)) return;
    consoleErrors.push({ text: msg.text(), source: loc ? `${loc}:${msg.location().lineNumber}` : '' });
  });
  page.on('pageerror', (err) => pageErrors.push({ text: String(err?.message ?? err) }));
  page.on('response', (resp) => {
    const r = resp.url();
    if (resp.status() < 400 || new URL(r).origin !== origin || isAutoFavicon(r)) return;
    // The main document's own status is checked once, after goto().
    if (resp.request().isNavigationRequest() && resp.frame() === page.mainFrame()) return;
    failedLocal.push({ url: r.slice(origin.length), status: resp.status() });
  });
  page.on('requestfailed', (req) => {
    const r = req.url();
    if (blocked.has(r) || isAutoFavicon(r)) return;
    // Cancelled because the page navigated or reloaded meanwhile (a test's reload can catch the
    // icon still loading): not a failure of the site. A missing file answers 404, seen above.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    try {
      // A 4xx body that Chromium then refuses also fails: record it once.
      if (new URL(r).origin === origin && !failedLocal.some((f) => f.url === r.slice(origin.length))) failedLocal.push({ url: r.slice(origin.length), status: req.failure()?.errorText || 'failed' });
    } catch {}
  });

  const response = await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  if (response && response.status() !== expectStatus) {
    failedLocal.push({ url: url.slice(origin.length), status: response.status(), expected: expectStatus });
  }
  return { page, context, response, thirdParty, consoleErrors, pageErrors, failedLocal, close: () => context.close() };
}

// One line per problem, for assertion messages.
export function describeProblems(r) {
  const lines = [];
  for (const t of r.thirdParty) lines.push(`third-party request (${t.type}): ${t.url}`);
  for (const c of r.consoleErrors) lines.push(`console error: ${c.text} ${c.source}`.trim());
  for (const e of r.pageErrors) lines.push(`uncaught exception: ${e.text}`);
  for (const f of r.failedLocal) lines.push(`failed local request: ${f.url} -> ${f.status}${f.expected ? ` (expected ${f.expected})` : ''}`);
  return lines;
}

// Horizontal scrolling: the page is wider than the viewport. Also names the
// elements that stick out past the right edge, to say where to look.
export function measureOverflow(page) {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = [];
    if (scrollWidth > innerWidth) {
      for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > innerWidth + 1) {
          const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
          culprits.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls} (right edge ${Math.round(right)} px)`);
        }
      }
    }
    return { scrollWidth, innerWidth, culprits: culprits.slice(0, 8) };
  });
}

// What the home page must carry: one h1, a language, a CSP.
export function pageFacts(page) {
  return page.evaluate(() => ({
    h1: [...document.querySelectorAll('h1')].map((h) => h.textContent.trim()),
    lang: document.documentElement.getAttribute('lang'),
    csp: [...document.querySelectorAll('meta[http-equiv]')].filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy').map((m) => m.content),
  }));
}
