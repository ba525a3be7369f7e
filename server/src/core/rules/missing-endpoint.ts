import {
  endpointGroupResource, gatewayEndpointResource, interfaceEndpointResource, pascalCase, sourceGroupIds, vpcDnsEdits,
} from '../endpoint-fixes';
import type { EditBuilder } from '../edits';
import { egressLabel, lacksEgress, serviceUsers } from '../model/endpoints';
import type { FunctionSubnet } from '../model/queries';
import { azKey, endpointsFor, functionSubnets, functionVpcId, hasEndpointService, vpcHasUnknownEndpoints } from '../model/queries';
import { endpointServes, endpointServiceOf } from '../model/services';
import type { Model, Subnet, VpcAttachment } from '../model/types';
import type { Fix } from '../types';
import type { SubnetEgress } from './helpers';
import { attachedVariants, collapseBranches, egressBranches, inheritedRelated, isAllPublic, needsAssumed, needsRelated, subnetsSpan } from './helpers';
import { defineRule } from '../engine/rule';

const FN = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - SQSSendMessagePolicy: { QueueName: orders }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
`;

const NETWORK = `  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ''] }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: !Select [1, !GetAZs ''] }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Lambda, VpcId: !Ref Vpc }
`;

/** The function subnets with no way out on one branch, and how many subnets the branch has. */
interface Stuck {
  subnets: (SubnetEgress & { subnet: Subnet })[];
  total: number;
}

export default defineRule({
  id: 'missing-endpoint',
  severity: 'error',
  category: 'endpoints',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A function calls an AWS service from a subnet with no way out, and its VPC has no endpoint for that service.',
    rationale:
      'A Lambda function attached to a VPC sends every call through its network interfaces in the subnets you list, and those interfaces never get a public IP address. ' +
      'From a subnet whose route table has no default route (or only one to an internet gateway or a peering connection), the public endpoint of an AWS service is unreachable: ' +
      'SDK calls hang until the function times out, for the share of invocations Lambda places in that subnet. ' +
      'A VPC endpoint makes the service reachable without leaving the VPC: a free gateway endpoint for S3 and DynamoDB, an interface endpoint (PrivateLink) for the others. ' +
      'A NAT gateway is the other way out. The rule stays silent when every subnet of the function is public (`public-subnet` names that cause), ' +
      'when the VPC has an endpoint whose service name does not resolve, and for services without endpoints (`no-egress-route`).',
    invalid: `Transform: AWS::Serverless-2016-10-31
Resources:
${FN}${NETWORK}`,
    valid: `Transform: AWS::Serverless-2016-10-31
Resources:
${FN}${NETWORK}  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
      SecurityGroupIds: [!GetAtt SqsEndpointSecurityGroup.GroupId]
  SqsEndpointSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: HTTPS from Lambda to the sqs endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !GetAtt FnSg.GroupId }
