import type { Need, SubnetEgress } from './helpers';
import { eachEgressResult, inheritedRelated, listLabel, namedList, needsAssumed, needsRelated, subnetsSpan, uncoveredNeeds } from './helpers';
import { functionVpcId } from '../model/queries';
import { defineRule } from '../engine/rule';

const VPC = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a }
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PublicRouteTable, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
  PublicSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PublicSubnet, RouteTableId: !Ref PublicRouteTable }
`;

const FUNCTION = (subnet: string) => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => fetch(process.env.API_URL)" }
      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
      VpcConfig:
        SubnetIds: [!Ref ${subnet}]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

export default defineRule({
  id: 'public-subnet',
  severity: 'error',
  category: 'egress',
  fixSafety: 'none',
  docs: {
    summary: 'A VPC-attached function that needs the internet or an AWS service no VPC endpoint here serves, in a subnet whose route table sends 0.0.0.0/0 to an internet gateway.',
    rationale:
      'An internet gateway only carries traffic for addresses that have a public IP, and the network interfaces Lambda creates in your subnets never get one ' +
      '(`MapPublicIpOnLaunch` does not apply to them). ' +
      'So a function in a public subnet has no internet access at all: calls to public endpoints and to AWS services without a VPC endpoint hang until the function times out. ' +
      'Put the function in private subnets whose default route goes to a NAT gateway that sits in a public subnet. ' +
      "When all of a function's subnets are public, this is the only egress finding reported for it: it names the cause. " +
      'A function whose needs are all known and stay inside the VPC (a database, EFS, AWS services that have a VPC endpoint here) loses nothing, and is not reported; ' +
      'one whose permissions are not all known (a role from outside the template, a managed policy whose content is not known) is reported as a warning that says so.',
    invalid: `Resources:
${VPC}${FUNCTION('PublicSubnet')}`,
    valid: `Resources:
${VPC}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties: { Domain: vpc }
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref PublicSubnet, AllocationId: !GetAtt NatEip.AllocationId }
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PrivateRouteTable, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat }
  PrivateSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref PrivateSubnet, RouteTableId: !Ref PrivateRouteTable }
${FUNCTION('PrivateSubnet')}`,
  },
  messages: {
    allPublic:
      "Function '{fn}' is only in public {subnets} (0.0.0.0/0 goes to an internet gateway): Lambda's network interfaces never get a public IP, so it has no internet access; use private subnets routed to a NAT gateway.",
    somePublic:
      "Function '{fn}' uses public {subnets} (0.0.0.0/0 goes to an internet gateway): Lambda's network interfaces never get a public IP, so invocations placed there have no internet access; use private subnets routed to a NAT gateway.",
    allPublicNeedsUnknown:
      "Function '{fn}' is only in public {subnets} (0.0.0.0/0 goes to an internet gateway), so it has no internet access (Lambda's network interfaces never get a public IP); its permissions are not all known (a role or managed policy the template does not show), so this matters only if it calls the internet or an AWS service without a VPC endpoint here.",
    somePublicNeedsUnknown:
      "Function '{fn}' uses public {subnets} (0.0.0.0/0 goes to an internet gateway), so invocations placed there have no internet access (Lambda's network interfaces never get a public IP); its permissions are not all known (a role or managed policy the template does not show), so this matters only if it calls the internet or an AWS service without a VPC endpoint here.",
  },
  check({ model, report }) {
    eachEgressResult<{ all: boolean; public: SubnetEgress[]; needs: Need[] | undefined }>(
      model,
      ({ fn, vpc }, branch) => {
        const found = branch.subnets.filter((s) => s.egress.kind === 'internet-gateway');
        if (found.length === 0) return undefined;
        const vpcId = functionVpcId(model, vpc);
        const needs = unionNeeds(found.map((s) => uncoveredNeeds(model, fn, vpcId, s.subnet)));
        // Known permissions whose needs all stay in the VPC (a database, EFS, services with an endpoint): nothing is lost.
        // An environment value that cannot be read is no evidence of a need; a role that cannot be read may allow anything.
        if (needs.length === 0 && fn.needs.permissionsKnown) return undefined;
        const all = found.length === branch.subnets.length;
        const unknown = needs.length === 0;
        return { key: `${all}|${unknown}|${found.map((s) => s.subnet!.id).join(',')}`, value: { all, public: found, needs: unknown ? undefined : needs } };
      },
      ({ fn, vpc }, { all, public: found, needs }, conditions) => {
        const names = found.map((s) => s.subnet!.id);
        report({
          messageId: needs ? (all ? 'allPublic' : 'somePublic') : (all ? 'allPublicNeedsUnknown' : 'somePublicNeedsUnknown'),
          data: { fn: fn.id, subnets: namedList('subnet', names, listLabel) },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, found),
          severity: needs ? undefined : 'warning',
          related: [
            ...found.flatMap((s) => (s.egress.route ? [{ message: `Route table '${s.egress.routeTable}' of subnet '${s.subnet!.id}' sends 0.0.0.0/0 to an internet gateway`, span: s.egress.route.span }] : [])),
            ...(needs ? needsRelated(needs) : []),
            ...inheritedRelated(vpc),
          ],
          assumed: [vpc.subnetIds.param, ...found.map((s) => s.egress.param), ...(needs ? needsAssumed(needs) : [])],
          conditions: [...conditions, ...found.flatMap((s) => s.egress.conditions ?? [])],
        });
      },
    );
  },
});

/** The needs of several subnets, each name once. */
function unionNeeds(lists: Need[][]): Need[] {
  const byName = new Map<string, Need>();
  for (const list of lists) for (const need of list) if (!byName.has(need.name)) byName.set(need.name, need);
  return [...byName.values()];
}
