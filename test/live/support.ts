/**
 * Shared by the live-facts tests: the loopback EC2 server with CloudFormation `ListExports` (Query
 * protocol, XML) and SSM `GetParameter` (JSON protocol, `X-Amz-Target: AmazonSSM.GetParameter`) on the
 * same port, as an emulator's single endpoint serves them; a small account (a VPC with private subnets in
 * two zones, a public subnet with a NAT gateway); and the environment that gives the CLI fake static
 * credentials and empty AWS config files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ec2Data, Ec2TestServer, FakeRouteTable } from '../support/ec2-server';
import { el, startEc2Server, xmlEscape } from '../support/ec2-server';

export const VPC = 'vpc-0a1b2c3d4e5f60001';
export const PRIVATE_A = 'subnet-0a1b2c3d4e5f60001';
export const PRIVATE_B = 'subnet-0a1b2c3d4e5f60002';
export const PUBLIC_A = 'subnet-0a1b2c3d4e5f60003';
export const SG = 'sg-0a1b2c3d4e5f60001';
export const PRIVATE_TABLE = 'rtb-0a1b2c3d4e5f60001';
export const PUBLIC_TABLE = 'rtb-0a1b2c3d4e5f60002';
export const MAIN_TABLE = 'rtb-0a1b2c3d4e5f60003';
export const NAT = 'nat-0a1b2c3d4e5f60001';
export const IGW = 'igw-0a1b2c3d4e5f60001';
export const ACCESS_KEY_ID = 'AKIDLIVETEST';

export interface FakeExport {
  name: string;
  value: string;
  region?: string;
}

export interface FakeSsmParameter {
  name: string;
  value: string;
  type?: 'String' | 'StringList' | 'SecureString';
  region?: string;
}

/** A deployed stack, as DescribeStacks, ListStackResources and ListStacks show it. */
export interface FakeStack {
  name: string;
  region?: string;
  parameters?: { key: string; value: string; noEcho?: boolean }[];
  outputs?: Record<string, string>;
  resources?: { logicalId: string; type: string; physicalId: string }[];
  /** ISO time of the last update (ListStacks orders by it). */
  updated?: string;
  status?: string;
  /** The parent's name, for a nested stack (ListStacks shows its ParentId and RootId). */
  parent?: string;
}

export const ACCOUNT_ID = '123456789012';

export function stackArn(name: string, region = 'us-east-1'): string {
  return `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${name}/0a1b2c3d-${name.length.toString(16).padStart(4, '0')}-4000-8000-000000000001`;
}

export interface AwsTestServer extends Ec2TestServer {
  exports: FakeExport[];
  ssmParameters: FakeSsmParameter[];
  stacks: FakeStack[];
  /** ListStackResources page size (to exercise NextToken). */
  resourcePageSize: number;
  /** ListExports page size (to exercise NextToken). */
  exportPageSize: number;
}

/**
 * The account: private subnets A (us-east-1a) and B (us-east-1b) explicitly associated with a table that
 * has only the local route; B moves to the main table's routes when `mainForB` (no association); a
 * public subnet with an internet gateway route and a NAT gateway in it. `withNat` adds the default
 * route to the NAT gateway to the private table.
 */
export function account(options: { withNat?: boolean; mainForB?: boolean } = {}): Ec2Data {
  const privateRoutes: FakeRouteTable['routes'] = [{ destination: '10.0.0.0/16', gatewayId: 'local' }];
  if (options.withNat) privateRoutes.push({ destination: '0.0.0.0/0', natGatewayId: NAT });
  return {
    vpcs: [{ id: VPC, cidr: '10.0.0.0/16', name: 'app' }],
    subnets: [
      { id: PRIVATE_A, vpcId: VPC, availabilityZone: 'us-east-1a', availabilityZoneId: 'use1-az1', cidr: '10.0.1.0/24', availableIps: 250 },
      { id: PRIVATE_B, vpcId: VPC, availabilityZone: 'us-east-1b', availabilityZoneId: 'use1-az2', cidr: '10.0.2.0/24', availableIps: 250 },
      { id: PUBLIC_A, vpcId: VPC, availabilityZone: 'us-east-1a', availabilityZoneId: 'use1-az1', cidr: '10.0.0.0/24', availableIps: 250 },
    ],
    securityGroups: [{ id: SG, name: 'fn', vpcId: VPC }],
    networkInterfaces: [],
    routeTables: [
      { id: PRIVATE_TABLE, vpcId: VPC, subnets: options.mainForB ? [PRIVATE_A] : [PRIVATE_A, PRIVATE_B], routes: privateRoutes },
      { id: PUBLIC_TABLE, vpcId: VPC, subnets: [PUBLIC_A], routes: [{ destination: '10.0.0.0/16', gatewayId: 'local' }, { destination: '0.0.0.0/0', gatewayId: IGW }] },
      { id: MAIN_TABLE, vpcId: VPC, main: true, routes: [{ destination: '10.0.0.0/16', gatewayId: 'local' }] },
    ],
    natGateways: [{ id: NAT, vpcId: VPC, subnetId: PUBLIC_A, allocationId: 'eipalloc-0a1b2c3d4e5f60001' }],
    vpcEndpoints: [],
    networkAcls: [{
      id: 'acl-0a1b2c3d4e5f60001',
      vpcId: VPC,
      isDefault: true,
      subnets: [PRIVATE_A, PRIVATE_B, PUBLIC_A],
      entries: [
        { ruleNumber: 100, protocol: '-1', action: 'allow', egress: false, cidr: '0.0.0.0/0' },
        { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: false, cidr: '0.0.0.0/0' },
        { ruleNumber: 100, protocol: '-1', action: 'allow', egress: true, cidr: '0.0.0.0/0' },
        { ruleNumber: 32767, protocol: '-1', action: 'deny', egress: true, cidr: '0.0.0.0/0' },
      ],
    }],
  };
}

