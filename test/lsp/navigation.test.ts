/**
 * Hover, go to definition and completion against the built server, on a CloudFormation network, a JSON
 * template and a Serverless file with `${self:}` and `${file()}` variables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionItem, Hover, Location, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import { allRules } from '../../server/src/core/rules/registry';
import { NETWORK } from './fixtures';
import { LspClient, buildServer, offsetOf, tempFolder } from './harness';

const markdown = (h: Hover | null) => {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
};
const newText = (item: CompletionItem | undefined) => (item?.textEdit as TextEdit | undefined)?.newText;

const SERVERLESS = `service: api
custom:
  vpc:
    subnets:
      - subnet-0a1b2c3d4e5f60001
      - subnet-0a1b2c3d4e5f60002
provider:
  name: aws
  runtime: nodejs20.x
  region: eu-west-1
  vpc:
    subnetIds: \${self:custom.vpc.subnets}
    securityGroupIds: \${file(./groups.yml):groups}
functions:
  hello:
    handler: handler.hello
    vpc:
      subnetIds:
        - !Ref PrivateSubnet
resources:
  Resources:
    PrivateSubnet:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: vpc-1
        CidrBlock: 10.0.1.0/24
        AvailabilityZone: eu-west-1a
    LambdaSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: lambda
        VpcId: vpc-1
`;

const JSON_TEMPLATE = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Sg": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "x", "VpcId": "vpc-1" } },
    "Subnet": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24" } },
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Role": "arn:aws:iam::123456789012:role/r",
        "VpcConfig": {
          "SubnetIds": [ { "Ref": "Subnet" } ],
          "SecurityGroupIds": [  ]
        }
      }
    }
  }
}
`;

describe('language server: hover, definition, completion', () => {
  const folder = tempFolder({ 'groups.yml': 'groups:\n  - sg-0a1b2c3d4e5f60001\n' });
  let client: LspClient;
  const net = folder.uri('network.yaml');
  const sls = folder.uri('serverless.yml');
  const json = folder.uri('template.json');

  before(async () => {
    await buildServer();
    client = new LspClient({ workspaceFolder: folder.dir, settings: { debounceMs: 10 } });
    await client.initialize();
    await client.open(net, NETWORK);
    await client.open(sls, SERVERLESS);
    await client.open(json, JSON_TEMPLATE, 'json');
    await client.forVersion(net, 1);
    await client.forVersion(sls, 1);
    await client.forVersion(json, 1);
  });

  after(async () => {
    await client.stop();
    folder.cleanup();
  });

  describe('hover', () => {
    it('counts every finding that concerns the function, the one on its role included', async () => {
      const text = `Resources:
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: lambda.amazonaws.com }
            Action: sts:AssumeRole
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001]
`;
      const uri = folder.uri('role.yaml');
      await client.open(uri, text);
      await client.forVersion(uri, 1);
      const md = markdown(await client.hover(uri, offsetOf(text, '  Fn:', 3)));
      assert.match(md, /\*\*3 findings:\*\*/);
      assert.match(md, /`eni-permissions-missing` \(error\) on FnRole: Role 'FnRole'/);
      await client.close(uri);
    });

    it('explains the network path of a function on its logical id', async () => {
      const h = await client.hover(net, offsetOf(NETWORK, '  Fn:', 3));
      const md = markdown(h);
      assert.match(md, /^\*\*Function Fn\*\*/);
      assert.match(md, /subnet SubnetA in !Select \\\[0, !GetAZs ''\\\], 10\.0\.1\.0\/24/);
      assert.match(md, /subnet SubnetB in us-east-1b/);
      assert.match(md, /security group LambdaSg\.GroupId/);
      assert.match(md, /endpoint QueueEndpoint: Interface sqs, private DNS on/);
      const doc = client.doc(net);
      assert.equal(doc.getText(h!.range), 'Fn');
    });

    it('explains the function anywhere in its VpcConfig, with the property documentation on a key', async () => {
      const md = markdown(await client.hover(net, offsetOf(NETWORK, 'SecurityGroupIds:', 3)));
      assert.match(md, /^\*\*SecurityGroupIds\*\*/);
      assert.match(md, /at most 5/);
      assert.match(md, /\*\*Function Fn\*\*/);
    });

    it('shows the resource a Ref points at, from the model', async () => {
      const md = markdown(await client.hover(net, offsetOf(NETWORK, '!Ref SubnetB', 7)));
      assert.match(md, /\*\*SubnetB\*\* — `AWS::EC2::Subnet`/);
      assert.match(md, /Availability Zone: us-east-1b/);
      assert.match(md, /CIDR: `10\.0\.2\.0\/24`/);
      assert.match(md, /egress: \*\*none\*\* \(isolated\)/);
    });

    it('shows the target of a GetAtt, with its attribute', async () => {
      const md = markdown(await client.hover(net, offsetOf(NETWORK, '!GetAtt LambdaSg.GroupId', 10)));
      assert.match(md, /\*\*LambdaSg\*\* — `AWS::EC2::SecurityGroup`/);
      assert.match(md, /attribute `GroupId`/);
    });

    it('resolves a Sub variable and the whole Sub', async () => {
      const md = markdown(await client.hover(net, offsetOf(NETWORK, '${AWS::Region}', 3)));
      assert.match(md, /`AWS::Region`: `us-east-1`/);
      assert.match(md, /the whole `Fn::Sub`: `com\.amazonaws\.us-east-1\.sqs`/);
      const param = markdown(await client.hover(net, offsetOf(NETWORK, '${Stage}', 3)));
      assert.match(param, /\*\*Stage\*\* — parameter \(`String`\)/);
      assert.match(param, /value: `prod` \(the default of parameter `Stage`\)/);
    });

    it('resolves a Serverless ${self:} variable', async () => {
      const md = markdown(await client.hover(sls, offsetOf(SERVERLESS, 'self:custom', 2)));
      assert.match(md, /`\$\{self:custom\.vpc\.subnets\}`: \[`subnet-0a1b2c3d4e5f60001`, `subnet-0a1b2c3d4e5f60002`\]/);
    });

    it('resolves a ${file()} variable through the file beside the template', async () => {
      const md = markdown(await client.hover(sls, offsetOf(SERVERLESS, 'file(./groups.yml)', 2)));
      assert.match(md, /\[`sg-0a1b2c3d4e5f60001`\]/);
    });

    it('has nothing to say on plain values', async () => {
      assert.equal(await client.hover(net, offsetOf(NETWORK, 'index.handler', 2)), null);
    });
  });

  describe('go to definition', () => {
    const target = async (uri: string, offset: number) => {
      const loc = (await client.definition(uri, offset)) as Location | null;
      assert.ok(loc, 'a location');
      return loc;
    };
    const textAt = (loc: Location) => client.doc(loc.uri).getText(loc.range);

    it('goes from Ref, GetAtt, DependsOn and Sub to the resource or parameter', async () => {
      let loc = await target(net, offsetOf(NETWORK, '!Ref SubnetA', 6, 2));
      assert.equal(loc.uri, net);
      assert.equal(textAt(loc), 'SubnetA');
      assert.equal(loc.range.start.line, NETWORK.split('\n').findIndex((l) => l === '  SubnetA:'));
      loc = await target(net, offsetOf(NETWORK, '!GetAtt LambdaSg.GroupId', 10));
      assert.equal(textAt(loc), 'LambdaSg');
      loc = await target(net, offsetOf(NETWORK, 'DependsOn: LambdaSg', 12));
      assert.equal(textAt(loc), 'LambdaSg');
      loc = await target(net, offsetOf(NETWORK, '${Stage}', 3));
      assert.equal(textAt(loc), 'Stage');
      assert.equal(loc.range.start.line, 2);
    });

    it('works on the long form in JSON', async () => {
      const loc = await target(json, offsetOf(JSON_TEMPLATE, '{ "Ref": "Subnet" }', 12));
      assert.equal(textAt(loc), '"Subnet"');
      const md = markdown(await client.hover(json, offsetOf(JSON_TEMPLATE, '{ "Ref": "Subnet" }', 4)));
      assert.match(md, /\*\*Subnet\*\* — `AWS::EC2::Subnet`/);
    });

    it('goes from a condition name to Conditions', async () => {
      const loc = await target(net, offsetOf(NETWORK, 'Condition: IsProd', 12));
      assert.equal(textAt(loc), 'IsProd');
      assert.equal(loc.range.start.line, 6);
    });

    it('goes from ${self:} to the key and from ${file()} into the other file', async () => {
      const loc = await target(sls, offsetOf(SERVERLESS, 'self:custom.vpc', 8));
      assert.equal(textAt(loc), 'subnets');
      assert.equal(loc.range.start.line, 3);
      const file = await target(sls, offsetOf(SERVERLESS, 'file(./groups.yml)', 3));
      assert.equal(file.uri, folder.uri('groups.yml'));
      assert.deepEqual(file.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } });
    });
  });

  describe('completion', () => {
    it('offers subnets with their Availability Zone in SubnetIds, and security groups as GetAtt GroupId', async () => {
      const text = client.text(net);
      const at = offsetOf(text, '          - !Ref SubnetB') + '          - !Ref SubnetB'.length;
      const version = await client.change(net, [{ range: { start: client.doc(net).positionAt(at), end: client.doc(net).positionAt(at) }, text: '\n          - ' }]);
      assert.equal(version, 2);
      const items = await client.completion(net, at + '\n          - '.length);
      const subnetA = items.find((i) => i.label === 'SubnetA');
      const subnetB = items.find((i) => i.label === 'SubnetB');
      assert.equal(newText(subnetA), '!Ref SubnetA');
      assert.match(subnetA?.detail ?? '', /AZ #0 · 10\.0\.1\.0\/24 · Vpc/);
      assert.match(subnetB?.detail ?? '', /us-east-1b/);
      assert.ok(!items.some((i) => i.label === 'LambdaSg'), 'no security group among subnets');
      // Back to the original text, then a new security group item.
      await client.replaceAll(net, NETWORK);
      const sgAt = offsetOf(NETWORK, '!GetAtt LambdaSg.GroupId') + '!GetAtt LambdaSg.GroupId'.length;
      await client.change(net, [{ range: { start: client.doc(net).positionAt(sgAt), end: client.doc(net).positionAt(sgAt) }, text: '\n          - !G' }]);
      const groups = await client.completion(net, sgAt + '\n          - !G'.length);
      const sg = groups.find((i) => i.label === 'LambdaSg');
      assert.equal(newText(sg), '!GetAtt LambdaSg.GroupId');
      assert.equal(sg?.filterText, '!GetAtt LambdaSg.GroupId', 'matched against the typed !G');
      await client.replaceAll(net, NETWORK);
    });

    it('writes the long form in JSON', async () => {
      const at = offsetOf(JSON_TEMPLATE, '"SecurityGroupIds": [ ', '"SecurityGroupIds": [ '.length);
      const items = await client.completion(json, at);
      assert.equal(newText(items.find((i) => i.label === 'Sg')), '{ "Fn::GetAtt": ["Sg", "GroupId"] }');
      const subnets = await client.completion(json, offsetOf(JSON_TEMPLATE, '[ { "Ref"', 2));
      assert.equal(newText(subnets.find((i) => i.label === 'Subnet')), '{ "Ref": "Subnet" }');
    });

    it('offers endpoint service names in ServiceName, services the functions need first', async () => {
      const line = '      ServiceName: !Sub com.amazonaws.${AWS::Region}.sqs';
      const start = offsetOf(NETWORK, line) + '      ServiceName: '.length;
      await client.change(net, [{ range: { start: client.doc(net).positionAt(start), end: client.doc(net).positionAt(start + line.length - '      ServiceName: '.length) }, text: '' }]);
      const items = await client.completion(net, start);
      const sqs = items.find((i) => i.label === 'sqs');
      assert.equal(newText(sqs), '!Sub com.amazonaws.${AWS::Region}.sqs');
      assert.match(sqs?.detail ?? '', /interface endpoint/);
      assert.match(items.find((i) => i.label === 's3')?.detail ?? '', /gateway endpoint/);
      await client.replaceAll(net, NETWORK);
    });

    it("offers !Select [i, !GetAZs ''] in a subnet's AvailabilityZone, unused zones first", async () => {
      const line = '      AvailabilityZone: us-east-1b';
      const start = offsetOf(NETWORK, line) + '      AvailabilityZone: '.length;
      await client.change(net, [{ range: { start: client.doc(net).positionAt(start), end: client.doc(net).positionAt(start + line.length - '      AvailabilityZone: '.length) }, text: '' }]);
      const items = await client.completion(net, start);
      const zero = items.find((i) => i.label === "!Select [0, !GetAZs '']");
      const one = items.find((i) => i.label === "!Select [1, !GetAZs '']");
      assert.equal(newText(one), "!Select [1, !GetAZs '']");
      assert.match(zero?.detail ?? '', /1st Availability Zone of the region · used by SubnetA/);
      assert.ok((one!.sortText ?? '') < (zero!.sortText ?? ''), 'an unused zone sorts first');
      await client.replaceAll(net, NETWORK);
    });

    it('offers subnets and groups in a Serverless vpc block', async () => {
      const anchor = '        - !Ref PrivateSubnet';
      const at = offsetOf(SERVERLESS, anchor) + anchor.length;
      await client.change(sls, [{ range: { start: client.doc(sls).positionAt(at), end: client.doc(sls).positionAt(at) }, text: '\n        - ' }]);
      const items = await client.completion(sls, at + '\n        - '.length);
      assert.equal(newText(items.find((i) => i.label === 'PrivateSubnet')), '!Ref PrivateSubnet');
      assert.match(items.find((i) => i.label === 'PrivateSubnet')?.detail ?? '', /eu-west-1a/);
      await client.replaceAll(sls, SERVERLESS);
    });

    it('offers the VpcConfig properties not yet written, with their documentation', async () => {
      const anchor = '          - !GetAtt LambdaSg.GroupId';
      const at = offsetOf(NETWORK, anchor) + anchor.length;
      await client.change(net, [{ range: { start: client.doc(net).positionAt(at), end: client.doc(net).positionAt(at) }, text: '\n        Ipv' }]);
      const items = await client.completion(net, at + '\n        Ipv'.length);
      assert.deepEqual(items.map((i) => i.label), ['Ipv6AllowedForDualStack']);
      assert.equal(newText(items[0]), 'Ipv6AllowedForDualStack: ');
      assert.match((items[0]!.documentation as MarkupContent).value, /egress-only internet gateway/);
      await client.replaceAll(net, NETWORK);
    });

    it('offers rule ids in a Metadata ignore list and in a suppression comment', async () => {
      const anchor = '    DependsOn: LambdaSg';
      const at = offsetOf(NETWORK, anchor) + anchor.length;
      await client.change(net, [{ range: { start: client.doc(net).positionAt(at), end: client.doc(net).positionAt(at) }, text: '\n    Metadata:\n      lambda-vpc-lint:\n        ignore:\n          - sin' }]);
      const items = await client.completion(net, at + '\n    Metadata:\n      lambda-vpc-lint:\n        ignore:\n          - sin'.length);
      assert.ok(items.some((i) => i.label === 'single-az'));
      assert.equal(items.length, allRules.length, 'every rule id, once');
      await client.replaceAll(net, NETWORK);
      await client.change(net, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# lambda-vpc-lint-disable single-az, ' }]);
      const inComment = await client.completion(net, '# lambda-vpc-lint-disable single-az, '.length);
      assert.ok(inComment.some((i) => i.label === 'public-subnet'));
      assert.ok(!inComment.some((i) => i.label === 'single-az'), 'ids already listed are left out');
      await client.replaceAll(net, NETWORK);
    });

    it('offers nothing in a file that is not a template', async () => {
      const uri = folder.uri('k8s.yaml');
      const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  SubnetIds:\n    - \n';
      await client.open(uri, text);
      assert.deepEqual(await client.completion(uri, offsetOf(text, '    - ', 6)), []);
    });
  });
});
