/**
 * Live facts in the core: what the model asks for (`unresolvedIds`), how looked-up subnets, route
 * tables, NAT gateways, endpoints and groups join the model, and that the same rules then fire on them,
 * naming their source, while findings about live resources themselves and fixes that would write live
 * ids are left out. Exports and SSM values resolve; a Serverless `${param:}` reads the file's params.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../server/src/core/analyze';
import { analyze } from '../../server/src/core/analyze';
import type { LiveFacts, LiveRoute } from '../../server/src/core/live';
import { emptyLiveFacts, unresolvedIds } from '../../server/src/core/live';

const VPC = 'vpc-0a1b2c3d4e5f60001';
const A = 'subnet-0a1b2c3d4e5f60001';
const B = 'subnet-0a1b2c3d4e5f60002';
const PUB = 'subnet-0a1b2c3d4e5f60003';
const SG = 'sg-0a1b2c3d4e5f60001';
const RTB = 'rtb-0a1b2c3d4e5f60001';
const MAIN = 'rtb-0a1b2c3d4e5f60003';
const NAT = 'nat-0a1b2c3d4e5f60001';

interface AccountOptions {
  defaultRoute?: LiveRoute;
  azB?: string;
  endpointsListed?: boolean;
  endpoints?: LiveFacts['endpoints'];
  /** B uses the VPC's main table. */
  bOnMain?: boolean;
  mainRoutes?: LiveRoute[];
}

function account(o: AccountOptions = {}): LiveFacts {
  const live = emptyLiveFacts('us-east-1');
  const local: LiveRoute = { destination: '10.0.0.0/16', target: 'other', targetId: 'local' };
  live.vpcs.push({ id: VPC, cidr: '10.0.0.0/16', tenancy: 'default', mainRouteTable: MAIN, endpointsListed: o.endpointsListed ?? true });
  live.subnets.push(
    { id: A, vpcId: VPC, availabilityZone: 'us-east-1a', cidr: '10.0.1.0/24', ipv6Cidrs: [], routeTable: RTB },
    { id: B, vpcId: VPC, availabilityZone: o.azB ?? 'us-east-1b', cidr: '10.0.2.0/24', ipv6Cidrs: [], routeTable: o.bOnMain ? MAIN : RTB },
    { id: PUB, vpcId: VPC, availabilityZone: 'us-east-1a', cidr: '10.0.0.0/24', ipv6Cidrs: [], routeTable: 'rtb-0a1b2c3d4e5f60002' },
  );
  live.routeTables.push(
    { id: RTB, vpcId: VPC, main: false, routes: [local, ...(o.defaultRoute ? [o.defaultRoute] : [])] },
    { id: 'rtb-0a1b2c3d4e5f60002', vpcId: VPC, main: false, routes: [local, { destination: '0.0.0.0/0', target: 'internet-gateway', targetId: 'igw-0a1b2c3d4e5f60001' }] },
    { id: MAIN, vpcId: VPC, main: true, routes: [local, ...(o.mainRoutes ?? [])] },
  );
  live.natGateways.push({ id: NAT, vpcId: VPC, subnetId: PUB, connectivity: 'public', state: 'available' });
  live.endpoints.push(...(o.endpoints ?? []));
  live.securityGroups.push({ id: SG, vpcId: VPC, ingress: [], egress: [{ protocol: '-1', cidrs: ['0.0.0.0/0'], ipv6Cidrs: [], groups: [], prefixLists: [] }] });
  return live;
}

const TO_NAT: LiveRoute = { destination: '0.0.0.0/0', target: 'nat-gateway', targetId: NAT };
const TO_IGW: LiveRoute = { destination: '0.0.0.0/0', target: 'internet-gateway', targetId: 'igw-0a1b2c3d4e5f60001' };

