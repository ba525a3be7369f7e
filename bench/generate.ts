/**
 * Generates realistic templates for the benchmark: repeated network units (a VPC with public and
 * private subnets in two AZs, route tables, NAT gateways, endpoints, security groups, a database, a
 * role, a queue) and VPC functions, a third of them misconfigured in varied ways. Four dialects:
 * CloudFormation YAML (short-form tags), CloudFormation JSON, SAM, Serverless.
 */

export type BenchDialect = 'cfn-yaml' | 'cfn-json' | 'sam' | 'serverless';

type V = string | number | boolean | V[] | { [k: string]: V } | Tag;

class Tag {
  constructor(readonly tag: string, readonly value: V) {}
}

const ref = (id: string) => new Tag('!Ref', id);
const getAtt = (id: string, attr: string) => new Tag('!GetAtt', `${id}.${attr}`);
const sub = (s: string) => new Tag('!Sub', s);
const az = (i: number) => new Tag('!Select', [i, new Tag('!GetAZs', '')]);

function longForm(v: V): unknown {
  if (v instanceof Tag) {
    const name = v.tag.slice(1);
    if (name === 'Ref') return { Ref: v.value };
    if (name === 'GetAtt') return { 'Fn::GetAtt': String(v.value).split('.') };
    return { [`Fn::${name}`]: longForm(v.value) };
  }
  if (Array.isArray(v)) return v.map(longForm);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, longForm(x)]));
  return v;
}

function yamlScalar(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z0-9_/.:-][A-Za-z0-9_ /.:-]*$/.test(v) && !/^(true|false|null|\d[\d.]*)$/.test(v) && !v.includes(': ') ? v : `'${v.replace(/'/g, "''")}'`;
}

function inline(v: V): string {
  if (v instanceof Tag) return `${v.tag} ${inline(v.value)}`;
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${inline(x)}`).join(', ')} }`;
  return yamlScalar(v);
}

function yaml(v: V, indent: string): string {
  if (v instanceof Tag || typeof v !== 'object') return ` ${inline(v)}`;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x instanceof Tag)) return ` ${inline(v)}`;
    return v.map((x) => `\n${indent}-${yaml(x, indent + '  ').replace(/^\n\s*/, ' ')}`).join('');
  }
  return Object.entries(v).map(([k, x]) => `\n${indent}${k}:${yaml(x, indent + '  ')}`).join('');
}

interface Unit {
  resources: Record<string, { [k: string]: V }>;
  functions: { id: string; subnets: string[]; sg: string; role: string; env: Record<string, V> }[];
}

