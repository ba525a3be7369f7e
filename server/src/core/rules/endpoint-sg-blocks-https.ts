import type { Value } from '../edits';
import { appendItems, canAppend, endpointGroupResource, httpsIngressFrom, sourceGroupIds } from '../endpoint-fixes';
import type { EndpointUser } from '../model/endpoints';
import { endpointUsers } from '../model/endpoints';
import { PRIVATE } from '../model/ip';
import { referencedIds } from '../model/needs';
import { functionSubnets } from '../model/queries';
import type { Peer } from '../model/security-groups';
import { cidrAddresses, functionPeer, rulesAllowTcp } from '../model/security-groups';
import type { Model, SecurityGroup, SgRule } from '../model/types';
import { get } from '../tree';
import type { Fix } from '../types';
import { attachedVariants, commonConditions, namedList } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (ingress: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy: { SecretArn: !Ref Secret }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
  Secret:
    Type: AWS::SecretsManager::Secret
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Lambda, VpcId: !Ref Vpc }
  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Secrets Manager endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
${ingress}  SecretsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.secretsmanager
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref SubnetA]
      SecurityGroupIds: [!GetAtt EndpointSg.GroupId]
`;

/** Resources that name a group without sitting behind it: widening the group does not open anything of theirs. */
const BESIDE_GROUP_TYPES = new Set(['AWS::EC2::VPCEndpoint', 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress']);

export default defineRule({
  id: 'endpoint-sg-blocks-https',
  severity: 'error',
  category: 'endpoints',
  fixSafety: 'safe',
  docs: {
    summary: 'The security groups of an interface endpoint a function needs admit no HTTPS (tcp/443) from the function.',
    rationale:
      'An interface endpoint is a set of network interfaces in your subnets, guarded by security groups like any other. AWS APIs are HTTPS, so the endpoint must admit tcp/443 ' +
      'from the function\'s security group or from a CIDR covering the function\'s subnets. Without it the connection is dropped silently and the SDK call times out. ' +
      'An endpoint without `SecurityGroupIds` gets the VPC\'s default security group, which admits only its own members. ' +
      'This bites even when the function also has a NAT gateway: with private DNS, the service\'s public name resolves to the endpoint, so the calls never take the NAT. ' +
      'Groups whose rules are not in the template (hard-coded or imported ids), and rules with unresolved values or prefix lists, keep the rule silent.',
    invalid: TEMPLATE('        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.168.0.0/16 }\n'),
    valid: TEMPLATE('        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !GetAtt FnSg.GroupId }\n'),
    fix:
      'Adds an ingress rule tcp/443 with `SourceSecurityGroupId: !GetAtt <LambdaSG>.GroupId` (one per blocked function\'s first security group) to the endpoint\'s first security group. ' +
      'Safe when that group is used only by VPC endpoints and already writes its rules inline. Offered as unsafe when the group is also used by other resources (the rule would open 443 on them too), ' +
      'when its rules are standalone `AWS::EC2::SecurityGroupIngress` resources (a new one is added, since CloudFormation should not mix both styles for one group), ' +
      'and when the endpoint has no security groups (a new group is created for it, which takes the endpoint out of the VPC default group).',
  },
  messages: {
    blocked:
      "Interface endpoint '{endpoint}' ({service}) has security groups ({groups}) that admit no tcp/443 from {functions}, neither from {their} security groups nor from a CIDR covering {their} subnets: {service} calls time out.",
    defaultGroup:
      "Interface endpoint '{endpoint}' ({service}) has no SecurityGroupIds, so the VPC's default security group guards it and admits only its own members, not {functions}: {service} calls time out.",
  },
  check({ model, report }) {
    for (const endpoint of model.endpoints.values()) {
      const vpcId = endpoint.vpc.id;
      if (endpoint.endpointType !== 'Interface' || !endpoint.service || !vpcId) continue;
      const users = endpointUsers(model, endpoint);
      if (users.length === 0) continue;
      const list = endpoint.securityGroupIds;
      if (list.state === 'unknown' || list.items.some((r) => r.state === 'unknown')) continue;
      const groups = list.items.map((r) => (r.id ? model.securityGroups.get(r.id) : undefined));
      // A hard-coded group's rules are not in the template.
      if (groups.some((g) => !g)) continue;
      const known = groups as SecurityGroup[];
      const assumed: (string | undefined)[] = [list.param];
      const blocked = known.length === 0
        ? users.filter((u) => defaultGroupKeepsOut(u, vpcId))
        : users.filter((u) => admitsNone(model, known.flatMap((g) => g.ingress), u, assumed));
      if (blocked.length === 0) continue;
      const functions = [...new Set(blocked.map((u) => u.fn))];
      const listNode = get(endpoint.properties, 'SecurityGroupIds');
      const anchor = listNode ?? get(endpoint.properties, 'VpcEndpointType');
      report({
        messageId: known.length === 0 ? 'defaultGroup' : 'blocked',
        data: {
          endpoint: endpoint.id,
          service: endpoint.service,
          groups: known.map((g) => g.id).join(', '),
          functions: namedList('function', functions.map((f) => f.id)),
          their: functions.length === 1 ? 'its' : 'their',
        },
        resource: endpoint.id,
        span: anchor ? { start: anchor.start, end: anchor.end } : endpoint.keySpan,
        related: [
          ...functions.map((fn) => ({ message: `Function ${fn.id} needs ${endpoint.service} through this endpoint`, span: fn.anchor })),
          ...known.map((g) => ({ message: `Security group ${g.id} guards the endpoint`, span: g.keySpan })),
        ],
        assumed: [...assumed, ...blocked.map((u) => u.vpc.securityGroupIds.param)],
        conditions: [...commonConditions(blocked.map((u) => u.variant.conditions)), ...(endpoint.condition ? [endpoint.condition] : [])],
        fix: (edits) => {
          const sources = sourceGroupIds(model, blocked.map((u) => u.vpc));
          if (sources.length === 0) return undefined;
          const ingress = sources.map(httpsIngressFrom);
          const target = known[0];
          const reserved = new Set<string>();
          if (!target) {
            const props = endpoint.properties;
            if (!props) return undefined;
            const id = edits.uniqueId(`${endpoint.id}SecurityGroup`, model.resources, reserved);
            return {
              title: `Give ${endpoint.id} a security group admitting HTTPS from the functions`,
              safety: 'unsafe',
              edits: [edits.setKey(props, 'SecurityGroupIds', [{ 'Fn::GetAtt': [id, 'GroupId'] }]), ...edits.addResources({ [id]: endpointGroupResource(vpcId, endpoint.service!, sources) }, model.dialect === 'serverless')],
            } satisfies Fix;
          }
          const inline = get(target.properties, 'SecurityGroupIngress');
          const standaloneOnly = !inline && target.ingress.some((r: SgRule) => r.resource);
          if (!standaloneOnly && canAppend(target.properties, 'SecurityGroupIngress')) {
            return {
              title: `Admit HTTPS from the functions' security groups in ${target.id}`,
              safety: onlyEndpointsUse(model, target.id) ? 'safe' : 'unsafe',
              edits: appendItems(edits, target.properties, 'SecurityGroupIngress', ingress),
            } satisfies Fix;
          }
          const resources: Record<string, Value> = {};
          for (const source of sources) {
            const id = edits.uniqueId(`${target.id}HttpsIngress`, model.resources, reserved);
            resources[id] = { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': [target.id, 'GroupId'] }, ...(httpsIngressFrom(source) as Record<string, Value>) } };
          }
          return { title: `Add an HTTPS ingress rule to ${target.id}`, safety: 'unsafe', edits: edits.addResources(resources, model.dialect === 'serverless') } satisfies Fix;
        },
      });
    }
  },
});

