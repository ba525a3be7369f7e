import { parseCidr, usableAddresses } from '../model/cidr';
import type { LambdaFunction, ResourceRef } from '../model/types';
import type { Related } from '../types';
import { attachedVariants, namedList } from './helpers';
import { defineRule } from '../engine/rule';

/** Subnets this small or smaller: a /28 leaves 11 addresses. */
const SMALL_PREFIX = 28;

export default defineRule({
  id: 'subnet-capacity',
  severity: 'info',
  category: 'platform',
  fixSafety: 'none',
  docs: {
    summary: 'A function subnet of /28 or smaller (11 usable addresses) that also hosts NAT gateways, interface endpoints or databases.',
    rationale:
      'AWS reserves 5 addresses in every subnet, so a /28 has 11 for network interfaces. Lambda needs a free address whenever it creates ' +
      'an interface for a new combination of subnet and security groups, and while it replaces interfaces during updates; NAT gateways, ' +
      'interface endpoints and database instances (plus their failovers and maintenance replacements) take addresses from the same pool. ' +
      'When it runs out, function creation and updates fail with "InsufficientFreeAddressesInSubnet" and the function stays pending. ' +
      'Give the function subnets of their own, or larger ones.',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/28
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      VpcEndpointType: Interface
      SubnetIds: [!Ref SubnetA]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    valid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      VpcEndpointType: Interface
      SubnetIds: [!Ref SubnetA]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
  },
  messages: {
    smallShared: "Subnet '{subnet}' is a /{prefix} ({usable} usable addresses) and also holds {hosts}: with the network interfaces of {functions} it can run out of addresses, and Lambda then fails to create or update the function (InsufficientFreeAddressesInSubnet).",
  },
  check({ model, report }) {
    const users = new Map<string, { fn: LambdaFunction; ref: ResourceRef; conditions: string[] }[]>();
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      for (const ref of vpc.subnetIds.items) {
        if (!ref.id || !model.subnets.has(ref.id)) continue;
        const list = users.get(ref.id) ?? [];
        if (!list.some((u) => u.fn === fn)) list.push({ fn, ref, conditions: [...variant.conditions, ...(ref.conditions ?? [])] });
        users.set(ref.id, list);
      }
    }
    for (const [subnetId, uses] of users) {
      const subnet = model.subnets.get(subnetId)!;
      if (subnet.cidr.state === 'unknown') continue;
      const cidr = parseCidr(subnet.cidr.value);
      if (!cidr || cidr.prefix < SMALL_PREFIX) continue;
      const hosts: { id: string; what: string; span: Related['span'] }[] = [];
      for (const nat of model.natGateways.values()) if (nat.subnet.id === subnetId) hosts.push({ id: nat.id, what: 'NAT gateway', span: nat.keySpan });
      for (const e of model.endpoints.values()) {
        if ((e.endpointType === 'Interface' || e.endpointType === 'GatewayLoadBalancer') && e.subnetIds.items.some((r) => r.id === subnetId)) {
          hosts.push({ id: e.id, what: 'interface endpoint', span: e.keySpan });
        }
      }
      for (const db of model.databases.values()) if (db.subnets?.includes(subnetId)) hosts.push({ id: db.id, what: db.kind === 'efs' ? 'EFS mount target' : 'database', span: db.keySpan });
      if (hosts.length === 0) continue;
      const always = uses.find((u) => u.conditions.length === 0);
      const fnNames = uses.map((u) => `'${u.fn.id}'`);
      report({
        messageId: 'smallShared',
        data: {
          subnet: subnetId,
          prefix: cidr.prefix,
          usable: usableAddresses(cidr.prefix),
          hosts: hosts.map((h) => `${h.what} '${h.id}'`).join(', '),
          functions: namedList('function', fnNames),
        },
        resource: subnetId,
        span: subnet.cidr.span ?? subnet.keySpan,
        related: [
          ...hosts.map((h) => ({ message: `The ${h.what} '${h.id}' takes addresses in '${subnetId}'`, span: h.span })),
          ...uses.map((u) => ({ message: `Function '${u.fn.id}' puts its network interfaces in '${subnetId}'`, span: u.ref.span })),
        ],
        assumed: [subnet.cidr.param],
        conditions: always ? [] : uses[0]!.conditions,
      });
    }
  },
});
