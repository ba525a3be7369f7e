/** `explain` data over every real template of the shared corpus: no throw, and a sane summary. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { explainModel, explainText } from '../../server/src/core/explain';

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json|template)$/.test(name) ? [path] : [];
  });
}

describe('explain over the corpus', { skip: existsSync(CORPUS) ? false : 'the shared corpus is not beside this checkout' }, () => {
  it('explains every template without throwing', () => {
    let functions = 0;
    let templates = 0;
    for (const file of files(CORPUS)) {
      const text = readFileSync(file, 'utf8');
      const result = analyze(text, { fileName: file, rules: [], readFile: (rel) => {
        try {
          return readFileSync(join(dirname(file), rel), 'utf8');
        } catch {
          return undefined;
        }
      } });
      assert.ok(!result.problems.some((p) => p.message.startsWith('Internal error')), `${file}: ${result.problems.map((p) => p.message).join('; ')}`);
      if (!result.model) continue;
      templates++;
      for (const fn of explainModel(result.model)) {
        functions++;
        const text = explainText(fn);
        assert.ok(text.startsWith(`Function ${fn.id}`));
      }
    }
    console.log(`explained ${functions} functions in ${templates} templates`);
    assert.ok(templates >= 90, `most corpus files are templates (${templates})`);
    assert.ok(functions >= 100, `the corpus holds many functions (${functions})`);
  });
});
