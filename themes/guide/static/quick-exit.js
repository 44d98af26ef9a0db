/* Quick exit (Haven). The link works without JavaScript; with it, leaving is faster and safer:
   - the page is hidden at once and replaced in history by the neutral site (location.replace),
     so Back does not bring it back;
   - a page restored from the back/forward cache after leaving is hidden again;
   - Shift pressed 3 times (within 2 seconds, nothing else between) leaves too, with a spoken
     countdown, like GOV.UK's "Exit this page". Escape is never used: it stops page loads.
   The key listener is on window in the capture phase, so no other script can swallow it.
   Nothing is stored and nothing is sent. */
(function () {
  'use strict';
  var box = document.querySelector('[data-quick-exit]');
  if (!box) return;
  var link = box.querySelector('.quick-exit-link');
  var status = box.querySelector('.quick-exit-status');
  var shortcut = box.querySelector('.quick-exit-shortcut');
  if (!link) return;
  var url = link.href;
  var leaving = false;
  var WINDOW_MS = 2000;
  var presses = 0;
  var timer = null;
  var clearTimer = null;

  function say(text) {
    if (!status) return;
    clearTimeout(clearTimer);
    status.textContent = text || '';
  }

  function hide() {
    document.documentElement.classList.add('quick-exit-leaving');
    if (document.body) document.body.hidden = true;
    try { document.title = box.getAttribute('data-title') || ''; } catch (e) { /* ignore */ }
  }

  function leave(event) {
    if (event) event.preventDefault();
    leaving = true;
    hide();
    try {
      window.location.replace(url);
    } catch (e) {
      window.location.href = url;
    }
  }

  function reset(expired) {
    clearTimeout(timer);
    timer = null;
    if (presses > 0 && expired) {
      say(box.getAttribute('data-expired'));
      clearTimer = setTimeout(function () { say(''); }, 3000);
    } else if (presses > 0) {
      say('');
    }
    presses = 0;
  }

  link.addEventListener('click', leave);

  window.addEventListener('keydown', function (event) {
    if (leaving) return;
    if (event.key !== 'Shift') {
      // Typing (Shift+letter, anything else) is not the shortcut.
      if (presses > 0) reset(false);
      return;
    }
    if (event.repeat) return;
    presses += 1;
    if (presses === 1) {
      timer = setTimeout(function () { reset(true); }, WINDOW_MS);
    }
    if (presses >= 3) {
      clearTimeout(timer);
      say(box.getAttribute('data-leaving'));
      leave();
    } else {
      say(box.getAttribute(presses === 1 ? 'data-press-two' : 'data-press-one'));
    }
  }, true);

  // Back/forward cache: a page kept in memory after leaving must not show again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && leaving) {
      hide();
      window.location.replace(url);
    }
  });

  if (shortcut) shortcut.hidden = false;
})();
