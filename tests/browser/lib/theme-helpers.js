// Helpers for the theme tests (theme.test.js): build the example site with a chosen theme and
// test settings into a temporary folder, and a few page checks the generic harness lacks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const HAVEN_BIN = path.resolve(REPO_ROOT, process.env.HAVEN_BIN || path.join(process.env.CARGO_TARGET_DIR || 'target', 'debug', 'haven'));

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Sets `key = value` in the TOML table `table` ('' for the top level) of `text`, adding the key
// (or the table) when missing. Enough for haven.toml's flat tables; values are TOML literals.
export function setTomlKey(text, table, key, value) {
  const lines = text.split('\n');
  let start = 0;
  let end = lines.length;
  if (table) {
    start = lines.findIndex((l) => l.trim() === `[${table}]`);
    if (start < 0) return `${text.replace(/\n*$/, '\n')}\n[${table}]\n${key} = ${value}\n`;
    start += 1;
  }
  const next = lines.findIndex((l, i) => i >= start && /^\s*\[/.test(l));
  if (next >= 0) end = next;
  const re = new RegExp(`^\\s*${key}\\s*=`);
  const at = lines.findIndex((l, i) => i >= start && i < end && re.test(l));
  if (at >= 0) lines[at] = `${key} = ${value}`;
  else lines.splice(table ? start : 0, 0, `${key} = ${value}`);
  return lines.join('\n');
}

export function runHaven(root, out) {
  if (!fs.existsSync(HAVEN_BIN)) throw new Error(`no haven binary at ${HAVEN_BIN}: run \`cargo build\` first (or set HAVEN_BIN)`);
  try {
    return execFileSync(HAVEN_BIN, ['build', '--root', root, '--output', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  } catch (e) {
    throw new Error(`haven build --root ${root} failed:\n${e.stdout || ''}${e.stderr || ''}`);
  }
}

// Copies the repository's example site (haven.toml, content/, static/ if any) to a temporary
// folder, applies `edit(configText) -> configText` and `files` ({relative path: contents}),
// builds it with the debug binary and returns { root, out }. The theme comes from the binary's
// built-in themes (or a themes/ folder written through `files`).
export function buildExampleSite({ prefix = 'haven-theme-', edit = (t) => t, files = {} } = {}) {
  const root = tempDir(prefix);
  fs.copyFileSync(path.join(REPO_ROOT, 'haven.toml'), path.join(root, 'haven.toml'));
  fs.cpSync(path.join(REPO_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  if (fs.existsSync(path.join(REPO_ROOT, 'static'))) fs.cpSync(path.join(REPO_ROOT, 'static'), path.join(root, 'static'), { recursive: true });
  const config = path.join(root, 'haven.toml');
  fs.writeFileSync(config, edit(fs.readFileSync(config, 'utf8')));
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), body);
  }
  const out = path.join(root, 'public');
  runHaven(root, out);
  return { root, out };
}

// A tiny site standing in for the neutral page quick exit leaves for.
export function writeNeutralSite() {
  const dir = tempDir('haven-neutral-');
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Weather</title></head><body><main><h1>Neutral weather page</h1></main></body></html>\n',
  );
  return dir;
}

// Heading levels in document order, and where one skips a level (h2 -> h4).
export function headingFacts(page) {
  return page.evaluate(() => {
    const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim().slice(0, 60) }));
    const skips = [];
    for (let i = 1; i < hs.length; i++) if (hs[i].level > hs[i - 1].level + 1) skips.push(`${hs[i - 1].text} (h${hs[i - 1].level}) -> ${hs[i].text} (h${hs[i].level})`);
    return { h1: hs.filter((h) => h.level === 1).map((h) => h.text), first: hs[0]?.level, skips };
  });
}

// The element that has focus after pressing Tab `n` times from the top of a fresh page.
export async function focusAfterTabs(page, n) {
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < n; i++) await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase(), className: el?.className || '', text: el?.textContent.trim(), href: el?.getAttribute('href') };
  });
}

// The JSON-LD blocks of an HTML text, parsed (throws on invalid JSON).
export function jsonLd(html) {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
}
