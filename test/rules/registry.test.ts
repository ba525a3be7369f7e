/**
 * Meta-tests over the rule registry: every rule file is registered under its own id, has tests and
 * up-to-date docs, its messages are used by id, and its doc examples give one finding and none.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { allRules } from '../../server/src/core/rules/registry';
import { README_START, renderAll, withReadmeTable } from '../../scripts/rule-docs';

const RULE_DIR = 'server/src/core/rules';
const NOT_RULES = new Set(['registry', 'helpers']);
const CATALOGUE = readFileSync('test/fixtures/catalogue-ids.txt', 'utf8').split('\n').filter(Boolean);

describe('rule registry', () => {
  const files = readdirSync(RULE_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).filter((f) => !NOT_RULES.has(f));

  it('registers every rule file, under the file name', () => {
    assert.deepEqual([...files].sort(), allRules.map((r) => r.id).sort());
  });

  it('covers exactly the catalogue ids', () => {
    assert.deepEqual(allRules.map((r) => r.id).sort(), [...CATALOGUE].sort());
  });

  it('keeps the README rule table in step (run `npm run docs`)', () => {
    const readme = readFileSync('README.md', 'utf8');
    assert.ok(readme.includes(README_START), 'README has the rule table markers');
    assert.equal(readme, withReadmeTable(readme));
  });

  it('has no duplicate ids', () => {
    assert.equal(new Set(allRules.map((r) => r.id)).size, allRules.length);
  });

  it('keeps docs/ in step with the rule metadata (run `npm run docs`)', () => {
    for (const [path, text] of renderAll()) {
      assert.ok(existsSync(path), `${path} is missing`);
      assert.equal(readFileSync(path, 'utf8'), text, `${path} is out of date`);
    }
  });

  for (const rule of allRules) {
    describe(rule.id, () => {
      it('has a test file', () => {
        assert.ok(existsSync(`test/rules/${rule.id}.test.ts`));
      });
      it('its invalid doc example gives exactly one finding', () => {
        const result = analyze(rule.docs.invalid, { rules: [rule] });
        assert.equal(result.findings.filter((f) => f.ruleId === rule.id).length, 1, result.findings.map((f) => f.message).join('\n'));
      });
      it('its valid doc example gives none', () => {
        const result = analyze(rule.docs.valid, { rules: [rule] });
        assert.equal(result.findings.filter((f) => f.ruleId === rule.id).length, 0, result.findings.map((f) => f.message).join('\n'));
      });
      it('reports only message ids it declares', () => {
        const source = readFileSync(`${RULE_DIR}/${rule.id}.ts`, 'utf8');
        for (const m of source.matchAll(/messageId: '([A-Za-z]+)'/g)) assert.ok(m[1]! in rule.messages, `undeclared message id ${m[1]}`);
      });
    });
  }
});
