/**
 * Hostile inputs, each with a clear outcome: a problem that says what is wrong, no exception, no hang,
 * and ranges that stay right whatever the line endings.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { LineIndex } from '../../server/src/core/line-index';
import { ensureBuilt } from '../support/build';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const BAD_FUNCTION = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
`;

describe('hostile inputs', () => {
  it('a YAML alias bomb (billion laughs) is cut off with a problem, quickly', () => {
    const lines = ['Resources:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) lines.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const { value, ms } = timed(() => analyze(lines.join('\n')));
    assert.ok(ms < 3000, `${ms} ms`);
    assert.ok(value.problems.some((p) => /alias/i.test(p.message)));
  });

  it('a file over the size limit is refused with a message saying so', () => {
    const text = 'Resources:\n' + '  # padding\n'.repeat(500_000);
    const result = analyze(text, { maxFileSize: 1024 * 1024 });
    assert.equal(result.findings.length, 0);
    assert.match(result.problems[0]!.message, /over the 1\.0 MB limit/);
  });

  for (const [name, text] of [
    ['10,000 levels of YAML flow nesting', 'Resources: ' + '['.repeat(10_000) + ']'.repeat(10_000)],
    // Block nesting needs an indent per level: 2,500 levels is the deepest that fits under the size limit.
    ['2,500 levels of YAML block nesting', 'Resources:\n' + Array.from({ length: 2_500 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n') + 'x\n'],
    ['10,000 levels of JSON nesting', '{"Resources": ' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'],
  ] as const) {
    it(`${name}: a problem, not a crash`, () => {
      const { value, ms } = timed(() => analyze(text, { fileName: name.includes('JSON') ? 't.json' : 't.yaml' }));
      assert.ok(ms < 10_000, `${ms} ms`);
      assert.ok(value.problems.length > 0, 'says it could not read it');
      assert.ok(value.problems.some((p) => /nest/i.test(p.message)), value.problems.map((p) => p.message).join('; '));
    });
  }

  it('invalid UTF-8 and binary content are refused as binary', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const result = analyze(bytes.toString('utf8'));
    assert.match(result.problems[0]!.message, /binary/);
    assert.equal(result.dialect, undefined);
  });

  it('a NUL byte in an otherwise good template makes it binary, not a crash', () => {
    const result = analyze(BAD_FUNCTION.replace('Role:', 'Role:\u0000'));
    assert.match(result.problems[0]!.message, /binary/);
  });

  it('circular Ref, Sub and GetAtt chains resolve to unknown, not a loop', () => {
    const text = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Fn.Arn
      FunctionName: !Sub '\${Fn}-\${Fn.Arn}'
      VpcConfig:
        SubnetIds: [!Ref Fn, !Ref Fn]
        SecurityGroupIds: [!GetAtt Fn.GroupId]
`;
    const { value, ms } = timed(() => analyze(text));
    assert.ok(ms < 2000);
    assert.deepEqual(value.problems, []);
  });

  it('Serverless ${self:} cycles become unknown', () => {
    const text = 'service: s\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.c}\n  c: ${self:custom.a}\nprovider:\n  name: aws\n  vpc:\n    subnetIds: ${self:custom.a}\n    securityGroupIds: ${self:custom.b}\nfunctions:\n  f:\n    handler: h\n';
    const { value, ms } = timed(() => analyze(text));
    assert.ok(ms < 2000);
    assert.equal(value.model!.functions[0]!.variants[0]!.vpc!.subnetIds.state, 'unknown');
    // Only the advice that does not read the subnets may speak, and network-unknown, which says they could not be read.
    assert.deepEqual(value.findings.map((f) => f.ruleId).filter((id) => id !== 'vpc-without-private-resources'), ['network-unknown']);
    assert.match(value.findings.find((f) => f.ruleId === 'network-unknown')!.message, /subnets: the variables refer to each other in a cycle/);
  });

  it('Fn::If nesting that would explode combinatorially is capped', () => {
    const nested = Array.from({ length: 40 }, (_, i) => `!If [C${i}, [subnet-${i}a, subnet-${i}b], `).join('') + '[subnet-x]' + ']'.repeat(40);
    const text = `Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      VpcConfig:\n        SubnetIds: ${nested}\n        SecurityGroupIds: ${nested.replace(/subnet-/g, 'sg-')}\n`;
    const { value, ms } = timed(() => analyze(text));
    assert.ok(ms < 3000, `${ms} ms`);
    assert.ok(value.model!.functions[0]!.variants.length <= 16);
  });

  it('100,000 resources finish within a bound', () => {
    const text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + Array.from({ length: 100_000 }, (_, i) => `  Q${i}:\n    Type: AWS::SQS::Queue\n`).join('');
    const { value, ms } = timed(() => analyze(text, { maxFileSize: 50 * 1024 * 1024 }));
    console.log(`100,000 resources (${(text.length / 1024 / 1024).toFixed(1)} MB): ${ms.toFixed(0)} ms`);
    assert.ok(ms < 60_000);
    assert.equal(value.model!.resources.size, 100_000);
  });

  it('CRLF line endings keep findings on the same lines and columns', () => {
    const lf = analyze(BAD_FUNCTION);
    const crlfText = BAD_FUNCTION.replace(/\n/g, '\r\n');
    const crlf = analyze(crlfText);
    assert.ok(lf.findings.length > 0);
    const pos = (text: string, f: { span: { start: number; end: number } }) => {
      const index = new LineIndex(text);
      return [index.position(f.span.start), index.position(f.span.end)];
    };
    assert.deepEqual(crlf.findings.map((f) => [f.ruleId, pos(crlfText, f)]), lf.findings.map((f) => [f.ruleId, pos(BAD_FUNCTION, f)]));
    for (const f of crlf.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(!/(^|[^\r])\n/.test(e.text), 'fix text uses CRLF too');
  });

  it('a byte order mark changes nothing but the offsets', () => {
    const plain = analyze(BAD_FUNCTION);
    const bom = analyze(`\uFEFF${BAD_FUNCTION}`);
    assert.deepEqual(bom.findings.map((f) => [f.ruleId, f.path]), plain.findings.map((f) => [f.ruleId, f.path]));
    assert.deepEqual(bom.findings.map((f) => f.span.start - 1), plain.findings.map((f) => f.span.start));
  });

  it('tabs in YAML indentation are a problem, not a crash', () => {
    const result = analyze(BAD_FUNCTION.replace('    Type:', '\tType:'));
    assert.ok(result.problems.length > 0);
  });
});

describe('hostile inputs through the command line', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lvl-hostile-'));
    await ensureBuilt();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a 50 MB file is refused with a message, and the other files are still checked', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, 'Resources:\n' + '#'.repeat(1023).concat('\n').repeat(50 * 1024));
    writeFileSync(join(dir, 'bad.yaml'), BAD_FUNCTION);
    const r = spawnSync(process.execPath, ['dist/cli.js', 'check', big, join(dir, 'bad.yaml'), '--format', 'json'], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { files: { file: string; findings: { ruleId: string }[]; problems: { message: string }[] }[] };
    const bigFile = out.files.find((f) => f.file.endsWith('big.yaml'))!;
    assert.match(bigFile.problems[0]!.message, /50\.0 MB, over the 5\.0 MB limit/);
    assert.ok(out.files.find((f) => f.file.endsWith('bad.yaml'))!.findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
    assert.equal(r.status, 1, 'error findings in the other file');
  });

  it('a binary file named on the command line is a problem, not a crash', () => {
    const bin = join(dir, 'blob.json');
    writeFileSync(bin, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x00, 0x7d]));
    const r = spawnSync(process.execPath, ['dist/cli.js', 'check', bin, '--format', 'json'], { encoding: 'utf8' });
    assert.notEqual(r.status, null);
    assert.ok(!/at .*\.js:\d+/.test(r.stderr), 'no stack trace');
    assert.match(r.stdout + r.stderr, /binary|not a CloudFormation/);
  });
});
