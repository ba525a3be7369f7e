/** The language server reads the AWS managed policy data set beside its bundle, for policies the bundle does not hold. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildServer, LspClient, tempFolder } from './harness';

const template = (policy: string) => `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/${policy}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }
`;

describe('language server: AWS managed policies from the data set', () => {
  const folder = tempFolder();
  let client: LspClient;

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 20 } });
    await client.initialize();
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  it('a published policy is read by its content; one that is not stays unknown', async () => {
    const known = folder.uri('known.yaml');
    const unknown = folder.uri('unknown.yaml');
    await client.open(known, template('AmazonRDSReadOnlyAccess'));
    await client.open(unknown, template('NotAPublishedPolicy'));
    const codes = async (uri: string) => (await client.forVersion(uri, 1)).map((d) => d.code);
    assert.ok((await codes(known)).includes('eni-permissions-missing'));
    assert.ok(!(await codes(unknown)).includes('eni-permissions-missing'));
  });
});
