/**
 * The incremental analysis gives exactly what the whole analysis gives: random sequences of edits of the
 * corpus's templates and the examples, compared after every edit (findings with their fixes, problems,
 * the functions' coverage). The edits are of two kinds: rewiring references (a logical id replaced by
 * another, as a user retargets a `!Ref`) and the half-typed states of the fuzz tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../server/src/core/analyze';
import type { AnalysisResult, AnalyzeOptions } from '../../server/src/core/options';
import { IncrementalAnalyzer } from '../../server/src/core/incremental';
import { bundledManagedPolicies } from '../../server/src/data/managed-policies';
import { applyMutation, mutationArb } from '../support/mutate';
import { files, seeds } from '../support/seeds';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseTemplate } from '../../server/src/core/parse';
import type { WorkspaceTemplate } from '../../server/src/core/model/workspace-types';
import { extension, generate } from '../../bench/generate';

/** What a user sees of an analysis, as one comparable value. */
function seen(result: AnalysisResult): unknown {
  return {
    dialect: result.dialect,
    root: result.root,
    findings: result.findings.map((f) => ({ ...f, fixes: f.fixes })),
    problems: result.problems,
    coverage: result.coverage,
  };
}

const pick = ({ mode, units, analysed }: IncrementalAnalyzer['stats']) => ({ mode, units, analysed });

function firstDifference(a: unknown, b: unknown): string {
  const x = a as Record<string, unknown[]>;
  const y = b as Record<string, unknown[]>;
  for (const key of Object.keys(x)) {
    const xs = JSON.stringify(x[key]);
    const ys = JSON.stringify(y[key]);
    if (xs === ys) continue;
    if (!Array.isArray(x[key])) return `${key}: ${xs} / ${ys}`;
    const n = Math.max(x[key].length, y[key]!.length);
    for (let i = 0; i < n; i++) {
      if (JSON.stringify(x[key][i]) !== JSON.stringify(y[key]![i])) return `${key}[${i}]:\n  whole:       ${JSON.stringify(x[key][i])}\n  incremental: ${JSON.stringify(y[key]![i])}`;
    }
  }
  return 'none';
}

/** The corpus's and examples' CloudFormation and SAM templates, and generated ones with many units (as the benchmark's). */
const TEMPLATES = [
  ...seeds(1, 120_000).filter((s) => /AWSTemplateFormatVersion|AWS::/.test(s.text) && !/^\s*service\s*:/m.test(s.text)),
  ...(['cfn-yaml', 'cfn-json', 'sam'] as const).map((d) => ({ name: `generated.${extension(d)}`, text: generate(d, 90) })),
];

/** A logical id of the template replaced by another at one of its occurrences: a reference retargeted, a key renamed. */
type Edit = { kind: 'retarget'; which: number; to: number } | { kind: 'mutate'; mutation: Parameters<typeof applyMutation>[1] };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retarget' as const), which: fc.nat(), to: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mutate' as const), mutation: mutationArb }) },
);