function template(subnets: string, extra = '', env = 'PARTNER_URL: https://api.partner.example.com/v1'): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }
  Sg: { Type: 'AWS::EC2::SecurityGroup::Id', Default: ${SG} }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          ${env}
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [!Ref Sg]
${extra}`;
}

function run(text: string, options: AnalyzeOptions = {}) {
  const result = analyze(text, options);
  assert.deepEqual(result.problems.filter((p) => /Internal error/.test(p.message)), [], 'no internal error');
  return result;
}

const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.ruleId).sort();

describe('unresolvedIds', () => {
  it('lists the ids, exports and SSM names the template refers to without defining', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Subnets: { Type: 'List<AWS::EC2::Subnet::Id>' }
  NetSubnets: { Type: 'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>', Default: /network/private-subnets }
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Environment:
        Variables:
          Q: '{{resolve:ssm:/app/queue-url}}'
          S: '{{resolve:secretsmanager:db:SecretString:password}}'
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [sg-0a1b2c3d4e5f60009, !ImportValue network-LambdaSg]
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: !Ref NetSubnets
        SecurityGroupIds: [!Ref Sg2]
  Sg2:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: x, VpcId: vpc-0a1b2c3d4e5f60009 }
  Route:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: rtb-0a1b2c3d4e5f60009, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-0a1b2c3d4e5f60009 }
`;
    const r = run(text, { params: { Subnets: `${A},${B}` }, live: emptyLiveFacts('us-east-1') });
    assert.deepEqual(unresolvedIds(r.model!), {
      subnets: [A, B],
      securityGroups: ['sg-0a1b2c3d4e5f60009'],
      vpcs: ['vpc-0a1b2c3d4e5f60009'],
      routeTables: ['rtb-0a1b2c3d4e5f60009'],
      natGateways: [],
      exports: ['network-LambdaSg'],
      ssmParameters: ['/app/queue-url', '/network/private-subnets'],
      stacks: [],
      nestedStacks: [],
    });
  });

  it('lists a template subnet in an existing VPC; its main table decides its egress', () => {
    const text = template('[!Ref Own]', `  Own:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: ${VPC}, CidrBlock: 10.0.9.0/24, AvailabilityZone: us-east-1a }
`);
    assert.deepEqual(unresolvedIds(run(text, { live: emptyLiveFacts('us-east-1') }).model!).vpcs, [VPC]);
    assert.ok(!ids(run(text)).includes('no-egress-route'), 'another stack\'s main table is unknown');
    assert.ok(ids(run(text, { live: account() })).includes('no-egress-route'), 'the live main table has only the local route');
    assert.ok(!ids(run(text, { live: account({ mainRoutes: [TO_NAT] }) })).includes('no-egress-route'));
  });

  it('lists nothing for a template that defines its network', () => {
    const r = run(template('[!Ref Own]', `  Own:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
`));
    const request = unresolvedIds(r.model!);
    assert.deepEqual(request.subnets, []);
    assert.deepEqual(request.vpcs, []);
  });
});

