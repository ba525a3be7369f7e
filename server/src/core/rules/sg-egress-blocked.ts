import type { Value } from '../edits';
import { PRIVATE, PUBLIC, ROUTABLE, union } from '../model/ip';
import { mayUseInterfaceEndpoint } from '../model/endpoints';
import { endpointsFor, functionGroups, functionVpcId } from '../model/queries';
import type { Peer, Tri } from '../model/security-groups';
import { functionVpcAddresses, peerGroups, rulesAllowTcp } from '../model/security-groups';
import type { LambdaFunction, Model, SecurityGroup, SgRule, VpcAttachment } from '../model/types';
import type { SeqNode, Span } from '../tree';
import { get } from '../tree';
import type { Fix, Related } from '../types';
import { attachedVariants, inheritedRelated, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

interface Flow {
  label: string;
  evidence: Span | undefined;
  because: string | undefined;
  /** The egress rule that lets the flow through, for the fix; undefined when it would be a guess. */
  rule: Value | undefined;
}

const HTTPS_RULE: Value = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' };

function isDenyAll(rule: SgRule): boolean {
  return rule.cidr?.value !== undefined && rule.cidr.value.startsWith('127.');
}

/** The flows over tcp/443 the function needs that no egress rule lets through. */
function blockedHttps(model: Model, fn: LambdaFunction, vpc: VpcAttachment, rules: SgRule[], ipv6: Tri, assumed: string[]): Flow[] {
  const out: Flow[] = [];
  const none = new Set<string>();
  if (fn.needs.internet.length > 0) {
    const peer: Peer = { addresses: PUBLIC, groups: none, literals: none, otherGroups: 'no', unknownGroups: 'no', prefixLists: 'maybe', ipv6 };
    if (rulesAllowTcp(rules, 443, peer, model, assumed) === 'no') {
      const e = fn.needs.internet[0]!;
      out.push({ label: 'tcp/443 to the internet', evidence: e.span, because: e.because, rule: HTTPS_RULE });
    }
  }
  const vpcId = functionVpcId(model, vpc);
  const inTemplate = vpcId !== undefined && model.vpcs.has(vpcId);
  const inside = functionVpcAddresses(model, vpc) ?? PRIVATE;
  const blocked: string[] = [];
  let first: { span: Span; because: string } | undefined;
  for (const [prefix, evidence] of fn.needs.services) {
    // Calls go to the service's public addresses, or to an interface endpoint's addresses in the VPC.
    const endpoints = endpointsFor(model, vpcId, prefix);
    const maybeEndpoint = mayUseInterfaceEndpoint(model, vpcId, prefix);
    const { groups, literals, unresolved } = peerGroups(endpoints.flatMap((e) => e.securityGroupIds.items));
    const unknownGroups: Tri = !inTemplate || unresolved || endpoints.some((e) => e.securityGroupIds.state === 'unknown') ? 'maybe' : 'no';
    const peer: Peer = {
      addresses: maybeEndpoint ? union(PUBLIC, inside) : PUBLIC,
      groups,
      literals,
      otherGroups: inTemplate ? 'no' : 'maybe',
      unknownGroups,
      prefixLists: 'yes',
      ipv6,
    };
    if (rulesAllowTcp(rules, 443, peer, model, assumed) === 'no') {
      blocked.push(prefix);
      first ??= evidence[0];
    }
  }
  if (blocked.length > 0) {
    out.push({ label: `tcp/443 to ${blocked.join(', ')}`, evidence: first?.span, because: first?.because, rule: HTTPS_RULE });
  }
  return out;
}

function blockedDatabases(model: Model, fn: LambdaFunction, vpc: VpcAttachment, rules: SgRule[], ipv6: Tri, assumed: string[]): Flow[] {
  const out: Flow[] = [];
  const addresses = functionVpcAddresses(model, vpc) ?? ROUTABLE;
  for (const [id, evidence] of fn.needs.databases) {
    const db = model.databases.get(id);
    const port = db?.port;
    if (!db || !port || port.state === 'unknown' || port.value === undefined) continue;
    const { groups, literals, unresolved } = peerGroups(db.securityGroups.items);
    const known = db.securityGroups.state !== 'unknown' && db.securityGroups.items.length > 0 && !unresolved;
    const peer: Peer = { addresses, groups, literals, otherGroups: known ? 'no' : 'maybe', unknownGroups: known ? 'no' : 'maybe', prefixLists: 'maybe', ipv6 };
    const local: string[] = [];
    if (rulesAllowTcp(rules, port.value, peer, model, local) !== 'no') continue;
    assumed.push(...local);
    if (port.state === 'assumed' && port.param) assumed.push(port.param);
    const target = db.securityGroups.items[0];
    const destination: Value | undefined = target?.id && model.securityGroups.has(target.id)
      ? { DestinationSecurityGroupId: { 'Fn::GetAtt': [target.id, 'GroupId'] } }
      : target?.literal !== undefined ? { DestinationSecurityGroupId: target.literal } : undefined;
    out.push({
      label: `tcp/${port.value} to ${db.kind === 'efs' ? 'file system' : 'database'} '${id}'`,
      evidence: evidence[0]?.span,
      because: evidence[0]?.because,
      rule: destination ? { IpProtocol: 'tcp', FromPort: port.value, ToPort: port.value, ...destination } : undefined,
    });
  }
  return out;
}

/** The first group whose inline egress list is written in this file, where a rule can be appended. */
function fixTarget(groups: SecurityGroup[]): SeqNode | undefined {
  for (const g of groups) {
    const seq = get(g.properties, 'SecurityGroupEgress');
    // A resource read through `${file()}` has every span on the reference: it is not this text's.
    if (seq?.kind === 'seq' && g.keySpan.end <= g.node.start) return seq;
  }
  return undefined;
}

export default defineRule({
  id: 'sg-egress-blocked',
  severity: 'error',
  category: 'security-groups',
  fixSafety: 'unsafe',
  docs: {
    summary: "A function whose security groups' egress rules block the HTTPS or database traffic it needs.",
    rationale:
      'A security group with no `SecurityGroupEgress` gets AWS\'s default rule allowing all outbound traffic; an inline `SecurityGroupEgress` list ' +
      'replaces that default (a single rule to `127.0.0.1/32` is the usual way to deny everything). A function\'s interface is in all its groups, ' +
      'so traffic leaves when any of them allows it. When every group lists its own egress and none, with the standalone `AWS::EC2::SecurityGroupEgress` ' +
      'rules, allows tcp/443 to where the AWS services or the internet the function calls live (`0.0.0.0/0`, a prefix list, an interface endpoint\'s group), ' +
      'or the database port to the database the function uses, the connection attempts are dropped silently: SDK calls and database connections hang ' +
      'until the function times out. Security groups are stateful, so the replies need no rule.',
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
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
      SecurityGroupEgress:
        - { IpProtocol: "-1", CidrIp: 127.0.0.1/32 }
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
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
`,
    fix:
      'Appends the missing rules to the first group\'s `SecurityGroupEgress`: tcp/443 to `0.0.0.0/0` for AWS services and the internet, and the ' +
      'database port to the database\'s security group. Unsafe: it widens what the function may send, and you may prefer a prefix list or an endpoint\'s group.',
  },
  messages: {
    blocked: "The security groups of function '{fn}' ({groups}) allow no egress for {flows}, which it needs: those connections time out.",
    denyAll: "The security groups of function '{fn}' ({groups}) deny all egress (the 127.0.0.1/32 rule), but it needs {flows}: those connections time out.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      if (vpc.securityGroupIds.state === 'unknown' || vpc.securityGroupIds.items.length === 0) continue;
      if (vpc.subnetIds.state !== 'unknown' && vpc.subnetIds.items.length === 0) continue;
      const resolved = functionGroups(model, vpc);
      if (resolved.some((g) => !g.group)) continue;
      const groups = resolved.map((g) => g.group!);
      // A group with no egress of its own keeps AWS's allow-all rule, and the interface is in every group.
      if (groups.some((g) => !g.inlineEgress?.length)) continue;
      const rules = groups.flatMap((g) => [...g.inlineEgress!, ...g.standaloneEgress]);
      const ipv6: Tri = vpc.ipv6DualStack.state === 'unknown' || vpc.ipv6DualStack.value === true ? 'maybe' : 'no';
      const assumed: string[] = [];
      const flows = [...blockedHttps(model, fn, vpc, rules, ipv6, assumed), ...blockedDatabases(model, fn, vpc, rules, ipv6, assumed)];
      if (flows.length === 0) continue;
      const span = vpc.inheritedFrom ? fn.anchor : ownSpan(fn, vpc.securityGroupIdsNode);
      const related: Related[] = [
        ...groups.map((g) => {
          const node = get(g.properties, 'SecurityGroupEgress');
          return { message: `Egress rules of ${g.id}`, span: node ? { start: node.start, end: node.end } : g.keySpan };
        }),
        ...flows.flatMap((f) => (f.evidence ? [{ message: `Needs ${f.label}: ${f.because}`, span: f.evidence }] : [])),
        ...inheritedRelated(vpc),
      ];
      const target = fixTarget(groups);
      report({
        messageId: rules.every(isDenyAll) ? 'denyAll' : 'blocked',
        data: { fn: fn.id, groups: groups.map((g) => g.id).join(', '), flows: flows.map((f) => f.label).join(' and ') },
        resource: fn.id,
        span,
        related,
        assumed: [vpc.securityGroupIds.param, ...assumed],
        conditions: variant.conditions,
        fix: target && flows.every((f) => f.rule)
          ? (edits): Fix => {
              const added = [...new Map(flows.map((f) => [JSON.stringify(f.rule), f.rule!])).values()];
              const pieces = added.map((rule) => edits.appendToSeq(target, rule));
              const edit = { start: pieces[0]!.start, end: pieces[0]!.end, text: pieces.map((p) => p.text).join('') };
              return { title: `Allow ${flows.map((f) => f.label).join(' and ')} in the egress of ${groups.find((g) => get(g.properties, 'SecurityGroupEgress') === target)!.id}`, safety: 'unsafe', edits: [edit] };
            }
          : undefined,
      });
    }
  },
});
