/**
 * `check` on files that cannot be analysed, one per class (empty, a GitHub workflow named explicitly,
 * binary, over the size limit, an alias bomb, a YAML syntax error): each is a problem that makes the run
 * exit 1 in text, JSON and SARIF alike, located, with the other files still analysed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCli, cli, cliJson, tempCopy } from './support';

interface Notification {
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
}
interface SarifLog {
  runs: { invocations: { executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: Notification[] }[]; results: unknown[] }[];
}

/** An alias bomb: each level holds nine references to the one before, 9^8 nodes once expanded. */
function aliasBomb(): string {
  const lines = ['AWSTemplateFormatVersion: "2010-09-09"', 'Metadata:', '  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 8; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  lines.push('Resources:', '  Topic:', '    Type: AWS::SNS::Topic', '');
  return lines.join('\n');
}

interface Case {
  name: string;
  file: string;
  content: string | Buffer;
  message: RegExp;
  /** 1-based line and column of the problem. */
  at: [number, number];
}

const CASES: Case[] = [
  { name: 'an empty file', file: 'empty.yaml', content: '', message: /^This file is empty: it is not a CloudFormation, SAM or Serverless template\.$/, at: [1, 1] },
  {
    name: 'a GitHub workflow named explicitly',
    file: '.github/workflows/ci.yml',
    content: 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    message: /^This file is not a CloudFormation, SAM or Serverless template\.$/,
    at: [1, 1],
  },
  { name: 'a binary file', file: 'binary.yaml', content: Buffer.from([0x41, 0x57, 0x53, 0x00, 0xff, 0xfe, 0x01, 0x02]), message: /looks binary/, at: [1, 1] },
  {
    name: 'a file over the size limit',
    file: 'huge.yaml',
    content: `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n`.padEnd(5 * 1024 * 1024 + 10, '#'),
    message: /over the 5\.0 MB limit/,
    at: [1, 1],
  },
  { name: 'an alias bomb', file: 'bomb.yaml', content: aliasBomb(), message: /alias bomb/, at: [0, 0] },
  {
    name: 'a YAML syntax error',
    file: 'syntax.yaml',
    content: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: { TopicName: [a\n',
    message: /^Flow (sequence|map) in block collection must be sufficiently indented/,
    at: [6, 1],
  },
];

let dir: string;
before(async () => {
  await buildCli();
  dir = tempCopy('templates/clean.json');
  for (const c of CASES) {
    mkdirSync(join(dir, c.file, '..'), { recursive: true });
    writeFileSync(join(dir, c.file), c.content);
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('check: a file that cannot be analysed exits 1 in every format', () => {
  for (const c of CASES) {
    it(`${c.name}: text, JSON and SARIF`, () => {
      const text = cli(['check', c.file, 'clean.json'], { cwd: dir });
      assert.equal(text.code, 1, `text exit code\n${text.stdout}${text.stderr}`);
      const line = text.stdout.split('\n').find((l) => l.startsWith(`${c.file}:`));
      assert.ok(line, `the text names the file:\n${text.stdout}`);
      const [, lineNo, col, message] = /^[^:]+:(\d+):(\d+) error problem (.*)$/.exec(line)!;
      assert.match(message!, c.message);
      if (c.at[0] > 0) assert.deepEqual([Number(lineNo), Number(col)], c.at);
      assert.match(text.stdout, /\b1 problem|\b[2-9] problems/);

      const { code, json } = cliJson(['check', '--format', 'json', c.file, 'clean.json'], { cwd: dir });
      assert.equal(code, 1, 'JSON exit code');
      assert.deepEqual(json.files.map((f) => f.file), [c.file, 'clean.json'], 'the other file is still analysed');
      assert.equal(json.files[1]!.dialect, 'cloudformation');
      const problem = json.files[0]!.problems[0]!;
      assert.match(problem.message, c.message);
      assert.equal(problem.range.start.line, Number(lineNo) - 1, 'JSON is 0-based, text 1-based');
      assert.equal(json.summary.problems, json.files[0]!.problems.length);

      const sarif = cliJson<SarifLog>(['check', '--format', 'sarif', c.file, 'clean.json'], { cwd: dir });
      assert.equal(sarif.code, 1, 'SARIF exit code');
      const invocation = sarif.json.runs[0]!.invocations[0]!;
      assert.equal(invocation.executionSuccessful, false);
      assert.equal(invocation.exitCode, 1);
      const first = invocation.toolExecutionNotifications[0]!;
      assert.equal(first.level, 'error');
      assert.match(first.message.text, c.message);
      assert.equal(first.locations[0]!.physicalLocation.artifactLocation.uri, c.file);
      assert.equal(first.locations[0]!.physicalLocation.region.startLine, Number(lineNo));
      assert.equal(first.locations[0]!.physicalLocation.region.startColumn, Number(col));
    });
  }

  it('on a folder with one broken template: exits 1, says which file and why, and checks the others', () => {
    const folder = tempCopy('templates/clean.json');
    try {
      mkdirSync(join(folder, 'stacks'));
      writeFileSync(join(folder, 'stacks', 'network.yaml'), CASES.find((c) => c.file === 'syntax.yaml')!.content);
      // Found through the folder, files that are no template are still skipped silently.
      writeFileSync(join(folder, 'stacks', 'empty.yaml'), '');
      writeFileSync(join(folder, 'stacks', 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');

      const text = cli(['check', '.'], { cwd: folder });
      assert.equal(text.code, 1);
      assert.match(text.stdout, /^stacks\/network\.yaml:6:1 error problem Flow sequence in block collection must be sufficiently indented/m);
      assert.match(text.stdout, /in 2 files\n1 VPC function: 0 checked, 1 not checked \(see network-unknown\)\n$/);

      const { code, json } = cliJson(['check', '--format', 'json', '.'], { cwd: folder });
      assert.equal(code, 1);
      assert.deepEqual(json.files.map((f) => [f.file, f.dialect, f.problems.length > 0]), [
        ['clean.json', 'cloudformation', false],
        ['stacks/network.yaml', 'cloudformation', true],
      ]);

      const sarif = cliJson<SarifLog>(['check', '--format', 'sarif', '.'], { cwd: folder });
      assert.equal(sarif.code, 1);
      assert.equal(sarif.json.runs[0]!.invocations[0]!.executionSuccessful, false);
      assert.deepEqual([...new Set(sarif.json.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.locations[0]!.physicalLocation.artifactLocation.uri))], ['stacks/network.yaml']);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a warning-level problem alone (a second YAML document) does not fail the run', () => {
    const folder = tempCopy('templates/clean.json');
    try {
      writeFileSync(join(folder, 'two.yaml'), 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n---\nother: 1\n');
      const { code, json } = cliJson(['check', '--format', 'json', 'two.yaml'], { cwd: folder });
      assert.match(json.files[0]!.problems[0]!.message, /more than one YAML document/);
      assert.equal(code, 0);
      const sarif = cliJson<SarifLog>(['check', '--format', 'sarif', 'two.yaml'], { cwd: folder });
      assert.equal(sarif.json.runs[0]!.invocations[0]!.executionSuccessful, true);
      assert.equal(sarif.json.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.level, 'warning');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