function ids(text: string): string[] {
  return [...new Set([...text.matchAll(/^ {2}([A-Za-z0-9]+):/gm), ...text.matchAll(/^ {4}"([A-Za-z0-9]+)": \{/gm)].map((m) => m[1]!))];
}

function apply(text: string, edit: Edit): string {
  if (edit.kind === 'mutate') return applyMutation(text, edit.mutation);
  const names = ids(text);
  if (names.length < 2) return text;
  const pattern = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  const hits = [...text.matchAll(pattern)];
  if (hits.length === 0) return text;
  const hit = hits[edit.which % hits.length]!;
  const to = names[edit.to % names.length]!;
  return text.slice(0, hit.index) + to + text.slice(hit.index! + hit[0].length);
}

describe('incremental analysis', () => {
  const options = (name: string): AnalyzeOptions => ({ fileName: name, managedPolicies: bundledManagedPolicies });

  it('has CloudFormation and SAM templates to edit', () => {
    assert.ok(TEMPLATES.length >= 5, `only ${TEMPLATES.length} templates`);
  });

  it('gives the whole analysis\'s result after every edit of a sequence', () => {
    let kept = 0;
    let reparsed = 0;
    let compared = 0;
    fc.assert(
      fc.property(fc.nat(TEMPLATES.length - 1), fc.array(editArb, { minLength: 1, maxLength: 5 }), (i, edits) => {
        const seed = TEMPLATES[i]!;
        const incremental = new IncrementalAnalyzer();
        let text = seed.text;
        incremental.analyze(text, options(seed.name));
        for (const edit of edits) {
          text = apply(text, edit);
          const got = seen(incremental.analyze(text, options(seed.name)));
          const want = seen(analyze(text, options(seed.name)));
          compared++;
          if (incremental.stats.mode === 'units' && incremental.stats.analysed < incremental.stats.units) kept++;
          if (incremental.stats.reparsed) reparsed++;
          assert.deepEqual(got, want, `${seed.name} after ${JSON.stringify(edit)}: ${firstDifference(want, got)}`);
        }
      }),
      { numRuns: 150, seed: 20261204 },
    );
    // The property says nothing if every edit fell back to the whole analysis.
    assert.ok(kept >= compared / 6, `only ${kept} of ${compared} analyses kept a unit`);
    assert.ok(reparsed >= compared / 10, `only ${reparsed} of ${compared} analyses read only the edited resource again`);
  });

  it('gives the whole analysis\'s result with a workspace, where values and findings cross templates', () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'multi-template');
    const cases: { name: string; text: string; options: AnalyzeOptions }[] = [];
    for (const fixture of readdirSync(fixtures)) {
      const dir = join(fixtures, fixture);
      const paths = files(dir);
      const templates: WorkspaceTemplate[] = [];
      const texts = new Map<string, string>();
      for (const file of paths) {
        const path = relative(dir, file).split('\\').join('/');
        const text = readFileSync(file, 'utf8');
        const parsed = parseTemplate(text, path);
        if (!parsed.dialect) continue;
        texts.set(path, text);
        templates.push({ path, root: parsed.root, dialect: parsed.dialect, text });
      }
      for (const [path, text] of texts) {
        if (parseTemplate(text, path).dialect === 'serverless') continue;
        cases.push({ name: `${fixture}/${path}`, text, options: { ...options(path), path, workspace: { templates } } });
      }
    }
    assert.ok(cases.length >= 10, `only ${cases.length} workspace templates`);
    fc.assert(
      fc.property(fc.nat(cases.length - 1), fc.array(editArb, { minLength: 1, maxLength: 4 }), (i, edits) => {
        const c = cases[i]!;
        const incremental = new IncrementalAnalyzer();
        let text = c.text;
        incremental.analyze(text, c.options);
        for (const edit of edits) {
          text = apply(text, edit);
          const got = seen(incremental.analyze(text, c.options));
          const want = seen(analyze(text, c.options));
          assert.deepEqual(got, want, `${c.name} after ${JSON.stringify(edit)}: ${firstDifference(want, got)}`);
        }
      }),
      { numRuns: 80, seed: 20261205 },
    );
  });

  it('analyses again only the unit an edit touches, and the model it builds on request is the whole one', () => {
    /** A VPC with one subnet and a function in it, with its own role and a hard-coded security group. */
    const unit = (n: string, net: number, sg: string) => `  Vpc${n}:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.${net}.0.0/16 }
  Subnet${n}:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc${n}, CidrBlock: 10.${net}.0.0/24, AvailabilityZone: us-east-1a }
  Fn${n}:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Role: !GetAtt Role${n}.Arn
      Code: { ZipFile: x }
      VpcConfig: { SubnetIds: [!Ref Subnet${n}], SecurityGroupIds: [${sg}] }
  Role${n}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
`;
    const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${unit('A', 0, 'sg-0123456789abcdef0')}${unit('B', 1, 'sg-0123456789abcdef1')}`;
    const incremental = new IncrementalAnalyzer();
    incremental.analyze(text, options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 2, analysed: 2 });
    const edited = text.replace('CidrBlock: 10.1.0.0/24', 'CidrBlock: 10.1.0.0/28');
    const result = incremental.analyze(edited, options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 2, analysed: 1 });
    assert.deepEqual(seen(result), seen(analyze(edited, options('t.yaml'))));
    assert.deepEqual(result.model?.functions.map((f) => f.id), ['FnA', 'FnB']);
    // The same hard-coded group joins the two functions into one unit.
    incremental.analyze(edited.replace('sg-0123456789abcdef1', 'sg-0123456789abcdef0'), options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 1 });
    // A comment moves the findings and changes nothing else; an edit of another section, or other settings, analyses every unit.
    const commented = `# a comment\n${edited.replace('sg-0123456789abcdef1', 'sg-0123456789abcdef0')}`;
    incremental.analyze(commented, options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 0 });
    const moved = incremental.analyze(`# a comment\n${commented}`, options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 0 });
    assert.deepEqual(seen(moved), seen(analyze(`# a comment\n${commented}`, options('t.yaml'))));
    incremental.analyze(commented.replace("'2010-09-09'", '2010-09-09'), options('t.yaml'));
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 1 });
    // A tree lent to a holder that keeps it is left as it was: the next edit reads the text whole.
    const lent = incremental.analyze(commented, options('t.yaml'));
    incremental.lend(lent.root);
    const before = JSON.stringify(lent.root);
    const after = incremental.analyze(commented.replace('10.1.0.0/28', '10.1.0.0/27'), options('t.yaml'));
    assert.equal(incremental.stats.reparsed, false);
    assert.equal(JSON.stringify(lent.root), before);
    assert.notEqual(after.root, lent.root);
    incremental.analyze(commented, options('t.yaml'));
    assert.equal(incremental.stats.reparsed, true);
    incremental.analyze(commented, { ...options('t.yaml'), region: 'eu-west-1' });
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 1 });
    // A fault of its own costs nothing but the speed: the whole analysis, and the next one starts afresh.
    let reads = 0;
    const faulty = {
      ...options('t.yaml'),
      // Thrown the first time it is read (by the incremental analysis's own bookkeeping), then empty.
      get severities(): Record<string, 'off'> {
        if (reads++ === 0) throw new Error('boom');
        return {};
      },
    };
    const recovered = incremental.analyze(commented, faulty);
    assert.equal(incremental.stats.mode, 'whole');
    assert.match(incremental.stats.reason ?? '', /boom/);
    assert.deepEqual(seen(recovered), seen(analyze(commented, options('t.yaml'))));
    incremental.analyze(commented, { ...options('t.yaml'), region: 'eu-west-1' });
    assert.deepEqual(pick(incremental.stats), { mode: 'units', units: 1, analysed: 1 });
  });
});
