/**
 * Builds the bundles (`node scripts/build.mjs`) when they are older than the sources, once per test
 * process. The test runner runs test files in parallel processes: a lock directory makes one of them build
 * while the others wait, so none runs a bundle while another rewrites it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
const BUNDLES = ['cli.js', 'aws-commands.js', 'server.js', 'server-aws.js', 'client.js', 'client-aws.js'].map((f) => join(ROOT, 'dist', f));
const SOURCES = ['server/src', 'client/src', 'package.json', 'scripts/build.mjs'].map((p) => join(ROOT, p));

let built: Promise<void> | undefined;

/** The newest modification time under these paths (files and folders, recursively). */
function newest(paths: string[]): number {
  let max = 0;
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    max = Math.max(max, stat.mtimeMs);
    if (stat.isDirectory()) max = Math.max(max, newest(readdirSync(path).map((name) => join(path, name))));
  }
  return max;
}

function fresh(): boolean {
  const sources = newest(SOURCES);
  return BUNDLES.every((b) => (statSync(b, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= sources);
}

export function ensureBuilt(): Promise<void> {
  built ??= (async () => {
    const lock = join(ROOT, 'dist', '.test-build.lock');
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    const deadline = Date.now() + 300_000;
    for (;;) {
      try {
        mkdirSync(lock);
        break;
      } catch {
        // A lock left by a killed run is stale after the longest a build takes.
        if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 180_000) rmSync(lock, { recursive: true, force: true });
        if (Date.now() > deadline) assert.fail(`waited too long for ${lock}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    try {
      if (fresh()) return;
      const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `scripts/build.mjs failed:\n${build.stderr}`);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  })();
  return built;
}
