// Search folding in the browser is the build's: tests/search/fold-vectors.json, which
// src/search/tokenize.rs is checked against too (fold_vectors_hold), run against the very `fold`
// and `words` of themes/guide/static/search.js, in Node and in Chromium (the engine readers'
// queries are folded by). Needs no built site.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launchBrowser } from './lib/browser.js';
import { REPO_ROOT } from './lib/theme-helpers.js';

const T = { timeout: 120_000 };
const SCRIPT = path.join(REPO_ROOT, 'themes/guide/static/search.js');
const VECTORS = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tests/search/fold-vectors.json'), 'utf8'));

// Every way `api` ({fold, words}) differs from the vectors `v`, as messages (at most 20). Runs
// in Node and, passed by its source, in the page: it uses nothing but its arguments.
function differences(api, v) {
  const out = [];
  const show = (s) => JSON.stringify(s);
  for (const [input, folded, why] of v.fold) {
    const got = api.fold(input);
    if (got !== folded) out.push(`fold(${show(input)}) is ${show(got)}, not ${show(folded)} (${why})`);
  }
  for (const [text, words] of v.words) {
    const got = api.words(text);
    if (show(got) !== show(words)) out.push(`words(${show(text)}) are ${show(got)}, not ${show(words)}`);
  }
  const ranges = v.removed.map(([a, b]) => [parseInt(a, 16), parseInt(b, 16)]);
  const listed = (cp) => ranges.some(([a, b]) => cp >= a && cp <= b);
  const hex = (cp) => 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    const removed = api.fold('a' + c) === 'a';
    const marksOnly = [...c.normalize('NFKD')].every((d) => listed(d.codePointAt(0)));
    if (removed !== marksOnly || (listed(cp) && !removed)) out.push(`${hex(cp)} is ${removed ? '' : 'not '}removed by fold`);
    if (out.length >= 20) return out;
  }
  const utf8 = new TextEncoder();
  let hash = 0x811c9dc5;
  for (const [a, b] of v.digest.blocks) {
    for (let cp = parseInt(a, 16); cp <= parseInt(b, 16); cp++) {
      for (const byte of utf8.encode(api.fold(String.fromCodePoint(cp)) + '\n')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
  }
  const digest = hash.toString(16).padStart(8, '0');
  if (digest !== v.digest.fnv1a32) out.push(`the folded blocks' digest is ${digest}, not ${v.digest.fnv1a32}`);
  return out;
}

describe('search folding: tests/search/fold-vectors.json', () => {
  test('in Node, search.js folds as the vectors say', T, () => {
    const api = createRequire(import.meta.url)(SCRIPT);
    assert.equal(typeof api.fold, 'function');
    assert.deepEqual(differences(api, VECTORS), []);
  });

  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  test('in Chromium, search.js folds as the vectors say', T, async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const found = await page.evaluate(({ script, check, vectors }) => {
        // search.js hands its folding to `module.exports` when there is one, before any DOM work.
        const module = { exports: {} };
        new Function('module', script)(module);
        // eslint-disable-next-line no-new-func
        return new Function('api', 'v', `return (${check})(api, v);`)(module.exports, vectors);
      }, { script: fs.readFileSync(SCRIPT, 'utf8'), check: differences.toString(), vectors: VECTORS });
      assert.deepEqual(found, []);
    } finally {
      await context.close();
    }
  });
});
