/** The `serverless-iam-roles-per-function` plugin: a function's `iamRoleStatements` make a role of its own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildModel } from '../../server/src/core/model/build';
import type { LambdaFunction, Model } from '../../server/src/core/model/types';
import { parseTemplate } from '../../server/src/core/parse';

function model(text: string): Model {
  const parsed = parseTemplate(text);
  assert.ok(parsed.root && parsed.dialect === 'serverless', 'a serverless.yml');
  return buildModel(parsed.root, parsed.dialect);
}

const serverless = ({ plugins = 'plugins: [serverless-iam-roles-per-function]', provider = '', custom = '', fn = '' } = {}) => `service: shop
${plugins}
${custom}
provider:
  name: aws
  vpc: { subnetIds: [subnet-1], securityGroupIds: [sg-1] }
${provider || `  iam:
    role:
      statements:
        - { Effect: Allow, Action: [dynamodb:GetItem], Resource: '*' }
      managedPolicies: [arn:aws:iam::aws:policy/AmazonS3FullAccess]`}
functions:
  api:
    handler: h.main
    iamRoleStatements:
      - { Effect: Allow, Action: [sqs:SendMessage], Resource: '*' }
${fn}  other:
    handler: h.other
`;

const fnOf = (m: Model, id: string): LambdaFunction => m.functions.find((f) => f.id === id)!;
const services = (m: Model, id = 'api') => [...fnOf(m, id).needs.services.keys()].sort();

describe('serverless-iam-roles-per-function', () => {
  it('gives a function with iamRoleStatements a generated role of its own, with the VPC access policy', () => {
    const m = model(serverless());
    const api = fnOf(m, 'api');
    assert.deepEqual([api.role.id, api.role.generated], ['ApiIamRoleLambdaExecution', true]);
    const role = m.roles.get('ApiIamRoleLambdaExecution')!;
    assert.ok(role.sources.some((s) => s.name === 'AWSLambdaVPCAccessExecutionRole'));
    // Its own statements only: not the provider's statements, nor the provider's managed policies.
    assert.deepEqual(services(m), ['sqs']);
    assert.equal(api.needs.allKnown, true);
    // A function without iamRoleStatements keeps the shared role.
    assert.equal(fnOf(m, 'other').role.id, 'IamRoleLambdaExecution');
    assert.deepEqual(services(m, 'other'), ['dynamodb', 's3']);
  });

  it('inherits the provider statements with iamRoleStatementsInherit: true', () => {
    assert.deepEqual(services(model(serverless({ fn: '    iamRoleStatementsInherit: true\n' }))), ['dynamodb', 'sqs']);
  });

  it('inherits by the plugin\'s defaultInherit, unless the function says false', () => {
    const custom = 'custom:\n  serverless-iam-roles-per-function:\n    defaultInherit: true';
    assert.deepEqual(services(model(serverless({ custom }))), ['dynamodb', 'sqs']);
    assert.deepEqual(services(model(serverless({ custom, fn: '    iamRoleStatementsInherit: false\n' }))), ['sqs']);
  });

  it('reads provider.iamRoleStatements when there is no provider.iam, and plugins.modules', () => {
    const m = model(serverless({
      plugins: 'plugins:\n  modules:\n    - serverless-iam-roles-per-function',
      provider: "  iamRoleStatements:\n    - { Effect: Allow, Action: [kms:Decrypt], Resource: '*' }",
      fn: '    iamRoleStatementsInherit: true\n',
    }));
    assert.equal(fnOf(m, 'api').role.id, 'ApiIamRoleLambdaExecution');
    assert.deepEqual(services(m), ['kms', 'sqs']);
  });

  it('an inheritance that cannot be resolved leaves the needs unknown', () => {
    const m = model(serverless({ fn: '    iamRoleStatementsInherit: ${param:inherit}\n' }));
    assert.equal(fnOf(m, 'api').needs.allKnown, false);
  });

  it('without the plugin, a function\'s iamRoleStatements mean nothing: the shared role', () => {
    const m = model(serverless({ plugins: 'plugins: [serverless-offline]' }));
    assert.equal(fnOf(m, 'api').role.id, 'IamRoleLambdaExecution');
    assert.deepEqual(services(m), ['dynamodb', 's3']);
  });

  it('a function naming its own role keeps it', () => {
    const m = model(serverless({ fn: '    role: arn:aws:iam::123456789012:role/existing\n' }));
    assert.deepEqual([fnOf(m, 'api').role.state, fnOf(m, 'api').role.generated], ['unknown', false]);
  });
});
