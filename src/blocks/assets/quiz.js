/* Haven quizzes: checks answers in the reader's browser. One plain script, no dependency.
   Nothing is sent anywhere; answers stay in memory unless the reader ticks "remember"
   (localStorage, only when the site offers it). No key handlers: the keyboard is the browser's. */
(function () {
  'use strict';
  var $ = function (el, s) { return el.querySelector(s); };
  var $$ = function (el, s) { return Array.prototype.slice.call(el.querySelectorAll(s)); };
  var fill = function (s, o) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in o ? o[k] : m; }); };
  var store = null;
  try { store = window.localStorage; } catch (e) { /* storage blocked: nothing is remembered */ }

  function setup(f) {
    var T = f.dataset, live = $(f, '.quiz-live'), score = $(f, '.quiz-score'), qs = $$(f, '.quiz-q');
    var box = $(f, '.quiz-remember-box'), key = 'haven-quiz:' + T.quiz, timer;
    var inputs = function (q) { return $$(q, '.quiz-options input'); };
    var el = function (tag, text, parent) {
      var e = document.createElement(tag);
      if (text) e.textContent = text;
      parent.appendChild(e);
      return e;
    };
    // Cleared first, so the same message twice is announced twice.
    var say = function (m) {
      live.textContent = '';
      clearTimeout(timer);
      timer = setTimeout(function () { live.textContent = m; }, 60);
    };

    // Shuffled options (opt-in): whole list items move, so each label stays with its input and
    // ids and values are unchanged. Printing puts them back in source order, as without JS.
    if ('shuffle' in T) {
      var lists = $$(f, '.quiz-q:not([data-answer="truefalse"]):not([data-answer="order"]) .quiz-options'), orders = lists.map(function (ul) {
        var items = $$(ul, '.quiz-option');
        for (var i = items.length - 1; i > 0; i--) {
          var j = Math.floor(Math.random() * (i + 1)), t = items[i];
          items[i] = items[j];
          items[j] = t;
        }
        return items;
      });
      var place = function (printing) {
        lists.forEach(function (ul, k) {
          var items = orders[k].slice();
          if (printing) items.sort(function (a, b) { return $(a, 'input').value - $(b, 'input').value; });
          items.forEach(function (li) { ul.appendChild(li); });
        });
      };
      place(false);
      var media = window.matchMedia && window.matchMedia('print');
      if (media && media.addEventListener) media.addEventListener('change', function (e) { place(e.matches); });
      window.addEventListener('beforeprint', function () { place(true); });
      window.addEventListener('afterprint', function () { place(false); });
    }

    // Ordering questions: Move up / Move down buttons, the order as first shown kept for reset.
    var steps = function (q) { return $$(q, '.quiz-step'); };
    var shown = qs.map(function (q) { return q.dataset.answer === 'order' ? steps(q) : null; });
    $$(f, '.quiz-move').forEach(function (m) { m.hidden = false; });

    f.classList.add('quiz-js');
    $$(f, '.quiz-answer').forEach(function (d) { d.hidden = true; });
    $$(f, '.quiz-actions, .quiz-end').forEach(function (e) { e.hidden = false; });
    f.addEventListener('submit', function (e) { e.preventDefault(); });

    // A knowledge-check question: marks every chosen or right option, shows the explanation.
    // Returns true when right, false when wrong, undefined when nothing is chosen yet.
    function check(q, finishing) {
      if (q.dataset.done) return q.dataset.done === 'y';
      var ins = inputs(q), picked = ins.filter(function (i) { return i.checked; }), ok;
      if (q.dataset.answer === 'order') {
        // Every step says whether it is in its place, and if not, where it goes.
        picked = [q];
        ok = true;
        $$(q, '.quiz-step').forEach(function (li, k) {
          var want = +li.dataset.step, fb = $(li, '.quiz-feedback'), right = want === k + 1;
          if (!right) ok = false;
          $(fb, '.quiz-mark').textContent = right ? T.tStepRight : fill(T.tStepWrong, { n: want });
          fb.hidden = false;
          li.classList.add(right ? 'quiz-ok' : 'quiz-bad');
          $$(li, 'button').forEach(function (b) { b.disabled = true; });
        });
      }
      if (!picked.length && !finishing) return;
      if (ok === undefined) ok = picked.length > 0;
      ins.forEach(function (i) {
        var right = i.hasAttribute('data-right'), li = i.parentNode, fb = $(li, '.quiz-feedback');
        if (i.checked !== right) ok = false;
        if (i.checked || right) {
          $(fb, '.quiz-mark').textContent = i.checked ? (right ? T.tYoursRight : T.tYoursWrong) : T.tMissed;
          fb.hidden = false;
          li.classList.add(right ? 'quiz-ok' : 'quiz-bad');
          i.setAttribute('aria-describedby', fb.id);
        }
        i.disabled = true;
      });
      var r = $(q, '.quiz-result'), ex = $(q, '.quiz-explanation');
      r.textContent = '';
      el('p', picked.length ? (ok ? T.tCorrect : T.tWrong) : T.tUnanswered, r).className = 'quiz-verdict';
      if (ex) r.appendChild(ex.cloneNode(true));
      r.hidden = false;
      $(q, '.quiz-actions').hidden = true;
      q.dataset.done = ok ? 'y' : 'n';
      return ok;
    }

    function finish() {
      score.textContent = '';
      var first;
      if (T.type === 'knowledge') {
        var n = 0, miss = [];
        qs.forEach(function (q, k) { if (check(q, true)) n++; else miss.push(k); });
        first = el('p', fill(T.tScore, { n: n, total: qs.length }), score);
        if (miss.length) {
          el('p', T.tReview, score);
          var ul = el('ul', '', score);
          miss.forEach(function (k) {
            var q = qs[k], lg = $(q, 'legend').cloneNode(true);
            $$(lg, '.quiz-n, .quiz-hint').forEach(function (s) { s.remove(); });
            var li = el('li', '', ul), a = el('a', fill(T.tQuestion, { n: k + 1 }), li);
            a.href = '#' + q.id;
            li.appendChild(document.createTextNode(': ' + lg.textContent.trim() + ' '));
            var right = q.dataset.answer === 'order'
              ? steps(q).sort(function (a, b) { return a.dataset.step - b.dataset.step; }).map(function (s) { return $(s, '.quiz-step-text').textContent; })
              : $$(q, 'input[data-right]').map(function (i) { return i.labels[0].textContent; });
            el('strong', right.join('; '), li);
          });
        }
      } else if (T.type === 'checklist') {
        var bands = $(f, '.quiz-bands'), c = $$(f, '.quiz-options input:checked').length;
        var flags = $$(f, '.quiz-options input[data-flag]:checked');
        var band = $$(bands, 'li').filter(function (b) {
          return c >= +b.dataset.min && (b.dataset.max === undefined || c <= +b.dataset.max);
        })[0];
        if (flags.length) {
          // A flagged statement speaks first, whatever the count; its band is not shown, so no
          // band can read as reassurance beside it.
          var box = el('div', '', score), level = Math.min(6, +$(f, '.quiz-title').tagName.charAt(1) + 1);
          box.className = 'quiz-flagged';
          first = el('h' + level, T.tFlagTitle, box);
          var spoken = [T.tFlagTitle];
          flags.forEach(function (i) {
            var said = el('p', '', box), msg = el('p', '', box);
            el('strong', T.tFlagTicked, said);
            said.appendChild(document.createTextNode(' ' + i.labels[0].textContent));
            msg.appendChild($(document.getElementById(i.id + '-flag'), '.quiz-flag-msg').cloneNode(true));
            spoken.push(msg.textContent);
          });
          el('p', fill(T.tTicked, { n: c, total: bands.dataset.total }), score);
          first.className = 'quiz-flag-title';
          score.hidden = false;
          score.focus();
          return say(spoken.join(' '));
        }
        first = el('p', fill(T.tTicked, { n: c, total: bands.dataset.total }), score);
        if (band) el('p', '', score).appendChild($(band, '.quiz-band').cloneNode(true));
      } else {
        var sums = {}, any = false;
        qs.forEach(function (q) {
          var i = inputs(q).filter(function (x) { return x.checked; })[0];
          if (!i) return;
          any = true;
          i.dataset.w.split(' ').forEach(function (w) {
            var p = w.split(':');
            sums[p[0]] = (sums[p[0]] || 0) + Number(p[1]);
          });
        });
        if (!any) {
          first = el('p', T.tNone, score);
        } else {
          var cats = $$(f, '.quiz-category'), of = function (c) { return sums[c.dataset.cat] || 0; };
          var max = Math.max.apply(null, cats.map(of));
          var top = cats.filter(function (c) { return of(c) === max; });
          var names = top.map(function (c) { return $(c, '.quiz-cat-name').textContent; });
          var last = names.pop();
          names = names.length ? names.join(', ') + T.tAnd + last : last;
          first = el('p', fill(top.length > 1 ? T.tTie : T.tResult, { names: names }), score);
          score.dataset.result = top.map(function (c) { return c.dataset.cat; }).join(' ');
          top.forEach(function (c) { score.appendChild(c.cloneNode(true)); });
        }
      }
      first.className = 'quiz-verdict';
      score.hidden = false;
      score.focus();
      say(first.textContent);
    }

    function save() {
      if (!box || !store) return;
      if (!box.checked) return store.removeItem(key);
      store.setItem(key, JSON.stringify(qs.map(function (q) {
        return inputs(q).filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      })));
    }

    function reset(msg) {
      qs.forEach(function (q, k) {
        if (shown[k]) {
          shown[k].forEach(function (li) {
            li.parentNode.appendChild(li);
            li.classList.remove('quiz-ok', 'quiz-bad');
            $$(li, 'button').forEach(function (b) { b.disabled = false; });
          });
        }
        delete q.dataset.done;
        inputs(q).forEach(function (i) {
          i.checked = i.disabled = false;
          i.removeAttribute('aria-describedby');
          i.parentNode.classList.remove('quiz-ok', 'quiz-bad');
        });
        $$(q, '.quiz-feedback, .quiz-result').forEach(function (e) { e.hidden = true; });
        var a = $(q, '.quiz-actions');
        if (a) a.hidden = false;
      });
      score.hidden = true;
      score.textContent = '';
      delete score.dataset.result;
      save();
      $(qs[0], 'input, button').focus();
      say(msg || T.tReset);
    }

    if (box && store) {
      $(f, '.quiz-remember').hidden = false;
      var saved = null;
      try { saved = JSON.parse(store.getItem(key)); } catch (e) { /* ignore a damaged entry */ }
      if (saved) {
        box.checked = true;
        qs.forEach(function (q, k) {
          inputs(q).forEach(function (i) { i.checked = (saved[k] || []).indexOf(i.value) >= 0; });
        });
      }
      $(f, '.quiz-clear').addEventListener('click', function () {
        box.checked = false;
        reset(T.tCleared);
      });
    }
    f.addEventListener('change', save);

    f.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b) return;
      if (b.className === 'quiz-check') {
        var q = b.closest('.quiz-q');
        if (check(q) === undefined) return say(T.tPick);
        var r = $(q, '.quiz-result');
        r.focus();
        say(r.firstChild.textContent);
      } else if (b.className === 'quiz-up' || b.className === 'quiz-down') {
        // The neighbour moves, not the step itself, so focus stays on the button pressed.
        var li = b.closest('.quiz-step'), list = li.parentNode;
        if (b.className === 'quiz-up' && li.previousElementSibling) list.insertBefore(li.previousElementSibling, li.nextElementSibling);
        if (b.className === 'quiz-down' && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
        var all = steps(list);
        say(fill(T.tMoved, { text: $(li, '.quiz-step-text').textContent, n: all.indexOf(li) + 1, total: all.length }));
      } else if (b.className === 'quiz-finish') {
        finish();
      } else if (b.className === 'quiz-reset') {
        reset();
      }
    });
  }

  $$(document, 'form.quiz').forEach(setup);
})();
