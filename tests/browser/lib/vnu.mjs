// The Nu HTML Checker (vnu.jar from the vnu-jar package) over many files in one java process.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { vnuJar } from './site.mjs';

/**
 * Known false positives of the checker, ignored on purpose. Each entry needs a
 * reason; nothing else is ever filtered. Example:
 *   { message: /^Attribute "foo" not allowed/, why: 'vnu does not know ... yet (validator issue #NNN)' },
 */
export const IGNORED = [];

/**
 * Runs `java -jar vnu.jar --errors-only --format json --stdout FILES...`.
 * Resolves to the list of messages (objects with type, url, lastLine, message).
 */
export function runVnu(files) {
  const jar = vnuJar();
  if (!files.length) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const args = ['-Xss4m', '-jar', jar, '--errors-only', '--format', 'json', '--stdout', ...files];
    const p = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', (e) => {
      reject(e.code === 'ENOENT'
        ? new Error('java not found: run tests/browser/setup.sh (it installs default-jre-headless)')
        : e);
    });
    p.on('close', (code) => {
      // exit 1 just means "errors found"; the JSON says which
      const text = out.trim() || err.trim();
      const i = text.indexOf('{');
      try {
        if (i < 0) throw new Error('no JSON');
        const json = JSON.parse(text.slice(i));
        resolve(json.messages || []);
      } catch {
        reject(new Error(`vnu exited ${code} without readable JSON:\n${(out + '\n' + err).slice(0, 2000)}`));
      }
    });
  });
}

/** Errors as readable lines "file:line:column: message", relative to root, minus IGNORED. */
export function vnuErrors(messages, root) {
  const out = [];
  for (const m of messages) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    if (IGNORED.some((ig) => ig.message.test(m.message || ''))) continue;
    let file = m.url || '?';
    try { file = path.relative(root, fileURLToPath(m.url)).split(path.sep).join('/'); } catch { /* keep the url */ }
    const where = m.lastLine ? `${m.lastLine}:${m.firstColumn ?? m.lastColumn ?? 0}` : '-';
    const extract = m.extract ? `  [${m.extract.replace(/\s+/g, ' ').trim().slice(0, 100)}]` : '';
    out.push(`${file}:${where}: ${m.type === 'error' ? '' : m.type + ': '}${m.message}${extract}`);
  }
  return out;
}
