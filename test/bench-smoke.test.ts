/**
 * The benchmark's smoke mode, as CI runs it: `node --import tsx bench/run.ts --smoke` must exit 0 and
 * write bench/results.json with every section. A check that the script runs, not a timing assertion.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results.json');

test('bench/run.ts --smoke exits 0 and writes bench/results.json with the expected keys', () => {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, `exit ${run.status}\n${run.stdout}\n${run.stderr}`);
  assert.ok(statSync(RESULTS).mtimeMs >= started - 1000, 'bench/results.json was not written by this run');
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>;
  for (const key of ['machine', 'smoke', 'engine', 'cli', 'repo', 'lsp', 'client', 'activation']) assert.ok(key in results, `missing key ${key}`);
  assert.equal(results.smoke, true);
  const engine = results.engine as Record<string, Record<string, { baseline: unknown; analyze: unknown; ratio: number }>>;
  for (const dialect of ['cfn-yaml', 'cfn-json', 'sam', 'serverless']) {
    const at100 = engine[dialect]?.['100'];
    assert.ok(at100 && at100.baseline && at100.analyze && Number.isFinite(at100.ratio), `engine.${dialect}.100 is incomplete`);
  }
  assert.ok('rangedBaseline' in (engine['cfn-json']!['100'] as object), 'cfn-json has no range-keeping baseline');
  const lsp = results.lsp as { results?: unknown[] };
  assert.ok(Array.isArray(lsp.results) && lsp.results.length > 0, 'no language server results');
});
