/** A StackSet's (or stack's) inline `TemplateBody` is analysed as a template of its own, positioned in the outer file. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { applyEdits } from '../../server/src/core/edits';
import { LineIndex } from '../../server/src/core/line-index';
import { allRules } from '../../server/src/core/rules/registry';

const rules = allRules.filter((r) => r.id === 'vpc-config-incomplete');
const at = (text: string, offset: number) => {
  const p = new LineIndex(text).position(offset);
  return `${p.line + 1}:${p.character + 1}`;
};

const INNER = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
`;

const indent = (text: string, by: string) => text.split('\n').map((l) => (l ? by + l : l)).join('\n');

describe('inline TemplateBody', () => {
  it('a map body: findings inside it, with their path and fix', () => {
    const text = `Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: fns
      PermissionModel: SELF_MANAGED
      TemplateBody:
${indent(INNER, '        ')}`;
    const result = analyze(text, { rules });
    assert.equal(result.findings.length, 1);
    const f = result.findings[0]!;
    assert.equal(text.slice(f.span.start, f.span.end), '[subnet-1, subnet-2]');
    assert.equal(at(text, f.span.start), '15:28');
    assert.deepEqual(f.path, ['Resources', 'Set', 'Properties', 'TemplateBody', 'Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds']);
    assert.match(f.message, /\(in the TemplateBody of 'Set'\)$/);
    const fixed = applyEdits(text, f.fixes[0]!.edits);
    assert.match(fixed, /\n {16}SubnetIds: \[subnet-1, subnet-2\]\n {16}SecurityGroupIds:\n {18}- sg-CHANGEME\n$/);
  });

  it('a literal block string: exact positions inside the string, no fix', () => {
    const text = `Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      StackSetName: fns
      TemplateBody: !Sub |
${indent(INNER, '        ')}`;
    const result = analyze(text, { rules });
    assert.equal(result.findings.length, 1);
    const f = result.findings[0]!;
    assert.equal(text.slice(f.span.start, f.span.end), '[subnet-1, subnet-2]');
    assert.equal(at(text, f.span.start), '14:28');
    assert.deepEqual(f.path, ['Resources', 'Set', 'Properties', 'TemplateBody', 'Fn::Sub']);
    assert.deepEqual(f.fixes, []);
  });

  it('a JSON string: anchored on the TemplateBody value', () => {
    const body = JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { VpcConfig: { SubnetIds: ['subnet-1'] } } } } });
    const text = JSON.stringify({ Resources: { Set: { Type: 'AWS::CloudFormation::StackSet', Properties: { TemplateBody: body } } } }, null, 2);
    const result = analyze(text, { rules, fileName: 'set.json' });
    assert.equal(result.findings.length, 1);
    const f = result.findings[0]!;
    assert.equal(text.slice(f.span.start, f.span.end), JSON.stringify(body));
    assert.deepEqual(f.path, ['Resources', 'Set', 'Properties', 'TemplateBody']);
  });

  it('the inner template is judged on its own: its references are its own', () => {
    const text = `Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody:
        Resources:
          Vpc:
            Type: AWS::EC2::VPC
            Properties: { CidrBlock: 10.0.0.0/16 }
          Subnet:
            Type: AWS::EC2::Subnet
            Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, Tags: [{ Key: k, Value: !Ref Missing }] }
`;
    const found = analyze(text, { rules: allRules.filter((r) => r.id === 'unresolved-reference') }).findings;
    assert.deepEqual(found.map((f) => [f.resource, f.path.join('.')]), [['Subnet', 'Resources.Set.Properties.TemplateBody.Resources.Subnet.Properties.Tags.0.Value.Ref']]);
  });

  it('the outer parameter values do not reach the inner template', () => {
    const text = `Parameters:
  Subnets: { Type: CommaDelimitedList }
Resources:
  Set:
    Type: AWS::CloudFormation::StackSet
    Properties:
      TemplateBody:
        Parameters:
          Subnets: { Type: CommaDelimitedList }
        Resources:
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              VpcConfig: { SubnetIds: !Ref Subnets, SecurityGroupIds: [sg-1] }
`;
    assert.deepEqual(analyze(text, { rules, params: { Subnets: '' } }).findings, []);
  });
});
