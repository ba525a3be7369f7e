/** The built CLI reads the AWS managed policy data set written beside it, for policies its bundle does not hold. */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildCli, cliJson, only } from './support';

const template = (policy: string) => `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/${policy}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
`;

before(() => buildCli());

describe('check with AWS managed policies from the data set', () => {
  it('a published policy the bundle does not hold is read by its content; an unpublished one stays unknown', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-managed-')));
    writeFileSync(join(dir, 'rds.yaml'), template('AmazonRDSReadOnlyAccess'));
    writeFileSync(join(dir, 'power.yaml'), template('PowerUserAccess'));
    writeFileSync(join(dir, 'unknown.yaml'), template('NotAPublishedPolicy'));
    const { json } = cliJson(['check', dir, '--format', 'json', ...only('eni-permissions-missing')]);
    const found = Object.fromEntries(json.files.map((f) => [f.file.split('/').pop(), f.findings.map((x) => x.ruleId)]));
    assert.deepEqual(found, { 'power.yaml': [], 'rds.yaml': ['eni-permissions-missing'], 'unknown.yaml': [] });
  });
});
