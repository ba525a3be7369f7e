/**
 * `npm run bench`: measures the engine, the command line and the language server on generated
 * templates and prints a table (also written to bench/results.json), then the product's budgets with the
 * figure measured for each and whether it holds. `--smoke` runs small sizes once, so CI keeps the script
 * working without timing anything. `--memory-session` runs the 1000-edit memory session of
 * bench/lsp-memory.ts even when it would take long. Not a test: it asserts nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../server/src/core/analyze';
import { parseJson } from '../server/src/core/parse/json';
import { YAML_OPTIONS } from '../server/src/core/parse/yaml';
import type { BenchDialect } from './generate';
import { extension, generate } from './generate';
import type { MemoryRun } from './lsp-memory';
import { measureMemory, summary as memorySummary } from './lsp-memory';
import { benchRepository } from './repository';
import type { Stat } from './stat';
import { measure } from './stat';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke ? [100] : [100, 500, 2000, 5000];
const DIALECTS: BenchDialect[] = ['cfn-yaml', 'cfn-json', 'sam', 'serverless'];
const OUT = join(__dirname, 'generated');

const fmt = (s: Stat) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}-${s.max.toFixed(1)})`;

/**
 * The parse-only baseline: the `yaml` package with the options and CloudFormation tags the product
 * registers (without them it would also pay for unresolved-tag warnings the product never produces), or
 * `JSON.parse`. `JSON.parse` is native and keeps no ranges, so JSON also gets a second baseline, our own
 * range-keeping reader (`parseJson`), which every analysis needs.
 */