const CFN_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/** The EC2 server with CloudFormation and SSM on the same port. */
export async function startAwsServer(data: Ec2Data = account(), options: { accessKeyId?: string } = {}): Promise<AwsTestServer> {
  const server = (await startEc2Server({ data, accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID })) as AwsTestServer;
  server.exports = [];
  server.ssmParameters = [];
  server.exportPageSize = 100;
  server.stacks = [];
  server.resourcePageSize = 100;
  server.addService({ name: 'cloudformation', version: '2010-05-15' }, (request) => {
    const requestId = 'cfn-request';
    const stacks = server.stacks.filter((s) => (s.region ?? 'us-east-1') === request.region);
    const byName = (name: string | null) => stacks.find((s) => s.name === name || stackArn(s.name, request.region) === name);
    const wrap = (action: string, inner: string) => ({
      contentType: 'text/xml',
      body: `<${action}Response xmlns="${CFN_NAMESPACE}"><${action}Result>${inner}</${action}Result><ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`,
    });
    if (request.action === 'DescribeStacks' || request.action === 'ListStackResources') {
      const name = request.params.get('StackName');
      const found = byName(name);
      if (!found && (name !== null || request.action === 'ListStackResources')) return cfnError('ValidationError', `Stack with id ${name ?? ''} does not exist`);
      if (request.action === 'ListStackResources') {
        const all = found!.resources ?? [];
        const offset = Number(request.params.get('NextToken') ?? '0') || 0;
        const page = all.slice(offset, offset + server.resourcePageSize);
        const next = offset + server.resourcePageSize < all.length ? String(offset + server.resourcePageSize) : undefined;
        const members = page.map((r) => `<member>${el('LogicalResourceId', r.logicalId)}${el('PhysicalResourceId', r.physicalId)}${el('ResourceType', r.type)}${el('LastUpdatedTimestamp', '2026-01-01T00:00:00Z')}${el('ResourceStatus', 'CREATE_COMPLETE')}</member>`).join('');
        return wrap('ListStackResources', `<StackResourceSummaries>${members}</StackResourceSummaries>${el('NextToken', next)}`);
      }
      const members = (found ? [found] : stacks).map((s) => {
        const params = (s.parameters ?? []).map((p) => `<member>${el('ParameterKey', p.key)}${el('ParameterValue', p.noEcho ? '****' : p.value)}</member>`).join('');
        const outputs = Object.entries(s.outputs ?? {}).map(([k, v]) => `<member>${el('OutputKey', k)}${el('OutputValue', v)}</member>`).join('');
        return `<member>${el('StackId', stackArn(s.name, request.region))}${el('StackName', s.name)}${el('CreationTime', '2026-01-01T00:00:00Z')}${el('StackStatus', s.status ?? 'UPDATE_COMPLETE')}<Parameters>${params}</Parameters><Outputs>${outputs}</Outputs></member>`;
      }).join('');
      return wrap('DescribeStacks', `<Stacks>${members}</Stacks>`);
    }
    if (request.action === 'ListStacks') {
      const statuses = [...request.params.entries()].filter(([k]) => k.startsWith('StackStatusFilter.member.')).map(([, v]) => v);
      const members = stacks.filter((s) => statuses.length === 0 || statuses.includes(s.status ?? 'UPDATE_COMPLETE')).map((s) =>
        `<member>${el('StackId', stackArn(s.name, request.region))}${el('StackName', s.name)}${el('CreationTime', '2026-01-01T00:00:00Z')}${el('LastUpdatedTime', s.updated)}${el('StackStatus', s.status ?? 'UPDATE_COMPLETE')}${s.parent ? el('ParentId', stackArn(s.parent, request.region)) + el('RootId', stackArn(s.parent, request.region)) : ''}</member>`).join('');
      return wrap('ListStacks', `<StackSummaries>${members}</StackSummaries>`);
    }
    if (request.action !== 'ListExports') {
      return { status: 400, contentType: 'text/xml', body: `<ErrorResponse xmlns="${CFN_NAMESPACE}"><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${xmlEscape(request.action)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>` };
    }
    const all = server.exports.filter((e) => (e.region ?? 'us-east-1') === request.region);
    const offset = Number(request.params.get('NextToken') ?? '0') || 0;
    const page = all.slice(offset, offset + server.exportPageSize);
    const next = offset + server.exportPageSize < all.length ? String(offset + server.exportPageSize) : undefined;
    const members = page.map((e) => `<member>${el('ExportingStackId', `arn:aws:cloudformation:${request.region}:123456789012:stack/network/1`)}${el('Name', e.name)}${el('Value', e.value)}</member>`).join('');
    return {
      contentType: 'text/xml',
      body: `<ListExportsResponse xmlns="${CFN_NAMESPACE}"><ListExportsResult><Exports>${members}</Exports>${el('NextToken', next)}</ListExportsResult><ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></ListExportsResponse>`,
    };
  });
  server.addService({ name: 'ssm', targetPrefix: 'AmazonSSM' }, (request, body) => {
    const json = 'application/x-amz-json-1.1';
    if (request.action !== 'GetParameter') return { status: 400, contentType: json, body: JSON.stringify({ __type: 'InvalidAction', message: request.action }) };
    const input = JSON.parse(body || '{}') as { Name?: string; WithDecryption?: boolean };
    const found = server.ssmParameters.find((p) => p.name === input.Name && (p.region ?? 'us-east-1') === request.region);
    if (!found) return { status: 400, contentType: json, body: JSON.stringify({ __type: 'ParameterNotFound', message: `Parameter ${input.Name} not found.` }) };
    const type = found.type ?? 'String';
    const value = type === 'SecureString' && !input.WithDecryption ? 'AQICAHencryptedblob==' : found.value;
    return {
      contentType: json,
      body: JSON.stringify({ Parameter: { Name: found.name, Type: type, Value: value, Version: 1, ARN: `arn:aws:ssm:${request.region}:123456789012:parameter${found.name}`, DataType: 'text' } }),
    };
  });
  return server;
}

