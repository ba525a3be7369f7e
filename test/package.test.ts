/**
 * The .vsix: `vsce package --no-dependencies` (what `npm run package` runs after its minified build) into a
 * temporary file, from the bundles in dist/ (built through the tests' shared, locked build step, so no test
 * ever runs a half-written bundle), then its file list, read with a small zip reader:
 * everything the manifest points at is inside, and nothing from test/, .cache/, sources or node_modules is.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { ensureBuilt } from './support/build';

const ROOT = resolve(__dirname, '..');

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

/** The central directory of a zip file (no zip64: a .vsix is far below 4 GiB). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory header at ${offset}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeaderOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.push({ name, method, compressedSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function zipRead(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.localHeaderOffset;
  if (zip.readUInt32LE(at) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
}

/** Relative file paths a manifest value points at (icons, main, snippets, walkthrough media...). */
function manifestPaths(value: unknown, key = ''): string[] {
  if (typeof value === 'string') {
    return /^(\.\/)?[\w.-]+(\/[\w.@-]+)+\.(js|json|md|png|svg|gif|jpg)$/.test(value) ? [value.replace(/^\.\//, '')] : [];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => (key === '' && (k === 'scripts' || k.endsWith('ependencies')) ? [] : manifestPaths(v, `${key}.${k}`)));
  }
  return [];
}

interface Manifest {
  icon?: string;
  license?: string;
  repository?: string | { url?: string };
  categories: string[];
  keywords: string[];
  capabilities?: { untrustedWorkspaces?: { supported: string | boolean; description: string; restrictedConfigurations: string[] } };
  contributes?: { walkthroughs?: { steps: { media: { markdown: string } }[] }[] };
}

describe('the .vsix', () => {
  let dir: string;
  let zip: Buffer;
  let names: string[];
  let files: Set<string>;
  let manifest: Manifest;

  before(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'lvl-vsix-'));
    const out = join(dir, 'lambda-vpc-lint.vsix');
    const vsce = join(ROOT, 'node_modules/@vscode/vsce/vsce');
    const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}${result.stderr}`);
    zip = readFileSync(out);
    const entries = zipEntries(zip);
    names = entries.map((e) => e.name);
    files = new Set(names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length)));
    manifest = JSON.parse(zipRead(zip, entries.find((e) => e.name === 'extension/package.json')!).toString('utf8'));
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the bundled client, its AWS half, the language server and the CLI: every dist/*.js, no source map', () => {
    const bundles = readdirSync(join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    for (const f of ['client.js', 'client-aws.js', 'server.js', 'cli.js']) assert.ok(bundles.includes(f), `dist/${f} was not built`);
    for (const f of bundles) assert.ok(files.has(`dist/${f}`), `dist/${f} missing; has: ${[...files].join(', ')}`);
    assert.deepEqual([...files].filter((f) => f.endsWith('.map')), []);
  });

  it('holds the AWS managed policy data set the language server and the CLI read', () => {
    assert.ok(files.has('dist/managed-policies.ndjson'), 'dist/managed-policies.ndjson missing');
  });

  it('holds the README, the LICENSE, the icon, the snippets, the schemas, the docs and the walkthrough', () => {
    // vsce stores README.md as readme.md and LICENSE as LICENSE.txt.
    for (const f of ['readme.md', 'LICENSE.txt', 'package.json', 'resources/icon.png', 'docs/rules.md', 'docs/rules/vpc-config-incomplete.md']) {
      assert.ok(files.has(f), `${f} missing`);
    }
    for (const folder of ['snippets', 'schemas', 'resources/walkthrough']) {
      const expected = readdirSync(join(ROOT, folder)).filter((f) => statSync(join(ROOT, folder, f)).isFile());
      assert.ok(expected.length > 0, `${folder}/ is empty`);
      for (const f of expected) assert.ok(files.has(`${folder}/${f}`), `${folder}/${f} missing`);
    }
  });

  it('holds every file the manifest points at', () => {
    const paths = [...new Set(manifestPaths(manifest))];
    assert.ok(paths.includes('resources/icon.png') && paths.includes('dist/client.js'), `unexpected manifest paths: ${paths.join(', ')}`);
    for (const p of paths) assert.ok(files.has(p), `the manifest points at ${p}, which is not in the .vsix`);
  });

  it('holds nothing from test/, .cache/, sources, node_modules or build tooling', () => {
    const banned = /^(test|\.cache|node_modules|client\/src|server\/src|bench|scripts|out|\.vscode-test|test-results|\.ci|\.git)\//;
    const offenders = [...files].filter((f) => banned.test(f) || /\.(ts|tsx|mts|cts)$/.test(f) || f.endsWith('.vsix') || /^(tsconfig|eslint\.config|package-lock)/.test(f));
    assert.deepEqual(offenders, []);
    assert.ok(names.every((n) => n.startsWith('extension/') || ['extension.vsixmanifest', '[Content_Types].xml'].includes(n)), names.join(', '));
    assert.ok(zip.length < 10 * 1024 * 1024, `the .vsix is ${(zip.length / 1024 / 1024).toFixed(1)} MiB`);
  });

  it('has the marketplace fields: icon, repository, MIT license, categories, keywords, untrusted-workspace support, walkthrough', () => {
    assert.equal(manifest.icon, 'resources/icon.png');
    const png = zipRead(zip, zipEntries(zip).find((e) => e.name === 'extension/resources/icon.png')!);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128x128');
    assert.match(typeof manifest.repository === 'string' ? manifest.repository : String(manifest.repository?.url), /github\.com\/lambda-vpc-lint\/lambda-vpc-lint/);
    assert.equal(manifest.license, 'MIT');
    assert.match(zipRead(zip, zipEntries(zip).find((e) => e.name === 'extension/LICENSE.txt')!).toString('utf8'), /MIT License[\s\S]*The lambda-vpc-lint authors/);
    assert.ok(manifest.categories.includes('Linters') && manifest.categories.includes('Programming Languages'), manifest.categories.join(', '));
    assert.ok(manifest.keywords.length >= 5);
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted);
    assert.match(untrusted.description, /analysis runs; AWS calls and settings that redirect them or read files are disabled/);
    assert.ok(untrusted.restrictedConfigurations.includes('lambdaVpcLint.aws.endpoint'));
    const walkthroughs = manifest.contributes?.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const steps = walkthroughs[0]!.steps;
    assert.ok(steps.length >= 2 && steps.length <= 3, `${steps.length} steps`);
    for (const step of steps) assert.ok(files.has(step.media.markdown), `${step.media.markdown} missing`);
  });
});
