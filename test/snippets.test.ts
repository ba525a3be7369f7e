/**
 * The snippets under snippets/ are correct AWS patterns by the product's own measure: each one, with
 * its tab stops at their defaults, inserted where it is meant to go in an empty template, parses and
 * gets no finding; and together (a VPC, nat-per-az, the Lambda security group and database rule, a
 * function, the endpoints) they make a network the rules accept for a function that needs S3,
 * DynamoDB, SQS and a database. The package.json contributions that go with them are checked too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { analyze } from '../server/src/core/analyze';
import { ruleById } from '../server/src/core/rules/registry';
import { parseYaml } from '../server/src/core/parse/yaml';
import { toPlain } from '../server/src/core/to-json';
import { get, isMap, str } from '../server/src/core/tree';
import type { Node } from '../server/src/core/tree';
import { snippetToText } from './lsp/snippet-text';

const ROOT = resolve(__dirname, '..');

interface Snippet {
  prefix: string;
  description: string;
  scope: 'file' | 'resources' | 'functions';
  refs?: Record<string, string>;
  body: string[];
}

function load(file: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(join(ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>;
}

const yamlSnippets = load('yaml.json');
const jsonSnippets = load('json.json');
const byPrefix = (set: Record<string, Snippet>, prefix: string) => {
  const s = Object.values(set).find((x) => x.prefix === prefix);
  assert.ok(s, `snippet ${prefix}`);
  return s;
};

/** The snippet's text with defaults, indented as VS Code indents the lines after the first. */
function expand(snippet: Snippet, indent: string): string {
  if (snippet.scope === 'file') indent = '';
  return snippetToText(snippet.body.join('\n')).split('\n').map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n');
}

/** Where each snippet goes: under Resources, or under a Serverless file's functions. */
function host(prefix: string, format: 'yaml' | 'json', bodies: string[]): { text: string; fileName: string } {
  if (prefix === 'lambda-vpc-sam-template') return { text: `${bodies.join('')}\n`, fileName: `template.${format}` };
  if (format === 'json') {
    return { text: `{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    ${bodies.join(',\n    ')}\n  }\n}\n`, fileName: 'template.json' };
  }
  if (prefix === 'lambda-vpc-serverless-function') {
    return { text: `service: app\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  ${bodies.join('\n  ')}\n`, fileName: 'serverless.yml' };
  }
  const transform = prefix === 'lambda-vpc-sam-function' ? 'Transform: AWS::Serverless-2016-10-31\n' : '';
  return { text: `AWSTemplateFormatVersion: '2010-09-09'\n${transform}Resources:\n  ${bodies.join('\n  ')}\n`, fileName: 'template.yaml' };
}

function findingsReport(text: string, fileName: string, ignore: string[] = []): string[] {
  const result = analyze(text, { fileName });
  return [
    ...result.problems.map((p) => `problem: ${p.message}`),
    ...result.findings.filter((f) => !ignore.includes(f.ruleId)).map((f) => `${f.ruleId} on ${f.resource}: ${f.message}`),
  ];
}

