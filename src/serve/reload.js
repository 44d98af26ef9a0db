// Live reload for `haven serve` only: the server adds this script to the pages it serves; built
// sites never have it. It listens to /__haven/events (Server-Sent Events): `reload` reloads the
// page (unless it lists the pages that changed and this is not one of them), `css` swaps the
// stylesheets in place, `build-error` shows the error over the last good page until a fix
// builds.
(() => {
  'use strict';
  if (!window.EventSource) return;
  // The version this page was served at: `?v=SESSION.VERSION` on this script's URL.
  const served = new URL(document.currentScript.src).searchParams.get('v') || '';
  let session = served.split('.')[0];
  let version = Number(served.split('.')[1] || 0);
  let overlay = null;

  const source = new EventSource('/__haven/events');
  const state = (e) => JSON.parse(e.data);

  // On every (re)connection: reload when something was rebuilt since this page was served,
  // or when serve restarted.
  source.addEventListener('hello', (e) => {
    const d = state(e);
    if (d.session !== session || (d.version !== version && !d.error)) {
      location.reload();
      return;
    }
    version = d.version;
    showError(d.error);
  });
  // This page's file in the output: `a/b/` is `a/b/index.html`.
  const here = decodeURIComponent(location.pathname).replace(/^\//, '').replace(/(^|\/)$/, '$1index.html');
  source.addEventListener('reload', (e) => {
    const d = state(e);
    if (Array.isArray(d.pages) && !d.pages.includes(here)) {
      version = d.version;
      return;
    }
    location.reload();
  });
  source.addEventListener('css', (e) => {
    const d = state(e);
    version = d.version;
    session = d.session;
    swapStylesheets(d.version);
    showError(null);
  });
  source.addEventListener('build-error', (e) => {
    const d = state(e);
    version = d.version;
    showError(d.error);
  });

  // New <link> beside the old one, the old one removed once the new one has loaded: no flash.
  function swapStylesheets(v) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('haven-reload', String(v));
      const fresh = link.cloneNode();
      fresh.href = url.pathname + url.search;
      fresh.addEventListener('load', () => link.remove());
      fresh.addEventListener('error', () => fresh.remove());
      link.after(fresh);
    }
  }

  // The error, as text (never as HTML), over the page. Styled through the DOM, which the
  // site's Content-Security-Policy allows.
  function showError(text) {
    if (!text) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.id = 'haven-serve-error';
      overlay.setAttribute('role', 'alert');
      Object.assign(overlay.style, {
        position: 'fixed', inset: '0', zIndex: '2147483647', overflow: 'auto',
        background: 'rgba(20, 20, 20, 0.94)', color: '#fff', padding: '2rem',
        font: '15px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      });
      const title = document.createElement('h2');
      title.textContent = 'haven serve: the last edit did not build';
      Object.assign(title.style, { margin: '0 0 0.5rem', font: 'bold 1.2rem system-ui, sans-serif', color: '#ffb4a8' });
      const note = document.createElement('p');
      note.textContent = 'This page is the last good build. Fix the file and save: the page updates by itself.';
      Object.assign(note.style, { margin: '0 0 1rem', font: '1rem system-ui, sans-serif' });
      const pre = document.createElement('pre');
      Object.assign(pre.style, { whiteSpace: 'pre-wrap', margin: '0 0 1rem' });
      const close = document.createElement('button');
      close.type = 'button';
      close.textContent = 'Hide';
      close.addEventListener('click', () => { overlay.remove(); overlay = null; });
      overlay.append(title, note, pre, close);
    }
    overlay.querySelector('pre').textContent = text;
    if (!overlay.isConnected) document.body.append(overlay);
  }
})();
