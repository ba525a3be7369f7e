/** What concerns a function: the findings on it and on its role, groups, subnets, endpoints and databases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { findingsOfFunction, resourcesOfFunction } from '../../server/src/core/concerns';

const TEMPLATE = `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/other
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001]
`;

describe('findings of a function', () => {
  it("counts the finding on its role, not another function's", () => {
    const result = analyze(TEMPLATE);
    const model = result.model!;
    const fn = model.functions.find((f) => f.id === 'Fn')!;
    assert.ok(resourcesOfFunction(model, fn).has('FnRole'));
    const mine = findingsOfFunction(model, fn, result.findings).map((f) => `${f.ruleId}:${f.resource}`).sort();
    assert.deepEqual(mine, ['eni-permissions-missing:FnRole', 'single-az:Fn', 'vpc-config-incomplete:Fn']);
    const other = model.functions.find((f) => f.id === 'Other')!;
    assert.deepEqual(findingsOfFunction(model, other, result.findings).map((f) => f.ruleId).sort(), ['network-unknown', 'single-az']);
  });
});
