import { appendItems, canAppend, gatewayEndpointResource, pascalCase } from '../endpoint-fixes';
import { lacksEgress, routeTableListed, serviceUsers } from '../model/endpoints';
import { endpointsFor, functionSubnets, functionVpcId, isGatewayService, vpcHasUnknownEndpoints } from '../model/queries';
import { endpointServes, endpointServiceOf } from '../model/services';
import type { Subnet } from '../model/types';
import type { SubnetEgress } from './helpers';
import { attachedVariants, collapseBranches, egressBranches, inheritedRelated, isAllPublic, namedList, needsRelated, subnetsSpan } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (endpoint: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - DynamoDBCrudPolicy: { TableName: orders }
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnet]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref PrivateRouteTable }
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: subnet-0a1b2c3d4e5f60009, AllocationId: eipalloc-0a1b2c3d4e5f60001 }
${endpoint}`;

export default defineRule({
  id: 'nat-for-gateway-service',
  severity: 'info',
  category: 'advice',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A function reaches S3 or DynamoDB only through a NAT gateway, with no gateway endpoint on its subnets\' route tables.',
    rationale:
      'A NAT gateway charges for every gigabyte it processes, on top of its hourly price; S3 and DynamoDB traffic is often the bulk of it. ' +
      'A gateway endpoint for S3 or DynamoDB is free and takes that traffic off the NAT, through a route on the route tables it is associated with. ' +
      'It also keeps working if the NAT or its Availability Zone fails. The rule stays quiet when an interface endpoint with private DNS already carries the service, ' +
      'and leaves subnets with no way out at all to `missing-endpoint` and `gateway-endpoint-not-associated`.',
    invalid: TEMPLATE(''),
    valid: TEMPLATE(`  DynamoDbEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.dynamodb
      VpcEndpointType: Gateway
      RouteTableIds: [!Ref PrivateRouteTable]
`),
    fix:
      'Adds a gateway endpoint (`VpcEndpointType: Gateway`) on the route tables of the subnets of the functions that need the service, or appends the route tables to the VPC\'s one gateway endpoint for it. ' +
      'Unsafe: the calls then come from private addresses through the endpoint instead of the NAT\'s public IP, so a bucket or table policy that allows only that IP (`aws:SourceIp`) starts refusing them, and the endpoint\'s own policy applies.',
  },
  messages: {
    viaNat:
      "Function '{fn}' reaches {service} only through NAT gateway{s} {nats} (from subnet{subnetsPlural} {subnets}): a gateway endpoint for {service} on {tables} is free and takes that traffic off the NAT's per-GB data processing charge.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const vpcId = functionVpcId(model, vpc);
      if (!vpcId || !model.vpcs.has(vpcId) || vpcHasUnknownEndpoints(model, vpcId)) continue;
      for (const [prefix, evidence] of fn.needs.services) {
        if (!isGatewayService(prefix)) continue;
        const endpoints = endpointsFor(model, vpcId, prefix);
        // An interface endpoint with private DNS already takes the traffic; an unresolved type may be a gateway.
        if (endpoints.some((e) => e.endpointType === 'unknown' || (e.endpointType === 'Interface' && e.privateDns.value !== false))) continue;
        const gateways = endpoints.filter((e) => e.endpointType === 'Gateway');
        const branches: { conditions: string[]; key: string; value: (SubnetEgress & { subnet: Subnet })[] }[] = [];
        for (const branch of egressBranches(model, functionSubnets(model, vpc), variant.conditions)) {
          // Without any endpoint, `missing-endpoint` reports a subnet with no way out, and its fix covers these subnets too.
          if (gateways.length === 0 && !isAllPublic(branch.subnets) && branch.subnets.some((s) => s.subnet && lacksEgress(s.egress.kind))) continue;
          const viaNat = branch.subnets.filter((s): s is SubnetEgress & { subnet: Subnet } => {
            const table = s.subnet?.routeTable.id;
            return s.egress.kind === 'nat' && !!table && gateways.every((g) => routeTableListed(g, table) === 'no');
          });
          if (viaNat.length) branches.push({ conditions: branch.conditions, key: viaNat.map((s) => s.subnet.id).join(','), value: viaNat });
        }
        for (const { conditions, value } of collapseBranches(branches)) {
          const nats = [...new Set(value.map((s) => s.egress.nat).filter((n): n is string => !!n))];
          const tables = [...new Set(value.map((s) => s.subnet.routeTable.id!))];
          const single = gateways.length === 1 && !gateways[0]!.condition ? gateways[0]! : undefined;
          report({
            messageId: 'viaNat',
            data: {
              fn: fn.id,
              service: prefix,
              s: nats.length === 1 ? '' : 's',
              nats: nats.join(', '),
              subnetsPlural: value.length === 1 ? '' : 's',
              subnets: value.map((s) => s.subnet.id).join(', '),
              tables: namedList('route table', tables),
            },
            resource: fn.id,
            span: subnetsSpan(fn, vpc, value),
            related: [
              ...nats.map((id) => ({ message: `NAT gateway ${id} carries the ${prefix} traffic`, span: model.natGateways.get(id)!.keySpan })),
              ...needsRelated([{ name: prefix, evidence }]),
              ...inheritedRelated(vpc),
            ],
            assumed: [vpc.subnetIds.param, ...value.map((s) => s.egress.param)],
            conditions: [...variant.conditions, ...conditions],
            fix: (edits) => {
              if (single) {
                const props = single.properties;
                if (!canAppend(props, 'RouteTableIds')) return undefined;
                return { title: `Add ${tables.join(', ')} to ${single.id}'s RouteTableIds`, safety: 'unsafe', edits: appendItems(edits, props, 'RouteTableIds', tables.map((t) => ({ Ref: t }))) };
              }
              if (gateways.length > 0) return undefined;
              const name = endpointServiceOf(prefix).endpoint!;
              // Every function in the VPC that needs the service gets the endpoint on its route tables, this one first.
              const users = serviceUsers(model, vpcId, (p) => endpointServes(name, p));
              const all = [vpc, ...users.map((u) => u.vpc)].flatMap((a) => functionSubnets(model, a)).map((s) => s.subnet?.routeTable.id);
              const routeTables = [...new Set([...tables, ...all.filter((t): t is string => !!t && model.routeTables.has(t))])];
              const id = edits.uniqueId(`${pascalCase(name)}Endpoint`, model.resources);
              return { title: `Add a gateway endpoint for ${name} on the functions' route tables`, safety: 'unsafe', edits: edits.addResources({ [id]: gatewayEndpointResource(vpcId, name, routeTables) }, model.dialect === 'serverless') };
            },
          });
        }
      }
    }
  },
});
