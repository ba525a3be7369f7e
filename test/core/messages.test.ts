/**
 * How messages and `explain` name template values: the way a user writes them (`!Ref Subnet1`, the logical
 * id), never as JSON; no "subnet subnet"; an EFS file system is not a database; an unknown fact is said
 * once; inherited Serverless settings point at the provider's `vpc:` key.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../server/src/core/analyze';
import { explainModel, explainText } from '../../server/src/core/explain';
import { parseTemplate } from '../../server/src/core/parse';
import { nodeAt, renderAt, renderValue } from '../../server/src/core/render';
import { namedList } from '../../server/src/core/rules/helpers';
import { allRules } from '../../server/src/core/rules/registry';
import { LineIndex } from '../../server/src/core/line-index';
import { get } from '../../server/src/core/tree';
import type { Node } from '../../server/src/core/tree';

function valueOf(text: string, fileName = 't.yaml'): Node {
  const root = parseTemplate(text, fileName).root;
  const value = get(root, 'V');
  assert.ok(value, 'the test template has V');
  return value;
}

describe('renderValue', () => {
  const cases: [string, string, string][] = [
    ['V: !Ref Subnet1', '{ "V": { "Ref": "Subnet1" } }', '!Ref Subnet1'],
    ['V: !GetAtt Sg.GroupId', '{ "V": { "Fn::GetAtt": ["Sg", "GroupId"] } }', '!GetAtt Sg.GroupId'],
    ["V: !Select [0, !GetAZs '']", '{ "V": { "Fn::Select": [0, { "Fn::GetAZs": "" }] } }', "!Select [0, !GetAZs '']"],
    ['V: !ImportValue network-PrivateSubnetA', '{ "V": { "Fn::ImportValue": "network-PrivateSubnetA" } }', '!ImportValue network-PrivateSubnetA'],
    ['V: [subnet-1, "true", 8080]', '{ "V": ["subnet-1", "true", 8080] }', "[subnet-1, 'true', 8080]"],
    ["V: { Key: 'a: b' }", '{ "V": { "Key": "a: b" } }', "{ Key: 'a: b' }"],
  ];
  for (const [yaml, json, expected] of cases) {
    it(`${expected}: the same from YAML and JSON`, () => {
      assert.equal(renderValue(valueOf(yaml)), expected);
      assert.equal(renderValue(valueOf(json, 't.json')), expected);
    });
  }

  it('cuts a long value short', () => {
    const text = renderValue(valueOf(`V: !Join [',', [${Array.from({ length: 20 }, (_, i) => `subnet-${i}`).join(', ')}]]`));
    assert.equal(text.length, 60);
    assert.match(text, /^!Join \[',', \[subnet-0, .*\.\.\.$/);
  });

  it('finds the node at a span, and renders nothing where no node is', () => {
    const text = 'V: [!Ref A, !Ref B]\n';
    const root = parseTemplate(text, 't.yaml').root!;
    const second = (get(root, 'V') as Extract<Node, { kind: 'seq' }>).items[1]!;
    assert.equal(nodeAt(root, second), second);
    assert.equal(renderAt(root, second), '!Ref B');
    assert.equal(renderAt(root, { start: 1, end: 2 }), undefined);
  });
});

describe('namedList', () => {
  it('quotes a name that reads as the noun itself, and only that', () => {
    assert.equal(namedList('subnet', ['subnet-0abc']), "subnet 'subnet-0abc'");
    assert.equal(namedList('subnet', ['subnet']), "subnet 'subnet'");
    assert.equal(namedList('subnet', ['SubnetA', 'PublicB']), 'subnets SubnetA, PublicB');
    assert.equal(namedList('route table', ['rtb-1']), 'route table rtb-1');
  });
});

const SINGLE_SUBNET_JSON = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { Subnet1: { Type: 'AWS::EC2::Subnet::Id' } },
  Resources: {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/fn', Code: { ZipFile: 'x' },
        VpcConfig: { SubnetIds: [{ Ref: 'Subnet1' }], SecurityGroupIds: ['sg-0a1b2c3d4e5f60001'] },
      },
    },
  },
}, null, 2);

describe('messages name values as they are written', () => {
  it('single-az on a JSON template says !Ref Subnet1, not { "Ref": "Subnet1" }', () => {
    const result = analyze(SINGLE_SUBNET_JSON, { fileName: 't.json' });
    const finding = result.findings.find((f) => f.ruleId === 'single-az');
    assert.ok(finding, 'single-az fires');
    assert.match(finding.message, /has a single subnet \(!Ref Subnet1\)/);
    assert.doesNotMatch(finding.message, /[{}"]/);
  });

  it('public-subnet does not say "subnet subnet" of a subnet called subnet', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  Igw: { Type: AWS::EC2::InternetGateway }
  Attach: { Type: AWS::EC2::VPCGatewayAttachment, Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw } }
  subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }
  Rt: { Type: AWS::EC2::RouteTable, Properties: { VpcId: !Ref Vpc } }
  Assoc: { Type: AWS::EC2::SubnetRouteTableAssociation, Properties: { SubnetId: !Ref subnet, RouteTableId: !Ref Rt } }
  Default: { Type: AWS::EC2::Route, DependsOn: Attach, Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw } }
  Sg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: fn, VpcId: !Ref Vpc } }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: x }
      VpcConfig: { SubnetIds: [!Ref subnet], SecurityGroupIds: [!Ref Sg] }
`;
    const finding = analyze(text).findings.find((f) => f.ruleId === 'public-subnet');
    assert.ok(finding, 'public-subnet fires');
    assert.match(finding.message, /only in public subnet 'subnet' \(/);
  });

  it('a Serverless function that inherits provider.vpc points at the `vpc:` key', () => {
    const text = 'service: billing\nprovider:\n  name: aws\n  vpc:\n    subnetIds:\n      - subnet-0a1b2c3d4e5f60718\nfunctions:\n  invoice:\n    handler: handler.invoice\n';
    const result = analyze(text, { fileName: 'serverless.yml' });
    const lines = new LineIndex(text);
    const related = result.findings.flatMap((f) => f.related).filter((r) => r.message === 'VPC settings inherited from here');
    assert.ok(related.length > 0, 'some finding names the inherited settings');
    for (const r of related) {
      assert.deepEqual(lines.position(r.span.start), { line: 3, character: 2 });
      assert.equal(text.slice(r.span.start, r.span.end), 'vpc');
    }
  });
});

describe('explain', () => {
  it('names an unresolved subnet as written, and says each unknown fact once', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SubnetA: { Type: AWS::EC2::Subnet::Id }
  Subnets: { Type: List<AWS::EC2::Subnet::Id> }
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      VpcConfig: { SubnetIds: [!Ref SubnetA, subnet-0a1b2c3d4e5f60001], SecurityGroupIds: [sg-0a1b2c3d4e5f60001] }
  Two:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      VpcConfig: { SubnetIds: !Ref Subnets, SecurityGroupIds: [sg-0a1b2c3d4e5f60001] }
`;
    const model = analyze(text).model!;
    const [one, two] = explainModel(model).map((fn) => explainText(fn));
    assert.match(one!, /^ {4}subnet !Ref SubnetA: unknown \(parameter 'SubnetA' has no default\)$/m);
    assert.equal(one!.split("parameter 'SubnetA' has no default").length - 1, 1, one);
    assert.equal(one!.split('a hard-coded id').length - 1, 1, one);
    assert.equal(two!.split("parameter 'Subnets' has no default").length - 1, 1, two);
    // The JSON keeps the full list of unknowns.
    assert.equal(explainModel(model)[0]!.unknowns.length, 2);
  });

  it('calls an EFS file system a file system, not a database', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fs: { Type: AWS::EFS::FileSystem }
  Ap: { Type: AWS::EFS::AccessPoint, Properties: { FileSystemId: !Ref Fs } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      FileSystemConfigs: [{ Arn: !GetAtt Ap.Arn, LocalMountPath: /mnt/data }]
      VpcConfig: { SubnetIds: [subnet-0a1b2c3d4e5f60001], SecurityGroupIds: [sg-0a1b2c3d4e5f60001] }
`;
    const text2 = explainText(explainModel(analyze(text).model!)[0]!);
    assert.match(text2, /needs: file system Fs \(FileSystemConfigs mounts Fs\)/);
    assert.doesNotMatch(text2, /database/);
  });
});

describe('rule docs', () => {
  it("each rule's page shows every message of the rule, and the one its incorrect example gives", () => {
    for (const rule of allRules) {
      const page = readFileSync(join(__dirname, '..', '..', 'docs', 'rules', `${rule.id}.md`), 'utf8');
      const section = /\n## Messages\n\n([\s\S]*?)\n## /.exec(page)?.[1];
      assert.ok(section, `${rule.id}.md has a Messages section`);
      for (const [id, text] of Object.entries(rule.messages)) assert.ok(section.includes(`- \`${id}\`: ${String(text)}`), `${rule.id}.md shows ${id}`);
      const example = analyze(rule.docs.invalid, { rules: [rule] }).findings.find((f) => f.ruleId === rule.id);
      assert.ok(example, `${rule.id}: the incorrect example gives a finding`);
      assert.ok(section.includes(`> ${example.message}`), `${rule.id}.md shows the example's message`);
    }
  });
});

describe('related messages', () => {
  it("db-ingress-missing names the function apart from why it uses the file system", () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fs: { Type: AWS::EFS::FileSystem }
  Mt: { Type: AWS::EFS::MountTarget, Properties: { FileSystemId: !Ref Fs, SubnetId: subnet-0a1b2c3d4e5f60001, SecurityGroups: [!GetAtt FsSg.GroupId] } }
  Ap: { Type: AWS::EFS::AccessPoint, Properties: { FileSystemId: !Ref Fs } }
  FsSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: fs, VpcId: vpc-0a1b2c3d4e5f60001 } }
  FnSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: fn, VpcId: vpc-0a1b2c3d4e5f60001 } }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: x
      FileSystemConfigs: [{ Arn: !GetAtt Ap.Arn, LocalMountPath: /mnt/data }]
      VpcConfig: { SubnetIds: [subnet-0a1b2c3d4e5f60001], SecurityGroupIds: [!GetAtt FnSg.GroupId] }
`;
    const finding = analyze(text).findings.find((f) => f.ruleId === 'db-ingress-missing');
    assert.ok(finding, 'db-ingress-missing fires');
    assert.match(finding.message, /file system 'Fs'/);
    assert.ok(finding.related.some((r) => r.message === "Function 'Fn': FileSystemConfigs mounts Fs"), finding.related.map((r) => r.message).join('\n'));
  });
});
