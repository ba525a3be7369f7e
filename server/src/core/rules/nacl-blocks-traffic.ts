import type { IpSet } from '../model/ip';
import { PRIVATE, PUBLIC, intersects, isIpv6Cidr, parseCidr, subtract, union } from '../model/ip';
import { mayUseInterfaceEndpoint } from '../model/endpoints';
import { functionSubnets, functionVpcId } from '../model/queries';
import { functionVpcAddresses } from '../model/security-groups';
import type { FunctionVariant, LambdaFunction, Model, NaclEntry, NetworkAcl, Subnet, VpcAttachment } from '../model/types';
import type { Related } from '../types';
import { attachedVariants, commonConditions, namedList } from './helpers';
import { defineRule } from '../engine/rule';

/** Traffic the function needs through a subnet boundary: tcp on a port range, to or from some addresses. */
interface Flow {
  label: string;
  egress: boolean;
  ports: [number, number];
  addresses: IpSet;
}

/** Ports by addresses still undecided while walking the entries. */
interface Region {
  lo: number;
  hi: number;
  addresses: IpSet;
}

interface Verdict {
  blocked: boolean;
  /** The deny entries that decided it (none: the implicit final deny). */
  deniedBy: NaclEntry[];
  assumed: string[];
}

const EPHEMERAL: [number, number] = [1024, 65535];

function entryRegion(entry: NaclEntry): { ports: [number, number]; addresses: IpSet | 'ipv6' } | 'other-protocol' | undefined {
  if (entry.unknown || entry.condition || entry.protocol.state === 'unknown' || entry.protocol.value === undefined) return undefined;
  if (entry.cidr.state === 'unknown' || entry.cidr.value === undefined) return undefined;
  const protocol = entry.protocol.value.toLowerCase();
  let ports: [number, number];
  if (protocol === '-1' || protocol === 'all') ports = [0, 65535];
  else if (protocol === '6' || protocol === 'tcp') {
    if (entry.from === undefined || entry.to === undefined) return undefined;
    ports = [entry.from, entry.to];
  } else return 'other-protocol';
  if (isIpv6Cidr(entry.cidr.value)) return { ports, addresses: 'ipv6' };
  const addresses = parseCidr(entry.cidr.value);
  return addresses ? { ports, addresses } : undefined;
}

function overlaps(r: Region, ports: [number, number], addresses: IpSet): boolean {
  return Math.max(r.lo, ports[0]) <= Math.min(r.hi, ports[1]) && intersects(r.addresses, addresses);
}

function cut(r: Region, ports: [number, number], addresses: IpSet): Region[] {
  const lo = Math.max(r.lo, ports[0]);
  const hi = Math.min(r.hi, ports[1]);
  if (lo > hi) return [r];
  const out: Region[] = [];
  if (r.lo < lo) out.push({ lo: r.lo, hi: lo - 1, addresses: r.addresses });
  if (hi < r.hi) out.push({ lo: hi + 1, hi: r.hi, addresses: r.addresses });
  const rest = subtract(r.addresses, addresses);
  if (rest.length > 0) out.push({ lo, hi, addresses: rest });
  return out;
}

/**
 * Walks the entries of one direction in `RuleNumber` order, as AWS does. The flow is blocked only when
 * every port and address of it is denied: an entry that may allow part of it (or that cannot be read)
 * ends the walk without a finding.
 */