describe('rules over live facts', () => {
  const text = template('!Ref Subnets');
  const params = { Subnets: `${A},${B}` };

  it('stay silent on ids nobody looked up', () => {
    // Only network-unknown, which names the ids that were not looked up.
    assert.deepEqual(ids(run(text, { params })).filter((id) => id !== 'vpc-without-private-resources'), ['network-unknown']);
  });

  it('no-egress-route fires when the live route table has no way out, naming where the facts came from', () => {
    const r = run(text, { params, live: account() });
    const f = r.findings.find((x) => x.ruleId === 'no-egress-route');
    assert.ok(f, ids(r).join(', '));
    assert.equal(f.resource, 'Fn');
    assert.equal(f.severity, 'error');
    assert.match(f.message, new RegExp(`${A} \\(live, us-east-1\\)`));
    assert.ok(f.related.some((rel) => rel.message.includes(`'${RTB}' (live, us-east-1)`)), JSON.stringify(f.related));
    assert.deepEqual(f.fixes, [], 'no fix: the network is not in the template');
    // The related spans point into the template (the parameter reference), never at offset 0.
    for (const rel of f.related) assert.ok(rel.span.start > 0);
  });

  it('no-egress-route stays silent when the live table routes to a NAT gateway', () => {
    assert.ok(!ids(run(text, { params, live: account({ defaultRoute: TO_NAT }) })).includes('no-egress-route'));
  });

  it('a subnet without an association takes the VPC main table: its routes decide', () => {
    assert.ok(ids(run(text, { params, live: account({ defaultRoute: TO_NAT, bOnMain: true }) })).includes('no-egress-route'));
    assert.ok(!ids(run(text, { params, live: account({ defaultRoute: TO_NAT, bOnMain: true, mainRoutes: [TO_NAT] }) })).includes('no-egress-route'));
  });

  it('a subnet whose route table could not be read stays unknown', () => {
    const live = account();
    for (const s of live.subnets) delete s.routeTable;
    assert.ok(!ids(run(text, { params, live })).includes('no-egress-route'));
  });

  it('single-az compares the live zones', () => {
    assert.ok(ids(run(text, { params, live: account({ defaultRoute: TO_NAT, azB: 'us-east-1a' }) })).includes('single-az'));
    assert.ok(!ids(run(text, { params, live: account({ defaultRoute: TO_NAT }) })).includes('single-az'));
  });

  it('public-subnet fires when every live subnet routes to an internet gateway', () => {
    const r = run(text, { params, live: account({ defaultRoute: TO_IGW }) });
    assert.ok(ids(r).includes('public-subnet'), ids(r).join(', '));
  });

  it('sg-egress-blocked reads the live group\'s egress, and dedicated-tenancy the live VPC\'s tenancy', () => {
    const closed = account({ defaultRoute: TO_NAT });
    closed.securityGroups[0]!.egress = [{ protocol: 'tcp', fromPort: 5432, toPort: 5432, cidrs: ['10.0.0.0/16'], ipv6Cidrs: [], groups: [], prefixLists: [] }];
    assert.ok(ids(run(text, { params, live: closed })).includes('sg-egress-blocked'));
    assert.ok(!ids(run(text, { params, live: account({ defaultRoute: TO_NAT }) })).includes('sg-egress-blocked'));
    const dedicated = account({ defaultRoute: TO_NAT });
    dedicated.vpcs[0]!.tenancy = 'dedicated';
    assert.ok(ids(run(text, { params, live: dedicated })).includes('dedicated-tenancy'));
  });

  it('a route the template adds to an existing table makes that table\'s egress unknown', () => {
    const withRoute = template('!Ref Subnets', `  ExtraRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: ${RTB}, DestinationCidrBlock: 0.0.0.0/0, TransitGatewayId: tgw-0a1b2c3d4e5f60001 }
`);
    assert.ok(!ids(run(withRoute, { params, live: account() })).includes('no-egress-route'));
  });

  it('an association the template makes moves an existing subnet to the template\'s table', () => {
    const withAssoc = template('!Ref Subnets', `  Private:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: ${VPC} }
  ToNat:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Private, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: ${NAT} }
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: ${A}, RouteTableId: !Ref Private }
  AssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: ${B}, RouteTableId: !Ref Private }
`);
    assert.ok(!ids(run(withAssoc, { params, live: account() })).includes('no-egress-route'));
  });
});

