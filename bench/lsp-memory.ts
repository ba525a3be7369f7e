/**
 * The language server over a long editing session: opens the generated YAML template (5000 resources
 * by default) in the real server, alone in its workspace folder, with `debounceMs: 0`, applies one-character
 * edits (alternately inserting and deleting a character inside a string, each awaited to its
 * `publishDiagnostics`), and samples the server process's resident set (VmRSS) and V8 heap every
 * `--every` edits. It prints the RSS after 50 edits and after the last, the largest sample, and the
 * slope of RSS over the second half of the run in MB per 100 edits (least squares): a slope within the
 * noise of the samples means no growth. Not a test: it asserts nothing.
 *
 *   node --import tsx bench/lsp-memory.ts [--edits 1000] [--resources 5000] [--every 50] [--smoke]
 *                                        [--server-flags "<node / V8 flags of the server>"] [--no-workspace]
 *                                        [--heap-snapshot <file>] [--json <file>]
 *
 * `npm run build` first (the server is dist/server.js). The run takes about the time of one edit
 * times the number of edits; `--smoke` is a few seconds. The server runs with the flags the VS Code client
 * gives it (`SERVER_EXEC_ARGV`) unless `--server-flags` says otherwise (`--server-flags ""`: V8's defaults).
 */
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerStateResult } from '../server/src/lsp/protocol';
import { SERVER_EXEC_ARGV, SERVER_STATE_REQUEST } from '../server/src/lsp/protocol';
import { LspClient, buildServer } from '../test/lsp/harness';
import { generate } from './generate';

export interface MemorySample {
  edits: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  analysesHeld: number;
  /** With `--expose-gc` in the server's flags: the heap in use after a full collection, and the RSS then. */
  liveHeapMB?: number;
  rssAfterCollectMB?: number;
  /** With `--expose-gc`: dropped analyses whose entry, tree or model is still reachable after the collection. */
  retainedDropped?: number;
}

export interface MemoryRun {
  resources: number;
  bytes: number;
  edits: number;
  /** The server process's Node / V8 flags. */
  serverFlags: string[];
  samples: MemorySample[];
  /** RSS after the sample at 50 edits (or the first sample of a shorter run). */
  rssAfter50MB: number | undefined;
  rssAtEndMB: number;
  rssMaxMB: number;
  /** Least-squares slope of RSS over the samples of the second half, in MB per 100 edits. */
  slopeMBPer100: number;
  /** The residual standard deviation of that fit, MB: the noise the slope is read against. */
  noiseMB: number;
  medianEditMs: number;
  /** The server process's CPU time (user + system, all its threads: the garbage collector's too) per edit. */
  cpuPerEditMs: number;
  wallSeconds: number;
}

/** VmRSS of a process from /proc, in MB; NaN off Linux. */
export function rssOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** User + system CPU time of a process from /proc, in ms; NaN off Linux. */
export function cpuOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Slope (per unit of x) and residual standard deviation of the least-squares line through the points. */
export function fitLine(points: [number, number][]): { slope: number; noise: number } {
  const n = points.length;
  if (n < 2) return { slope: NaN, noise: NaN };
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const slope = sxy / sxx;
  const residual = points.reduce((s, [x, y]) => s + (y - (my + slope * (x - mx))) ** 2, 0);
  return { slope, noise: Math.sqrt(residual / Math.max(1, n - 2)) };
}

export interface MemoryOptions {
  resources: number;
  edits: number;
  every: number;
  /**
   * Node / V8 flags for the server process, by default those the VS Code client starts it with
   * (`SERVER_EXEC_ARGV`); with `--expose-gc` each sample also reads the heap after a full collection.
   */
  serverFlags?: string[];
  /** Open the template without a workspace folder (no workspace index). */
  noWorkspace?: boolean;
  /** Write a heap snapshot of the server at the end (after a collection when it can), to this file. */
  heapSnapshot?: string;
  log?: (line: string) => void;
}

