/**
 * Documentation that states figures either generates them or is checked here: README's sample outputs
 * are what the command line prints (`npm run docs` regenerates them); every section of BENCHMARKS.md and
 * RELIABILITY.md that gives measured figures says when and with which command they were measured;
 * ARCHITECTURE.md's list of tests matches `test/`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, withSamples } from '../scripts/readme-samples';

const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

describe('README', () => {
  it('shows the sample outputs the command line prints (npm run docs regenerates them)', async () => {
    const readme = read('README.md');
    assert.ok((readme.match(/<!-- sample: /g) ?? []).length >= 2, 'README has its sample blocks');
    assert.equal(readme, await withSamples(readme));
  });

  it('the check: a changed sample is noticed', async () => {
    const readme = read('README.md').replace(/(<!-- sample: check [^\n]*\n```\n\$ [^\n]*\n)[^\n]*/, '$1a line the command does not print');
    assert.notEqual(await withSamples(readme), readme);
  });
});

describe('BENCHMARKS.md and RELIABILITY.md', () => {
  const FIGURE = /\d(?:[\d,.]*) ?(?:ms|s|MB|KB)\b/;
  const MEASURED = /^Measured (\d{4}-\d{2}-\d{2})\b.*`[^`]+`/m;
  for (const file of ['BENCHMARKS.md', 'RELIABILITY.md']) {
    it(`${file}: every section with measured figures says when, and with which command`, () => {
      const sections = read(file).split(/^(?=## )/m).filter((s) => s.startsWith('## '));
      const measured = sections.filter((s) => FIGURE.test(s));
      assert.ok(measured.length > 0);
      // The machine's description and the list of commands state no measurement of their own.
      const missing = measured.filter((s) => !MEASURED.test(s) && !/^## (Machine|Commands)\n/.test(s)).map((s) => s.split('\n')[0]);
      assert.deepEqual(missing, []);
    });
  }
});

describe('ARCHITECTURE.md', () => {
  it('lists every folder and top-level test file of test/, and nothing that is not there', () => {
    const text = read('ARCHITECTURE.md');
    const section = text.slice(text.indexOf('## Tests'));
    const listed = [...section.matchAll(/^\| `(test\/[^`]+)` \|/gm)].map((m) => m[1]!).sort();
    const actual = readdirSync(join(ROOT, 'test'), { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.name.endsWith('.test.ts'))
      .map((e) => `test/${e.name}`)
      .sort();
    assert.deepEqual(listed, actual);
    for (const path of section.matchAll(/`(test\/[^`*]+)`/g)) assert.ok(existsSync(join(ROOT, path[1]!)), `${path[1]} exists`);
  });
});
