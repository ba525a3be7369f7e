/**
 * `npm run test:e2e`: the extension in the real VS Code workbench, served by code-server on 127.0.0.1 and
 * driven by headless Chromium, with the loopback EC2 test server standing in for AWS.
 *
 *   1. setup (scripts/e2e-setup.sh; quick when already installed)
 *   2. build, bundle the in-editor suite, package the .vsix (`npm run package`)
 *   3. the in-editor mocha suite (test/vscode/suite) inside code-server, extension loaded from this repository
 *   4. the .vsix installed with `code-server --install-extension`, then what a user sees, through the UI
 *      (test/e2e/ui.ts): Problems panel, quick fix, ENI explorer. Screenshots in test-results/e2e/.
 *
 * Options: --skip-package (use the existing lambda-vpc-lint.vsix and builds), --only suite|ui.
 * Every process started here is stopped on exit, on failure and on SIGINT/SIGTERM. Ends with a
 * "N passed, N failed" line; exit code 1 when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEc2Server } from '../support/ec2-server';
import { E2E_ACCESS_KEY_ID, e2eAccount } from './ec2-fixture';
import { RESULTS, ROOT, cleanup, ensureSetup, log, onCleanup } from './harness';
import { runUiChecks } from './ui';
import { runSuiteInCodeServer } from './vscode-suite';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const skipPackage = args.includes('--skip-package');
/** The run's budget after setup: past it, everything is stopped and the run fails. */
const BUDGET_MS = Number(process.env.LVL_E2E_BUDGET_MS ?? 8 * 60_000);

interface Check {
  name: string;
  ok: boolean;
  detail?: string;
  ms: number;
}
const checks: Check[] = [];
const timings: Record<string, number> = {};

async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t0;
    log(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function withBuildLock(fn: () => void): Promise<void> {
  const lock = join(ROOT, 'dist', '.test-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed (exit ${result.status})`);
}

async function main(): Promise<void> {
  const started = Date.now();
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  // The first setup on a machine builds code-server (minutes); the budget covers what comes after it.
  const setup = await timed('setup', () => ensureSetup());
  const budget = setTimeout(() => {
    log(`the run exceeded its budget of ${BUDGET_MS / 1000} s after setup: stopping`);
    checks.push({ name: 'time budget', ok: false, detail: `over ${BUDGET_MS / 1000} s`, ms: 0 });
    void cleanup().finally(() => finish(started));
  }, BUDGET_MS);
  budget.unref();

  const vsix = join(ROOT, 'lambda-vpc-lint.vsix');
  if (!skipPackage) {
    await timed('build and package', async () => {
      run('node', ['test/vscode/build.mjs']);
      // `npm run package` rewrites dist/ (minified): under the lock the tests' shared build step takes
      // (test/support/build.ts), so no test running meanwhile executes a half-written bundle.
      await withBuildLock(() => run('npm', ['run', '--silent', 'package']));
    });
  }
  if (only !== 'suite' && !existsSync(vsix)) throw new Error(`${vsix} is missing (npm run package)`);

  const ec2 = await startEc2Server({ data: e2eAccount(), accessKeyId: E2E_ACCESS_KEY_ID });
  onCleanup(() => ec2.close());
  log(`loopback EC2 test server on ${ec2.url}`);

  if (!only || only === 'suite') {
    const result = await timed('in-editor suite (code-server)', () => runSuiteInCodeServer(setup, ec2));
    for (const title of result.passed) checks.push({ name: `suite: ${title}`, ok: true, ms: 0 });
    for (const f of result.failed) checks.push({ name: `suite: ${f.title}`, ok: false, detail: f.error.split('\n')[0], ms: 0 });
    if (result.problem) checks.push({ name: 'suite: run', ok: false, detail: result.problem, ms: 0 });
    else if (result.exitCode !== 0 && result.failed.length === 0) checks.push({ name: 'suite: run', ok: false, detail: `exit code ${result.exitCode}`, ms: 0 });
  }

  if (!only || only === 'ui') {
    const uiChecks = await timed('UI checks (code-server + Chromium)', () => runUiChecks(setup, ec2, vsix));
    checks.push(...uiChecks);
  }
  clearTimeout(budget);
  await cleanup();
  finish(started);
}

function finish(started: number): never {
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  process.stdout.write('\nend-to-end checks:\n');
  for (const c of checks) process.stdout.write(`  ${c.ok ? 'PASS' : 'FAIL'} ${c.name}${c.detail ? ` — ${c.detail}` : ''}${c.ms ? ` (${(c.ms / 1000).toFixed(1)} s)` : ''}\n`);
  process.stdout.write(`timings: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const shots = existsSync(RESULTS) ? readdirSync(RESULTS).filter((f) => f.endsWith('.png')) : [];
  if (shots.length) process.stdout.write(`screenshots: ${shots.map((f) => join('test-results/e2e', f)).join(', ')}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || checks.length === 0 ? 1 : 0);
}

const t0 = Date.now();
main().catch(async (err: unknown) => {
  log(`e2e run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  checks.push({ name: 'e2e run', ok: false, detail: err instanceof Error ? err.message.split('\n')[0] : String(err), ms: 0 });
  await cleanup();
  finish(t0);
});