/** One network unit: about 30 resources with three functions; `k % 3` picks how it is misconfigured. */
function unit(k: number): Unit {
  const p = (s: string) => `${s}${k}`;
  const broken = k % 3;
  const r: Unit['resources'] = {};
  r[p('Vpc')] = { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: `10.${k % 250}.0.0/16`, EnableDnsSupport: true, EnableDnsHostnames: broken !== 2 } };
  r[p('Igw')] = { Type: 'AWS::EC2::InternetGateway' };
  r[p('Attach')] = { Type: 'AWS::EC2::VPCGatewayAttachment', Properties: { VpcId: ref(p('Vpc')), InternetGatewayId: ref(p('Igw')) } };
  for (const [i, side] of [[0, 'A'], [1, 'B']] as const) {
    r[p(`Public${side}`)] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref(p('Vpc')), CidrBlock: `10.${k % 250}.${i}.0/24`, AvailabilityZone: az(i) } };
    r[p(`Private${side}`)] = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: ref(p('Vpc')), CidrBlock: `10.${k % 250}.${10 + i}.0/24`, AvailabilityZone: az(i) } };
    r[p(`PublicAssoc${side}`)] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(p(`Public${side}`)), RouteTableId: ref(p('PublicRt')) } };
    r[p(`PrivateAssoc${side}`)] = { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { SubnetId: ref(p(`Private${side}`)), RouteTableId: ref(p('PrivateRt')) } };
  }
  r[p('PublicRt')] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref(p('Vpc')) } };
  r[p('PublicRoute')] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref(p('PublicRt')), DestinationCidrBlock: '0.0.0.0/0', GatewayId: ref(p('Igw')) } };
  r[p('Eip')] = { Type: 'AWS::EC2::EIP', Properties: { Domain: 'vpc' } };
  r[p('Nat')] = { Type: 'AWS::EC2::NatGateway', Properties: broken === 1 ? { SubnetId: ref(p('PublicA')) } : { SubnetId: ref(p('PublicA')), AllocationId: getAtt(p('Eip'), 'AllocationId') } };
  r[p('PrivateRt')] = { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: ref(p('Vpc')) } };
  if (broken !== 1) r[p('PrivateRoute')] = { Type: 'AWS::EC2::Route', Properties: { RouteTableId: ref(p('PrivateRt')), DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ref(p('Nat')) } };
  r[p('S3Endpoint')] = { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: ref(p('Vpc')), ServiceName: sub('com.amazonaws.${AWS::Region}.s3'), RouteTableIds: [ref(p('PrivateRt'))] } };
  r[p('SqsEndpoint')] = { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcId: ref(p('Vpc')), VpcEndpointType: 'Interface', ServiceName: sub('com.amazonaws.${AWS::Region}.sqs'), PrivateDnsEnabled: broken !== 2, SubnetIds: [ref(p('PrivateA')), ref(p('PrivateB'))], SecurityGroupIds: [getAtt(p('EndpointSg'), 'GroupId')] } };
  r[p('EndpointSg')] = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'endpoints', VpcId: ref(p('Vpc')), SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: getAtt(p('LambdaSg'), 'GroupId') }] } };
  r[p('LambdaSg')] = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'functions', VpcId: ref(p('Vpc')) } };
  r[p('DbSg')] = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'database', VpcId: ref(p('Vpc')), SecurityGroupIngress: broken === 0 ? [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: getAtt(p('LambdaSg'), 'GroupId') }] : [] } };
  r[p('Db')] = { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: '20', VPCSecurityGroups: [getAtt(p('DbSg'), 'GroupId')] } };
  r[p('Queue')] = { Type: 'AWS::SQS::Queue' };
  r[p('Role')] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: broken === 1 ? [] : [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole')],
      Policies: [{ PolicyName: 'app', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage', 's3:GetObject', 'dynamodb:PutItem'], Resource: '*' }] } }],
    },
  };
  const subnets = broken === 2 ? [p('PublicA')] : [p('PrivateA'), p('PrivateB')];
  const functions = ['A', 'B', 'C'].map((s) => ({
    id: p(`Fn${s}`),
    subnets,
    sg: p('LambdaSg'),
    role: p('Role'),
    env: { QUEUE_URL: ref(p('Queue')) as V, DB_HOST: getAtt(p('Db'), 'Endpoint.Address') as V, STAGE: 'prod' as V },
  }));
  return { resources: r, functions };
}

export function generate(dialect: BenchDialect, targetResources: number): string {
  const resources: Unit['resources'] = {};
  const functions: Unit['functions'] = [];
  let count = 0;
  for (let k = 0; count < targetResources; k++) {
    const u = unit(k);
    for (const [id, res] of Object.entries(u.resources)) {
      if (count >= targetResources) break;
      resources[id] = res;
      count++;
    }
    for (const fn of u.functions) {
      if (count >= targetResources) break;
      functions.push(fn);
      count++;
    }
  }
  if (dialect === 'serverless') {
    const fns: Record<string, V> = {};
    for (const fn of functions) {
      fns[fn.id] = { handler: 'src/handler.main', role: fn.role, environment: fn.env, vpc: { securityGroupIds: [getAtt(fn.sg, 'GroupId')], subnetIds: fn.subnets.map(ref) } };
    }
    const doc: { [k: string]: V } = { service: 'bench', provider: { name: 'aws', runtime: 'nodejs20.x', region: 'us-east-1' }, functions: fns, resources: { Resources: resources } };
    return `${yaml(doc, '').slice(1)}\n`;
  }
  for (const fn of functions) {
    const common = { Role: getAtt(fn.role, 'Arn'), Environment: { Variables: fn.env }, VpcConfig: { SubnetIds: fn.subnets.map(ref), SecurityGroupIds: [getAtt(fn.sg, 'GroupId')] } };
    resources[fn.id] = dialect === 'sam'
      ? { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', CodeUri: 'src/', ...common } }
      : { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1' }, ...common } };
  }
  const doc: { [k: string]: V } = { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
  if (dialect === 'sam') doc.Transform = 'AWS::Serverless-2016-10-31';
  if (dialect === 'cfn-json') return `${JSON.stringify(longForm(doc), null, 2)}\n`;
  return `${yaml(doc, '').slice(1)}\n`;
}

export function extension(dialect: BenchDialect): string {
  return dialect === 'cfn-json' ? 'json' : 'yaml';
}