describe('endpoints over live facts', () => {
  const text = template('!Ref Subnets', `  Queue:
    Type: AWS::SQS::Queue
`, 'QUEUE_URL: !Ref Queue');
  const params = { Subnets: `${A},${B}` };
  const sqs = (overrides: Partial<LiveFacts['endpoints'][number]> = {}): LiveFacts['endpoints'][number] => ({
    id: 'vpce-0a1b2c3d4e5f60001', vpcId: VPC, type: 'Interface', serviceName: 'com.amazonaws.us-east-1.sqs', routeTableIds: [], subnetIds: [A, B], securityGroupIds: [SG], privateDns: true, state: 'available', ...overrides,
  });

  it('missing-endpoint fires when the listed endpoints of the VPC serve no sqs', () => {
    const r = run(text, { params, live: account() });
    const f = r.findings.find((x) => x.ruleId === 'missing-endpoint');
    assert.ok(f, ids(r).join(', '));
    assert.match(f.message, new RegExp(`VPC '${VPC}' \\(live, us-east-1\\)`));
    assert.deepEqual(f.fixes, []);
  });

  it('missing-endpoint is silent when an sqs endpoint exists, and when the endpoints could not be listed', () => {
    assert.ok(!ids(run(text, { params, live: account({ endpoints: [sqs()] }) })).includes('missing-endpoint'));
    assert.ok(!ids(run(text, { params, live: account({ endpointsListed: false }) })).includes('missing-endpoint'));
  });

  it('a deleted endpoint does not count', () => {
    assert.ok(ids(run(text, { params, live: account({ endpoints: [sqs({ state: 'deleted' })] }) })).includes('missing-endpoint'));
  });

  it('findings about the live resources themselves are left out', () => {
    // The live endpoint has private DNS off: endpoint-private-dns-disabled would report on the endpoint.
    const r = run(text, { params, live: account({ endpoints: [sqs({ privateDns: false })] }) });
    const liveIds = r.model!.live!.ids;
    assert.ok(liveIds.has('vpce-0a1b2c3d4e5f60001'));
    assert.deepEqual(r.findings.filter((f) => liveIds.has(f.resource)), []);
  });
});

describe('exports and SSM values', () => {
  const params = {};

  it('Fn::ImportValue resolves through the exports, split into a list', () => {
    const text = template('!Split [",", !ImportValue network-PrivateSubnets]');
    assert.ok(!ids(run(text, { params })).includes('no-egress-route'));
    const live = account();
    live.exports['network-PrivateSubnets'] = `${A},${B}`;
    assert.ok(ids(run(text, { params, live })).includes('no-egress-route'));
  });

  it('{{resolve:ssm:...}} resolves through the SSM values; secrets never do', () => {
    const text = template(`['{{resolve:ssm:/network/subnet-a}}', '{{resolve:ssm:/network/subnet-b:2}}']`);
    const live = account();
    live.ssmParameters['/network/subnet-a'] = { value: A, type: 'String' };
    live.ssmParameters['/network/subnet-b:2'] = { value: B, type: 'String' };
    const r = run(text, { live });
    assert.ok(ids(r).includes('no-egress-route'), ids(r).join(', '));
    assert.deepEqual(unresolvedIds(r.model!).ssmParameters, []);
  });

  it('an SSM-typed parameter takes the looked-up value; resting on its Default, the finding is lowered', () => {
    const text = template('!Ref NetSubnets').replace('Parameters:\n', 'Parameters:\n  NetSubnets: { Type: \'AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>\', Default: /network/private-subnets }\n');
    const live = account();
    live.ssmParameters['/network/private-subnets'] = { value: `${A},${B}`, type: 'StringList' };
    const f = run(text, { live }).findings.find((x) => x.ruleId === 'no-egress-route');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /assuming the default of parameter 'NetSubnets'/);
    // Given as a value, the SSM name is known and so is the finding.
    const given = run(text, { live, params: { NetSubnets: '/network/private-subnets' } }).findings.find((x) => x.ruleId === 'no-egress-route');
    assert.equal(given?.severity, 'error');
  });

  it('live notices become warning problems', () => {
    const live = account();
    live.notices = ['live lookups in us-east-1 failed (AccessDenied)'];
    const r = run(template('!Ref Subnets'), { params: { Subnets: `${A},${B}` }, live });
    assert.deepEqual(r.problems.map((p) => [p.severity, p.message]), [['warning', 'live lookups in us-east-1 failed (AccessDenied)']]);
  });
});

