/**
 * `check --fix`: the built CLI on copies of the fixtures in temporary directories, with the real safe fix of
 * `sg-ref-returns-name` (`!Ref X` to `!GetAtt X.GroupId`): what is written, what is left alone (unsafe
 * fixes, warnings under --quiet), and how (atomically, mode kept, no temporary file left, links kept).
 * In-process, with rules of the test's own: passes until stable, conflicting fixes, a fix that never
 * settles, and a fix that would break the file.
 */
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCheckWith } from '../../server/src/cli/check';
import { MAX_FIX_PASSES, selectFixes } from '../../server/src/cli/fix-files';
import type { Finding, Fix } from '../../server/src/core/types';
import type { RuleDefinition } from '../../server/src/core/engine/rule';
import { defineRule } from '../../server/src/core/engine/rule';
import { getPath } from '../../server/src/core/tree';
import type { JsonReport } from './support';
import { buildCli, cli, cliJson, FIXTURES, memoryIo, only, tempCopy } from './support';

const SG = 'sg-ref-returns-name';
const VCI = 'vpc-config-incomplete';
const RULES = only(SG, VCI);

/** sg-ref.yaml as sg-ref-returns-name's fixes leave it. */
function fixedText(text: string): string {
  return text.replace(/!Ref (LambdaSg|OtherSg)/g, '!GetAtt $1.GroupId');
}

const dirs: string[] = [];
function temp(...fixtures: string[]): string {
  const dir = tempCopy(...fixtures);
  dirs.push(dir);
  return dir;
}

