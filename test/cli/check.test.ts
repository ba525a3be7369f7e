/**
 * `lambda-vpc-lint check` as a real process (`node dist/cli.js check ...`) on the templates under
 * test/fixtures/cli: the text and JSON contracts of cli.md, files / directories / globs, problems, the
 * options, and the exit codes. Rules other than `vpc-config-incomplete` are turned off (`only()`) where a
 * test counts findings, since they are being written at the same time.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCheckWith } from '../../server/src/cli/check';
import { defineRule } from '../../server/src/core/engine/rule';
import vpcConfigIncomplete from '../../server/src/core/rules/vpc-config-incomplete';
import type { JsonFinding, JsonRange, JsonReport } from './support';
import { ANSI, buildCli, cli, cliJson, FIXTURES, memoryIo, only, REL, ROOT, tempCopy } from './support';

const VCI = 'vpc-config-incomplete';
const SAM = `${REL}/templates/sam-incomplete.yaml`;
const GLOBALS = `${REL}/templates/globals-inherited.yaml`;
const CLEAN = `${REL}/templates/clean.json`;
const PARAM = `${REL}/templates/param-default.yaml`;
const SLS = `${REL}/templates/nested/serverless.yml`;
const NOTES = `${REL}/templates/notes.yaml`;
const TEMPLATES = `${REL}/templates`;
const BROKEN = `${REL}/broken`;
const MISSING_GROUPS = "Function 'Api' has SubnetIds but no SecurityGroupIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).";
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The text a 0-based range covers. */
function slice(text: string, range: JsonRange): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

function offsetAt(text: string, pos: { line: number; character: number }): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < pos.line; i++) offset += lines[i]!.length + 1;
  return offset + pos.character;
}

