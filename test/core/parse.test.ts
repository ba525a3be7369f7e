/** The parser: short-form tags, JSON ranges, problems instead of exceptions, dialect detection. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../server/src/core/parse';
import { parseJson } from '../../server/src/core/parse/json';
import { parseYaml, ALIAS_EXPANSION_LIMIT } from '../../server/src/core/parse/yaml';
import { toPlain } from '../../server/src/core/to-json';
import { get, getPath } from '../../server/src/core/tree';

const plain = (yaml: string) => toPlain(parseYaml(yaml).root);

describe('YAML short-form tags', () => {
  const cases: [string, string, unknown][] = [
    ['!Ref', 'v: !Ref Vpc', { Ref: 'Vpc' }],
    ['!GetAtt dotted', 'v: !GetAtt Sg.GroupId', { 'Fn::GetAtt': 'Sg.GroupId' }],
    ['!GetAtt list', 'v: !GetAtt [Sg, GroupId]', { 'Fn::GetAtt': ['Sg', 'GroupId'] }],
    ['!Sub string', 'v: !Sub "com.amazonaws.${AWS::Region}.s3"', { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3' }],
    ['!Sub list', 'v: !Sub\n  - "${A}-x"\n  - { A: !Ref B }', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Join', 'v: !Join [",", [a, b]]', { 'Fn::Join': [',', ['a', 'b']] }],
    ['!Select with !GetAZs', "v: !Select [0, !GetAZs '']", { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!GetAZs without argument', 'v: !GetAZs', { 'Fn::GetAZs': '' }],
    ['!Split', 'v: !Split [",", !Ref L]', { 'Fn::Split': [',', { Ref: 'L' }] }],
    ['!If', 'v: !If [C, a, !Ref AWS::NoValue]', { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Equals', 'v: !Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!And / !Or / !Not / !Condition', 'v: !And [!Or [!Condition A, !Not [!Condition B]]]', { 'Fn::And': [{ 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Not': [{ Condition: 'B' }] }] }] }],
    ['!FindInMap', 'v: !FindInMap [M, k1, k2]', { 'Fn::FindInMap': ['M', 'k1', 'k2'] }],
    ['!Base64', 'v: !Base64 abc', { 'Fn::Base64': 'abc' }],
    ['!Cidr', 'v: !Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!ImportValue', 'v: !ImportValue shared-vpc', { 'Fn::ImportValue': 'shared-vpc' }],
    ['!Transform', 'v: !Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
  ];
  for (const [name, text, expected] of cases) {
    it(`${name} becomes the long form`, () => {
      assert.deepEqual((plain(text) as { v: unknown }).v, expected);
      const longForm = `v: ${JSON.stringify(expected)}`;
      assert.deepEqual(plain(longForm), plain(text), 'same tree as the long form');
    });
  }

  it('spans a tagged node from its tag to the end of its value', () => {
    const text = 'Resources:\n  A:\n    Sub: !GetAtt Sg.GroupId\n';
    const node = getPath(parseYaml(text).root, ['Resources', 'A', 'Sub'])!;
    assert.equal(text.slice(node.start, node.end), '!GetAtt Sg.GroupId');
    assert.equal(node.tag, '!GetAtt');
  });

  it('leaves unknown tags alone without a problem', () => {
    const r = parseYaml('a: !Foo bar\n');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(toPlain(r.root), { a: 'bar' });
  });
});

describe('YAML structure', () => {
  it('shares anchors through aliases and applies merge keys', () => {
    assert.deepEqual(plain('base: &b { x: 1, y: 2 }\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n'), {
      base: { x: 1, y: 2 },
      use: { x: 1, y: 2 },
      merged: { y: 3, x: 1 },
    });
  });

  it('bounds alias expansion (billion laughs) with a problem', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const r = parseYaml(lines.join('\n'));
    assert.ok(Date.now() - started < 2000, 'finishes quickly');
    assert.ok(r.problems.some((p) => p.message.includes(String(ALIAS_EXPANSION_LIMIT))), 'reports the alias limit');
  });

  it('reports syntax errors as problems with ranges, never throws', () => {
    const text = 'Resources:\n  A: [unclosed\n  B: 1\n';
    const r = parseYaml(text);
    assert.ok(r.problems.length > 0);
    for (const p of r.problems) assert.ok(p.span.start >= 0 && p.span.end <= text.length);
  });

  it('analyses the first of several documents and says so', () => {
    const r = parseYaml('a: 1\n---\nb: 2\n');
    assert.deepEqual(toPlain(r.root), { a: 1 });
    assert.ok(r.problems.some((p) => p.message.includes('more than one YAML document')));
  });

  it('reads multi-line quoted scalars with under-indented lines as CloudFormation does, with exact spans', () => {
    const text = [
      'Resources:',
      '  Endpoint:',
      '    Type: AWS::EC2::VPCEndpoint',
      '    Properties:',
      "      PolicyDocument: '{",
      '         "Statement": [{ "Effect": "Allow",  ',
      '',
      "      \"Action\": \"*\", \"Note\": \"it''s\" }]",
      "      }'",
      '      ServiceName: !Sub "com.amazonaws.\\',
      '    ${AWS::Region}.s3  ',
      '    "',
      '',
    ].join('\n');
    const r = parseYaml(text);
    assert.deepEqual(r.problems, []);
    const props = getPath(r.root, ['Resources', 'Endpoint', 'Properties'])!;
    const policy = get(props, 'PolicyDocument')!;
    assert.equal(toPlain(policy), '{ "Statement": [{ "Effect": "Allow",\n"Action": "*", "Note": "it\'s" }] }');
    assert.equal(text.slice(policy.start, policy.end), text.slice(text.indexOf("'{"), text.indexOf("}'") + 2));
    assert.deepEqual(toPlain(get(props, 'ServiceName')), { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.s3 ' });
  });

  it('reports a quote that never closes as one problem at the quote', () => {
    const text = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: 'orders\n  B:\n    Type: AWS::SQS::Queue\n";
    const r = parseYaml(text);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.span.start, text.indexOf("'orders"));
    assert.match(r.problems[0]!.message, /never closed/);
  });

  it('keeps quoted scalars as strings', () => {
    const r = parseYaml("a: 'true'\nb: true\nc: '5'\n");
    assert.deepEqual(toPlain(r.root), { a: 'true', b: true, c: '5' });
  });
});

describe('JSON', () => {
  it('keeps exact ranges of nested values', () => {
    const text = '{\n  "Resources": {\n    "Fn": { "Properties": { "Role": { "Fn::GetAtt": ["R", "Arn"] } } }\n  }\n}';
    const { root, problems } = parseJson(text);
    assert.deepEqual(problems, []);
    const role = getPath(root, ['Resources', 'Fn', 'Properties', 'Role'])!;
    assert.equal(text.slice(role.start, role.end), '{ "Fn::GetAtt": ["R", "Arn"] }');
    const key = (get(root, 'Resources') as { pairs: { key: { start: number; end: number } }[] }).pairs[0]!.key;
    assert.equal(text.slice(key.start, key.end), '"Fn"');
  });

  it('decodes escapes', () => {
    assert.deepEqual(toPlain(parseJson('{"a": "x\\"y\\u0041\\n"}').root), { a: 'x"yA\n' });
  });

  it('reports a syntax error with its offset and keeps what was read', () => {
    const text = '{ "Resources": { "A": { "Type": "AWS::EC2::VPC" }, } }';
    const { root, problems } = parseJson(text);
    assert.equal(problems.length, 1);
    assert.equal(text[problems[0]!.span.start], '}');
    assert.equal((toPlain(get(get(root, 'Resources'), 'A')) as { Type: string }).Type, 'AWS::EC2::VPC');
  });

  it('survives deep nesting with a problem', () => {
    const text = '['.repeat(10_000) + ']'.repeat(10_000);
    const { problems } = parseJson(text);
    assert.ok(problems[0]!.message.includes('nested'));
  });
});

describe('duplicate keys', () => {
  it('reports a resource defined twice at the second key, in YAML and JSON', () => {
    const yaml = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Queue:\n    Type: AWS::SNS::Topic\n';
    const y = parseTemplate(yaml, 't.yaml');
    assert.deepEqual(y.problems.map((p) => [p.span.start, p.severity]), [[yaml.lastIndexOf('Queue:'), 'error']]);
    assert.match(y.problems[0]!.message, /Duplicate key 'Queue'/);
    const json = '{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}, "Queue": {"Type": "AWS::SNS::Topic"}}}';
    const j = parseTemplate(json, 't.json');
    assert.deepEqual(j.problems.map((p) => p.span.start), [json.lastIndexOf('"Queue"')]);
  });

  it('looks at a node shared through aliases once, and leaves YAML that is not a template alone', () => {
    const shared = 'Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties: &p { X: 1, X: 2 }\n  B:\n    Type: AWS::SQS::Queue\n    Properties: *p\n';
    assert.equal(parseTemplate(shared, 't.yaml').problems.length, 1);
    assert.deepEqual(parseTemplate('name: ci\nname: again\n', 'ci.yaml').problems, []);
  });
});

describe('dialect detection', () => {
  const dialect = (text: string, name?: string) => parseTemplate(text, name).dialect;
  it('recognises CloudFormation, SAM and Serverless by content', () => {
    assert.equal(dialect('AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n'), 'cloudformation');
    assert.equal(dialect('Resources:\n  V:\n    Type: AWS::EC2::VPC\n'), 'cloudformation');
    assert.equal(dialect('Transform: AWS::Serverless-2016-10-31\nResources: {}\n'), 'sam');
    assert.equal(dialect('Resources:\n  F:\n    Type: AWS::Serverless::Function\n'), 'sam');
    assert.equal(dialect('service: api\nprovider:\n  name: aws\n'), 'serverless');
    assert.equal(dialect('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}', 't.json'), 'cloudformation');
  });
  it('leaves other YAML alone', () => {
    assert.equal(dialect('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n'), undefined);
    assert.equal(dialect('name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n'), undefined);
    assert.equal(dialect('services:\n  web:\n    image: nginx\n'), undefined);
    assert.equal(dialect('{"name": "pkg", "version": "1.0.0"}', 'package.json'), undefined);
  });
  it('refuses binary content with a problem', () => {
    const r = parseTemplate('Resources:\u0000\u0001\u0002');
    assert.equal(r.dialect, undefined);
    assert.ok(r.problems[0]!.message.includes('binary'));
  });
});
