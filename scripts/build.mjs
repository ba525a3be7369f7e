// Bundles the three entry points (extension client, language server, command line) with esbuild, each
// with its AWS SDK half apart.
// `--watch` rebuilds on change; `--minify` is used for the packaged extension.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';
import { writeDataFile } from './managed-policies.mjs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify,
  logLevel: 'warning',
};

const builds = [
  // The AWS SDK is split out of the client bundle: it is loaded when the ENI explorer is first shown.
  { ...common, entryPoints: { client: 'client/src/extension.ts', 'client-aws': 'client/src/aws-entry.ts' }, outdir: 'dist', external: ['vscode', './client-aws'] },
  // The language server too: live lookups load dist/server-aws.js when they are first turned on.
  { ...common, entryPoints: { server: 'server/src/lsp/main.ts' }, outdir: 'dist', external: ['./server-aws'] },
  { ...common, entryPoints: { 'server-aws': 'server/src/lsp/aws-entry.ts' }, outdir: 'dist' },
  // Likewise the command line: `check` and `explain` start without loading the AWS SDK.
  { ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' }, external: ['./aws-commands'] },
  { ...common, entryPoints: { 'aws-commands': 'server/src/cli/aws-commands.ts' }, outdir: 'dist' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  const { existsSync } = await import('node:fs');
  for (const options of builds) {
    const entries = Object.values(options.entryPoints);
    if (!entries.every((e) => existsSync(e))) continue; // an entry point not written yet
    // One bundle failing (say, the client while a module it imports is still being written) must not
    // keep the others from being built; the script still exits non-zero.
    try {
      await esbuild.build(options);
    } catch {
      process.exitCode = 1;
    }
  }
  // AWS managed policies the engine does not bundle, read by the CLI and the server on first use.
  try {
    writeDataFile('dist');
  } catch (err) {
    console.error(`managed policy data set: ${err.message}`);
    process.exitCode = 1;
  }
  try {
    chmodSync('dist/cli.js', 0o755);
  } catch {
    // no CLI built yet
  }
}
