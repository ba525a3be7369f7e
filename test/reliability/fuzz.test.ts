/**
 * Property-based fuzzing of the engine over randomly edited real templates. Seeded and bounded so CI
 * is deterministic; `npm run fuzz` raises the run count (FUZZ_RUNS) and the seed (FUZZ_SEED).
 * Properties: analyze() never throws and finishes within a bound proportional to the input; every
 * finding's range lies inside the text; every safe fix yields text that parses, changes nothing
 * outside its edits, and after which the rule no longer fires on that resource.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze } from '../../server/src/core/analyze';
import { applyEdits } from '../../server/src/core/edits';
import { parseTemplate } from '../../server/src/core/parse';
import { toJsonText } from '../../server/src/core/to-json';
import { applyMutation, mutationArb } from '../support/mutate';
import { seeds } from '../support/seeds';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const SEEDS = seeds(Number(process.env.FUZZ_STEP ?? 6));

/** A generous time bound: 200 ms plus 40 ms per KB (the engine does about 1 ms per KB). */
const bound = (text: string) => 200 + (40 * text.length) / 1024;

export const stats = { iterations: 0, worstMs: 0, worstPerKb: 0, fixesChecked: 0 };

function checkText(text: string, fileName?: string): void {
  stats.iterations++;
  const started = performance.now();
  const result = analyze(text, { fileName });
  const ms = performance.now() - started;
  stats.worstMs = Math.max(stats.worstMs, ms);
  stats.worstPerKb = Math.max(stats.worstPerKb, ms / Math.max(1, text.length / 1024));
  assert.ok(ms < bound(text), `analysis took ${ms.toFixed(0)} ms for ${text.length} chars`);
  for (const p of result.problems) assert.ok(!p.message.startsWith('Internal error'), p.message);
  for (const f of result.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `${f.ruleId} range inside the text`);
    for (const r of f.related) assert.ok(r.span.start >= 0 && r.span.end <= text.length, `${f.ruleId} related range inside the text`);
  }
  const parsedCleanly = !parseTemplate(text, fileName).problems.some((p) => p.severity === 'error');
  for (const f of result.findings) {
    const fix = f.fixes.find((x) => x.safety === 'safe');
    if (!fix || !parsedCleanly) continue;
    stats.fixesChecked++;
    const fixed = applyEdits(text, fix.edits);
    const lo = Math.min(...fix.edits.map((e) => e.start));
    const hi = Math.max(...fix.edits.map((e) => e.end));
    assert.equal(fixed.slice(0, lo), text.slice(0, lo), `${f.ruleId} fix keeps the text before its edits`);
    assert.equal(fixed.slice(fixed.length - (text.length - hi)), text.slice(hi), `${f.ruleId} fix keeps the text after its edits`);
    const again = parseTemplate(fixed, fileName);
    assert.ok(!again.problems.some((p) => p.severity === 'error'), `${f.ruleId} fix output parses:\n${again.problems.map((p) => p.message).join('\n')}`);
    const still = analyze(fixed, { fileName }).findings.filter((g) => g.ruleId === f.ruleId && g.resource === f.resource && g.messageId === f.messageId);
    assert.equal(still.length, 0, `${f.ruleId} no longer fires on ${f.resource} after its safe fix`);
  }
}

describe('fuzzing the engine', () => {
  it(`survives ${RUNS} random edit sequences of ${SEEDS.length} real templates`, () => {
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (i, mutations) => {
        const seed = SEEDS[i]!;
        let text = seed.text;
        for (const m of mutations) text = applyMutation(text, m);
        checkText(text, seed.name);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('checks every seed unmutated, with its safe fixes', () => {
    for (const seed of SEEDS) checkText(seed.text, seed.name);
  });

  it('gives the same findings for the JSON form of every CloudFormation and SAM seed, mutated or not', () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutationArb, { maxLength: 2 }), (i, mutations) => {
        const seed = SEEDS[i]!;
        let text = seed.text;
        for (const m of mutations) text = applyMutation(text, m);
        const parsed = parseTemplate(text, seed.name);
        if (!parsed.root || parsed.format !== 'yaml' || parsed.problems.length > 0) return;
        if (parsed.dialect !== 'cloudformation' && parsed.dialect !== 'sam') return;
        compared++;
        const key = (f: { ruleId: string; resource: string; path: (string | number)[] }) => `${f.ruleId}|${f.resource}|${f.path.join('.')}`;
        const yaml = analyze(text, { fileName: seed.name }).findings.map(key).sort();
        const json = analyze(toJsonText(parsed.root), { fileName: 'template.json' }).findings.map(key).sort();
        assert.deepEqual(json, yaml);
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 3)), seed: SEED + 1 },
    );
    console.log(`fuzz: compared YAML and JSON findings on ${compared} templates`);
  });

  it('reports what it did', () => {
    console.log(`fuzz: ${stats.iterations} analyses, ${stats.fixesChecked} safe fixes checked, worst ${stats.worstMs.toFixed(1)} ms (${stats.worstPerKb.toFixed(2)} ms/KB)`);
    assert.ok(stats.iterations >= RUNS);
  });
});
