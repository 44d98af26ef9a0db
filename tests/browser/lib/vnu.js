// The Nu HTML Checker (vnu.jar, the W3C validator) over many files in one JVM
// start: starting java costs ~1 s, checking a file a few ms.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

// Resolves to [{file, line, column, message, extract}] for every error (and
// every file vnu could not read). Rejects only when java itself fails.
export function runVnu(files, { cwd = process.cwd(), timeoutMs = 240_000 } = {}) {
  if (!files.length) return Promise.resolve([]);
  const java = process.env.JAVA || 'java';
  const args = ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--no-langdetect', '--format', 'json', '--stdout', ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => reject(new Error(`could not start ${java}: ${e.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return reject(new Error(`vnu killed by ${signal} (timeout ${timeoutMs} ms?)`));
      let parsed;
      try {
        parsed = JSON.parse(out);
      } catch (e) {
        // vnu exits 1 when it found errors; any other failure prints no JSON.
        return reject(new Error(`vnu printed no JSON (exit ${code}): ${err.slice(-1000)}`));
      }
      const errors = parsed.messages
        .filter((m) => m.type === 'error' || m.type === 'non-document-error')
        .map((m) => ({
          file: path.relative(cwd, decodeURIComponent(String(m.url || '').replace(/^file:/, ''))),
          line: m.lastLine ?? m.firstLine ?? 0,
          column: m.lastColumn ?? 0,
          message: m.message,
          extract: (m.extract || '').replace(/\s+/g, ' ').trim(),
        }));
      resolve(errors);
    });
  });
}

export function formatVnu(errors, limit = 60) {
  const lines = errors.slice(0, limit).map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}${e.extract ? `  [${e.extract.slice(0, 120)}]` : ''}`);
  if (errors.length > limit) lines.push(`... and ${errors.length - limit} more`);
  return lines.join('\n');
}
