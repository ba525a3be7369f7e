/**
 * The extension-tests entry point VS Code loads (`--extensionTestsPath` points at the folder this is bundled
 * into, out/vscode-tests/). Runs every bundled `*.test.js` beside it with mocha. Each result is also appended,
 * as a JSON line, to the file named by LVL_TEST_RESULTS when set: a code-server extension host has no
 * terminal, so that file is how the launcher learns what passed.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import type MochaType from 'mocha';

type MochaCtor = typeof MochaType;

function record(event: Record<string, unknown>): void {
  const file = process.env.LVL_TEST_RESULTS;
  if (!file) return;
  try {
    appendFileSync(file, JSON.stringify({ time: Date.now(), ...event }) + '\n');
  } catch {
    // the launcher reads stdout too
  }
}

export async function run(): Promise<void> {
  // mocha 12 is an ES module: import() it (kept as import() in the bundle; mocha is external).
  const imported = (await import('mocha')) as unknown as { default?: MochaCtor } & MochaCtor;
  const Mocha = imported.default ?? imported;
  const grep = process.env.LVL_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  await mocha.loadFilesAsync();
  record({ event: 'start', total: mocha.suite.total() });
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n) => resolve(n));
    runner.on('pass', (t) => record({ event: 'pass', title: t.fullTitle(), duration: t.duration }));
    runner.on('fail', (t, err: Error) => record({ event: 'fail', title: t.fullTitle(), error: String(err?.stack ?? err) }));
    runner.on('pending', (t) => record({ event: 'pending', title: t.fullTitle() }));
  });
  record({ event: 'end', failures });
  if (failures > 0) throw new Error(`${failures} in-editor test(s) failed`);
}
