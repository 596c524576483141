// What the tests need to know about the demo's sources (content/ and
// site.yaml), read directly from the files, so that the site's output can be
// compared with them.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { REPO } from './site.mjs';

/** base_url from site.yaml, without a trailing slash. */
export function siteBaseUrl(root = REPO) {
  const yaml = fs.readFileSync(path.join(root, 'site.yaml'), 'utf8');
  const m = /^base_url:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/m.exec(yaml);
  if (!m) throw new Error(`no base_url in ${path.join(root, 'site.yaml')}`);
  return m[1].replace(/\/+$/, '');
}

/** The front matter block of a Markdown file, or ''. */
function frontMatter(text) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(text);
  return m ? m[1] : '';
}

/**
 * The published tutorials of content/tutorial: every `x.md` and `x/index.md`
 * except `_index.md`, hidden files and drafts. [{ file, title }]
 */
export async function tutorialSources(root = REPO) {
  const dir = path.join(root, 'content', 'tutorial');
  const out = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    let file = null;
    if (e.isFile() && e.name.endsWith('.md')) file = path.join(dir, e.name);
    else if (e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'index.md'))) file = path.join(dir, e.name, 'index.md');
    if (!file) continue;
    const fm = frontMatter(await fsp.readFile(file, 'utf8'));
    if (/^draft:\s*true\s*$/m.test(fm)) continue;
    const title = /^title:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|(.*?))\s*$/m.exec(fm);
    out.push({
      file: path.relative(root, file).split(path.sep).join('/'),
      title: title ? (title[1] ?? title[2]?.replace(/''/g, "'") ?? title[3]) : null,
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}
