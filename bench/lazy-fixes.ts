/**
 * What lazy fixes save the editor: on generated templates, `analyze()` alone against `analyze()` plus
 * building every finding's fixes (what each analysis paid when fixes were built eagerly and shipped in
 * every diagnostic), and the size of the findings' fixes as JSON (what each publishDiagnostics carried).
 * `node --import tsx bench/lazy-fixes.ts`. Not a test: it asserts nothing.
 */
import { analyze } from '../server/src/core/analyze';
import { generate } from './generate';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => void, runs: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

console.log('resources  findings  analyze()  + every fix built  fixes as JSON');
for (const size of [500, 5000]) {
  const text = generate('cfn-yaml', size);
  const runs = size >= 5000 ? 7 : 15;
  let findings = 0;
  const lazy = time(() => {
    findings = analyze(text, { fileName: 't.yaml' }).findings.length;
  }, runs);
  let bytes = 0;
  const eager = time(() => {
    const result = analyze(text, { fileName: 't.yaml' });
    bytes = JSON.stringify(result.findings.map((f) => f.fixes)).length;
  }, runs);
  console.log(`${String(size).padStart(9)}  ${String(findings).padStart(8)}  ${`${lazy.toFixed(1)} ms`.padStart(9)}  ${`${eager.toFixed(1)} ms`.padStart(16)}  ${`${(bytes / 1024).toFixed(0)} KB`.padStart(13)}`);
}
