import type { Model, ResourceRef, Subnet } from '../model/types';
import type { Related } from '../types';
import { attachedVariants, inheritedRelated, listBranches, namedList, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

/** IPv6 `::/0` targets that lead nowhere: peering carries no transit traffic. */
const NO_WAY_OUT = new Set(['peering']);

/** Whether the subnet's route table sends `::/0` somewhere; undefined when the table is not known. */
function hasIpv6Route(model: Model, subnet: Subnet): boolean | undefined {
  const rt = subnet.routeTable;
  if (rt.state === 'unknown') return undefined;
  if (rt.main || !rt.id) return false;
  const table = model.routeTables.get(rt.id);
  if (!table) return undefined;
  const routes = table.routes.filter((r) => r.ipv6);
  const defaults = routes.filter((r) => r.destination.value === '::/0');
  if (defaults.some((r) => !NO_WAY_OUT.has(r.target) && r.target !== 'other')) return true;
  if (defaults.some((r) => r.target === 'other') || routes.some((r) => r.destination.state === 'unknown')) return undefined;
  return false;
}

interface Problem {
  messageId: 'noIpv6Cidr' | 'noIpv6Route';
  subnets: Subnet[];
  conditions: string[];
}

function problemOf(model: Model, refs: ResourceRef[], conditions: string[]): Problem | undefined {
  const subnets = [...new Set(refs.map((r) => (r.id ? model.subnets.get(r.id) : undefined)).filter((s): s is Subnet => !!s))];
  const noCidr = subnets.filter((s) => !s.ipv6Cidr);
  if (noCidr.length > 0) return { messageId: 'noIpv6Cidr', subnets: noCidr, conditions };
  const noRoute = subnets.filter((s) => hasIpv6Route(model, s) === false);
  if (noRoute.length > 0) return { messageId: 'noIpv6Route', subnets: noRoute, conditions };
  return undefined;
}

export default defineRule({
  id: 'ipv6-dualstack-unsupported',
  severity: 'warning',
  category: 'platform',
  fixSafety: 'none',
  docs: {
    summary: '`Ipv6AllowedForDualStack: true` on a function whose subnets have no IPv6 CIDR block, or no IPv6 default route.',
    rationale:
      '`Ipv6AllowedForDualStack` lets a VPC function send IPv6 traffic, which needs dual-stack subnets: a subnet without an IPv6 CIDR ' +
      'block has no IPv6 address to give the function\'s network interface. And IPv6 traffic only leaves the VPC through a `::/0` route, ' +
      'normally to an egress-only internet gateway (NAT gateways do not carry IPv6); without one, IPv6 connections from the function hang ' +
      'while IPv4 ones may work, which is hard to diagnose because clients prefer IPv6 when DNS returns AAAA records. A `::/0` route to an ' +
      'internet gateway, transit gateway or firewall endpoint also counts as a way out.',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
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
        Ipv6AllowedForDualStack: true
`,
    valid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
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
    noIpv6Cidr: "Function '{fn}' sets Ipv6AllowedForDualStack, but {subnets} {have} no IPv6 CIDR block: IPv6 needs dual-stack subnets, and the function gets no IPv6 address there.",
    noIpv6Route: "Function '{fn}' sets Ipv6AllowedForDualStack, but {subnets} {have} no IPv6 default route (::/0, normally to an egress-only internet gateway): the function's IPv6 connections cannot leave the VPC.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const flag = vpc.ipv6DualStack;
      if (flag.state === 'unknown' || flag.value !== true) continue;
      const branches = listBranches(vpc.subnetIds.items);
      const problems = branches.map((b) => problemOf(model, b.items, b.conditions)).filter((p): p is Problem => !!p);
      const problem = problems[0];
      if (!problem) continue;
      const names = problem.subnets.map((s) => `'${s.id}'`);
      const related: Related[] = problem.subnets.map((s) => ({
        message: problem.messageId === 'noIpv6Cidr' ? `Subnet '${s.id}' has no IPv6 CIDR block` : `Subnet '${s.id}' has no ::/0 route`,
        span: problem.messageId === 'noIpv6Route' && s.routeTable.id ? model.routeTables.get(s.routeTable.id)?.keySpan ?? s.keySpan : s.keySpan,
      }));
      report({
        messageId: problem.messageId,
        data: { fn: fn.id, subnets: namedList('subnet', names), have: names.length === 1 ? 'has' : 'have' },
        resource: fn.id,
        span: ownSpan(fn, flag.span),
        related: [...related, ...inheritedRelated(vpc)],
        assumed: [flag.param, vpc.subnetIds.param],
        conditions: [...variant.conditions, ...(problems.length === branches.length ? [] : problem.conditions)],
      });
    }
  },
});
