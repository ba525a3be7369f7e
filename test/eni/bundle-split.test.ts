/**
 * The extension must not load the AWS SDK at activation: everything reachable from the explorer's entry
 * (`client/src/eni/activate.ts`, imported by the client bundle) must be free of `@aws-sdk/*` and `@smithy/*`,
 * reaching them only through the lazily required `./client-aws` bundle. Bundled in memory with the same
 * options as scripts/build.mjs, so the check does not depend on the rest of the client being built.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = resolve(__dirname, '..', '..');

async function bundle(entry: string): Promise<{ inputs: string[]; text: string }> {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['vscode', './client-aws'],
  });
  return { inputs: Object.keys(result.metafile.inputs), text: result.outputFiles[0]!.text };
}

describe('client bundle split', () => {
  it('the explorer code pulls in no AWS SDK module', async () => {
    const { inputs, text } = await bundle('client/src/eni/activate.ts');
    const sdk = inputs.filter((i) => /node_modules\/@(aws-sdk|smithy|aws-crypto)\//.test(i));
    assert.deepEqual(sdk, []);
    assert.ok(inputs.includes('client/src/eni/tree-model.ts'));
    // The SDK bundle is required at run time, by name, not inlined.
    assert.match(text, /require\("\.\/client-aws"\)/);
  });

  it('the lazily loaded entry carries the EC2 client', async () => {
    const { inputs } = await bundle('client/src/aws-entry.ts');
    assert.ok(inputs.some((i) => i.includes('node_modules/@aws-sdk/client-ec2/')));
  });
});