function fileText(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

/** Every finding has exactly the fields of cli.md, of the right types, whatever rule reported it. */
function assertFindingShape(f: JsonFinding): void {
  assert.deepEqual(Object.keys(f), ['ruleId', 'severity', 'message', 'resource', 'path', 'range', 'related', 'fixes']);
  assert.match(f.ruleId, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  assert.ok(['error', 'warning', 'info'].includes(f.severity));
  assert.equal(typeof f.message, 'string');
  assert.equal(typeof f.resource, 'string');
  assert.ok(Array.isArray(f.path) && f.path.every((p) => typeof p === 'string' || typeof p === 'number'));
  assertRange(f.range);
  for (const r of f.related) {
    assert.deepEqual(Object.keys(r), ['message', 'path', 'range']);
    assertRange(r.range);
  }
  for (const fix of f.fixes) {
    assert.deepEqual(Object.keys(fix), ['title', 'safety', 'edits']);
    assert.ok(['safe', 'unsafe'].includes(fix.safety));
    for (const e of fix.edits) {
      assert.deepEqual(Object.keys(e), ['range', 'newText']);
      assertRange(e.range);
    }
  }
}

function assertRange(range: JsonRange): void {
  assert.deepEqual(Object.keys(range), ['start', 'end']);
  for (const p of [range.start, range.end]) {
    assert.deepEqual(Object.keys(p), ['line', 'character']);
    assert.ok(Number.isInteger(p.line) && p.line >= 0 && Number.isInteger(p.character) && p.character >= 0);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character));
}

before(() => buildCli());

describe('check: usage and exit code 2', () => {
  it('prints its help with every option and exits 0', () => {
    const run = cli(['check', '--help']);
    assert.equal(run.code, 0);
    for (const option of ['--format text|json|sarif', '--fix', '--rule id=off|info|warning|error', '--max-warnings N', '--quiet', '--region R', '--param Name=Value']) {
      assert.ok(run.stdout.includes(option), `help mentions ${option}`);
    }
    assert.match(run.stdout, /^Usage: lambda-vpc-lint check/);
  });

  const usage: [string, string[], RegExp][] = [
    ['no files', ['check'], /no files given/],
    ['an unknown option', ['check', '--colour', SAM], /unknown option '--colour'/],
    ['an unknown format', ['check', '--format', 'xml', SAM], /--format must be one of text, json, sarif/],
    ['an unknown rule id', ['check', '--rule', 'no-such-rule=off', SAM], /unknown rule 'no-such-rule' in --rule/],
    ['an unknown severity', ['check', '--rule', `${VCI}=fatal`, SAM], /--rule takes id=off\|info\|warning\|error/],
    ['a --max-warnings that is not a number', ['check', '--max-warnings', 'many', SAM], /--max-warnings takes a whole number/],
    ['a --param without a value', ['check', '--param', 'Subnets', SAM], /--param takes Name=Value/],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 on ${name}, with one line and a pointer to the help on stderr, nothing on stdout`, () => {
      const run = cli(args);
      assert.equal(run.code, 2);
      const lines = run.stderr.split('\n');
      assert.match(lines[0]!, /^lambda-vpc-lint check: /);
      assert.match(lines[0]!, message);
      assert.deepEqual(lines.slice(1), ['see lambda-vpc-lint check --help', '']);
      assert.equal(run.stdout, '');
    });
  }

  it('exits 2 on a file that does not exist', () => {
    const run = cli(['check', SAM, `${REL}/templates/missing.yaml`]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot read 'test\/fixtures\/cli\/templates\/missing\.yaml': no such file or directory/);
    assert.equal(run.stdout, '');
  });

  it('exits 2 on a glob that matches no template', () => {
    const run = cli(['check', `${REL}/templates/*.template`]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no template files match 'test\/fixtures\/cli\/templates\/\*\.template'/);
  });

  it('exits 2 on a file it cannot read, and still reports the others', (t) => {
    const dir = tempCopy('templates/sam-incomplete.yaml', 'templates/clean.json');
    try {
      chmodSync(dir, 0o755);
      chmodSync(join(dir, 'clean.json'), 0o000);
      // Root reads anything: run as nobody then.
      const asRoot = process.getuid?.() === 0;
      if (!asRoot && process.platform === 'win32') return t.skip('no file modes on Windows');
      chmodSync(join(dir, 'sam-incomplete.yaml'), 0o644);
      const { code, json, stderr } = cliJson(['check', '--format', 'json', ...only(VCI), 'sam-incomplete.yaml', 'clean.json'], { cwd: dir, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
      assert.equal(code, 2);
      assert.match(stderr, /cannot read 'clean\.json': permission denied/);
      assert.deepEqual(json.files.map((f) => f.file), ['sam-incomplete.yaml', 'clean.json']);
      assert.equal(json.files[0]!.findings[0]!.ruleId, VCI);
      assert.deepEqual(json.files[1]!.problems.map((p) => p.message), ['Cannot read this file: permission denied']);
      assert.equal(json.files[1]!.dialect, null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 when a rule fails internally, still reporting what the other rules found', async () => {
    const broken = defineRule({ ...vpcConfigIncomplete, id: 'always-throws', check: () => { throw new Error('boom'); } });
    const io = memoryIo(ROOT);
    const code = await runCheckWith(['--format', 'json', SAM], io, [vpcConfigIncomplete, broken]);
    assert.equal(code, 2);
    const json = JSON.parse(io.out) as JsonReport;
    assert.deepEqual(json.files[0]!.findings.map((f) => f.ruleId), [VCI]);
    assert.deepEqual(json.files[0]!.problems.map((p) => p.message), ["Internal error in rule 'always-throws': boom"]);
  });
});

describe('check: exit codes 0 and 1', () => {
  it('exits 0 when there is no error finding', () => {
    const run = cli(['check', ...only(VCI), CLEAN]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, '0 errors, 0 warnings, 0 infos, 0 problems in 1 file\n');
  });

  it('exits 1 on an error finding', () => {
    assert.equal(cli(['check', ...only(VCI), SAM]).code, 1);
  });

  it('follows --rule: an error lowered to a warning exits 0, turned off it is gone', () => {
    const warning = cliJson(['check', '--format', 'json', ...only(VCI), '--rule', `${VCI}=warning`, SAM]);
    assert.equal(warning.code, 0);
    assert.deepEqual(warning.json.files[0]!.findings.map((f) => [f.ruleId, f.severity]), [[VCI, 'warning']]);
    const off = cliJson(['check', '--format', 'json', ...only(VCI), `--rule=${VCI}=off`, SAM]);
    assert.equal(off.code, 0);
    assert.deepEqual(off.json.files[0]!.findings, []);
  });

  it('exits 1 when warnings exceed --max-warnings, and says why on stderr', () => {
    const args = ['check', ...only(VCI), PARAM, SLS];
    const over = cli([...args, '--max-warnings', '1']);
    assert.equal(over.code, 1);
    assert.equal(over.stderr, 'lambda-vpc-lint check: 2 warnings found, more than --max-warnings 1\n');
    assert.match(over.stdout, /0 errors, 2 warnings, 0 infos, 0 problems in 2 files/);
    const at = cli([...args, '--max-warnings=2']);
    assert.equal(at.code, 0);
    assert.equal(at.stderr, '');
    assert.equal(cli(args).code, 0, 'warnings alone exit 0');
  });

  it('a file that does not parse is a problem: the others are checked, and the problem alone exits 1', () => {
    const both = cliJson(['check', '--format', 'json', ...only(VCI), BROKEN, SAM]);
    assert.equal(both.code, 1);
    assert.deepEqual(both.json.files.map((f) => [f.file, f.dialect, f.problems.length, f.findings.length]), [
      // broken.json is no template to the parser, but reads like one; other.json does not, so it is skipped.
      [`${BROKEN}/broken.json`, null, 1, 0],
      [`${BROKEN}/broken.yaml`, 'cloudformation', 1, 0],
      [SAM, 'sam', 0, 1],
    ]);
    assert.deepEqual(both.json.files[0]!.problems.map((p) => [p.message, p.range.start]), [["Expected ':' after a property name", { line: 1, character: 29 }]]);
    const problem = both.json.files[1]!.problems[0]!;
    assert.match(problem.message, /Flow sequence/);
    assert.deepEqual(problem.range.start, { line: 5, character: 0 });
    assert.deepEqual(both.json.summary, { files: 3, errors: 1, warnings: 0, infos: 0, problems: 2, functions: { total: 2, vpc: 0, checked: 0, partial: 0, unknown: 0 } });

    const alone = cli(['check', ...only(VCI), `${BROKEN}/broken.yaml`]);
    assert.equal(alone.code, 1);
    assert.match(alone.stdout, /^test\/fixtures\/cli\/broken\/broken\.yaml:6:1 error problem Flow sequence/m);
  });
});

describe('check --format json', () => {
  it('is version 1 of the contract, field by field, with 0-based positions', () => {
    const { code, json } = cliJson(['check', '--format', 'json', ...only(VCI), SAM]);
    assert.equal(code, 1);
    assert.deepEqual(Object.keys(json), ['version', 'tool', 'files', 'summary']);
    assert.equal(json.version, 1);
    assert.deepEqual(json.tool, { name: 'lambda-vpc-lint', version: VERSION });
    assert.equal(json.files.length, 1);
    const file = json.files[0]!;
    assert.deepEqual(Object.keys(file), ['file', 'dialect', 'findings', 'problems', 'functions']);
    assert.equal(file.file, SAM, 'the path as given');
    assert.equal(file.dialect, 'sam');
    assert.deepEqual(file.problems, []);
    assert.equal(file.findings.length, 1);
    const f = file.findings[0]!;
    assertFindingShape(f);
    assert.equal(f.ruleId, VCI);
    assert.equal(f.severity, 'error');
    assert.equal(f.message, MISSING_GROUPS);
    assert.equal(f.resource, 'Api');
    assert.deepEqual(f.path, ['Resources', 'Api', 'Properties', 'VpcConfig', 'SubnetIds']);
    // Line 29 of the file (1-based) is `          - !Ref SubnetA`: 0-based line 28, character 10.
    assert.deepEqual(f.range.start, { line: 28, character: 10 });
    const text = fileText(SAM);
    assert.match(slice(text, f.range), /^- !Ref SubnetA\n\s+- !Ref SubnetB/);
    assert.deepEqual(f.related, []);
    assert.equal(f.fixes.length, 1);
    const fix = f.fixes[0]!;
    assert.equal(fix.title, 'Add SecurityGroupIds with a new security group ApiSecurityGroup in Vpc');
    assert.equal(fix.safety, 'unsafe');
    assert.equal(fix.edits.length, 2);
    assert.match(fix.edits[1]!.newText, /\n  ApiSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: Network interfaces of Api\n      VpcId: !Ref Vpc/);
    // The edit, applied at its 0-based range, adds the key under VpcConfig.
    const edit = fix.edits[0]!;
    const fixed = text.slice(0, offsetAt(text, edit.range.start)) + edit.newText + text.slice(offsetAt(text, edit.range.end));
    assert.match(fixed, /          - !Ref SubnetB\n        SecurityGroupIds:\n          - !GetAtt ApiSecurityGroup.GroupId\n/);
    assert.deepEqual(json.summary, { files: 1, errors: 1, warnings: 0, infos: 0, problems: 0, functions: { total: 1, vpc: 0, checked: 0, partial: 0, unknown: 0 } });
    assert.deepEqual(Object.keys(json.summary), ['files', 'errors', 'warnings', 'infos', 'problems', 'functions']);
  });

  it('gives related locations with message, path and range', () => {
    const { json } = cliJson(['check', '--format', 'json', ...only(VCI), GLOBALS]);
    const f = json.files[0]!.findings[0]!;
    assertFindingShape(f);
    assert.equal(f.resource, 'Worker');
    assert.deepEqual(f.path, ['Resources', 'Worker']);
    assert.deepEqual(f.fixes, [], 'no edit for settings inherited from Globals');
    assert.equal(f.related.length, 1);
    const related = f.related[0]!;
    assert.equal(related.message, 'VPC settings inherited from here');
    assert.deepEqual(related.path, ['Globals', 'Function', 'VpcConfig']);
    assert.match(slice(fileText(GLOBALS), related.range), /^SubnetIds: \[subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002\]/);
  });

  it('has the same shape for every finding of every rule, with all rules on', () => {
    const { json } = cliJson(['check', '--format', 'json', TEMPLATES, `${REL}/explain`]);
    let findings = 0;
    for (const file of json.files) {
      assert.ok(file.dialect !== null);
      for (const f of file.findings) {
        assertFindingShape(f);
        findings++;
      }
    }
    assert.ok(findings >= 4);
    const counted = json.files.flatMap((f) => f.findings);
    assert.deepEqual(json.summary, {
      files: json.files.length,
      errors: counted.filter((f) => f.severity === 'error').length,
      warnings: counted.filter((f) => f.severity === 'warning').length,
      infos: counted.filter((f) => f.severity === 'info').length,
      problems: json.files.reduce((n, f) => n + f.problems.length, 0),
      functions: json.summary.functions,
    });
  });

  it('uses --param: a parameter given a value is known, so the finding keeps its full severity', () => {
    const assumed = cliJson(['check', '--format', 'json', ...only(VCI), PARAM]);
    assert.equal(assumed.json.files[0]!.findings[0]!.severity, 'warning');
    assert.match(assumed.json.files[0]!.findings[0]!.message, /assuming the default of parameter 'Subnets'/);
    const known = cliJson(['check', '--format', 'json', ...only(VCI), '--param', 'Subnets=subnet-1,subnet-2', PARAM]);
    assert.equal(known.code, 1);
    assert.equal(known.json.files[0]!.findings[0]!.severity, 'error');
    assert.doesNotMatch(known.json.files[0]!.findings[0]!.message, /assuming/);
  });
});

describe('check --format text', () => {
  it('prints file:line:col severity rule-id message, 1-based, related lines indented, and a summary', () => {
    const run = cli(['check', ...only(VCI), SAM, GLOBALS, NOTES]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, [
      `${SAM}:29:11 error ${VCI} ${MISSING_GROUPS}`,
      `${GLOBALS}:9:3 error ${VCI} Function 'Worker' has SubnetIds but no SecurityGroupIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).`,
      '    related 7:7 VPC settings inherited from here',
      `${NOTES}:1:1 error problem This file is not a CloudFormation, SAM or Serverless template.`,
      '2 errors, 0 warnings, 0 infos, 1 problem in 3 files',
      '',
    ].join('\n'));
    assert.doesNotMatch(run.stdout, ANSI);
  });

  it('is coloured on a terminal (FORCE_COLOR here), with the same text underneath', () => {
    const plain = cli(['check', ...only(VCI), SAM, PARAM]);
    const colour = cli(['check', ...only(VCI), SAM, PARAM], { env: { FORCE_COLOR: '1' } });
    assert.match(colour.stdout, /\u001b\[31merror\u001b\[0m/, 'errors in red');
    assert.match(colour.stdout, /\u001b\[33mwarning\u001b\[0m/, 'warnings in yellow');
    assert.equal(colour.stdout.replace(ANSI, ''), plain.stdout);
    assert.equal(colour.code, plain.code);
  });

  it('is coloured when the Io says stdout is a terminal', async () => {
    const io = memoryIo(ROOT, true);
    await runCheckWith([SAM], io, [vpcConfigIncomplete]);
    assert.match(io.out, ANSI);
    assert.ok(io.out.replace(ANSI, '').startsWith(`${SAM}:29:11 error ${VCI} `));
  });

  it('says how many findings --fix could fix', async () => {
    const safe = defineRule({ ...vpcConfigIncomplete, id: 'safe-variant', fixSafety: 'safe', check: (ctx) => vpcConfigIncomplete.check({ ...ctx, report: (d) => ctx.report({ ...d, fix: d.fix && ((e) => ({ ...d.fix!(e)!, safety: 'safe' })) }) }) });
    const io = memoryIo(ROOT);
    await runCheckWith([SAM, GLOBALS], io, [safe]);
    assert.match(io.out, /\n1 finding can be fixed with --fix\.\n$/, 'only the local VpcConfig has an edit');
  });
});

describe('check: files, directories and globs', () => {
  const templatesFound = [`${TEMPLATES}/clean.json`, `${TEMPLATES}/globals-inherited.yaml`, `${TEMPLATES}/nested/serverless.yml`, `${TEMPLATES}/param-default.yaml`, SAM];

  it('searches a directory recursively and skips the files that are not templates', () => {
    const { json } = cliJson(['check', '--format', 'json', ...only(VCI), TEMPLATES]);
    assert.deepEqual(json.files.map((f) => f.file), templatesFound);
    assert.deepEqual(json.files.map((f) => f.dialect), ['cloudformation', 'sam', 'serverless', 'cloudformation', 'sam']);
    assert.equal(json.summary.problems, 0, 'notes.yaml and package.json are skipped silently');
  });

  it('reports a file that is not a template when it is named, even if a directory also holds it', () => {
    const { json, code } = cliJson(['check', '--format', 'json', ...only(VCI), TEMPLATES, `./${NOTES}`]);
    assert.equal(code, 1);
    const notes = json.files.find((f) => f.file.endsWith('notes.yaml'));
    assert.ok(notes);
    assert.equal(notes.dialect, null);
    assert.deepEqual(notes.problems.map((p) => p.message), ['This file is not a CloudFormation, SAM or Serverless template.']);
    assert.equal(json.files.filter((f) => f.file.endsWith('package.json')).length, 0);
  });

  it('expands globs: ** across directories, non-templates skipped', () => {
    const yaml = cliJson(['check', '--format', 'json', ...only(VCI), `${TEMPLATES}/**/*.{yaml,yml}`]);
    assert.deepEqual(yaml.json.files.map((f) => f.file), [`${TEMPLATES}/globals-inherited.yaml`, `${TEMPLATES}/nested/serverless.yml`, `${TEMPLATES}/param-default.yaml`, SAM]);
    const json = cliJson(['check', '--format', 'json', ...only(VCI), `${TEMPLATES}/*.json`]);
    assert.deepEqual(json.json.files.map((f) => f.file), [`${TEMPLATES}/clean.json`], 'package.json matched, and skipped');
  });

  it('takes absolute paths and paths relative to another working directory', () => {
    const absolute = cliJson(['check', '--format', 'json', ...only(VCI), join(FIXTURES, 'templates')], { cwd: '/' });
    assert.deepEqual(absolute.json.files.map((f) => f.file), templatesFound.map((f) => join(ROOT, f)));
    const glob = cliJson(['check', '--format', 'json', ...only(VCI), `${join(FIXTURES, 'templates')}/*.yaml`], { cwd: '/' });
    assert.deepEqual(glob.json.files.map((f) => f.file), [GLOBALS, PARAM, SAM].map((f) => join(ROOT, f)));
    const relative = cliJson(['check', '--format', 'json', ...only(VCI), 'templates', './templates/sam-incomplete.yaml'], { cwd: FIXTURES });
    assert.equal(relative.json.files.length, 5, 'a file found twice is checked once');
  });

  it('refuses files over 5 MB with a problem, not a crash, also when found through a directory', () => {
    const dir = tempCopy('templates/clean.json');
    try {
      mkdirSync(join(dir, 'big'));
      const big = `AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n${'#'.repeat(100)}\n`.padEnd(5 * 1024 * 1024 + 100, '#');
      writeFileSync(join(dir, 'big', 'huge.yaml'), big);
      writeFileSync(join(dir, 'big', 'data.json'), `[${'0,'.repeat(3 * 1024 * 1024)}0]`);
      const { code, json } = cliJson(['check', '--format', 'json', ...only(VCI), '.'], { cwd: dir });
      assert.equal(code, 1);
      assert.deepEqual(json.files.map((f) => f.file), ['big/huge.yaml', 'clean.json'], 'a large file that is no template is skipped');
      assert.equal(json.files[0]!.dialect, null);
      assert.match(json.files[0]!.problems[0]!.message, /over the 5\.0 MB limit/);
      assert.equal(json.summary.problems, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('check --quiet', () => {
  it('reports errors only, in the output and in the counts', () => {
    const loud = cliJson(['check', '--format', 'json', ...only(VCI), TEMPLATES]);
    assert.deepEqual([loud.json.summary.errors, loud.json.summary.warnings], [2, 2]);
    const quiet = cliJson(['check', '--format', 'json', '--quiet', ...only(VCI), TEMPLATES]);
    assert.equal(quiet.code, 1);
    assert.deepEqual({ ...quiet.json.summary, functions: undefined }, { files: 5, errors: 2, warnings: 0, infos: 0, problems: 0, functions: undefined });
    assert.ok(quiet.json.files.flatMap((f) => f.findings).every((f) => f.severity === 'error'));
    assert.equal(quiet.json.files.length, 5, 'every file is still listed');

    const text = cli(['check', '--quiet', ...only(VCI), TEMPLATES]);
    const lines = text.stdout.trimEnd().split('\n').filter((l) => !l.startsWith(' '));
    assert.deepEqual(lines.map((l) => l.split(' ')[1]), ['error', 'error', 'errors,']);
    assert.equal(lines.at(-1), '2 errors, 0 warnings, 0 infos, 0 problems in 5 files');
  });

  it('still counts the warnings it hides for --max-warnings', () => {
    const run = cli(['check', '--quiet', '--max-warnings', '0', ...only(VCI), PARAM]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /1 warning found, more than --max-warnings 0/);
    assert.equal(run.stdout, '0 errors, 0 warnings, 0 infos, 0 problems in 1 file\n');
  });
});
