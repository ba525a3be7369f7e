/** The rule engine's guarantees: a throwing rule is isolated, severities and suppressions apply. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { allRules } from '../../server/src/core/rules/registry';
import { defineRule } from '../../server/src/core/engine/rule';
import vpcConfigIncomplete from '../../server/src/core/rules/vpc-config-incomplete';
import { withFindingFields } from '../../server/src/core/types';

const BAD = `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
`;

describe('rule engine', () => {
  it('turns a throwing rule into one internal-error problem; the other rules still run', () => {
    const broken = defineRule({ ...vpcConfigIncomplete, id: 'always-throws', check: () => { throw new Error('boom'); } });
    const result = analyze(BAD, { rules: [broken, ...allRules] });
    assert.deepEqual(result.problems.map((p) => p.message), ["Internal error in rule 'always-throws': boom"]);
    assert.ok(result.findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
  });

  it('applies severity overrides and off', () => {
    const warn = analyze(BAD, { severities: { 'vpc-config-incomplete': 'warning' } });
    assert.equal(warn.findings.find((f) => f.ruleId === 'vpc-config-incomplete')!.severity, 'warning');
    const off = analyze(BAD, { severities: { 'vpc-config-incomplete': 'off' } });
    assert.ok(!off.findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
  });

  it('honours Metadata on the resource and the template, and comments', () => {
    const onResource = BAD.replace('    Type: AWS::Lambda::Function\n', '    Type: AWS::Lambda::Function\n    Metadata:\n      lambda-vpc-lint:\n        ignore: [vpc-config-incomplete]\n');
    assert.ok(!analyze(onResource).findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
    const onTemplate = `Metadata:\n  lambda-vpc-lint:\n    ignore: [vpc-config-incomplete]\n${BAD}`;
    assert.ok(!analyze(onTemplate).findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
    const nextLine = BAD.replace('        SubnetIds:', '        # lambda-vpc-lint-disable-next-line vpc-config-incomplete\n        SubnetIds:');
    assert.ok(!analyze(nextLine).findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
    const fileLevel = `# lambda-vpc-lint-disable vpc-config-incomplete\n${BAD}`;
    assert.ok(!analyze(fileLevel).findings.some((f) => f.ruleId === 'vpc-config-incomplete'));
    const otherRule = `# lambda-vpc-lint-disable single-az\n${BAD}`;
    assert.ok(analyze(otherRule).findings.some((f) => f.ruleId === 'vpc-config-incomplete'), 'suppressing another rule changes nothing');
  });

  it('builds a finding\'s fixes on first read, once, and keeps them unbuilt through a copy', () => {
    let built = 0;
    const counting = defineRule({
      ...vpcConfigIncomplete,
      id: 'counting-fix',
      check: (ctx) => vpcConfigIncomplete.check({
        ...ctx,
        report: (d) => ctx.report({ ...d, ...(d.fix ? { fix: (edits) => { built++; return d.fix!(edits); } } : {}) }),
      }),
    });
    const result = analyze(BAD, { rules: [counting] });
    const finding = result.findings.find((f) => f.ruleId === 'counting-fix')!;
    assert.equal(built, 0, 'no fix is built by the analysis');
    const copy = withFindingFields(finding, { message: 'moved' });
    assert.equal(built, 0, 'copying a finding builds no fix');
    assert.equal(copy.message, 'moved');
    assert.equal(copy.resource, finding.resource);
    assert.equal(finding.fixes.length, 1);
    assert.match(finding.fixes[0]!.edits[0]!.text, /SecurityGroupIds:/);
    assert.equal(built, 1);
    assert.deepEqual(copy.fixes, finding.fixes);
    assert.equal(built, 1, 'read again, the fixes are not built again');
    assert.deepEqual(withFindingFields(finding, {}, () => false).fixes, []);
  });

  it('gives a finding whose fix throws no fix, and no problem', () => {
    const throwingFix = defineRule({
      ...vpcConfigIncomplete,
      id: 'throwing-fix',
      check: (ctx) => vpcConfigIncomplete.check({ ...ctx, report: (d) => ctx.report({ ...d, fix: () => { throw new Error('boom'); } }) }),
    });
    const result = analyze(BAD, { rules: [throwingFix] });
    const finding = result.findings.find((f) => f.ruleId === 'throwing-fix')!;
    assert.deepEqual(finding.fixes, []);
    assert.deepEqual(result.problems, []);
  });
});