/** A CloudFormation (Query protocol) error document, as the service sends one. */
export function cfnError(code: string, message: string, status = 400): { status: number; contentType: string; body: string } {
  return {
    status,
    contentType: 'text/xml',
    body: `<ErrorResponse xmlns="${CFN_NAMESPACE}"><Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>cfn-error</RequestId></ErrorResponse>`,
  };
}

/** Makes the next `times` CloudFormation calls of `action` fail with `code` (an `http` fault with the service's error document). */
export function failCloudFormation(server: AwsTestServer, action: string, code: string, options: { times?: number; status?: number } = {}): void {
  const doc = cfnError(code, code === 'Throttling' ? 'Rate exceeded' : `User is not authorized to perform: cloudformation:${action}`, options.status ?? (code === 'Throttling' ? 400 : 403));
  server.fail({ type: 'http', status: doc.status, body: doc.body, contentType: doc.contentType }, { action, ...(options.times !== undefined ? { times: options.times } : {}) });
}

/** A folder with empty AWS config and credentials files, and the environment pointing the SDK at them. */
export function liveEnv(extra: Record<string, string> = {}): Record<string, string> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-live-aws-')));
  writeFileSync(join(dir, 'config'), '');
  writeFileSync(join(dir, 'credentials'), '');
  return {
    AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: 'live-test-secret',
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HOME: dir,
    ...extra,
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node dist/cli.js <args>` without blocking this process, which serves the loopback endpoint the CLI
 * calls (a synchronous spawn would leave its requests unanswered).
 */
export function runCli(cli: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...options.env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : err ? null : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A temporary folder holding the given files. */
export function tempDir(files: Record<string, string>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lvl-live-')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A SAM template whose function needs the internet, with its subnets and group as parameters. */
export const SAM_PARAMS_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
  SecurityGroupId:
    Type: AWS::EC2::SecurityGroup::Id
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => (await fetch(process.env.PARTNER_URL)).status"
      Environment:
        Variables:
          PARTNER_URL: https://api.partner.example.com/v1
      VpcConfig:
        SubnetIds: !Ref SubnetIds
        SecurityGroupIds: [!Ref SecurityGroupId]
`;

export const SAMCONFIG = `version = 0.1
[default.deploy.parameters]
stack_name = "api"
region = "us-east-1"
parameter_overrides = "SubnetIds=\\"${PRIVATE_A},${PRIVATE_B}\\" SecurityGroupId=${SG}"
`;