export async function measureMemory(options: MemoryOptions): Promise<MemoryRun> {
  await buildServer();
  const log = options.log ?? (() => undefined);
  const folder = mkdtempSync(join(tmpdir(), 'lvl-memory-'));
  const text = generate('cfn-yaml', options.resources);
  const path = join(folder, 'template.yaml');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const serverFlags = [...(options.serverFlags ?? SERVER_EXEC_ARGV), ...(options.heapSnapshot ? [`--heapsnapshot-signal=SIGUSR2`, `--diagnostic-dir=${folder}`] : [])];
  const collect = serverFlags.includes('--expose-gc');
  const client = new LspClient({ ...(options.noWorkspace ? {} : { workspaceFolder: folder }), settings: { debounceMs: 0 }, execArgv: serverFlags });
  const started = performance.now();
  const samples: MemorySample[] = [];
  const times: number[] = [];
  // The server's CPU time over the edits, less what the samples' collections cost.
  let cpuStart = NaN;
  let cpuEnd = NaN;
  let cpuInSamples = 0;
  try {
    await client.initialize();
    await client.open(uri, text);
    await client.forVersion(uri, 1, 300_000);
    const anchor = text.indexOf('index.handler');
    const at = client.doc(uri).positionAt((anchor >= 0 ? anchor : text.indexOf('Type')) + 1);
    const sample = async (edits: number) => {
      const rss = rssOf(client.proc?.pid);
      const state = await client.connection.sendRequest(SERVER_STATE_REQUEST) as ServerStateResult;
      const s: MemorySample = {
        edits,
        rssMB: rss,
        heapUsedMB: state.memory.heapUsedBytes / 2 ** 20,
        heapTotalMB: (state.memory.heapTotalBytes ?? NaN) / 2 ** 20,
        analysesHeld: state.analyses.length,
      };
      if (collect) {
        // After the plain sample: the collection must not change what the session itself would have shown.
        const after = await client.connection.sendRequest(SERVER_STATE_REQUEST, { collect: true }) as ServerStateResult;
        if (after.collected) {
          s.liveHeapMB = after.memory.heapUsedBytes / 2 ** 20;
          s.rssAfterCollectMB = rssOf(client.proc?.pid);
          if (after.retainedDropped !== undefined) s.retainedDropped = after.retainedDropped;
        }
      }
      samples.push(s);
      const live = s.liveHeapMB !== undefined ? `  live heap ${s.liveHeapMB.toFixed(0).padStart(4)} MB  rss after gc ${s.rssAfterCollectMB!.toFixed(0).padStart(4)} MB  dropped still reachable ${s.retainedDropped}` : '';
      log(`${String(edits).padStart(5)} edits  rss ${s.rssMB.toFixed(0).padStart(4)} MB  heap used ${s.heapUsedMB.toFixed(0).padStart(4)} MB  heap total ${s.heapTotalMB.toFixed(0).padStart(4)} MB  analyses held ${s.analysesHeld}${live}  median edit ${times.length ? median(times).toFixed(0) : '-'} ms`);
    };
    await sample(0);
    cpuStart = cpuOf(client.proc?.pid);
    for (let i = 1; i <= options.edits; i++) {
      const insert = i % 2 === 1;
      const range = insert ? { start: at, end: at } : { start: at, end: { line: at.line, character: at.character + 1 } };
      const t0 = performance.now();
      const version = await client.change(uri, [{ range, text: insert ? 'x' : '' }]);
      await client.forVersion(uri, version, 300_000);
      times.push(performance.now() - t0);
      // The client side keeps nothing of the session: only the server is measured.
      client.published.length = 0;
      client.statuses.length = 0;
      client.logs.length = 0;
      if (i % options.every === 0 || i === options.edits) {
        cpuInSamples -= cpuOf(client.proc?.pid);
        await sample(i);
        cpuInSamples += cpuOf(client.proc?.pid);
      }
    }
    cpuEnd = cpuOf(client.proc?.pid);
    if (options.heapSnapshot) await heapSnapshot(client, folder, options.heapSnapshot);
  } finally {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const last = samples[samples.length - 1]!;
  const half = samples.filter((s) => s.edits >= options.edits / 2);
  const fit = fitLine(half.map((s) => [s.edits / 100, s.rssMB]));
  return {
    resources: options.resources,
    bytes: Buffer.byteLength(text),
    edits: options.edits,
    serverFlags,
    samples,
    rssAfter50MB: (samples.find((s) => s.edits >= 50) ?? samples.find((s) => s.edits > 0))?.rssMB,
    rssAtEndMB: last.rssMB,
    rssMaxMB: Math.max(...samples.map((s) => s.rssMB)),
    slopeMBPer100: fit.slope,
    noiseMB: fit.noise,
    medianEditMs: times.length ? median(times) : NaN,
    cpuPerEditMs: (cpuEnd - cpuStart - cpuInSamples) / Math.max(1, options.edits),
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** Signals the server to write a heap snapshot into `dir` and moves it to `target` once it is complete. */
async function heapSnapshot(client: LspClient, dir: string, target: string): Promise<void> {
  client.proc?.kill('SIGUSR2');
  const deadline = Date.now() + 300_000;
  for (;;) {
    const name = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
    // The server answers requests again once the snapshot is written.
    if (name) {
      await client.connection.sendRequest(SERVER_STATE_REQUEST);
      renameSync(join(dir, name), target);
      return;
    }
    if (Date.now() > deadline) throw new Error('no heap snapshot');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The run's summary lines. */
export function summary(run: MemoryRun): string[] {
  const mb = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(0)} MB`);
  return [
    `server RSS after ${(run.samples.find((s) => s.edits >= 50) ?? run.samples.find((s) => s.edits > 0))?.edits ?? 0} edits: ${mb(run.rssAfter50MB)}; after ${run.edits}: ${mb(run.rssAtEndMB)}; max ${mb(run.rssMaxMB)}`,
    `RSS slope over the last half (edits ${Math.ceil(run.edits / 2)}-${run.edits}): ${run.slopeMBPer100.toFixed(1)} MB per 100 edits (residual noise ${run.noiseMB.toFixed(1)} MB)`,
    `median edit -> diagnostics ${run.medianEditMs.toFixed(0)} ms; server CPU ${run.cpuPerEditMs.toFixed(0)} ms per edit; ${run.wallSeconds.toFixed(0)} s in all`,
  ];
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const smoke = process.argv.includes('--smoke');
  const resources = Number(argValue('--resources') ?? (smoke ? 100 : 5000));
  const edits = Number(argValue('--edits') ?? (smoke ? 10 : 1000));
  const every = Number(argValue('--every') ?? (smoke ? 5 : 50));
  const given = argValue('--server-flags');
  const serverFlags = given === undefined ? SERVER_EXEC_ARGV : given.split(/\s+/).filter(Boolean);
  const json = argValue('--json');
  const snapshot = argValue('--heap-snapshot');
  const noWorkspace = process.argv.includes('--no-workspace');
  console.log(`Language server memory: ${edits} one-character edits of the ${resources}-resource YAML template, debounce 0, server flags: ${serverFlags.length ? serverFlags.join(' ') : 'none'}${given === undefined ? ' (as the VS Code client starts it)' : ''}${noWorkspace ? ', no workspace folder' : ''}; a sample every ${every} edits\n`);
  measureMemory({ resources, edits, every, serverFlags, noWorkspace, ...(snapshot ? { heapSnapshot: snapshot } : {}), log: (line) => console.log(line) })
    .then((run) => {
      console.log('');
      for (const line of summary(run)) console.log(line);
      if (json) writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
