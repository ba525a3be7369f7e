/**
 * Runs the in-editor mocha suite (out/vscode-tests, bundled from test/vscode/suite) inside code-server: the
 * web workbench is opened with the same `payload` VS Code's own web test runner uses (extensionDevelopmentPath,
 * extensionTestsPath, as vscode-remote URIs), so the extension is loaded from this repository into code-server's
 * Node extension host and the suite runs there. The workbench reports the end through
 * `window.codeAutomationExit(code)`, exposed here with Playwright; each test's result arrives as a JSON line in
 * the LVL_TEST_RESULTS file (index.ts writes it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ec2TestServer } from '../support/ec2-server';
import { E2E_ACCESS_KEY_ID } from './ec2-fixture';
import { RESULTS, ROOT, launchBrowser, log, makeProfile, remoteUri, startCodeServer, workbenchUrl } from './harness';
import type { Setup } from './harness';

export interface SuiteResult {
  exitCode: number | undefined;
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
  /** Set when the run did not finish on its own. */
  problem?: string;
  durationMs: number;
}

interface ResultLine {
  event: 'start' | 'pass' | 'fail' | 'pending' | 'end';
  title?: string;
  error?: string;
  total?: number;
}

function readResults(file: string): ResultLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ResultLine);
}

export async function runSuiteInCodeServer(setup: Setup, ec2: Ec2TestServer, options: { timeoutMs?: number; grep?: string } = {}): Promise<SuiteResult> {
  const started = Date.now();
  const testsDir = join(ROOT, 'out/vscode-tests');
  if (!existsSync(join(testsDir, 'index.js'))) throw new Error('out/vscode-tests/index.js is missing: run node test/vscode/build.mjs');
  const profile = makeProfile('suite', { 'lambdaVpcLint.aws.endpoint': ec2.url });
  const resultsFile = join(profile.dir, 'results.jsonl');
  writeFileSync(resultsFile, '');
  const server = await startCodeServer(setup, profile, {
    logName: 'vscode-suite-code-server',
    // A built workbench reads extensionDevelopmentPath/extensionTestsPath from the URL's payload only when
    // the smoke-test driver is enabled (BrowserWorkbenchEnvironmentService.resolveExtensionHostDebugEnvironment).
    args: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { LVL_TEST_RESULTS: resultsFile, AWS_ACCESS_KEY_ID: E2E_ACCESS_KEY_ID, ...(options.grep ? { LVL_TEST_GREP: options.grep } : {}) },
  });
  const { page, blocked, consoleErrors } = await launchBrowser(setup);
  const consoleLog: string[] = [];
  page.on('console', (m) => consoleLog.push(`[${m.type()}] ${m.text()}`));

  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exit(code);
  });
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    consoleLog.push(`[ext-host ${type}] ${Array.isArray(args) ? args.join(' ') : String(args)}`);
  });

  const url = workbenchUrl(server, profile.workspace, [
    ['extensionDevelopmentPath', remoteUri(server, ROOT)],
    ['extensionTestsPath', remoteUri(server, testsDir)],
  ]);
  log(`in-editor suite: opening the workbench with the extension under development (${profile.workspace})`);
  await page.goto(url, { timeout: 60_000 });

  // Progress: print each result line as it arrives.
  let seen = 0;
  const ticker = setInterval(() => {
    const lines = readResults(resultsFile);
    for (const line of lines.slice(seen)) {
      if (line.event === 'start') log(`in-editor suite: ${line.total} tests`);
      if (line.event === 'pass') log(`  ✔ ${line.title}`);
      if (line.event === 'fail') log(`  ✘ ${line.title}\n${indent(line.error ?? '')}`);
      if (line.event === 'pending') log(`  - ${line.title} (skipped)`);
    }
    seen = lines.length;
  }, 500);

  const timeoutMs = options.timeoutMs ?? Number(process.env.LVL_SUITE_TIMEOUT_MS ?? 5 * 60_000);
  let problem: string | undefined;
  const exitCode = await Promise.race([
    exited,
    new Promise<undefined>((resolve) =>
      setTimeout(() => {
        problem = `the suite did not finish within ${timeoutMs / 1000} s`;
        resolve(undefined);
      }, timeoutMs),
    ),
  ]);
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 600));
  const lines = readResults(resultsFile);
  for (const line of lines.slice(seen)) {
    if (line.event === 'pass') log(`  ✔ ${line.title}`);
    if (line.event === 'fail') log(`  ✘ ${line.title}\n${indent(line.error ?? '')}`);
  }
  if (!lines.some((l) => l.event === 'start')) problem ??= 'the suite never started (no result line): is the extension host running the tests?';
  if (problem || exitCode !== 0 || lines.some((l) => l.event === 'fail')) {
    await page.screenshot({ path: join(RESULTS, 'vscode-suite-failure.png') }).catch(() => undefined);
    writeFileSync(join(RESULTS, 'vscode-suite-console.log'), consoleLog.join('\n'));
    log(`in-editor suite: browser console saved to ${join(RESULTS, 'vscode-suite-console.log')}; screenshot vscode-suite-failure.png`);
  }
  if (blocked.length) log(`in-editor suite: blocked ${blocked.length} non-loopback browser request(s): ${[...new Set(blocked)].slice(0, 5).join(', ')}`);
  void consoleErrors;
  await server.stop();
  return {
    exitCode,
    passed: lines.filter((l) => l.event === 'pass').map((l) => l.title!),
    failed: lines.filter((l) => l.event === 'fail').map((l) => ({ title: l.title!, error: l.error ?? '' })),
    pending: lines.filter((l) => l.event === 'pending').map((l) => l.title!),
    ...(problem ? { problem } : {}),
    durationMs: Date.now() - started,
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .slice(0, 40)
    .map((l) => `      ${l}`)
    .join('\n');
}
