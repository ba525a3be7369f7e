import { appendItems, canAppend } from '../endpoint-fixes';
import { endpointUsers, lacksEgress, routeTableListed } from '../model/endpoints';
import { functionSubnets } from '../model/queries';
import type { LambdaFunction, Subnet } from '../model/types';
import { get } from '../tree';
import type { Related } from '../types';
import type { SubnetEgress } from './helpers';
import { collapseBranches, commonConditions, egressBranches, endpointUserRelated, isAllPublic, namedList } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (tables: string) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt FnRole.Arn
      Code: { ZipFile: "def handler(e, c): pass" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [!GetAtt FnSg.GroupId]
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: reports
          PolicyDocument: { Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::reports/* }] }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24 }
  RouteTableA:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  RouteTableB:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !Ref RouteTableA }
  AssocB:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref SubnetB, RouteTableId: !Ref RouteTableB }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: Lambda, VpcId: !Ref Vpc }
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      RouteTableIds: [${tables}]
`;

interface Gap {
  table?: string;
  subnets: Set<string>;
  functions: Set<LambdaFunction>;
}

export default defineRule({
  id: 'gateway-endpoint-not-associated',
  severity: 'error',
  category: 'endpoints',
  fixSafety: 'safe',
  docs: {
    summary: 'An S3 or DynamoDB gateway endpoint is missing the route table of a function subnet that has no other way out.',
    rationale:
      'A gateway endpoint works through route tables, not subnets or DNS: it adds a route to the service\'s prefix list only to the tables in its `RouteTableIds`. ' +
      'A subnet whose table is not listed sends S3 or DynamoDB traffic to its default route, and when that subnet has none (or one to an internet gateway or a peering connection, useless to Lambda) ' +
      'the calls from the function\'s interfaces there hang until it times out, while the same function works from its other subnets. ' +
      'A `VPCEndpoint` without `VpcEndpointType` is a gateway endpoint. Subnets with a NAT still get through (that costs NAT data processing: see `nat-for-gateway-service`). ' +
      'A subnet without an association uses the VPC\'s main route table, which a template cannot name: the finding then says so and offers no fix.',
    invalid: TEMPLATE('!Ref RouteTableA'),
    valid: TEMPLATE('!Ref RouteTableA, !Ref RouteTableB'),
    fix: 'Appends the missing route tables to the endpoint\'s `RouteTableIds`. Safe: the tables\' subnets have no other way out, so the only traffic it moves is traffic that fails today.',
  },
  messages: {
    notAssociated:
      "Gateway endpoint '{endpoint}' ({service}) is not associated with {tables}, used by subnet{s} {subnets} of {functions}, which {have} no other way out: {service} calls from there hang until the function times out.",
    mainTable:
      "Gateway endpoint '{endpoint}' ({service}) cannot reach subnet{s} {subnets} of {functions}: {they} the VPC's main route table and {have} no other way out, so {service} calls from there hang. Associate them with a route table and add it to RouteTableIds.",
  },
  check({ model, report }) {
    for (const endpoint of model.endpoints.values()) {
      if (endpoint.endpointType !== 'Gateway' || !endpoint.service || endpoint.routeTableIds.state === 'unknown') continue;
      const gaps = new Map<string, Gap>();
      const conditionSets: string[][] = [];
      const assumed: (string | undefined)[] = [endpoint.routeTableIds.param];
      const needs = new Map<LambdaFunction, Related>();
      for (const user of endpointUsers(model, endpoint)) {
        const branches: { conditions: string[]; key: string; value: (SubnetEgress & { subnet: Subnet })[] }[] = [];
        for (const branch of egressBranches(model, functionSubnets(model, user.vpc), user.variant.conditions)) {
          if (isAllPublic(branch.subnets)) continue;
          const missed = branch.subnets.filter((s): s is SubnetEgress & { subnet: Subnet } => {
            if (!s.subnet || !lacksEgress(s.egress.kind)) return false;
            const table = s.subnet.routeTable;
            return table.main || (!!table.id && routeTableListed(endpoint, table.id) === 'no');
          });
          if (missed.length) branches.push({ conditions: branch.conditions, key: missed.map((s) => s.subnet.id).join(','), value: missed });
        }
        for (const { conditions, value } of collapseBranches(branches)) {
          conditionSets.push([...user.variant.conditions, ...conditions]);
          assumed.push(user.vpc.subnetIds.param);
          for (const s of value) {
            const key = s.subnet.routeTable.main ? '' : s.subnet.routeTable.id!;
            let gap = gaps.get(key);
            if (!gap) gaps.set(key, (gap = key ? { table: key, subnets: new Set(), functions: new Set() } : { subnets: new Set(), functions: new Set() }));
            gap.subnets.add(s.subnet.id);
            gap.functions.add(user.fn);
            assumed.push(s.egress.param);
          }
          if (!needs.has(user.fn)) needs.set(user.fn, endpointUserRelated(user));
        }
      }
      if (gaps.size === 0) continue;
      const tables = [...gaps.values()].filter((g) => g.table);
      const shown = tables.length ? tables : [...gaps.values()];
      const subnets = [...new Set(shown.flatMap((g) => [...g.subnets]))];
      const functions = [...new Set(shown.flatMap((g) => [...g.functions]))];
      const listNode = get(endpoint.properties, 'RouteTableIds');
      const props = endpoint.properties;
      report({
        messageId: tables.length ? 'notAssociated' : 'mainTable',
        data: {
          endpoint: endpoint.id,
          service: endpoint.service,
          tables: namedList('route table', tables.map((g) => g.table!)),
          s: subnets.length === 1 ? '' : 's',
          have: subnets.length === 1 ? 'has' : 'have',
          they: subnets.length === 1 ? 'it uses' : 'they use',
          subnets: subnets.join(', '),
          functions: namedList('function', functions.map((f) => f.id)),
        },
        resource: endpoint.id,
        span: listNode ? { start: listNode.start, end: listNode.end } : endpoint.keySpan,
        related: [
          ...[...gaps.values()].map((g) => ({
            message: g.table ? `Route table ${g.table}: used by ${[...g.subnets].join(', ')}, no other way out` : `Main route table: used by ${[...g.subnets].join(', ')}, no other way out`,
            span: g.table ? model.routeTables.get(g.table)!.keySpan : model.subnets.get([...g.subnets][0]!)!.keySpan,
          })),
          ...needs.values(),
        ],
        assumed,
        conditions: [...commonConditions(conditionSets), ...(endpoint.condition ? [endpoint.condition] : [])],
        fix: tables.length && canAppend(props, 'RouteTableIds')
          ? (edits) => ({
              title: `Add ${tables.map((g) => g.table).join(', ')} to ${endpoint.id}'s RouteTableIds`,
              safety: 'safe',
              edits: appendItems(edits, props, 'RouteTableIds', tables.map((g) => ({ Ref: g.table! }))),
            })
          : undefined,
      });
    }
  },
});