describe('Serverless params and SSM', () => {
  const serverless = (subnets: string) => `service: api
provider:
  name: aws
  runtime: nodejs20.x
  environment:
    PARTNER_URL: https://api.partner.example.com/v1
  vpc:
    securityGroupIds: [${SG}]
    subnetIds: ${subnets}
params:
  default:
    subnetA: ${A}
    subnetB: ${PUB}
  prod:
    subnetB: ${B}
functions:
  api:
    handler: index.handler
`;

  it('${param:x} reads the stage\'s params, then default', () => {
    const text = serverless('\n      - ${param:subnetA}\n      - ${param:subnetB}');
    const live = account({ defaultRoute: TO_NAT });
    assert.ok(ids(run(text, { live })).includes('single-az'), 'dev: both subnets from default, one zone');
    assert.ok(!ids(run(text, { live, stage: 'prod' })).includes('single-az'), 'prod: subnetB overridden');
    const refs = run(text, { stage: 'prod' }).model!.functions[0]!.variants[0]!.vpc!.subnetIds.items.map((r) => r.literal);
    assert.deepEqual(refs, [A, B]);
  });

  it('${param:x} that the file does not hold stays unknown; --param gives it', () => {
    const text = serverless('\n      - ${param:elsewhere}');
    const items = (r: ReturnType<typeof run>) => r.model!.functions[0]!.variants[0]!.vpc!.subnetIds.items;
    assert.equal(items(run(text))[0]!.state, 'unknown');
    assert.equal(items(run(text, { params: { elsewhere: B } }))[0]!.literal, B);
  });

  it('${ssm:...} of a StringList becomes a list, as the framework makes it', () => {
    const text = serverless('${ssm:/network/private-subnets}');
    const live = account();
    live.ssmParameters['/network/private-subnets'] = { value: `${A},${B}`, type: 'StringList' };
    assert.deepEqual(unresolvedIds(run(text).model!).ssmParameters, ['/network/private-subnets']);
    const r = run(text, { live });
    assert.ok(ids(r).includes('no-egress-route'), ids(r).join(', '));
  });
});

describe('every rule over a live model', () => {
  it('runs without an internal error, reports on no live resource and writes no live id', () => {
    const text = template('!Ref Subnets', `  Queue:
    Type: AWS::SQS::Queue
  Db:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: postgres, VPCSecurityGroups: [${SG}], DBInstanceClass: db.t3.micro }
  DbIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: { GroupId: ${SG}, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16 }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: ${A}, AllocationId: eipalloc-0a1b2c3d4e5f60001 }
`, 'QUEUE_URL: !Ref Queue\n          DB: !GetAtt Db.Endpoint.Address\n          PARTNER_URL: https://api.partner.example.com/v1');
    for (const o of [{}, { defaultRoute: TO_NAT }, { defaultRoute: TO_IGW }, { endpointsListed: false }, { azB: 'us-east-1a' }] as AccountOptions[]) {
      const live = account(o);
      live.networkAcls.push({ id: 'acl-0a1b2c3d4e5f60001', vpcId: VPC, isDefault: false, subnetIds: [A, B], entries: [{ ruleNumber: 100, protocol: '-1', allow: false, egress: true, cidr: '0.0.0.0/0' }] });
      live.subnets[0]!.networkAcl = 'acl-0a1b2c3d4e5f60001';
      live.subnets[1]!.networkAcl = 'acl-0a1b2c3d4e5f60001';
      const r = run(text, { params: { Subnets: `${A},${B}` }, live });
      const liveIds = [...r.model!.live!.ids];
      assert.ok(liveIds.length > 5);
      assert.deepEqual(r.findings.filter((f) => liveIds.includes(f.resource)), []);
      for (const f of r.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(!liveIds.some((id) => e.text.includes(id)), `${f.ruleId} fix writes a live id`);
    }
  });
});