before(() => buildCli());
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('check --fix with the built CLI', () => {
  it('applies the safe fixes, writes the files back atomically with their mode, and reports what remains', () => {
    const dir = temp('fix/sg-ref.yaml', 'fix/sg-ref.json');
    const yaml = join(dir, 'sg-ref.yaml');
    const json = join(dir, 'sg-ref.json');
    chmodSync(yaml, 0o640);
    chmodSync(json, 0o604);
    const before = { yaml: readFileSync(yaml, 'utf8'), json: readFileSync(json, 'utf8'), yamlIno: statSync(yaml).ino, listing: readdirSync(dir).sort() };
    assert.equal(cliJson(['check', '--format', 'json', ...RULES, '.'], { cwd: dir }).json.summary.warnings, 4, 'four findings to fix');

    const run = cli(['check', '--fix', ...RULES, '.'], { cwd: dir });
    assert.equal(run.code, 1, 'the error of vpc-config-incomplete remains');
    assert.equal(run.stdout, [
      "sg-ref.yaml:43:20 error vpc-config-incomplete Function 'Third' has SubnetIds but no SecurityGroupIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).",
      'sg-ref.json: fixed sg-ref-returns-name (Fn): Use !GetAtt LambdaSg.GroupId',
      'sg-ref.yaml: fixed sg-ref-returns-name (First): Use !GetAtt LambdaSg.GroupId',
      'sg-ref.yaml: fixed sg-ref-returns-name (Second): Use !GetAtt LambdaSg.GroupId',
      'sg-ref.yaml: fixed sg-ref-returns-name (Second): Use !GetAtt OtherSg.GroupId',
      'Applied 4 safe fixes to 2 files.',
      '1 error, 0 warnings, 0 infos, 0 problems in 2 files',
      '',
    ].join('\n'));

    // Exactly the references changed: nothing else, and not the unsafe placeholder fix.
    assert.equal(readFileSync(yaml, 'utf8'), fixedText(before.yaml));
    assert.doesNotMatch(readFileSync(yaml, 'utf8'), /CHANGEME/);
    const fixedJson = JSON.parse(readFileSync(json, 'utf8')) as { Resources: { Fn: { Properties: { VpcConfig: { SecurityGroupIds: unknown } } } } };
    assert.deepEqual(fixedJson.Resources.Fn.Properties.VpcConfig.SecurityGroupIds, [{ 'Fn::GetAtt': ['LambdaSg', 'GroupId'] }]);
    assert.equal(readFileSync(json, 'utf8').split('\n').length, before.json.split('\n').length, 'the JSON layout is kept');

    assert.equal(statSync(yaml).mode & 0o777, 0o640, 'mode kept');
    assert.equal(statSync(json).mode & 0o777, 0o604, 'mode kept');
    assert.notEqual(statSync(yaml).ino, before.yamlIno, 'replaced by a rename, not rewritten in place');
    assert.deepEqual(readdirSync(dir).sort(), before.listing, 'no temporary file left behind');

    const again = cliJson(['check', '--format', 'json', ...RULES, '.'], { cwd: dir });
    assert.deepEqual(again.json.files.flatMap((f) => f.findings.map((x) => x.ruleId)), [VCI], 'fixed for good');
  });

  it('lists what it fixed in the JSON, per file, and leaves `fixed` out without --fix', () => {
    const dir = temp('fix/sg-ref.yaml', 'templates/clean.json');
    const plain = cliJson(['check', '--format', 'json', ...RULES, '.'], { cwd: dir });
    assert.ok(plain.json.files.every((f) => !('fixed' in f)), 'no fixed[] without --fix');
    const { json } = cliJson(['check', '--fix', '--format', 'json', ...RULES, '.'], { cwd: dir });
    assert.deepEqual(json.files.map((f) => [f.file, f.fixed]), [
      ['clean.json', []],
      ['sg-ref.yaml', [
        { ruleId: SG, resource: 'First', title: 'Use !GetAtt LambdaSg.GroupId' },
        { ruleId: SG, resource: 'Second', title: 'Use !GetAtt LambdaSg.GroupId' },
        { ruleId: SG, resource: 'Second', title: 'Use !GetAtt OtherSg.GroupId' },
      ]],
    ]);
    assert.deepEqual(json.files[1]!.findings.map((f) => f.ruleId), [VCI], 'what remains');
  });

  it('reports the remaining findings in JSON, and changes nothing when no fix is safe', () => {
    const dir = temp('templates/sam-incomplete.yaml');
    const file = join(dir, 'sam-incomplete.yaml');
    const stat = statSync(file);
    const text = readFileSync(file, 'utf8');
    const { code, json } = cliJson(['check', '--fix', '--format', 'json', ...only(VCI), 'sam-incomplete.yaml'], { cwd: dir });
    assert.equal(code, 1);
    assert.deepEqual(json.files[0]!.findings.map((f) => [f.ruleId, f.fixes[0]?.safety]), [[VCI, 'unsafe']]);
    assert.deepEqual(json.files[0]!.fixed, []);
    assert.equal(readFileSync(file, 'utf8'), text);
    assert.equal(statSync(file).ino, stat.ino, 'not rewritten');
    assert.equal(statSync(file).mtimeMs, stat.mtimeMs, 'not rewritten');
    assert.match(cli(['check', '--fix', ...only(VCI), 'sam-incomplete.yaml'], { cwd: dir }).stdout, /^No safe fix to apply\.$/m);
  });

  it('with --quiet fixes errors only, as it reports errors only', () => {
    const dir = temp('fix/sg-ref.yaml');
    const file = join(dir, 'sg-ref.yaml');
    const text = readFileSync(file, 'utf8');
    const run = cli(['check', '--fix', '--quiet', ...RULES, 'sg-ref.yaml'], { cwd: dir });
    assert.equal(run.code, 1);
    assert.equal(readFileSync(file, 'utf8'), text, 'sg-ref-returns-name is a warning');
    const asError = cli(['check', '--fix', '--quiet', ...RULES, '--rule', `${SG}=error`, 'sg-ref.yaml'], { cwd: dir });
    assert.match(asError.stdout, /Applied 3 safe fixes to 1 file\./);
    assert.equal(readFileSync(file, 'utf8'), fixedText(text));
  });

  it('writes through a symbolic link, which stays a link', () => {
    const dir = temp('fix/sg-ref.yaml');
    mkdirSync(join(dir, 'links'));
    symlinkSync('../sg-ref.yaml', join(dir, 'links', 'template.yaml'));
    const run = cli(['check', '--fix', ...RULES, 'links/template.yaml'], { cwd: dir });
    assert.match(run.stdout, /Applied 3 safe fixes to 1 file\./);
    assert.ok(lstatSync(join(dir, 'links', 'template.yaml')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'links', 'template.yaml')), '../sg-ref.yaml');
    assert.equal(readFileSync(join(dir, 'sg-ref.yaml'), 'utf8'), fixedText(readFileSync(join(FIXTURES, 'fix', 'sg-ref.yaml'), 'utf8')));
    assert.deepEqual(readdirSync(join(dir, 'links')), ['template.yaml']);
  });

  it('exits 2 when it cannot write the fixes, leaving the file and the directory as they were', (t) => {
    const asRoot = process.getuid?.() === 0;
    if (process.platform === 'win32') return t.skip('no directory modes on Windows');
    const dir = temp('fix/sg-ref.yaml');
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    writeFileSync(join(locked, 'sg-ref.yaml'), readFileSync(join(dir, 'sg-ref.yaml')));
    chmodSync(join(locked, 'sg-ref.yaml'), 0o666);
    chmodSync(dir, 0o755);
    chmodSync(locked, 0o555);
    const text = readFileSync(join(locked, 'sg-ref.yaml'), 'utf8');
    // Root writes anywhere: run as nobody then.
    const run = cli(['check', '--fix', ...RULES, 'locked/sg-ref.yaml'], { cwd: dir, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    chmodSync(locked, 0o755);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot write 'locked\/sg-ref\.yaml': .*(EACCES|permission denied)/);
    assert.match(run.stdout, /problem Could not write the fixes back/);
    assert.equal(readFileSync(join(locked, 'sg-ref.yaml'), 'utf8'), text);
    assert.deepEqual(readdirSync(locked), ['sg-ref.yaml']);
  });
});

