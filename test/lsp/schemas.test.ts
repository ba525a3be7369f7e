/**
 * The JSON Schemas under schemas/: valid draft-07 that Ajv compiles, the suppression schema's rule ids
 * are exactly the registered rules, and what the editor reads from them (descriptions, properties,
 * enums) is found where templates put those properties.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { parseYaml } from '../../server/src/core/parse/yaml';
import { allRules } from '../../server/src/core/rules/registry';
import { descriptionOf, enumOf, propertiesOf, ruleIdEnum, schemaAt } from '../../server/src/lsp/schema-docs';

const DIR = resolve(__dirname, '..', '..', 'schemas');
const files = readdirSync(DIR).filter((f) => f.endsWith('.schema.json'));

describe('schemas', () => {
  it('compile with Ajv, every $ref resolving', () => {
    const ajv = new Ajv({ strict: false });
    const schemas = files.map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { $id: string });
    for (const s of schemas) ajv.addSchema(s);
    for (const s of schemas) assert.ok(ajv.getSchema(s.$id), s.$id);
    assert.equal(files.length, 7);
  });

  it('list exactly the registered rule ids for suppressions, each with a description', () => {
    assert.deepEqual(ruleIdEnum().map((r) => r.id), allRules.map((r) => r.id));
    const catalogue = readFileSync(resolve(__dirname, '..', 'fixtures', 'catalogue-ids.txt'), 'utf8').split('\n').filter(Boolean).sort();
    assert.deepEqual(ruleIdEnum().map((r) => r.id).sort(), catalogue);
    assert.ok(ruleIdEnum().every((r) => (r.description ?? '').length > 10));
  });

  it('validate the suppression Metadata', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(DIR, 'suppression-metadata.schema.json'), 'utf8')) as object);
    assert.ok(validate({ 'lambda-vpc-lint': { ignore: ['single-az', 'public-subnet'] }, Other: 1 }));
    assert.ok(validate({ 'lambda-vpc-lint': { ignore: 'single-az' } }));
    assert.ok(!validate({ 'lambda-vpc-lint': { ignore: ['no-such-rule'] } }));
    assert.ok(!validate({ 'lambda-vpc-lint': { ignored: ['single-az'] } }));
  });

  it('are found where templates put the properties', () => {
    const root = parseYaml(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn: { Type: AWS::Serverless::Function }
  Ep: { Type: AWS::EC2::VPCEndpoint }
  Sg: { Type: AWS::EC2::SecurityGroup }
  In: { Type: AWS::EC2::SecurityGroupIngress }
  Sn: { Type: AWS::EC2::Subnet }
`).root;
    const doc = (path: string[]) => descriptionOf(schemaAt(path, root, 'sam')!)?.markdown ?? '';
    assert.match(doc(['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds']), /at most 16/);
    assert.match(doc(['Globals', 'Function', 'VpcConfig', 'SecurityGroupIds']), /at most 5/);
    assert.match(doc(['Resources', 'Ep', 'Properties', 'PrivateDnsEnabled']), /default is `false`/);
    assert.match(doc(['Resources', 'Sg', 'Properties', 'SecurityGroupEgress']), /replaces AWS's default allow-all rule/);
    assert.match(doc(['Resources', 'Sg', 'Properties', 'SecurityGroupIngress', '[]', 'SourceSecurityGroupId']), /Lambda function's group/);
    assert.match(doc(['Resources', 'In', 'Properties', 'FromPort']), /database port/);
    assert.match(doc(['Resources', 'Sn', 'Properties', 'AvailabilityZone']), /GetAZs/);
    assert.match(doc(['Resources', 'Fn', 'Metadata', 'lambda-vpc-lint', 'ignore']), /Rule ids/);
    assert.deepEqual(propertiesOf(schemaAt(['Resources', 'Fn', 'Properties', 'VpcConfig'], root, 'sam')!).map((p) => p.name), ['SubnetIds', 'SecurityGroupIds', 'Ipv6AllowedForDualStack']);
    assert.deepEqual(enumOf(schemaAt(['Resources', 'Ep', 'Properties', 'VpcEndpointType'], root, 'sam')!).map((e) => e.value).slice(0, 3), ['Gateway', 'Interface', 'GatewayLoadBalancer']);
    assert.equal(schemaAt(['Resources', 'Fn', 'Properties', 'Handler'], root, 'sam'), undefined);
    const sls = parseYaml('service: s\nprovider: { name: aws }\n').root;
    assert.match(descriptionOf(schemaAt(['functions', 'api', 'vpc', 'subnetIds'], sls, 'serverless')!)?.markdown ?? '', /two Availability Zones/);
    assert.match(descriptionOf(schemaAt(['provider', 'vpc'], sls, 'serverless')!)?.markdown ?? '', /drops the whole VPC configuration/);
  });
});