function baseline(dialect: BenchDialect, text: string): void {
  if (dialect === 'cfn-json') JSON.parse(text);
  else parseAllDocuments(text, YAML_OPTIONS);
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const results: Record<string, unknown> = { machine: machine(), smoke, command: commandLine(), date: new Date().toISOString(), engine: {}, cli: {}, repo: {}, lsp: {}, memory: {}, client: {} };
  const m = results.machine as Record<string, unknown>;
  console.log(`Command: ${results.command as string}`);
  console.log(`Date: ${results.date as string}`);
  console.log(`Machine: Node ${m.node as string}, ${m.cpus as number} CPUs (${m.cpu as string}), ${m.memoryGiB as number} GiB; load average at the start ${(m.loadAverage as number[]).join(', ')}`);
  const engine: Record<string, unknown> = {};
  console.log('\nEngine: parse-only baseline vs full analyze() (median of runs, min-max)\n');
  console.log('dialect     resources  bytes      baseline                 analyze()                ratio  findings');
  console.log('(cfn-json: baseline is JSON.parse; the second line is our range-keeping parseJson as the baseline)');
  for (const dialect of DIALECTS) {
    const perSize: Record<number, unknown> = {};
    for (const size of SIZES) {
      const text = generate(dialect, size);
      const fileName = `t.${extension(dialect)}`;
      const runs = smoke ? 1 : size >= 2000 ? 7 : 15;
      const base = measure(() => baseline(dialect, text), runs);
      let findings = 0;
      const full = measure(() => {
        findings = analyze(text, { fileName }).findings.length;
      }, runs);
      const ratio = full.median / base.median;
      perSize[size] = { bytes: text.length, baseline: base, analyze: full, ratio, findings };
      console.log(`${dialect.padEnd(11)} ${String(size).padStart(9)}  ${String(text.length).padEnd(9)}  ${fmt(base).padEnd(23)}  ${fmt(full).padEnd(23)}  ${ratio.toFixed(2).padStart(5)}  ${findings}`);
      if (dialect === 'cfn-json') {
        const ranged = measure(() => parseJson(text), runs);
        const rangedRatio = full.median / ranged.median;
        Object.assign(perSize[size] as object, { rangedBaseline: ranged, rangedRatio });
        console.log(`${'  parseJson'.padEnd(11)} ${String(size).padStart(9)}  ${''.padEnd(9)}  ${fmt(ranged).padEnd(23)}  ${''.padEnd(23)}  ${rangedRatio.toFixed(2).padStart(5)}`);
      }
      if (size === 500) writeFileSync(join(OUT, `t500-${dialect}.${extension(dialect)}`), text);
      if (size === 5000) writeFileSync(join(OUT, `t5000-${dialect}.${extension(dialect)}`), text);
    }
    if (!smoke) {
      const s = perSize as Record<number, { analyze: Stat }>;
      const scaling = s[5000]!.analyze.median / s[500]!.analyze.median;
      (perSize as Record<string, unknown>).scaling = scaling;
      console.log(`${dialect.padEnd(11)} scaling time(5000)/time(500) = ${scaling.toFixed(2)}`);
    }
    engine[dialect] = perSize;
  }
  results.engine = engine;

  // The command line as a whole process, Node start included, at the two sizes the budgets name; at the
  // larger one beside a process that only parses the file with `yaml`'s parseDocument, at the smaller one
  // beside cfn-lint when it is installed.
  const cli = join(__dirname, '..', 'dist', 'cli.js');
  const parseOnly = join(OUT, 'parse-only.cjs');
  writeFileSync(parseOnly, `const { parseDocument } = require(${JSON.stringify(require.resolve('yaml'))});\nparseDocument(require('fs').readFileSync(process.argv[2], 'utf8'));\n`);
  const cliRuns = smoke ? 1 : 10;
  const cliResults: Record<string, unknown> = {};
  console.log('\nCLI process, check one cfn-yaml template (json), whole process: median (min-max)\n');
  for (const size of smoke ? [100] : [440, 2000]) {
    const file = join(OUT, `cli-${size}.yaml`);
    writeFileSync(file, generate('cfn-yaml', size));
    const processStat = measure(() => {
      spawnSync(process.execPath, [cli, 'check', file, '--format', 'json'], { stdio: 'ignore', maxBuffer: 1 << 30 });
    }, cliRuns);
    const parseStat = measure(() => {
      spawnSync(process.execPath, [parseOnly, file], { stdio: 'ignore' });
    }, cliRuns);
    const entry: Record<string, unknown> = { bytes: statSync(file).size, process: processStat, parseOnlyProcess: parseStat };
    console.log(`${String(size).padStart(5)} resources  check ${fmt(processStat).padEnd(24)}  parseDocument only ${fmt(parseStat)}`);
    if (size === 440 && !smoke) {
      const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
      if (probe.status === 0) {
        const cfnLint = measure(() => {
          spawnSync('cfn-lint', [file], { stdio: 'ignore' });
        }, 3, 0);
        Object.assign(entry, { cfnLint, cfnLintVersion: probe.stdout.trim(), speedup: cfnLint.median / processStat.median });
        console.log(`${''.padStart(5)}            cfn-lint (${probe.stdout.trim()}) ${fmt(cfnLint)}: ${(cfnLint.median / processStat.median).toFixed(1)}x`);
      } else {
        console.log('             cfn-lint is not on the PATH: the comparison with cfn-lint is skipped');
      }
    }
    cliResults[size] = entry;
  }
  results.cli = cliResults;

  // The repository budget's shape: 200 templates of 5-60 resources, checked by one process (bench/repository.ts).
  const repoResult = benchRepository({ dir: join(OUT, 'repository-small'), templates: smoke ? 10 : 200, runs: smoke ? 1 : 5 });
  results.repo = repoResult;
  console.log(`\nCLI process, repository of ${repoResult.templates} templates of 5-60 resources (${repoResult.resources} in all), one check: median ${repoResult.medianMs.toFixed(0)} ms (${repoResult.minMs.toFixed(0)}-${repoResult.maxMs.toFixed(0)}), ${repoResult.runs} runs`);

  // The language server, when its benchmark module is present.
  try {
    const lsp = await import('./lsp-latency');
    if (typeof lsp.benchLanguageServer === 'function') {
      results.lsp = await lsp.benchLanguageServer({ smoke, outDir: OUT });
    }
  } catch (err) {
    console.log(`\nLanguage server benchmark not run: ${(err as Error).message}`);
  }

  // The long editing session of bench/lsp-memory.ts: 1000 edits at 5000 resources, when that takes a sane time.
  const lspRows = (results.lsp as { results?: { dialect: string; resources: number; medianMs: number }[] }).results ?? [];
  const editMs = lspRows.find((r) => r.dialect === 'cfn-yaml' && r.resources === 5000)?.medianMs;
  const session = smoke ? { resources: 100, edits: 10, every: 5 } : { resources: 5000, edits: 1000, every: 50 };
  const SESSION_LIMIT_S = 300;
  const expectedS = editMs === undefined ? undefined : (editMs * session.edits) / 1000;
  if (smoke || process.argv.includes('--memory-session') || (expectedS !== undefined && expectedS <= SESSION_LIMIT_S)) {
    console.log(`\nLanguage server memory over ${session.edits} edits of the ${session.resources}-resource YAML template (bench/lsp-memory.ts)\n`);
    const run = await measureMemory(session);
    results.memory = run;
    for (const line of memorySummary(run)) console.log(line);
  } else {
    results.memory = { skipped: true, expectedSeconds: expectedS };
    console.log(`\nLanguage server memory over 1000 edits at 5000 resources: not run here (at ${editMs?.toFixed(0) ?? '?'} ms an edit it would take about ${expectedS === undefined ? '?' : Math.round(expectedS / 60)} min, over the ${SESSION_LIMIT_S / 60} min this run allows); measured by \`node --import tsx bench/lsp-memory.ts\` (or this script with --memory-session)`);
  }

  // The extension client: bundle sizes (the AWS SDK lives in a separate, lazily loaded bundle).
  const dist = join(__dirname, '..', 'dist');
  const size_ = (f: string) => {
    try {
      return statSync(join(dist, f)).size;
    } catch {
      return undefined;
    }
  };
  results.client = { clientBundleBytes: size_('client.js'), awsBundleBytes: size_('client-aws.js'), serverBundleBytes: size_('server.js'), cliBundleBytes: size_('cli.js') };
  console.log(`\nBundles: client ${kb(size_('client.js'))}, client-aws (lazy) ${kb(size_('client-aws.js'))}, server ${kb(size_('server.js'))}, cli ${kb(size_('cli.js'))}`);
  try {
    const activation = await import('./activation');
    results.activation = await activation.benchActivation({ smoke });
  } catch (err) {
    console.log(`Activation benchmark not run: ${(err as Error).message}`);
  }

  if (!smoke) results.budgets = printBudgets(results);
  console.log(`\nLoad average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}`);
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

/** The budgets of the speed work, each with the figure measured above and whether it holds. */
function printBudgets(results: Record<string, unknown>): { budget: string; measured: string; holds: boolean | null }[] {
  const lsp = ((results.lsp as { results?: { dialect: string; resources: number; openMs: number; medianMs: number; serverRssMB?: number; edits: number }[] }).results) ?? [];
  const yaml = (n: number) => lsp.find((r) => r.dialect === 'cfn-yaml' && r.resources === n);
  const cli = results.cli as Record<string, { process: Stat; parseOnlyProcess: Stat; cfnLint?: Stat; speedup?: number }>;
  const ms = (x: number | undefined) => (x === undefined ? 'not measured' : `${x.toFixed(1)} ms`);
  const rows: { budget: string; measured: string; holds: boolean | null }[] = [];
  const row = (budget: string, measured: string, holds: boolean | undefined) => rows.push({ budget, measured, holds: holds ?? null });
  const y500 = yaml(500);
  const y5000 = yaml(5000);
  row('edit -> diagnostics median <= 20 ms at 500 resources', ms(y500?.medianMs), y500 && y500.medianMs <= 20);
  row('edit -> diagnostics median <= 100 ms at 5000 resources', ms(y5000?.medianMs), y5000 && y5000.medianMs <= 100);
  row('first diagnostics on open <= 300 ms at 500 resources', ms(y500?.openMs), y500 && y500.openMs <= 300);
  row(`server RSS <= 150 MB after 50 edits at 5000 resources`, y5000?.serverRssMB !== undefined ? `${y5000.serverRssMB} MB after ${y5000.edits} edits` : 'not measured', y5000?.serverRssMB !== undefined ? y5000.serverRssMB <= 150 : undefined);
  const at440 = cli['440'];
  row('CLI check at 440 resources >= 15x faster than cfn-lint', at440?.speedup !== undefined ? `${ms(at440.process.median)} vs cfn-lint ${ms(at440.cfnLint?.median)}: ${at440.speedup.toFixed(1)}x` : 'not measured', at440?.speedup !== undefined ? at440.speedup >= 15 : undefined);
  const memory = results.memory as Partial<MemoryRun> & { skipped?: boolean };
  if (memory.samples) {
    // No growth: what the fitted line rises over the second half stays within twice the samples' scatter around it.
    const rise = (memory.slopeMBPer100 ?? NaN) * ((memory.edits ?? 0) / 2 / 100);
    row(`server RSS does not grow across ${memory.edits} edits at 5000 resources`, `${memory.slopeMBPer100!.toFixed(1)} MB per 100 edits over the second half (rise ${rise.toFixed(0)} MB, scatter ${memory.noiseMB!.toFixed(0)} MB); RSS after ${memory.edits} edits ${memory.rssAtEndMB!.toFixed(0)} MB, max ${memory.rssMaxMB!.toFixed(0)} MB`, Math.abs(rise) <= Math.max(2 * memory.noiseMB!, 5));
  } else {
    row('server RSS does not grow across 1000 edits at 5000 resources', 'not measured by this run: node --import tsx bench/lsp-memory.ts', undefined);
  }
  const at2000 = cli['2000'];
  row('CLI check at 2000 resources no slower than a parseDocument-only process', at2000 ? `${ms(at2000.process.median)} vs ${ms(at2000.parseOnlyProcess.median)}` : 'not measured', at2000 && at2000.process.median <= at2000.parseOnlyProcess.median);
  const repo = results.repo as { templates?: number; resources?: number; medianMs?: number; minMs?: number; maxMs?: number };
  row('a repository of 200 templates of 5-60 resources in one check <= 2.5 s', repo.medianMs !== undefined ? `${ms(repo.medianMs)} (${repo.minMs!.toFixed(0)}-${repo.maxMs!.toFixed(0)}), ${repo.templates} templates, ${repo.resources} resources` : 'not measured', repo.medianMs !== undefined ? repo.medianMs <= 2500 : undefined);
  console.log('\nBudgets\n');
  for (const r of rows) console.log(`${r.holds === null ? 'n/a ' : r.holds ? 'holds' : 'FAILS'}  ${r.budget}: ${r.measured}`);
  return rows;
}

function kb(n: number | undefined): string {
  return n === undefined ? 'n/a' : `${(n / 1024).toFixed(0)} KB`;
}

function machine(): Record<string, unknown> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim() || cpu;
  } catch {
    // keep os.cpus()
  }
  return { node: process.version, cpus: os.cpus().length, cpu, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) };
}

function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  return process.env.npm_lifecycle_event === 'bench' ? `npm run bench${args ? ` -- ${args}` : ''}` : `node --import tsx bench/run.ts${args ? ` ${args}` : ''}`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
