/**
 * The rule tester, written once (ESLint's RuleTester contract). `valid` cases yield no finding of the
 * rule; `invalid` cases must match rule id, message id, resource, and where given path, line and
 * severity. A case with `output` must have a fix that produces exactly that text; the fixed text must
 * parse and the rule must not fire on that resource again. CloudFormation and SAM cases run a second
 * time converted to JSON and must give the same findings at the same paths. Duplicate cases fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { analyze } from '../../server/src/core/analyze';
import { applyEdits } from '../../server/src/core/edits';
import { parseTemplate } from '../../server/src/core/parse';
import type { RuleDefinition } from '../../server/src/core/engine/rule';
import { toJsonText } from '../../server/src/core/to-json';
import type { Finding, Severity } from '../../server/src/core/types';
import { LineIndex } from '../../server/src/core/line-index';

export interface ValidCase {
  name?: string;
  code: string;
  options?: AnalyzeOptions;
  /** Set false to skip the JSON run (e.g. the case relies on YAML comments). */
  json?: boolean;
}

export interface ExpectedFinding {
  messageId: string;
  resource: string;
  path?: (string | number)[];
  /** 1-based line of the finding's start. */
  line?: number;
  severity?: Severity;
  /** A substring the message must contain. */
  message?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** The text after applying the first finding's fix; null: the finding must offer no fix. */
  output?: string | null;
  /** The fix's safety, when checked. */
  safety?: 'safe' | 'unsafe';
}

export interface RuleTests {
  valid: (ValidCase | string)[];
  invalid: InvalidCase[];
}

function run(rule: RuleDefinition, code: string, options: AnalyzeOptions = {}, fileName?: string): { findings: Finding[]; problems: string[] } {
  const result = analyze(code, { ...options, fileName, rules: [rule] });
  return { findings: result.findings.filter((f) => f.ruleId === rule.id), problems: result.problems.map((p) => p.message) };
}

function isServerless(code: string): boolean {
  return /^service\s*:/m.test(code) && /^provider\s*:/m.test(code);
}

function toJson(code: string): string {
  return toJsonText(parseTemplate(code).root);
}

function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.messageId} on ${f.resource} at ${JSON.stringify(f.path)}: ${f.message}`).join('\n') || '(none)';
}

export function ruleTester(rule: RuleDefinition, tests: RuleTests): void {
  const seen = new Set<string>();
  const checkDuplicate = (code: string) => {
    assert.ok(!seen.has(code), `duplicate test case for ${rule.id}:\n${code}`);
    seen.add(code);
  };
  describe(`rule ${rule.id}`, () => {
    for (const [i, raw] of tests.valid.entries()) {
      const c = typeof raw === 'string' ? { code: raw } : raw;
      it(`valid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        checkDuplicate(c.code);
        const { findings, problems } = run(rule, c.code, c.options);
        assert.deepEqual(problems.filter((p) => p.startsWith('Internal error')), [], 'no internal errors');
        assert.equal(findings.length, 0, `expected no findings, got:\n${describeFindings(findings)}`);
        if (c.json !== false && !isServerless(c.code)) {
          const json = run(rule, toJson(c.code), c.options, 'template.json');
          assert.equal(json.findings.length, 0, `JSON form: expected no findings, got:\n${describeFindings(json.findings)}`);
        }
      });
    }
    for (const [i, c] of tests.invalid.entries()) {
      it(`invalid #${i + 1}${c.name ? `: ${c.name}` : ''}`, () => {
        checkDuplicate(c.code);
        assert.ok(c.errors.length > 0, 'an invalid case states its findings');
        const { findings, problems } = run(rule, c.code, c.options);
        assert.deepEqual(problems.filter((p) => p.startsWith('Internal error')), [], 'no internal errors');
        assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${describeFindings(findings)}`);
        const index = new LineIndex(c.code);
        for (const [j, expected] of c.errors.entries()) {
          const f = findings[j]!;
          assert.equal(f.messageId, expected.messageId, `finding ${j + 1}: message id`);
          assert.equal(f.resource, expected.resource, `finding ${j + 1}: resource`);
          if (expected.path) assert.deepEqual(f.path, expected.path, `finding ${j + 1}: path`);
          if (expected.line !== undefined) assert.equal(index.position(f.span.start).line + 1, expected.line, `finding ${j + 1}: line`);
          if (expected.severity) assert.equal(f.severity, expected.severity, `finding ${j + 1}: severity`);
          if (expected.message) assert.ok(f.message.includes(expected.message), `finding ${j + 1}: message '${f.message}' should contain '${expected.message}'`);
          assert.ok(f.span.start >= 0 && f.span.end <= c.code.length && f.span.start <= f.span.end, 'range inside the text');
        }
        if (c.output !== undefined) {
          const first = findings[0]!;
          if (c.output === null) {
            assert.equal(first.fixes.length, 0, 'expected no fix');
          } else {
            assert.ok(first.fixes.length > 0, 'expected a fix');
            const fix = first.fixes[0]!;
            if (c.safety) assert.equal(fix.safety, c.safety, 'fix safety');
            const fixed = applyEdits(c.code, fix.edits);
            assert.equal(fixed, c.output, 'fixed text');
            checkFixed(rule, fixed, first, c.options);
          }
        }
        if (c.json !== false && !isServerless(c.code)) {
          const jsonCode = toJson(c.code);
          const json = run(rule, jsonCode, c.options, 'template.json');
          const key = (f: Finding) => `${f.messageId}|${f.resource}|${JSON.stringify(f.path)}`;
          assert.deepEqual(json.findings.map(key).sort(), findings.map(key).sort(), 'JSON form gives the same findings at the same paths');
          const jf = json.findings[0];
          if (c.output && jf?.fixes[0]) checkFixed(rule, applyEdits(jsonCode, jf.fixes[0].edits), jf, c.options, 'template.json');
        }
      });
    }
  });
}

function checkFixed(rule: RuleDefinition, fixed: string, finding: Finding, options: AnalyzeOptions | undefined, fileName?: string): void {
  const parsed = parseTemplate(fixed, fileName);
  assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error').map((p) => p.message), [], `the fixed text parses:\n${fixed}`);
  const again = run(rule, fixed, options, fileName).findings.filter((f) => f.resource === finding.resource && f.messageId === finding.messageId);
  assert.equal(again.length, 0, `the rule no longer fires after the fix, but got:\n${describeFindings(again)}\n${fixed}`);
}
