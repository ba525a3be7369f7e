import { referencedIds } from '../model/needs';
import { hostOf, isAwsPublicHost } from '../model/hosts';
import { endpointsFor, functionGroups, functionSubnets, functionVpcId, subnetEgress } from '../model/queries';
import type { Node } from '../tree';
import { get } from '../tree';
import type { LambdaFunction, Model, VpcAttachment } from '../model/types';
import { attachedVariants, commonConditions, inheritedRelated, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';
import type { AttachedVariant } from './helpers';

/** For each group: whether another group admits it, and whether it sends to a group (computed once per model). */
const linksCache = new WeakMap<Model, { admittedByOthers: Set<string>; sendsToGroups: Set<string> }>();

function groupLinks(model: Model): { admittedByOthers: Set<string>; sendsToGroups: Set<string> } {
  let links = linksCache.get(model);
  if (links) return links;
  links = { admittedByOthers: new Set(), sendsToGroups: new Set() };
  for (const sg of model.securityGroups.values()) {
    for (const r of sg.ingress) if (r.group?.id !== undefined && r.group.id !== sg.id) links.admittedByOthers.add(r.group.id);
    if ([...(sg.inlineEgress ?? []), ...sg.standaloneEgress].some((r) => r.group !== undefined)) links.sendsToGroups.add(sg.id);
  }
  linksCache.set(model, links);
  return links;
}

/**
 * Signs in the network itself that the function talks to something in the VPC, or is there for the
 * NAT's fixed address: another group admits the function's group, the function's group sends to
 * another group, its environment names an Elastic IP, or it calls the internet through a NAT.
 */
function networkSaysPrivate(model: Model, fn: LambdaFunction, vpc: VpcAttachment): boolean {
  const links = groupLinks(model);
  for (const { ref } of functionGroups(model, vpc)) {
    if (ref.id && (links.admittedByOthers.has(ref.id) || links.sendsToGroups.has(ref.id))) return true;
  }
  if (referencedIds(fn.environment, model.resources).some((r) => model.resources.get(r.id)?.type === 'AWS::EC2::EIP')) return true;
  const subnets = functionSubnets(model, vpc);
  // The fixed-egress-IP pattern: calls to the internet leave through a NAT and its address.
  if (fn.needs.internet.length > 0 || inlineCodeCallsOut(fn)) {
    if (subnets.some(({ subnet }) => {
      const kind = subnet ? subnetEgress(model, subnet).kind : 'unknown';
      return kind === 'nat' || kind === 'nat-instance';
    })) return true;
  }
  return servedByEndpoint(model, fn, vpc, subnets);
}

/** Whether an endpoint in the function's VPC serves one of its needs: private access to AWS services is a deliberate choice. */
function servedByEndpoint(model: Model, fn: LambdaFunction, vpc: VpcAttachment, subnets: ReturnType<typeof functionSubnets>): boolean {
  const vpcId = functionVpcId(model, vpc);
  if (!vpcId) return false;
  const tables = new Set(subnets.map((s) => s.subnet?.routeTable.id));
  return [...fn.needs.services.keys()].some((prefix) => endpointsFor(model, vpcId, prefix).some((e) => {
    if (e.endpointType !== 'Gateway') return true;
    return e.routeTableIds.state === 'unknown' || e.routeTableIds.items.some((r) => r.state === 'unknown' || tables.has(r.id) || tables.has(undefined));
  }));
}

/** Inline code (`ZipFile`, `InlineCode`) that calls a URL outside AWS: the rule reads no code, but this much is plain text. */
function inlineCodeCallsOut(fn: LambdaFunction): boolean {
  const code = get(get(fn.properties, 'Code'), 'ZipFile') ?? get(fn.properties, 'InlineCode');
  const text = code ? stringIn(code) : undefined;
  if (!text) return false;
  for (const m of text.matchAll(/https?:\/\/[^\s'"`)]+/g)) {
    const host = hostOf(m[0]);
    if (host && !isAwsPublicHost(host) && host !== 'localhost' && !host.startsWith('127.')) return true;
  }
  return false;
}

/** The text of a scalar, or of the template string of an `Fn::Sub` around one. */
function stringIn(node: Node): string | undefined {
  if (node.kind === 'scalar') return typeof node.value === 'string' ? node.value : undefined;
  const sub = get(node, 'Fn::Sub');
  if (!sub) return undefined;
  return stringIn(sub.kind === 'seq' ? sub.items[0]! : sub);
}

export default defineRule({
  id: 'vpc-without-private-resources',
  severity: 'info',
  category: 'advice',
  fixSafety: 'none',
  docs: {
    summary: 'A VPC-attached function that references nothing that lives in a VPC.',
    rationale:
      'Attaching a function to a VPC only helps it reach private resources: databases, caches, EFS, MSK clusters, internal load balancers, ' +
      'EC2 instances, VPC Lattice services, private hosts. When every environment value and every policy resource of the function is known and none of them points at ' +
      'such a resource, a private IP address, a connection string (`postgres://`, `mysql://`, `redis://`, `mongodb://`, `amqp://`, `jdbc:`...) or any host name, ' +
      'URL or `host:port` other than a public AWS service endpoint (a private hosted zone can make any name private), the VPC adds only cost and ways to break: NAT gateway hours ' +
      'and data charges or interface endpoints to reach AWS services and the internet, ENI and IP address capacity, and the egress, endpoint ' +
      'and security group misconfigurations the other rules look for. Without `VpcConfig` the function reaches AWS services and the internet directly. ' +
      'The rule stays quiet when the function mounts a file system (`FileSystemConfigs`), and when the network says otherwise: another security group admits the function\'s group, the function\'s group sends to ' +
      'another group, the function calls the internet through a NAT gateway (perhaps for its fixed address), or a VPC endpoint in its VPC serves one of its needs ' +
      '(private access to AWS services is a deliberate choice).',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          TABLE: !Ref Table
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: table
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn }]
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          TABLE: !Ref Table
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]
      Policies:
        - PolicyName: table
          PolicyDocument:
            Statement: [{ Effect: Allow, Action: dynamodb:GetItem, Resource: !GetAtt Table.Arn }]
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
`,
  },
  messages: {
    noPrivateResources:
      "Function '{fn}' is attached to a VPC but none of its environment values or policy resources points at anything inside one: the VPC only adds NAT or endpoint costs and ways to fail. Consider removing VpcConfig.",
  },
  check({ model, report }) {
    const byFunction = new Map<string, AttachedVariant[]>();
    for (const attached of attachedVariants(model)) {
      const { vpc } = attached;
      // An incomplete config is deployed outside the VPC or rejected: other rules speak of it.
      if (vpc.subnetIds.state !== 'unknown' && vpc.subnetIds.items.length === 0) continue;
      if (vpc.securityGroupIds.state !== 'unknown' && vpc.securityGroupIds.items.length === 0) continue;
      byFunction.set(attached.fn.id, [...(byFunction.get(attached.fn.id) ?? []), attached]);
    }
    for (const variants of byFunction.values()) {
      const { fn, vpc } = variants[0]!;
      const needs = fn.needs;
      if (!needs.allKnown || needs.privateResources.length > 0 || needs.databases.size > 0 || fn.fileSystemConfigs) continue;
      if (variants.some((v) => networkSaysPrivate(model, fn, v.vpc))) continue;
      const span = vpc.inheritedFrom ? fn.anchor : ownSpan(fn, vpc.vpcConfigNode);
      report({
        messageId: 'noPrivateResources',
        data: { fn: fn.id },
        resource: fn.id,
        span,
        related: inheritedRelated(vpc),
        conditions: commonConditions(variants.map((v) => v.variant.conditions)),
      });
    }
  },
});
