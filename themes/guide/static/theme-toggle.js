/* Light/dark toggle (Haven guide theme). Loaded in <head> so a chosen scheme applies before the
   first paint. The page follows the device (prefers-color-scheme) until the reader presses the
   button; only then is the choice kept, in localStorage on this device ("haven-theme"). Choosing
   the scheme the device already prefers forgets the choice again. Nothing is ever sent. */
(function () {
  'use strict';
  var KEY = 'haven-theme';
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { /* storage blocked: follow the device */ }
  if (stored === 'light' || stored === 'dark') root.setAttribute('data-theme', stored);
  var query = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function device() { return query && query.matches ? 'dark' : 'light'; }
  function current() { return root.getAttribute('data-theme') || device(); }

  function setup() {
    var button = document.querySelector('.theme-toggle');
    if (!button) return;
    function sync() { button.setAttribute('aria-pressed', current() === 'dark' ? 'true' : 'false'); }
    button.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      try {
        if (next === device()) {
          root.removeAttribute('data-theme');
          window.localStorage.removeItem(KEY);
        } else {
          root.setAttribute('data-theme', next);
          window.localStorage.setItem(KEY, next);
        }
      } catch (e) {
        root.setAttribute('data-theme', next);
      }
      sync();
    });
    if (query && query.addEventListener) query.addEventListener('change', sync);
    sync();
    button.hidden = false;
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup);
  else setup();
})();
