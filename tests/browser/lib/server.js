// A small static file server over a built site, behaving like a plain static
// host (GitHub Pages, Netlify, nginx): `dir/` serves `dir/index.html`, `/x`
// redirects to `/x/` when x is a folder, missing files get the site's own
// 404.html with status 404. Listens on 127.0.0.1 with a port the kernel picks,
// so parallel runs never collide.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function statOrNull(p) {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

export async function startServer(dir) {
  const root = fs.realpathSync(dir);

  function send(req, res, status, file, extraHeaders = {}) {
    const body = fs.readFileSync(file);
    res.writeHead(status, { 'Content-Type': mimeOf(file), 'Content-Length': body.length, 'Cache-Control': 'no-store', ...extraHeaders });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function notFound(req, res) {
    const page = path.join(root, '404.html');
    if (statOrNull(page)?.isFile()) return send(req, res, 404, page);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'not found\n');
  }

  function refuse(res, status, why) {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`${why}\n`);
  }

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    let pathname;
    try {
      // Parse only the path part; a raw `..` in req.url is not normalised by
      // node, so check segments before and after decoding.
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return refuse(res, 400, 'bad request');
    }
    const rawSegments = req.url.split('?')[0].split('/');
    if (rawSegments.includes('..') || pathname.split('/').includes('..') || pathname.includes('\0') || pathname.includes('\\')) {
      return refuse(res, 403, 'path traversal refused');
    }
    let file = path.join(root, pathname);
    // Symlinks could still point outside the root: compare real paths.
    const real = (() => {
      try {
        return fs.realpathSync(file);
      } catch {
        return null;
      }
    })();
    if (real === null) return notFound(req, res);
    if (real !== root && !real.startsWith(root + path.sep)) return refuse(res, 403, 'path traversal refused');

    const st = statOrNull(real);
    if (st?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        const q = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        res.writeHead(301, { Location: `${pathname}/${q}` });
        return res.end();
      }
      file = path.join(real, 'index.html');
      if (!statOrNull(file)?.isFile()) return notFound(req, res);
      return send(req, res, 200, file);
    }
    if (st?.isFile()) return send(req, res, 200, real);
    return notFound(req, res);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
