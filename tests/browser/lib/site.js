// The built site under test and which of its pages to load.
import fs from 'node:fs';
import path from 'node:path';

export const SITE_DIR = path.resolve(process.env.HAVEN_SITE || 'target/browser-site');

// Every .html file, as paths relative to the site root with `/`, sorted.
export function listHtml(dir = SITE_DIR) {
  const out = [];
  const walk = (rel) => {
    for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else if (ent.isFile() && /\.html?$/i.test(ent.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

// The URL path a static host serves a file at: `a/index.html` -> `/a/`.
export function urlPath(rel) {
  return `/${rel}`.replace(/(^|\/)index\.html$/, '$1');
}

// The page's kind, guessed from where it sits, so a sample covers every kind
// (home, 404, each top-level section and what lies below it) before it takes
// more of the same.
export function pageType(rel) {
  if (rel === 'index.html') return 'home';
  if (rel === '404.html') return '404';
  const parts = rel.split('/');
  if (parts.length === 1) return `top:${rel}`;
  return `${parts[0]}/${parts.length === 2 && parts[1] === 'index.html' ? 'list' : `depth${parts.length}`}`;
}

// `cap` files plus the home page and 404.html (always, when present): first
// one of each page type, then evenly spaced ones.
export function samplePages(files, cap) {
  const picked = new Set(files.filter((f) => f === 'index.html' || f === '404.html'));
  const limit = cap + picked.size;
  const seen = new Set();
  for (const f of files) {
    const t = pageType(f);
    if (!seen.has(t) && picked.size < limit) picked.add(f);
    seen.add(t);
  }
  const rest = files.filter((f) => !picked.has(f));
  const room = Math.max(0, limit - picked.size);
  for (let i = 0; i < Math.min(room, rest.length); i++) picked.add(rest[Math.floor((i * rest.length) / Math.min(room, rest.length))]);
  return [...picked].sort();
}
