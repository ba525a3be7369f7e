/**
 * The pieces both code-server runs share: where setup put things (.cache/e2e/setup.json), a temporary test
 * profile (user settings, extensions dir, a copy of the fixture workspace), code-server on 127.0.0.1 in its
 * own process group, headless Chromium through playwright-core that may reach loopback addresses only, and a
 * cleanup list that runs on every exit path. Nothing here talks to any address but 127.0.0.1.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as Pw from './playwright-types';

export const ROOT = resolve(__dirname, '../..');
/** Where scripts/e2e-setup.sh installs; LVL_E2E_CACHE moves it (the same variable the script reads). */
export const CACHE = process.env.LVL_E2E_CACHE ?? join(ROOT, '.cache/e2e');
export const FIXTURE_WORKSPACE = join(ROOT, 'test/fixtures/workspace');
export const RESULTS = join(ROOT, 'test-results/e2e');

export interface Setup {
  node24: string;
  codeServerEntry: string;
  codeServerVersion: string;
  playwrightCore: string;
  chromium: string;
}

export function log(message: string): void {
  const t = ((Date.now() - START) / 1000).toFixed(1).padStart(6);
  process.stdout.write(`[e2e ${t}s] ${message}\n`);
}
const START = Date.now();

/** Runs scripts/e2e-setup.sh (idempotent: quick when everything is installed) and reads what it wrote. */
export function ensureSetup(): Setup {
  const file = join(CACHE, 'setup.json');
  const result = spawnSync('bash', [join(ROOT, 'scripts/e2e-setup.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/e2e-setup.sh failed (exit ${result.status})`);
  return JSON.parse(readFileSync(file, 'utf8')) as Setup;
}

// ---------------------------------------------------------------------------------------------------------
// Cleanup

type Cleanup = () => void | Promise<void>;
const cleanups: Cleanup[] = [];

export function onCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

export async function cleanup(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (err) {
      log(`cleanup step failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
// Last resort, synchronous: process groups of code-servers still alive.
const groups = new Set<number>();
process.on('exit', () => {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// Profile

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  configFile: string;
}

/** The settings every run uses: no update checks, no telemetry, no AI features, no welcome page, trust on. */
export function quietSettings(): Record<string, unknown> {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': false,
    'npm.fetchOnlinePackageInfo': false,
    'git.enabled': false,
    'git.autofetch': false,
    'github.gitAuthentication': false,
    'files.autoSave': 'off',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
  };
}

export function makeProfile(name: string, settings: Record<string, unknown>): Profile {
  const dir = mkdtempSync(join(tmpdir(), `lvl-${name}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const workspace = join(dir, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify({ ...quietSettings(), ...settings }, null, 2));
  // code-server is a remote window: settings of `machine` scope (lambdaVpcLint.aws.endpoint) are taken from the
  // remote user settings (Machine/settings.json), not from User/settings.json, once the workbench has loaded.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine/settings.json'), JSON.stringify(settings, null, 2));
  // --config: code-server would otherwise create ~/.config/code-server/config.yaml.
  const configFile = join(dir, 'code-server.yaml');
  writeFileSync(configFile, 'bind-addr: 127.0.0.1:0\nauth: none\n');
  return { dir, userDataDir, extensionsDir, workspace, configFile };
}

/**
 * Environment for code-server and its extension host: fake AWS credentials, no shared AWS files, no instance
 * metadata, AWS endpoints and an extension gallery at a closed loopback port, so a gallery query fails at once instead of
 * leaving the machine. (No HTTP(S)_PROXY trap: VS Code's proxy support in the extension host then proxies
 * the explorer's 127.0.0.1 calls too, whatever NO_PROXY says.)
 */
export function codeServerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') || key.startsWith('VSCODE_')) delete env[key];
  const dead = 'http://127.0.0.1:9';
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAE2ETESTFAKEKEY01',
    AWS_SECRET_ACCESS_KEY: 'e2e-test-fake-secret-key-not-real',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    // A trap: should the endpoint setting not reach the explorer, the SDK calls a closed loopback port, not AWS.
    AWS_ENDPOINT_URL: dead,
    AWS_ENDPOINT_URL_EC2: dead,
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `${dead}/gallery`,
      itemUrl: `${dead}/item`,
      resourceUrlTemplate: `${dead}/resource/{publisher}/{name}/{version}/{path}`,
    }),
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------------------
// code-server

function codeServerArgs(setup: Setup, profile: Profile): string[] {
  return [
    setup.codeServerEntry,
    '--config',
    profile.configFile,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
  ];
}

/** `code-server --install-extension <vsix>` into the profile's extensions dir. */
export function installExtension(setup: Setup, profile: Profile, vsix: string): string {
  const result = spawnSync(setup.node24, [...codeServerArgs(setup, profile), '--force', '--install-extension', vsix], {
    encoding: 'utf8',
    env: codeServerEnv(),
    timeout: 120_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`code-server --install-extension failed (exit ${result.status}):\n${output}`);
  return output.trim();
}

export function listExtensions(setup: Setup, profile: Profile): string[] {
  const result = spawnSync(setup.node24, [...codeServerArgs(setup, profile), '--list-extensions', '--show-versions'], {
    encoding: 'utf8',
    env: codeServerEnv(),
    timeout: 60_000,
  });
  return result.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

export interface CodeServer {
  url: string;
  port: number;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

export async function startCodeServer(
  setup: Setup,
  profile: Profile,
  options: { env?: Record<string, string>; args?: string[]; logName: string },
): Promise<CodeServer> {
  mkdirSync(RESULTS, { recursive: true });
  const logFile = join(RESULTS, `${options.logName}.log`);
  const out = createWriteStream(logFile);
  const args = [
    ...codeServerArgs(setup, profile),
    '--bind-addr',
    '127.0.0.1:0',
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...(options.args ?? []),
    profile.workspace,
  ];
  // detached: its own process group, so stop() ends code-server and every process it started, and nothing else.
  const child = spawn(setup.node24, args, { env: codeServerEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  groups.add(child.pid!);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
    // The extension host and friends may outlive the main process by a moment: the group goes too.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    groups.delete(child.pid!);
    out.end();
  };
  onCleanup(stop);

  const url = await new Promise<string>((resolveUrl, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening in 60 s; see ${logFile}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out.write(chunk);
      buffered += chunk.toString('utf8');
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(buffered);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening; see ${logFile}`));
    });
  });
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const port = Number(new URL(url).port);
  log(`code-server ${setup.codeServerVersion} listening on ${url} (pid ${child.pid}, log ${logFile})`);
  return { url, port, process: child, logFile, stop };
}

// ---------------------------------------------------------------------------------------------------------
// Chromium

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export type Playwright = Pw.Playwright;

export function loadPlaywright(setup: Setup): Playwright {
  const require = createRequire(join(setup.playwrightCore, 'package.json'));
  return require(setup.playwrightCore) as Playwright;
}

function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
    return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

export interface Browser {
  browser: Pw.Browser;
  context: Pw.BrowserContext;
  page: Pw.Page;
  /** Requests to anything but loopback, which were aborted. */
  blocked: string[];
  /** Browser console errors, for the failure report. */
  consoleErrors: string[];
}

export async function launchBrowser(setup: Setup, options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const { chromium } = loadPlaywright(setup);
  if (!existsSync(setup.chromium)) throw new Error(`no Chromium at ${setup.chromium}: run scripts/e2e-setup.sh as root`);
  const browser = await chromium.launch({ executablePath: setup.chromium, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
  onCleanup(() => browser.close().catch(() => undefined));
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1600, height: 1000 } });
  const blocked: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500));
  });
  return { browser, context, page, blocked, consoleErrors };
}

/** The workbench URL for a folder served by this code-server. */
export function workbenchUrl(server: CodeServer, folder: string, payload?: [string, string][]): string {
  const u = new URL(server.url + '/');
  u.searchParams.set('folder', folder);
  if (payload) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

export function remoteUri(server: CodeServer, path: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}
