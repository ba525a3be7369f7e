/**
 * `npm run test:vscode`: the in-editor mocha suite (test/vscode/suite) in a real VS Code.
 *
 *   default        VS Code desktop through @vscode/test-electron (downloads a VS Code build into .vscode-test/;
 *                  VSCODE_EXECUTABLE_PATH=/path/to/code uses an installed one instead). Needs a display: on a
 *                  headless Linux box run it under `xvfb-run -a`.
 *   --code-server  the same suite inside code-server and headless Chromium (what `npm run test:e2e` runs first;
 *                  needs scripts/e2e-setup.sh), for machines that cannot download VS Code.
 *
 * Either way: the extension and the suite are built first, the fixture workspace is copied to a temporary
 * folder, the loopback EC2 test server is started, and its URL goes into the test profile's user settings
 * (`lambdaVpcLint.aws.endpoint` is machine-scoped and read from user settings only); fake AWS credentials come
 * from the environment. Ends with a "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEc2Server } from '../support/ec2-server';
import { E2E_ACCESS_KEY_ID, e2eAccount } from '../e2e/ec2-fixture';
import { FIXTURE_WORKSPACE, ROOT, cleanup, codeServerEnv, ensureSetup, onCleanup, quietSettings } from '../e2e/harness';
import { runSuiteInCodeServer } from '../e2e/vscode-suite';

function build(): void {
  for (const [cmd, args] of [
    ['node', ['scripts/build.mjs']],
    ['node', ['test/vscode/build.mjs']],
  ] as const) {
    const r = spawnSync(cmd, [...args], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  }
}

async function electron(ec2Url: string): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const dir = mkdtempSync(join(tmpdir(), 'lvl-electron-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const userDataDir = join(dir, 'user-data');
  const workspace = join(dir, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...quietSettings(), 'lambdaVpcLint.aws.endpoint': ec2Url }, null, 2));
  const resultsFile = join(dir, 'results.jsonl');
  writeFileSync(resultsFile, '');
  const env = codeServerEnv({ AWS_ACCESS_KEY_ID: E2E_ACCESS_KEY_ID, LVL_TEST_RESULTS: resultsFile });
  try {
    await runTests({
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(ROOT, 'out/vscode-tests'),
      ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        join(dir, 'extensions'),
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
      ],
      extensionTestsEnv: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    });
  } catch (err) {
    const lines = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean);
    if (lines.length === 0) {
      process.stderr.write(
        `test:vscode: VS Code did not run the suite (${err instanceof Error ? err.message : String(err)}).\n` +
          'Where VS Code cannot be downloaded, set VSCODE_EXECUTABLE_PATH, or run `npm run test:vscode -- --code-server`.\n',
      );
      return -1;
    }
  }
  return summarize(resultsFile);
}

function summarize(resultsFile: string): number {
  const lines = existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { event: string })
    : [];
  const passed = lines.filter((l) => l.event === 'pass').length;
  const failed = lines.filter((l) => l.event === 'fail').length;
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed;
}

async function main(): Promise<number> {
  const useCodeServer = process.argv.includes('--code-server');
  const setup = useCodeServer ? ensureSetup() : undefined;
  build();
  const ec2 = await startEc2Server({ data: e2eAccount(), accessKeyId: E2E_ACCESS_KEY_ID });
  onCleanup(() => ec2.close());
  if (!setup) return electron(ec2.url);
  const result = await runSuiteInCodeServer(setup, ec2);
  if (result.problem) process.stderr.write(`test:vscode: ${result.problem}\n`);
  process.stdout.write(`${result.passed.length} passed, ${result.failed.length} failed${result.pending.length ? `, ${result.pending.length} skipped` : ''}\n`);
  return result.failed.length + (result.problem ? 1 : 0);
}

main()
  .then(async (failures) => {
    await cleanup();
    process.exit(failures === 0 ? 0 : 1);
  })
  .catch(async (err: unknown) => {
    process.stderr.write(`test:vscode: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await cleanup();
    process.exit(1);
  });
