/**
 * One `check` over a repository of 200 small templates (5 to 60 resources each, seeded, the four dialects in
 * turn), the shape of the budget "a 200-template repository in one call": whole-process wall time of the
 * built CLI, median and range over the runs. `npm run bench` runs it too; alone, after a build:
 * `node --import tsx bench/repository.ts` (`RUNS=5` by default).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchDialect } from './generate';
import { extension, generate } from './generate';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const DIALECTS: BenchDialect[] = ['cfn-yaml', 'cfn-json', 'sam', 'serverless'];

export interface RepositoryResult {
  templates: number;
  resources: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Writes the repository under `dir` (replacing it) and times `runs` checks of it, after `warmup` untimed ones. */
export function benchRepository(options: { dir: string; templates?: number; runs: number; warmup?: number }): RepositoryResult {
  const count = options.templates ?? 200;
  rmSync(options.dir, { recursive: true, force: true });
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let resources = 0;
  for (let i = 0; i < count; i++) {
    const n = 5 + Math.floor(rand() * 56);
    resources += n;
    const dialect = DIALECTS[i % DIALECTS.length]!;
    mkdirSync(join(options.dir, `stack-${i}`), { recursive: true });
    writeFileSync(join(options.dir, `stack-${i}`, dialect === 'serverless' ? 'serverless.yml' : `template.${extension(dialect)}`), generate(dialect, n));
  }
  const times: number[] = [];
  for (let run = 0; run < (options.warmup ?? 0) + options.runs; run++) {
    const t0 = performance.now();
    const result = spawnSync(process.execPath, [CLI, 'check', options.dir, '--format', 'json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
    if (run >= (options.warmup ?? 0)) times.push(performance.now() - t0);
    if (result.status !== 0 && result.status !== 1) throw new Error(`check exited ${result.status}`);
  }
  times.sort((a, b) => a - b);
  return { templates: count, resources, runs: options.runs, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]!, maxMs: times[times.length - 1]! };
}

if (require.main === module) {
  const runs = Number(process.env.RUNS ?? 5);
  const r = benchRepository({ dir: join(__dirname, 'generated', 'repository-small'), runs });
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`${r.templates} templates, ${r.resources} resources, ${r.runs} runs: median ${ms(r.medianMs)} [${ms(r.minMs)}-${ms(r.maxMs)}]`);
}
