// The Nu HTML Checker over every HTML file of the demo site (redirect pages
// included), in one java process. Errors only; nothing is filtered but the
// entries of IGNORED in lib/vnu.mjs, each with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { siteDir, listHtmlFiles } from './lib/site.mjs';
import { runVnu, vnuErrors } from './lib/vnu.mjs';

test('Nu HTML Checker: no errors in any HTML file', { timeout: 20 * 60 * 1000 }, async () => {
  const site = await siteDir();
  try {
    const files = await listHtmlFiles(site.dir);
    assert.ok(files.length > 0, `no HTML file in ${site.dir}`);
    const errors = vnuErrors(await runVnu(files.map((f) => path.join(site.dir, f))), site.dir);
    if (errors.length) {
      assert.fail(`${errors.length} HTML error(s) in ${new Set(errors.map((e) => e.split(':')[0])).size} of ${files.length} file(s):\n` +
        errors.map((e) => '  ' + e).join('\n'));
    }
  } finally {
    await site.cleanup();
  }
});