function evaluateFlow(acl: NetworkAcl, flow: Flow): Verdict {
  const entries = acl.entries.filter((e) => e.unknown?.includes('Egress') || e.egress === flow.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
  let open: Region[] = [{ lo: flow.ports[0], hi: flow.ports[1], addresses: flow.addresses }];
  const deniedBy: NaclEntry[] = [];
  const assumed: string[] = [];
  for (const entry of entries) {
    const region = entryRegion(entry);
    if (region === 'other-protocol') continue;
    if (!region) {
      if (entry.allow || entry.unknown?.includes('RuleAction')) return { blocked: false, deniedBy, assumed };
      continue;
    }
    if (region.addresses === 'ipv6') continue;
    const { ports, addresses } = region;
    if (!open.some((r) => overlaps(r, ports, addresses))) continue;
    if (entry.allow) return { blocked: false, deniedBy, assumed };
    deniedBy.push(entry);
    for (const p of [entry.protocol.param, entry.cidr.param]) if (p) assumed.push(p);
    open = open.flatMap((r) => cut(r, ports, addresses));
    if (open.length === 0) break;
  }
  return { blocked: true, deniedBy, assumed };
}

function flowsOf(model: Model, fn: LambdaFunction, vpc: VpcAttachment): Flow[] {
  const out: Flow[] = [];
  const own = functionVpcAddresses(model, vpc);
  const inside = own ? union(own, PRIVATE) : PRIVATE;
  const outbound = (label: string, ports: [number, number], addresses: IpSet) => {
    out.push({ label: `outbound tcp/${ports[0]} to ${label}`, egress: true, ports, addresses });
    out.push({ label: `inbound return traffic on tcp/${EPHEMERAL[0]}-${EPHEMERAL[1]} from ${label}`, egress: false, ports: EPHEMERAL, addresses });
  };
  if (fn.needs.internet.length > 0) outbound('the internet', [443, 443], PUBLIC);
  if (fn.needs.services.size > 0) {
    const vpcId = functionVpcId(model, vpc);
    const prefixes = [...fn.needs.services.keys()];
    // Interface endpoints answer from inside the VPC; everything else from AWS's public addresses.
    const endpointInside = prefixes.some((p) => mayUseInterfaceEndpoint(model, vpcId, p));
    outbound(`AWS services (${prefixes.join(', ')})`, [443, 443], endpointInside ? union(PUBLIC, inside) : PUBLIC);
  }
  const ports = new Map<number, string[]>();
  for (const id of fn.needs.databases.keys()) {
    const port = model.databases.get(id)?.port;
    if (!port || port.state === 'unknown' || port.value === undefined) continue;
    ports.set(port.value, [...(ports.get(port.value) ?? []), id]);
  }
  for (const [port, ids] of ports) outbound(`the VPC (${ids.map((id) => `'${id}'`).join(', ')})`, [port, port], inside);
  return out;
}

interface Hit {
  fn: LambdaFunction;
  variant: FunctionVariant;
  subnets: Subnet[];
}

export default defineRule({
  id: 'nacl-blocks-traffic',
  severity: 'error',
  category: 'security-groups',
  fixSafety: 'none',
  docs: {
    summary: "A custom network ACL on a function's subnet that denies the HTTPS or database traffic the function needs, or its return traffic.",
    rationale:
      'A network ACL is checked at the subnet boundary, entry by entry in `RuleNumber` order, for each direction separately; the first entry ' +
      'that matches decides, and traffic no entry matches is denied by the final `*` rule, so a custom ACL with no entries denies everything. ' +
      'Unlike security groups, ACLs are stateless: the replies to the function\'s outbound connections come back to an ephemeral port ' +
      '(1024-65535) and need an inbound allow entry of their own. When the ACL on a function subnet denies tcp/443 to the AWS services or ' +
      'the internet the function calls, the database port, or the return traffic, the packets are dropped silently and the function hangs until it times out.',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          API_URL: https://api.example.com/v1
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60001
      CidrBlock: 10.0.1.0/24
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60001
  AclAssociation:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Private
      NetworkAclId: !Ref Acl
  OutHttps:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      Egress: true
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 443, To: 443 }
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          API_URL: https://api.example.com/v1
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60001
      CidrBlock: 10.0.1.0/24
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60001
  AclAssociation:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Private
      NetworkAclId: !Ref Acl
  OutHttps:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      Egress: true
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 443, To: 443 }
  InReturn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      Egress: false
      CidrBlock: 0.0.0.0/0
      PortRange: { From: 1024, To: 65535 }
`,
  },
  messages: {
    blocks: "Network ACL '{acl}' on the subnets of {fns} ({subnets}) denies {flows}: those connections time out.",
    noEntries: "Network ACL '{acl}' has no entries, so it denies all traffic of {fns} in {subnets}, including {flows}: those connections time out.",
  },
  check({ model, report }) {
    const hits = new Map<string, Hit[]>();
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const byAcl = new Map<string, Subnet[]>();
      for (const { subnet } of functionSubnets(model, vpc)) {
        if (!subnet?.networkAcl) continue;
        byAcl.set(subnet.networkAcl, [...(byAcl.get(subnet.networkAcl) ?? []), subnet]);
      }
      for (const [aclId, subnets] of byAcl) hits.set(aclId, [...(hits.get(aclId) ?? []), { fn, variant, subnets }]);
    }
    for (const [aclId, list] of hits) {
      const acl = model.networkAcls.get(aclId);
      if (!acl) continue;
      const blocked = new Map<string, Verdict>();
      const affected: Hit[] = [];
      for (const hit of list) {
        const vpc = hit.variant.vpc!;
        let any = false;
        for (const flow of flowsOf(model, hit.fn, vpc)) {
          const verdict = blocked.get(flow.label) ?? evaluateFlow(acl, flow);
          if (!verdict.blocked) continue;
          blocked.set(flow.label, verdict);
          any = true;
        }
        if (any) affected.push(hit);
      }
      if (blocked.size === 0) continue;
      const fnIds = [...new Set(affected.map((h) => h.fn.id))];
      const subnetIds = [...new Set(affected.flatMap((h) => h.subnets.map((s) => s.id)))];
      const verdicts = [...blocked.values()];
      const deniedBy = [...new Set(verdicts.flatMap((v) => v.deniedBy))];
      const related: Related[] = [
        ...deniedBy.map((e) => ({ message: `Entry ${e.resource} (rule ${e.ruleNumber}) denies it`, span: e.span })),
        ...affected.map((h) => ({ message: `Function ${h.fn.id} runs in ${h.subnets.map((s) => s.id).join(', ')}`, span: h.fn.anchor })),
      ];
      report({
        messageId: acl.entries.length === 0 ? 'noEntries' : 'blocks',
        data: {
          acl: acl.id,
          fns: namedList('function', fnIds.map((id) => `'${id}'`)),
          subnets: namedList('subnet', subnetIds),
          flows: [...blocked.keys()].join('; '),
        },
        resource: acl.id,
        span: acl.keySpan,
        related,
        assumed: verdicts.flatMap((v) => v.assumed),
        conditions: commonConditions(affected.map((h) => h.variant.conditions)),
      });
    }
  },
});

