/**
 * One `check` over a repository of 200 small templates (5 to 60 resources each, seeded, the four dialects in
 * turn), the shape of the budget "a 200-template repository in one call": whole-process wall time of the
 * built CLI, median and range over the runs. Run after a build: `node --import tsx bench/repository.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchDialect } from './generate';
import { extension, generate } from './generate';

const OUT = join(__dirname, 'generated', 'repository-small');
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const RUNS = Number(process.env.RUNS ?? 5);
const DIALECTS: BenchDialect[] = ['cfn-yaml', 'cfn-json', 'sam', 'serverless'];

rmSync(OUT, { recursive: true, force: true });
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
let resources = 0;
for (let i = 0; i < 200; i++) {
  const n = 5 + Math.floor(rand() * 56);
  resources += n;
  const dialect = DIALECTS[i % DIALECTS.length]!;
  mkdirSync(join(OUT, `stack-${i}`), { recursive: true });
  writeFileSync(join(OUT, `stack-${i}`, dialect === 'serverless' ? 'serverless.yml' : `template.${extension(dialect)}`), generate(dialect, n));
}

const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [CLI, 'check', OUT, '--format', 'json'], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  times.push(performance.now() - t0);
  if (result.status !== 0 && result.status !== 1) throw new Error(`check exited ${result.status}`);
}
times.sort((a, b) => a - b);
const ms = (x: number) => `${x.toFixed(0)} ms`;
console.log(`200 templates, ${resources} resources, ${RUNS} runs: median ${ms(times[Math.floor(times.length / 2)]!)} [${ms(times[0]!)}-${ms(times[times.length - 1]!)}]`);