`,
    fix:
      'Adds the endpoint with `ServiceName: !Sub com.amazonaws.${AWS::Region}.<service>`. For S3 and DynamoDB, a gateway endpoint (`VpcEndpointType: Gateway`) on the route tables of the subnets of every function in the VPC that needs the service ' +
      '(none is offered when a subnet without a way out uses the VPC main route table, which a template cannot name). ' +
      'For other services, an interface endpoint with `PrivateDnsEnabled: true` in the functions\' subnets (one per known Availability Zone: an interface endpoint takes one subnet per zone), ' +
      'with a new security group admitting tcp/443 from the functions\' security groups; the VPC\'s `EnableDnsSupport` / `EnableDnsHostnames` are set to true when they are not, because private DNS needs both. ' +
      'Unsafe: it adds resources that cost money (interface endpoints are billed per hour and per AZ) and changes how the whole VPC resolves the service\'s name.',
  },
  messages: {
    noEndpoint:
      "Function '{fn}' calls {service} ({because}), but {stuck} of its {total} subnets {have} no way out ({subnets}) and VPC '{vpc}' has no {service} endpoint: those calls hang until the function times out. " +
      'Add {kind} endpoint for com.amazonaws.<region>.{endpoint}, or a NAT gateway.',
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const vpcId = functionVpcId(model, vpc);
      if (!vpcId || !model.vpcs.has(vpcId) || vpcHasUnknownEndpoints(model, vpcId)) continue;
      const wanted = [...fn.needs.services].filter(([prefix]) => hasEndpointService(prefix));
      if (wanted.length === 0) continue;
      const subnets = functionSubnets(model, vpc);
      const branches: { conditions: string[]; key: string; value: Stuck }[] = [];
      for (const branch of egressBranches(model, subnets, variant.conditions)) {
        if (isAllPublic(branch.subnets)) continue;
        const stuck = branch.subnets.filter((s): s is SubnetEgress & { subnet: Subnet } => !!s.subnet && lacksEgress(s.egress.kind));
        if (stuck.length === 0) continue;
        branches.push({ conditions: branch.conditions, key: `${stuck.map((s) => s.subnet.id).join(',')}/${branch.subnets.length}`, value: { subnets: stuck, total: branch.subnets.length } });
      }
      for (const { conditions, value } of collapseBranches(branches)) {
        for (const [prefix, evidence] of wanted) {
          const endpoints = endpointsFor(model, vpcId, prefix);
          if (endpoints.some((e) => !e.condition)) continue;
          // An endpoint that exists on one branch of a condition leaves the other branch without one.
          const endpointConditions = [...new Set(endpoints.map((e) => e.condition!))];
          if (endpointConditions.length > 1) continue;
          const missingWhen = endpointConditions.map((c) => `!${c}`);
          const service = endpointServiceOf(prefix);
          report({
            messageId: 'noEndpoint',
            data: {
              fn: fn.id,
              service: prefix,
              because: evidence[0]?.because ?? 'its role or environment',
              stuck: value.subnets.length,
              have: value.subnets.length === 1 ? 'has' : 'have',
              total: value.total,
              subnets: value.subnets.map((s) => s.subnet.id).join(', '),
              vpc: vpcId,
              kind: service.gateway ? 'a gateway' : 'an interface',
              endpoint: service.endpoint!,
            },
            resource: fn.id,
            span: subnetsSpan(fn, vpc, value.subnets),
            related: [
              ...value.subnets.map((s) => ({ message: `Subnet ${s.subnet.id}: ${egressLabel(s.egress.kind)}`, span: s.subnet.keySpan })),
              ...needsRelated([{ name: prefix, evidence }]),
              ...inheritedRelated(vpc),
            ],
            assumed: [vpc.subnetIds.param, ...value.subnets.map((s) => s.egress.param), ...needsAssumed([{ name: prefix, evidence }])],
            conditions: [...variant.conditions, ...conditions, ...missingWhen],
            fix: missingWhen.length === 0 ? (edits) => endpointFix(model, edits, vpcId, prefix, value.subnets, vpc) : undefined,
          });
        }
      }
    }
  },
});

function endpointFix(model: Model, edits: EditBuilder, vpcId: string, prefix: string, stuck: FunctionSubnet[], own: VpcAttachment): Fix | undefined {
  const service = endpointServiceOf(prefix);
  const name = service.endpoint!;
  // Every function in the VPC that needs the service gets the endpoint's coverage, this one first.
  const users = serviceUsers(model, vpcId, (p) => endpointServes(name, p));
  const attachments = [own, ...users.map((u) => u.vpc)];
  const allSubnets = attachments.flatMap((a) => functionSubnets(model, a)).map((s) => s.subnet).filter((s): s is Subnet => !!s);
  const taken = model.resources;
  const reserved = new Set<string>();
  const id = edits.uniqueId(`${pascalCase(name)}Endpoint`, taken, reserved);
  const vpc = model.vpcs.get(vpcId)!;
  if (service.gateway) {
    if (stuck.some((s) => !s.subnet || s.subnet.routeTable.main || !s.subnet.routeTable.id)) return undefined;
    const tables = [...new Set(allSubnets.map((s) => s.routeTable.id).filter((t): t is string => !!t && model.routeTables.has(t)))];
    return {
      title: `Add a gateway endpoint for ${name} on the functions' route tables`,
      safety: 'unsafe',
      edits: edits.addResources({ [id]: gatewayEndpointResource(vpcId, name, tables) }, model.dialect === 'serverless'),
    };
  }
  const sources = sourceGroupIds(model, attachments);
  if (sources.length === 0) return undefined;
  // An interface endpoint takes one subnet per Availability Zone; a subnet whose zone is unknown is kept.
  const zones = new Set<string>();
  const subnets: string[] = [];
  for (const s of allSubnets) {
    if (subnets.includes(s.id)) continue;
    const zone = azKey(s);
    if (zone && zones.has(zone)) continue;
    if (zone) zones.add(zone);
    subnets.push(s.id);
  }
  const groupId = edits.uniqueId(`${pascalCase(name)}EndpointSecurityGroup`, model.resources, reserved);
  return {
    title: `Add an interface endpoint for ${name} with a security group admitting HTTPS from the functions`,
    safety: 'unsafe',
    edits: [
      ...vpcDnsEdits(edits, vpc),
      ...edits.addResources({
        [id]: interfaceEndpointResource(vpcId, name, subnets, groupId),
        [groupId]: endpointGroupResource(vpcId, name, sources),
      }, model.dialect === 'serverless'),
    ],
  };
}
