/**
 * Language server latency: from a one-character `textDocument/didChange` to the `publishDiagnostics` for
 * that version, on generated ~500- and ~5000-resource templates, with `debounceMs: 0` (so the number is
 * the server's own work: analysis plus protocol), the median of 20 edits (50 for the 5000-resource YAML
 * template, after which the server's RSS is read). The edits alternately insert and
 * delete one character inside a string, so every version has the same findings. Not a test: it asserts
 * nothing. `node --import tsx bench/lsp-latency.ts [--smoke]`; `npm run bench` runs it too.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerStateResult } from '../server/src/lsp/protocol';
import { SERVER_EXEC_ARGV, SERVER_STATE_REQUEST } from '../server/src/lsp/protocol';
import { LspClient, buildServer } from '../test/lsp/harness';
import type { BenchDialect } from './generate';
import { extension, generate } from './generate';

export interface LatencyResult {
  dialect: BenchDialect;
  resources: number;
  bytes: number;
  findings: number;
  /** Open to first diagnostics. */
  openMs: number;
  edits: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  p90Ms: number;
  /** The analysis alone, as the server reported it (median). */
  analysisMedianMs: number;
  /** The server process's resident set after the edits, with this one document open (Linux only). */
  serverRssMB?: number;
  /** What the server says it holds after the edits (lambdaVpcLint/serverState). */
  serverHeapMB?: number;
  analysesHeld?: number;
}

/** VmRSS of a process from /proc, in MB; undefined off Linux. */
function rssMB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** The server's V8 flags: the VS Code client's, or `BENCH_SERVER_FLAGS` (space-separated, may be empty) to compare others. */
function serverFlags(): string[] {
  const given = process.env.BENCH_SERVER_FLAGS;
  return given === undefined ? SERVER_EXEC_ARGV : given.split(' ').filter(Boolean);
}

export async function measureLatency(dialect: BenchDialect, resources: number, edits: number, outDir: string): Promise<LatencyResult> {
  const text = generate(dialect, resources);
  const name = dialect === 'serverless' ? 'serverless.yml' : `template-${dialect}.${extension(dialect)}`;
  // A folder of its own: the server indexes its workspace folder, and the figures are for this template alone.
  const folder = join(outDir, `${dialect}-${resources}`);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const path = join(folder, name);
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  // Started as the VS Code client starts it, with its V8 flags.
  const client = new LspClient({ workspaceFolder: folder, settings: { debounceMs: 0 }, execArgv: serverFlags() });
  try {
    await client.initialize();
    let start = performance.now();
    await client.open(uri, text);
    const first = await client.forVersion(uri, 1, 60_000);
    const openMs = performance.now() - start;
    const anchor = ['index.handler', 'src/handler.main'].map((s) => text.indexOf(s)).find((i) => i >= 0) ?? text.indexOf('Type');
    const at = client.doc(uri).positionAt(anchor + 1);
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      const insert = i % 2 === 0;
      const range = insert ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      start = performance.now();
      const version = await client.change(uri, [{ range, text: insert ? 'x' : '' }]);
      await client.forVersion(uri, version, 60_000);
      times.push(performance.now() - start);
    }
    const serverRssMB = rssMB(client.proc?.pid);
    const state = await client.connection.sendRequest(SERVER_STATE_REQUEST) as ServerStateResult;
    const analysis = client.statuses.filter((s) => s.uri === uri && s.state === 'done' && (s.version ?? 0) > 1).map((s) => (s as { durationMs?: number }).durationMs ?? 0);
    return {
      dialect,
      resources,
      bytes: Buffer.byteLength(text),
      findings: first.length,
      openMs,
      edits,
      medianMs: median(times),
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      p90Ms: percentile(times, 0.9),
      analysisMedianMs: analysis.length ? median(analysis) : NaN,
      ...(serverRssMB !== undefined ? { serverRssMB } : {}),
      serverHeapMB: Math.round(state.memory.heapUsedBytes / 2 ** 20),
      analysesHeld: state.analyses.length,
    };
  } finally {
    await client.stop();
  }
}

/** Called by bench/run.ts. */
export async function benchLanguageServer(options: { smoke: boolean; outDir: string }): Promise<Record<string, unknown>> {
  await buildServer();
  const dir = join(options.outDir, 'lsp');
  mkdirSync(dir, { recursive: true });
  const size = options.smoke ? 100 : 500;
  const edits = options.smoke ? 4 : 20;
  const dialects: BenchDialect[] = options.smoke ? ['cfn-yaml'] : ['cfn-yaml', 'cfn-json', 'sam', 'serverless'];
  const runs: [BenchDialect, number, number][] = dialects.map((d) => [d, size, edits]);
  // The large case: the RSS budget is read after 50 edits of the 5000-resource YAML template.
  if (!options.smoke) runs.push(['cfn-yaml', 5000, 50], ['cfn-json', 5000, 9]);
  const results: LatencyResult[] = [];
  console.log(`\nLanguage server (flags ${SERVER_EXEC_ARGV.join(' ')}, as the VS Code client starts it): one-character didChange -> publishDiagnostics, debounce 0 (ms); server RSS after the edits\n`);
  console.log('dialect     resources  bytes      findings  open     median   p90      min-max        analysis  edits  rss      heap     analyses held');
  for (const [dialect, resources, n] of runs) {
    const r = await measureLatency(dialect, resources, n, dir);
    results.push(r);
    console.log(`${r.dialect.padEnd(11)} ${String(r.resources).padStart(9)}  ${String(r.bytes).padEnd(9)}  ${String(r.findings).padStart(8)}  ${r.openMs.toFixed(1).padStart(7)}  ${r.medianMs.toFixed(1).padStart(7)}  ${r.p90Ms.toFixed(1).padStart(7)}  ${`${r.minMs.toFixed(1)}-${r.maxMs.toFixed(1)}`.padEnd(13)}  ${r.analysisMedianMs.toFixed(1).padStart(8)}  ${String(r.edits).padStart(5)}  ${`${r.serverRssMB ?? 'n/a'} MB`.padEnd(7)}  ${`${r.serverHeapMB} MB`.padEnd(7)}  ${r.analysesHeld}`);
  }
  return { edits, results };
}

if (require.main === module) {
  const smoke = process.argv.includes('--smoke');
  const outDir = join(__dirname, 'generated');
  mkdirSync(outDir, { recursive: true });
  benchLanguageServer({ smoke, outDir }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
