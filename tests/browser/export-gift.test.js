// `haven export quizzes --format gift` read back by gift-pegjs (the GIFT grammar as a PEG
// parser, from npm), a reader written by someone else than the exporter: every file of the quiz
// fixture and of the example guide parses, and each question keeps its text, its right answer,
// its per-option feedback and its general feedback. tests/export_cli.rs reads the same files with
// the Rust test's own reader of the documented grammar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { HAVEN_BIN, REPO_ROOT, tempDir } from './lib/theme-helpers.js';

const require = createRequire(import.meta.url);
const gift = require('gift-pegjs');
const skip = fs.existsSync(HAVEN_BIN) ? false : `no haven binary at ${HAVEN_BIN}: run cargo build`;

function exportGift(root) {
  const out = tempDir('haven-gift-');
  execFileSync(HAVEN_BIN, ['export', 'quizzes', '--format', 'gift', '--root', root, '--output', out], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  const files = [];
  for (const lang of fs.readdirSync(out).sort()) {
    for (const f of fs.readdirSync(path.join(out, lang)).sort()) files.push(path.join(out, lang, f));
  }
  return files;
}

const questions = (file) => gift.parse(fs.readFileSync(file, 'utf8')).filter((q) => q.type !== 'Category');

test('the quiz fixture reads back question by question', { skip }, () => {
  const files = exportGift(path.join(REPO_ROOT, 'tests/fixtures/quiz-basic'));
  const basics = files.find((f) => f.endsWith(path.join('en', 'basics.gift')));
  assert.ok(basics, `no en/basics.gift in ${files}`);
  const all = gift.parse(fs.readFileSync(basics, 'utf8'));
  assert.deepEqual(all[0], { type: 'Category', title: '$course$/top/Quiz fixture/Aftercare basics' });
  const [single, tf, multiple] = questions(basics);

  assert.equal(single.type, 'MC');
  assert.equal(single.title, '1. What is aftercare?');
  assert.equal(single.stem.text, 'What is aftercare?');
  assert.deepEqual(
    single.choices.map((c) => [c.isCorrect, c.text.text, c.feedback.text]),
    [
      [false, 'Only the <em>clean-up</em> after sex', 'Clean-up can be part of it, but aftercare is wider.'],
      [true, 'The care partners give each other after sex', 'Yes. It covers closeness, words and practical care.'],
      [false, 'A medical treatment', 'No. It is everyday care between people.'],
    ],
  );
  assert.equal(
    single.globalFeedback.text,
    'Aftercare is any care given once sex is over. See <a href="https://quiz.example.org/learn/checklist/">the checklist</a>.',
  );

  assert.equal(tf.type, 'TF');
  assert.equal(tf.isTrue, false);
  assert.equal(tf.trueFeedback.text, 'It started in kink communities, but anyone can benefit.');
  assert.equal(tf.falseFeedback.text, 'Right. It helps after any kind of sex.');

  // Choose all that apply: the right options share 100%, a wrong one takes it all away.
  assert.equal(multiple.type, 'MC');
  assert.deepEqual(multiple.choices.map((c) => c.weight), [50, 50, -100]);
  assert.equal(multiple.choices[0].feedback.text, 'Yes: closeness.');
});

test('every GIFT file of the example guide parses, each question answerable', { skip }, () => {
  const files = exportGift(REPO_ROOT);
  assert.ok(files.length >= 2, `${files}`);
  for (const file of files) {
    const qs = questions(file);
    assert.ok(qs.length > 0, `${file}: no question`);
    for (const q of qs) {
      const where = `${path.basename(file)}: ${q.title}`;
      assert.ok(q.stem.text.trim(), `${where}: no text`);
      if (q.type === 'TF') {
        assert.equal(typeof q.isTrue, 'boolean', where);
      } else {
        assert.equal(q.type, 'MC', where);
        const right = q.choices.filter((c) => c.isCorrect);
        const weighted = q.choices.filter((c) => c.weight > 0);
        if (weighted.length) {
          const sum = weighted.reduce((s, c) => s + c.weight, 0);
          assert.ok(Math.abs(sum - 100) < 0.01, `${where}: right options give ${sum}%`);
        } else {
          assert.equal(right.length, 1, `${where}: one right answer`);
        }
        for (const c of q.choices) assert.ok(c.feedback && c.feedback.text.trim(), `${where}: "${c.text.text}" has no feedback`);
      }
    }
  }
});
