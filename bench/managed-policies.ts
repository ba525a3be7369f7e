/**
 * The AWS managed policy data set: its size on disk, what reading it costs the first time a template
 * names a policy the engine does not bundle (read + JSON.parse + first lookup, in a fresh Node process per
 * run), what a CLI check costs with and without that read, and that no bundle carries the data set.
 * Needs a build (`npm run build`, or `node scripts/build.mjs --minify` for the packaged sizes).
 *
 *   node --import tsx bench/managed-policies.ts [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = join(__dirname, '..');
const dist = join(root, 'dist');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

// The host's loader, as the server and CLI bundles hold it, timed in a fresh process.
const LOAD = `
const t0 = performance.now();
const { lazyManagedPolicies } = require(process.argv[2]);
const read = lazyManagedPolicies(process.argv[1]);
const t1 = performance.now();
const first = read('AmazonRDSReadOnlyAccess');
const t2 = performance.now();
const second = read('ReadOnlyAccess');
const t3 = performance.now();
console.log(JSON.stringify({ firstMs: t2 - t1, secondMs: t3 - t2, ok: !!first && !!second, heapMB: process.memoryUsage().heapUsed / 1048576 }));
`;

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;

function template(policy: string): string {
  return `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/${policy}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
`;
}

function timeCli(file: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [join(dist, 'cli.js'), 'check', file, '--format', 'json'], { encoding: 'utf8' });
    out.push(performance.now() - t0);
  }
  return out;
}

const dataFile = join(dist, 'managed-policies.ndjson');
const size = statSync(dataFile).size;
const lines = readFileSync(dataFile, 'utf8').trimEnd().split('\n');
// The loader compiled on its own, as esbuild bundles it into the server and the CLI.
const loader = join(mkdtempSync(join(tmpdir(), 'managed-policies-loader-')), 'loader.js');
buildSync({ entryPoints: [join(root, 'server/src/data/managed-policies.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: loader, logLevel: 'error' });
const loads = Array.from({ length: runs }, () => JSON.parse(spawnSync(process.execPath, ['-e', LOAD, dataFile, loader], { encoding: 'utf8' }).stdout) as { firstMs: number; secondMs: number; ok: boolean; heapMB: number });
if (!loads.every((l) => l.ok)) throw new Error('a policy of the data set was not found');
console.log(`Data set: ${dataFile}: ${(size / 1024 / 1024).toFixed(2)} MB, ${lines.length - 1} policies, ${(JSON.parse(lines[0]!) as { source: string }).source}`);
console.log(`Lookups (fresh process, median of ${runs}): first (reads the file) ${med(loads.map((l) => l.firstMs)).toFixed(1)} ms (${range(loads.map((l) => l.firstMs))}), second ${med(loads.map((l) => l.secondMs)).toFixed(2)} ms, heap after ${med(loads.map((l) => l.heapMB)).toFixed(1)} MB`);

const dir = mkdtempSync(join(tmpdir(), 'managed-policies-bench-'));
const bundled = join(dir, 'bundled.yaml');
const lazy = join(dir, 'lazy.yaml');
writeFileSync(bundled, template('AmazonS3ReadOnlyAccess'));
writeFileSync(lazy, template('AmazonRDSReadOnlyAccess'));
const a = timeCli(bundled);
const b = timeCli(lazy);
console.log(`CLI check, one template (median of ${runs}): bundled policy only ${med(a).toFixed(0)} ms (${range(a)}); a policy from the data set ${med(b).toFixed(0)} ms (${range(b)})`);

for (const bundle of ['client.js', 'server.js', 'cli.js']) {
  const text = readFileSync(join(dist, bundle), 'utf8');
  // A policy only the data set holds: its name in a bundle would mean the data set was bundled.
  console.log(`${bundle}: ${(text.length / 1024).toFixed(0)} KB, carries the data set: ${text.includes('AmazonRDSReadOnlyAccess') ? 'yes' : 'no'}`);
}
