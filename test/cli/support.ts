/**
 * Shared by the command-line tests: builds the bundle once, runs `node dist/cli.js` as a real process,
 * copies fixtures into temporary directories, and an in-process `Io` for the tests that need rules of
 * their own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Io } from '../../server/src/cli/io';
import { allRules } from '../../server/src/core/rules/registry';

import { ensureBuilt } from '../support/build';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'cli');
/** Fixture paths as the tests pass them: relative to ROOT, the processes' working directory. */
export const REL = 'test/fixtures/cli';

/** The CLI tests run the built bundle. */
export function buildCli(): Promise<void> {
  return ensureBuilt();
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  uid?: number;
  gid?: number;
}

/** `node dist/cli.js <args>`, with colour off unless `env` turns it on. */
export function cli(args: string[], options: RunOptions = {}): Run {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NO_COLOR: '1', ...options.env };
  if (options.env?.FORCE_COLOR) delete env.NO_COLOR;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
    uid: options.uid,
    gid: options.gid,
  });
  assert.equal(result.error, undefined, `the CLI ran: ${String(result.error)}`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI and parses its stdout as JSON. */
export function cliJson<T = JsonReport>(args: string[], options: RunOptions = {}): { code: number | null; json: T; stderr: string } {
  const run = cli(args, options);
  let json: T;
  try {
    json = JSON.parse(run.stdout) as T;
  } catch {
    assert.fail(`stdout is JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
  return { code: run.code, json, stderr: run.stderr };
}

/**
 * `--rule <id>=off` for every rule but these: other rules are being written while these tests are, so
 * tests that count findings or check exit codes turn them off to stay exact.
 */
export function only(...ids: string[]): string[] {
  return allRules.filter((r) => !ids.includes(r.id)).flatMap((r) => ['--rule', `${r.id}=off`]);
}

/** A temporary directory holding copies of these fixtures (paths under test/fixtures/cli). */
export function tempCopy(...fixtures: string[]): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-cli-')));
  for (const f of fixtures) cpSync(join(FIXTURES, f), join(dir, f.split('/').pop()!), { recursive: true });
  return dir;
}

/** An `Io` over the real file system that records what a command prints. */
export function memoryIo(cwd: string, isTty = false): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    isTty,
    cwd,
    env: {},
    readFile: (): string => {
      throw new Error('not used');
    },
  };
  return io;
}

export const ANSI = /\u001b\[[0-9;]*m/g;

// The JSON contract of cli.md, as the tests read it.
export interface JsonPosition {
  line: number;
  character: number;
}
export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}
export interface JsonEdit {
  range: JsonRange;
  newText: string;
}
export interface JsonFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  resource: string;
  path: (string | number)[];
  range: JsonRange;
  related: { message: string; path: (string | number)[]; range: JsonRange }[];
  fixes: { title: string; safety: 'safe' | 'unsafe'; edits: JsonEdit[] }[];
}
export interface JsonFile {
  file: string;
  dialect: 'cloudformation' | 'sam' | 'serverless' | null;
  findings: JsonFinding[];
  problems: { message: string; range: JsonRange }[];
  /** Only with --fix. */
  fixed?: { ruleId: string; resource: string; title: string }[];
}
export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  files: JsonFile[];
  summary: { files: number; errors: number; warnings: number; infos: number; problems: number; functions?: { total: number; vpc: number; checked: number; partial: number; unknown: number } };
}