// Rules of the tests' own, on a template whose top-level Metadata holds the values they edit.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  Counter: 0
  Name: abc
Resources:
  Topic:
    Type: AWS::SNS::Topic
`;

function metadataRule(id: string, key: string, next: (value: string) => string | undefined, severity: 'error' | 'warning' = 'warning'): RuleDefinition {
  return defineRule({
    id,
    severity,
    category: 'advice',
    fixSafety: 'safe',
    docs: { summary: id, rationale: id, invalid: TEMPLATE, valid: TEMPLATE },
    messages: { change: `${key} should change` },
    check({ root, report }) {
      const node = getPath(root, ['Metadata', key]);
      if (node?.kind !== 'scalar') return;
      const to = next(String(node.value));
      if (to === undefined) return;
      report({ messageId: 'change', resource: 'Topic', span: { start: node.start, end: node.end }, fix: () => ({ title: `Set ${key}`, safety: 'safe', edits: [{ start: node.start, end: node.end, text: to }] }) });
    },
  });
}

async function fixWith(rules: RuleDefinition[], text = TEMPLATE, args: string[] = []) {
  const dir = temp();
  const file = join(dir, 'template.yaml');
  writeFileSync(file, text);
  const io = memoryIo(dir);
  const code = await runCheckWith(['--fix', '--format', 'json', ...args, 'template.yaml'], io, rules);
  return { code, json: JSON.parse(io.out) as JsonReport, text: readFileSync(file, 'utf8'), dir, err: io.err };
}

describe('check --fix passes (in-process, rules of the tests)', () => {
  it('re-analyses and repeats until no safe fix is left', async () => {
    const counter = metadataRule('count-to-three', 'Counter', (v) => (Number(v) < 3 ? String(Number(v) + 1) : undefined));
    const { code, json, text } = await fixWith([counter]);
    assert.equal(code, 0);
    assert.match(text, /^ {2}Counter: 3$/m, 'three passes, one step each');
    assert.deepEqual(json.files[0]!.findings, []);
  });

  it('applies one of two fixes that touch the same text per pass, and the other on the next pass', async () => {
    const suffix = metadataRule('add-suffix', 'Name', (v) => (v.endsWith('-1') ? undefined : `${v}-1`));
    const upper = metadataRule('upper-case', 'Name', (v) => (v === v.toUpperCase() ? undefined : v.toUpperCase()));
    const { text, json } = await fixWith([suffix, upper]);
    // Applied together, the two replacements of `abc` would have clobbered each other.
    assert.match(text, /^ {2}Name: ABC-1$/m);
    assert.deepEqual(json.files[0]!.findings, []);
  });

  it('stops after a bounded number of passes when a fix never settles its finding', async () => {
    const grow = metadataRule('grow', 'Name', (v) => `${v}x`);
    const { code, text, json } = await fixWith([grow]);
    assert.equal(code, 0, 'a warning');
    assert.match(text, new RegExp(`^ {2}Name: abc${'x'.repeat(MAX_FIX_PASSES)}$`, 'm'));
    assert.equal(json.files[0]!.findings.length, 1, 'still reported');
  });

  it('never writes a fix that breaks the template: exit 2 with an internal-error problem', async () => {
    const breaker = metadataRule('breaker', 'Name', () => '[unclosed, {', 'error');
    const { code, text, json, dir } = await fixWith([breaker]);
    assert.equal(code, 2);
    assert.equal(text, TEMPLATE, 'file unchanged');
    assert.deepEqual(readdirSync(dir), ['template.yaml']);
    assert.deepEqual(json.files[0]!.problems.map((p) => p.message), ["Internal error: a safe fix of 'breaker' produced text that does not parse; the fixes of that pass were not applied."]);
    assert.deepEqual(json.files[0]!.findings.map((f) => f.ruleId), ['breaker']);
  });

  it('leaves unsafe fixes alone', async () => {
    const unsafe = defineRule({
      ...metadataRule('unsafe-first', 'Name', () => 'changed'),
      check({ root, report }) {
        const node = getPath(root, ['Metadata', 'Name'])!;
        report({ messageId: 'change', resource: 'Topic', span: node, fix: () => ({ title: 'unsafe', safety: 'unsafe', edits: [{ start: node.start, end: node.end, text: 'changed' }] }) });
      },
    });
    const { text, json } = await fixWith([unsafe]);
    assert.equal(text, TEMPLATE);
    assert.equal(json.files[0]!.findings[0]!.fixes[0]!.safety, 'unsafe');
  });
});

describe('selectFixes', () => {
  const fix = (safety: 'safe' | 'unsafe', start: number, end: number): Fix => ({ title: `${safety} ${start}-${end}`, safety, edits: [{ start, end, text: 'x' }] });
  const finding = (...fixes: Fix[]): Finding => ({ ruleId: 'r', messageId: 'm', severity: 'warning', message: 'm', resource: 'R', span: { start: 0, end: 1 }, path: [], related: [], fixes });

  it('takes each finding\'s first fix, only when it is safe', () => {
    const picked = selectFixes([finding(fix('unsafe', 0, 1), fix('safe', 2, 3)), finding(fix('safe', 10, 12)), finding()]);
    assert.deepEqual(picked.map((f) => f.title), ['safe 10-12']);
  });

  it('skips a fix whose edits overlap, or insert at the same offset as, one already taken', () => {
    const picked = selectFixes([
      finding(fix('safe', 5, 10)),
      finding(fix('safe', 8, 12)), // overlaps 5-10
      finding(fix('safe', 10, 10)), // touches the end of 5-10 only: fine
      finding(fix('safe', 10, 10)), // the same insertion point as the one before
      finding(fix('safe', 20, 20)),
    ]);
    assert.deepEqual(picked.map((f) => f.title), ['safe 5-10', 'safe 10-10', 'safe 20-20']);
  });
});
