// Bundles the in-editor mocha suite (test/vscode/suite) into out/vscode-tests/: index.js (the runner VS Code
// loads through --extensionTestsPath) and one *.test.js per test file. `vscode` and `mocha` stay external:
// the extension host provides the first, the second is required from this repository's node_modules.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const suite = join(root, 'test/vscode/suite');
const outdir = join(root, 'out/vscode-tests');
rmSync(outdir, { recursive: true, force: true });
const entryPoints = readdirSync(suite)
  .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
  .map((f) => join(suite, f));
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`vscode-tests: bundled ${entryPoints.length} files into ${outdir}`);
