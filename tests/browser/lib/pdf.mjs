// PDF helpers for the print tests: poppler-utils (pdfinfo, pdftotext,
// pdftoppm) and zbar-tools (zbarimg), both installed by setup.sh.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';

const SETUP_HINT = 'run tests/browser/setup.sh (as root): it installs poppler-utils and zbar-tools';

/** Runs a command; resolves to stdout (a Buffer when `binary`). */
export function run(cmd, args, { binary = false, okCodes = [0] } = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: binary ? 'buffer' : 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err && err.code === 'ENOENT') return reject(new Error(`${cmd} not found: ${SETUP_HINT}`));
      if (err && !okCodes.includes(err.code)) {
        return reject(new Error(`\`${cmd} ${args.join(' ')}\` failed (${err.code ?? err.signal}): ${String(stderr).trim().slice(0, 500)}`));
      }
      resolve(stdout);
    });
  });
}

/** pdfinfo's fields: { pages, width, height } (page size in pt). */
export async function pdfInfo(file) {
  const out = await run('pdfinfo', [file]);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(out);
  return { pages, width: size ? Number(size[1]) : NaN, height: size ? Number(size[2]) : NaN };
}

/** The text of each page (pdftotext, reading order), as an array of strings. */
export async function pdfPageTexts(file) {
  const out = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const pages = out.split('\f');
  if (pages.length && pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

/** Every word with its box in pt: [{ page, text, xMin, yMin, xMax, yMax, height }] (pdftotext -bbox). */
export async function pdfWords(file) {
  const out = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const words = [];
  let page = 0;
  const re = /<page\b|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    if (!m[1]) { page++; continue; }
    const [xMin, yMin, xMax, yMax] = m.slice(1, 5).map(Number);
    words.push({ page, text: decodeEntities(m[5]), xMin, yMin, xMax, yMax, height: yMax - yMin });
  }
  return words;
}

function decodeEntities(s) {
  return s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]);
}

/**
 * Rasterises page `page` (1-based) at `dpi` with pdftoppm and decodes every
 * QR code on it with zbarimg. Resolves to the decoded texts (empty when none).
 */
export async function decodeQr(file, { page = 1, dpi = 150 } = {}) {
  const dir = await fsp.mkdtemp(file.replace(/\.pdf$/i, '') + '-qr-');
  try {
    const prefix = path.join(dir, 'p');
    await run('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
    // zbarimg exits 4 when it finds no code
    const out = await run('zbarimg', ['-q', '--raw', prefix + '.png'], { okCodes: [0, 4] });
    return out.split('\n').map((s) => s.trim()).filter(Boolean);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