/** Whether the VPC's default group, which admits only its members, keeps the function out. */
function defaultGroupKeepsOut(user: EndpointUser, vpcId: string): boolean {
  const groups = user.vpc.securityGroupIds;
  if (groups.state === 'unknown') return false;
  // A hard-coded or unresolved group may be the default group itself.
  return groups.items.every((r) => r.state !== 'unknown' && r.literal === undefined && !(r.id === vpcId && r.attr === 'DefaultSecurityGroup'));
}

/** Whether the rules certainly admit no tcp/443 from one of the function's subnets (or from its groups). */
function admitsNone(model: Model, rules: SgRule[], user: EndpointUser, assumed: (string | undefined)[]): boolean {
  const base: Peer = functionPeer(model, user.vpc, PRIVATE);
  const dualStack = user.vpc.ipv6DualStack;
  // Only a dual-stack function sends IPv6, so IPv6 rules admit nothing from the others.
  const peer: Peer = dualStack.state !== 'unknown' && dualStack.value !== true ? { ...base, ipv6: 'no' } : base;
  const subnets = functionSubnets(model, user.vpc);
  const peers = subnets.length === 0 ? [peer] : subnets.map(({ subnet }) => ({ ...peer, addresses: cidrAddresses(subnet?.cidr) ?? PRIVATE }));
  const local: string[] = [];
  const blocked = peers.some((p) => rulesAllowTcp(rules, 443, p, model, local) === 'no');
  if (blocked) assumed.push(...local);
  return blocked;
}

/** Whether nothing but VPC endpoints and security group rules refers to the group (so widening it touches nothing else). */
function onlyEndpointsUse(model: Model, groupId: string): boolean {
  return !groupUsers(model).has(groupId);
}

/** The groups that a function or another resource (not an endpoint or a group rule) refers to, once per model. */
const groupUsersCache = new WeakMap<Model, Set<string>>();

function groupUsers(model: Model): Set<string> {
  let used = groupUsersCache.get(model);
  if (used) return used;
  used = new Set<string>();
  for (const { vpc } of attachedVariants(model)) for (const r of vpc.securityGroupIds.items) if (r.id) used.add(r.id);
  for (const r of model.resources.values()) {
    if (BESIDE_GROUP_TYPES.has(r.type)) continue;
    for (const ref of referencedIds(r.properties, model.securityGroups)) if (ref.id !== r.id) used.add(ref.id);
  }
  groupUsersCache.set(model, used);
  return used;
}
