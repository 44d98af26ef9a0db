// Haven site search (docs/search.md). Fetches, from this site only, the index manifest and the
// few term shards and document chunks a query needs; stores nothing. Without this script the
// search page says search needs JavaScript and lists the sections. In the offline copy
// (data-search-scripts, docs/offline.md) a page opened from a file cannot fetch: each index
// file is a script beside it (t/ab.js for t/ab.json) that stores it in window.havenSearchFiles.
(function () {
  'use strict';

  // ---- Folding and words: the same as src/search/tokenize.rs (`fold`, `words`), checked
  // against tests/search/fold-vectors.json on both sides (docs/search.md, "Folding"). ----
  // Marks readers leave out (Latin, Greek, Cyrillic accents, Hebrew points, Arabic harakat,
  // hamza above and below, madda, the tatweel): `is_search_mark` in tokenize.rs.
  var MARKS = /[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  // Letters decomposition leaves alone (`fold_letter` in tokenize.rs), once lower-cased.
  var LETTERS = {
    'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'đ': 'd', 'ð': 'd', 'ł': 'l', 'þ': 'th',
    'ħ': 'h', 'ŧ': 't', 'ı': 'i', 'ς': 'σ',
    '\u0671': '\u0627', '\u0649': '\u064a', '\u0629': '\u0647', '\u06cc': '\u064a', '\u06a9': '\u0643'
  };
  for (var digit = 0; digit < 10; digit++) {
    LETTERS[String.fromCharCode(0x660 + digit)] = LETTERS[String.fromCharCode(0x6f0 + digit)] = String(digit);
  }
  var LETTER = new RegExp('[' + Object.keys(LETTERS).join('') + ']', 'g');
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  function fold(s) {
    return s.normalize('NFKD').replace(MARKS, '').toLowerCase()
      .replace(LETTER, function (c) { return LETTERS[c]; }).normalize('NFC');
  }
  function words(s) { return fold(s).match(WORD) || []; }
  // For tests/browser/search-fold.test.js, which runs the vectors against this very code (in
  // Node, and in Chromium on a page without a search form).
  if (typeof module === 'object' && module && module.exports) module.exports = { fold: fold, words: words };
  if (typeof document === 'undefined') return;
  // ---- end of folding ----

  var form = document.querySelector('form[data-search-index]');
  if (!form || !window.fetch || !''.normalize) return;
  var input = form.querySelector('input[type=search]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var nojs = document.getElementById('search-nojs');
  var base = form.getAttribute('data-search-index');
  var scripts = form.hasAttribute('data-search-scripts');
  var t = form.dataset;
  var cache = {};
  var MAX = 20;
  if (nojs) nojs.hidden = true;

  function load(path) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = base + path.replace(/\.json$/, '.js');
      s.onload = function () {
        var files = window.havenSearchFiles || {};
        if (path in files) resolve(files[path]); else reject(new Error(path));
      };
      s.onerror = function () { reject(new Error(path)); };
      document.head.appendChild(s);
    });
  }
  function get(path) {
    if (!cache[path]) {
      cache[path] = scripts ? load(path) : fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }
  function keyFile(k) {
    if (/^[a-z0-9]+$/.test(k)) return k;
    var b = new TextEncoder().encode(k), s = 'x';
    for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
    return s;
  }
  function keyFor(m, term) {
    var best = null;
    m.keys.forEach(function (k) { if (term.lastIndexOf(k, 0) === 0 && (best === null || k.length > best.length)) best = k; });
    return best;
  }
  function shard(m, key) { return get('t/' + keyFile(key) + '.json'); }
  function put(map, stem, q) { if (!(map.get(stem) >= q)) map.set(stem, q); }

  // Stems a query word stands for, with how sure we are: the word itself or a form of it seen
  // in the text (1), a stem the word begins with (0.8: an inflection the text lacks), and for the
  // word being typed, words it begins (0.7).
  async function stemsFor(m, w, typing) {
    var out = new Map();
    var key = keyFor(m, w);
    if (key !== null) {
      var s = await shard(m, key);
      if (s.s[w]) put(out, w, 1);
      if (s.f[w]) put(out, s.f[w], 1);
      if (!out.size) {
        Object.keys(s.s).forEach(function (st) {
          if (st.length >= 3 && w.lastIndexOf(st, 0) === 0 && w.length - st.length <= 4) put(out, st, 0.8);
        });
      }
    }
    if (typing && w.length >= 3) {
      var keys = m.keys.filter(function (k) { return k === key || (k.length > w.length && k.lastIndexOf(w, 0) === 0); });
      if (keys.length <= 4) {
        var shards = await Promise.all(keys.map(function (k) { return shard(m, k); }));
        shards.forEach(function (s) {
          Object.keys(s.s).forEach(function (st) { if (st.lastIndexOf(w, 0) === 0) put(out, st, 0.7); });
          Object.keys(s.f).forEach(function (f) { if (f.lastIndexOf(w, 0) === 0) put(out, s.f[f], 0.7); });
        });
      }
    }
    return out;
  }

  async function postings(m, stem) {
    var key = keyFor(m, stem);
    var s = key === null ? null : await shard(m, key);
    var list = (s && s.s[stem]) || [];
    var docs = new Map();
    for (var i = 0, d = 0; i < list.length; i += 2) { d += list[i]; docs.set(d, list[i + 1]); }
    return docs;
  }

  async function search(q) {
    var m = await get('index.json');
    var stop = new Set(m.stop);
    var all = words(q);
    var typing = !/\s$/.test(q);
    var terms = all.filter(function (w, i) { return w.length > 1 && !(stop.has(w) && all.length > 1); });
    var found = await Promise.all(terms.map(function (w, i) { return stemsFor(m, w, typing && i === terms.length - 1); }));
    var scores = new Map();
    var hl = [];
    for (var i = 0; i < found.length; i++) {
      var perDoc = new Map();
      for (var [stem, q1] of found[i]) {
        hl.push(stem);
        var docs = await postings(m, stem);
        var idf = Math.log(1 + m.docs / Math.max(1, docs.size));
        docs.forEach(function (w, d) {
          var r = perDoc.get(d) || { title: 0, head: 0, text: 0 };
          r.title = Math.max(r.title, w & 128 ? q1 : 0);
          r.head = Math.max(r.head, w & 64 ? q1 : 0);
          r.text = Math.max(r.text, q1 * idf * (1 + Math.log(1 + (w & 63))));
          perDoc.set(d, r);
        });
      }
      perDoc.forEach(function (r, d) {
        var s = scores.get(d) || { n: 0, score: 0 };
        s.n += 1;
        s.score += r.title * 1000 + r.head * 100 + r.text;
        scores.set(d, s);
      });
    }
    // Pages with every word, when there are any; else those with some, most words first.
    var ranked = Array.from(scores.entries());
    var full = ranked.filter(function (e) { return e[1].n === found.length; });
    if (full.length) ranked = full;
    ranked.sort(function (a, b) {
      return b[1].n - a[1].n || b[1].score - a[1].score || a[0] - b[0];
    });
    var top = ranked.slice(0, MAX);
    var records = await Promise.all(top.map(function (e) {
      return get('d/' + Math.floor(e[0] / m.per) + '.json').then(function (c) { return c[e[0] % m.per]; });
    }));
    return { total: ranked.length, records: records, stems: hl.concat(terms) };
  }

  // Text with the words that match a stem in <mark>, around the first match.
  function snippet(text, stems) {
    var hit = function (word) {
      var f = fold(word);
      return stems.some(function (s) { return f === s || (s.length >= 3 && f.lastIndexOf(s, 0) === 0); });
    };
    var spans = [];
    var re = new RegExp(WORD.source, 'gu'), m;
    while ((m = re.exec(text))) if (hit(m[0])) spans.push([m.index, m.index + m[0].length]);
    var start = spans.length ? Math.max(0, spans[0][0] - 60) : 0;
    if (start > 0) { var sp = text.indexOf(' ', start); start = sp > 0 && sp < spans[0][0] ? sp + 1 : start; }
    var end = Math.min(text.length, start + 220);
    var sp2 = text.lastIndexOf(' ', end);
    if (end < text.length && sp2 > start) end = sp2;
    var p = document.createElement('p');
    p.className = 'search-snippet';
    var at = start;
    if (start > 0) p.append('… ');
    spans.forEach(function (s) {
      if (s[0] < at || s[1] > end) return;
      p.append(text.slice(at, s[0]));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(s[0], s[1]);
      p.append(mark);
      at = s[1];
    });
    p.append(text.slice(at, end) + (end < text.length ? ' …' : ''));
    return p;
  }

  function say(template, q, n) { return (template || '').replace('{q}', q).replace('{n}', n); }

  function show(q, r) {
    list.textContent = '';
    r.records.forEach(function (rec) {
      if (!rec) return;
      var li = document.createElement('li');
      var h = document.createElement('h2');
      var a = document.createElement('a');
      // Offline, addresses are relative to the index folder.
      a.href = scripts ? new URL(rec[0], new URL(base, location.href)).href : rec[0];
      a.textContent = rec[1];
      h.append(a);
      li.append(h);
      if (rec[2]) {
        var sec = document.createElement('p');
        sec.className = 'search-section';
        sec.textContent = rec[2];
        li.append(sec);
      }
      li.append(snippet(rec[3], r.stems));
      list.append(li);
    });
    list.hidden = !r.records.length;
    status.textContent = say(r.total === 0 ? t.none : r.total === 1 ? t.one : t.many, q, r.total);
  }

  var seq = 0;
  var timer = 0;
  function run() {
    var q = input.value;
    var mine = ++seq;
    var url = new URL(location.href);
    if (q.trim()) url.searchParams.set('q', q.trim()); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!q.trim()) { list.textContent = ''; list.hidden = true; status.textContent = ''; return; }
    search(q).then(function (r) { if (mine === seq) show(q.trim(), r); }, function () {
      if (mine === seq) status.textContent = t.error || '';
    });
  }
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); run(); });

  // Arrow keys move between the input and the results (Tab works as usual).
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    var links = Array.prototype.slice.call(list.querySelectorAll('a'));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement !== input && at < 0) return;
    var next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    if (next >= links.length) return;
    e.preventDefault();
    (next < 0 ? input : links[next]).focus();
  });

  // Small indexes are fetched whole at once, so search works offline after the page loads.
  get('index.json').then(function (m) {
    if (m.size > 300000) return;
    m.keys.forEach(function (k) { shard(m, k); });
    for (var c = 0; c < m.chunks; c++) get('d/' + c + '.json');
  }, function () {});

  var initial = new URLSearchParams(location.search).get('q');
  if (initial) { input.value = initial; run(); }
})();