describe('snippets', () => {
  const PREFIXES = ['lambda-vpc-sam-template', 'lambda-vpc-sam-function', 'lambda-vpc-cfn-function', 'lambda-vpc-serverless-function', 'nat-per-az', 'vpc-endpoint-s3', 'vpc-endpoint-dynamodb', 'vpc-endpoint-interface', 'lambda-sg-db-ingress'];

  it('has every snippet in YAML, and all but the Serverless one in JSON, with unique prefixes', () => {
    assert.deepEqual(Object.values(yamlSnippets).map((s) => s.prefix).sort(), [...PREFIXES].sort());
    assert.deepEqual(Object.values(jsonSnippets).map((s) => s.prefix).sort(), PREFIXES.filter((p) => p !== 'lambda-vpc-serverless-function').sort());
    for (const s of [...Object.values(yamlSnippets), ...Object.values(jsonSnippets)]) {
      assert.ok(s.description.length > 20, s.prefix);
      assert.equal(s.scope, s.prefix === 'lambda-vpc-sam-template' ? 'file' : s.prefix === 'lambda-vpc-serverless-function' ? 'functions' : 'resources', s.prefix);
      // Every placeholder declared as naming a resource is one of the body's tab stops, with a default.
      for (const stop of Object.keys(s.refs ?? {})) assert.match(s.body.join('\n'), new RegExp(`\\$\\{${stop}:[A-Za-z]+\\}`), `${s.prefix} \${${stop}}`);
    }
  });

  for (const [format, set] of [['yaml', yamlSnippets], ['json', jsonSnippets]] as const) {
    for (const snippet of Object.values(set)) {
      it(`${format} ${snippet.prefix}: inserted into an empty template, parses and gets no finding`, () => {
        const { text, fileName } = host(snippet.prefix, format, [expand(snippet, format === 'json' ? '    ' : '  ')]);
        // A snippet names the subnets, VPC and database of the template it goes into: alone, those ids are undefined.
        assert.deepEqual(findingsReport(text, fileName, ['unresolved-reference']), [], text);
      });
    }
  }

  it('the YAML and JSON versions of each snippet are the same template', () => {
    for (const json of Object.values(jsonSnippets)) {
      const yaml = byPrefix(yamlSnippets, json.prefix);
      const a = host(json.prefix, 'yaml', [expand(yaml, '  ')]);
      const b = host(json.prefix, 'json', [expand(json, '    ')]);
      const yamlTree = toPlain(parseYaml(a.text).root) as { Resources: Record<string, unknown> };
      if (json.prefix === 'lambda-vpc-sam-template') assert.deepEqual(normalize(yamlTree), normalize(JSON.parse(b.text)), json.prefix);
      const jsonTree = JSON.parse(b.text) as { Resources: Record<string, unknown> };
      assert.deepEqual(normalize(yamlTree.Resources), normalize(jsonTree.Resources), json.prefix);
    }
  });

  const yaml = (prefix: string) => expand(byPrefix(yamlSnippets, prefix), '  ');
  /** The composed template; `edit` changes one snippet's text (to show what it contributes). */
  const composed = (edit: (prefix: string, text: string) => string = (_p, t) => t) => {
    const part = (prefix: string) => edit(prefix, yaml(prefix));
    return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
  DatabaseSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      VpcId: !Ref VPC
  DatabaseSubnetGroup:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: database
      SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      MasterUsername: app
      ManageMasterUserPassword: true
      DBSubnetGroupName: !Ref DatabaseSubnetGroup
      VPCSecurityGroups: [!GetAtt DatabaseSecurityGroup.GroupId]
  Queue:
    Type: AWS::SQS::Queue
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Bucket:
    Type: AWS::S3::Bucket
  ${part('nat-per-az')}
  ${part('lambda-sg-db-ingress')}
  ${part('lambda-vpc-sam-function')}
  ${part('vpc-endpoint-s3')}
  ${part('vpc-endpoint-dynamodb')}
  ${part('vpc-endpoint-interface')}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      CodeUri: src/
      Environment:
        Variables:
          QUEUE_URL: !Ref Queue
          TABLE: !Ref Table
          BUCKET: !Ref Bucket
          DB_HOST: !GetAtt Database.Endpoint.Address
      Policies:
        - SQSSendMessagePolicy: { QueueName: !GetAtt Queue.QueueName }
        - DynamoDBCrudPolicy: { TableName: !Ref Table }
        - S3ReadPolicy: { BucketName: !Ref Bucket }
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
        SecurityGroupIds: [!GetAtt LambdaSecurityGroup.GroupId]
`;
  };

  it('the snippets put together make a network the rules accept', () => {
    const text = composed();
    const result = analyze(text, { fileName: 'template.yaml' });
    assert.deepEqual(result.problems, []);
    // The function really needs what the endpoints serve: otherwise this proves little.
    const worker = result.model!.functions.find((f) => f.id === 'Worker')!;
    assert.deepEqual([...worker.needs.services.keys()].sort(), ['dynamodb', 's3', 'sqs']);
    assert.deepEqual([...worker.needs.databases.keys()], ['Database']);
    assert.deepEqual(findingsReport(text, 'template.yaml'), []);
  });

  // Each piece matters: without it (or with it weakened) the rule that needs it reports.
  const without: [string, string, (prefix: string, text: string) => string][] = [
    ['the S3 gateway endpoint', 'nat-for-gateway-service', (p, t) => (p === 'vpc-endpoint-s3' ? 'Unused:\n    Type: AWS::SNS::Topic' : t)],
    ['private DNS on the interface endpoint', 'endpoint-private-dns-disabled', (p, t) => (p === 'vpc-endpoint-interface' ? t.replace('PrivateDnsEnabled: true', 'PrivateDnsEnabled: false') : t)],
    ['the database ingress rule', 'db-ingress-missing', (p, t) => (p === 'lambda-sg-db-ingress' ? t.slice(0, t.indexOf('LambdaSecurityGroupToDatabaseIngress:')).trimEnd() : t)],
    ['the HTTPS rule of the endpoint group', 'endpoint-sg-blocks-https', (p, t) => (p === 'vpc-endpoint-interface' ? t.replace('FromPort: 443', 'FromPort: 8443').replace('ToPort: 443', 'ToPort: 8443') : t)],
  ];
  for (const [what, ruleId, edit] of without) {
    it(`without ${what}, ${ruleId} reports`, (t) => {
      if (ruleById(ruleId)?.docs.summary === 'TODO') {
        t.skip(`${ruleId} is not implemented yet`);
        return;
      }
      const text = composed(edit);
      const result = analyze(text, { fileName: 'template.yaml' });
      assert.deepEqual(result.problems, []);
      assert.ok(result.findings.some((f) => f.ruleId === ruleId), `${ruleId} among ${JSON.stringify(result.findings.map((f) => f.ruleId))}`);
    });
  }

  it('the CloudFormation function snippet and nat-per-az together get no finding', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      VPCSecurityGroups: [!GetAtt DatabaseSecurityGroup.GroupId]
  DatabaseSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: database
      VpcId: !Ref VPC
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          SourceSecurityGroupId: !GetAtt FunctionSecurityGroup.GroupId
  ${yaml('nat-per-az')}
  ${yaml('lambda-vpc-cfn-function')}
`;
    assert.deepEqual(findingsReport(text, 'template.yaml'), []);
  });

  it('the snippets validate against the property schemas under schemas/', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const file of ['cfn-intrinsics', 'lambda-vpc-config', 'ec2-subnet', 'ec2-security-group', 'ec2-vpc-endpoint', 'serverless-vpc', 'suppression-metadata']) {
      ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', `${file}.schema.json`), 'utf8')) as object);
    }
    const base = 'https://raw.githubusercontent.com/lambda-vpc-lint/lambda-vpc-lint/main/schemas/';
    const schemaFor: Record<string, string> = {
      'AWS::EC2::Subnet': `${base}ec2-subnet.schema.json`,
      'AWS::EC2::SecurityGroup': `${base}ec2-security-group.schema.json`,
      'AWS::EC2::SecurityGroupIngress': `${base}ec2-security-group.schema.json#/definitions/standaloneIngress`,
      'AWS::EC2::VPCEndpoint': `${base}ec2-vpc-endpoint.schema.json`,
    };
    let checked = 0;
    for (const snippet of Object.values(yamlSnippets)) {
      const { text } = host(snippet.prefix, 'yaml', [expand(snippet, '  ')]);
      const root = parseYaml(text).root!;
      const entries: [string, Node][] = [];
      const resources = get(root, 'Resources');
      if (isMap(resources)) for (const p of resources.pairs) entries.push([String(p.key.value), p.value]);
      const functions = get(root, 'functions');
      if (isMap(functions)) {
        for (const p of functions.pairs) {
          const ok = ajv.validate(`${base}serverless-vpc.schema.json`, toPlain(get(p.value, 'vpc')));
          assert.ok(ok, `${snippet.prefix} ${String(p.key.value)}.vpc: ${ajv.errorsText()}`);
          checked++;
        }
      }
      for (const [id, node] of entries) {
        const type = str(get(node, 'Type')) ?? '';
        const props = toPlain(get(node, 'Properties'));
        if (schemaFor[type]) {
          assert.ok(ajv.validate(schemaFor[type]!, props), `${snippet.prefix} ${id}: ${ajv.errorsText()}`);
          checked++;
        }
        if (type === 'AWS::Lambda::Function' || type === 'AWS::Serverless::Function') {
          assert.ok(ajv.validate(`${base}lambda-vpc-config.schema.json`, (props as Record<string, unknown>).VpcConfig), `${snippet.prefix} ${id}: ${ajv.errorsText()}`);
          checked++;
        }
      }
    }
    assert.equal(checked, 19, 'every subnet, group, rule, endpoint and VPC config of the snippets');
  });

  it('package.json contributes no static snippets (the language server offers them where they fit) and the YAML custom tags for every short-form tag', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { snippets?: unknown; configurationDefaults: Record<string, string[]> };
    };
    assert.equal(pkg.contributes.snippets, undefined);
    const tags = pkg.contributes.configurationDefaults['yaml.customTags']!;
    // Every tag the parser turns into an intrinsic function, in the three forms YAML allows.
    const names = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'Select', 'Split', 'GetAZs', 'If', 'Equals', 'And', 'Or', 'Not', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'Transform', 'Length', 'ToJsonString'];
    for (const name of names) {
      const parsed = parseYaml(`a: !${name} x\n`).root;
      const key = isMap(get(parsed, 'a')) ? String((get(parsed, 'a') as { pairs: { key: { value: unknown } }[] }).pairs[0]!.key.value) : undefined;
      assert.ok(key === 'Ref' || key === 'Condition' || key === `Fn::${name}`, `the parser knows !${name}`);
      for (const form of ['scalar', 'sequence', 'mapping']) assert.ok(tags.includes(`!${name} ${form}`), `!${name} ${form}`);
    }
    assert.equal(tags.length, names.length * 3);
  });
});

/** Plain data with `Fn::GetAtt: "A.B"` and `["A", "B"]` made equal, and numbers as strings. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]![0] === 'Fn::GetAtt' && typeof entries[0]![1] === 'string') {
      const s = entries[0]![1];
      const dot = s.indexOf('.');
      return { 'Fn::GetAtt': [s.slice(0, dot), s.slice(dot + 1)] };
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v)]));
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'string' ? value.replace(/\n$/, '') : value;
}
