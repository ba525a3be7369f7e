import type { SubnetEgress } from './helpers';
import { eachEgressResult, inheritedRelated, listLabel, namedList, subnetsSpan } from './helpers';
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
      Code: { ZipFile: "exports.handler = async () => fetch('https://api.example.com')" }
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
    summary: 'A VPC-attached function in a subnet whose route table sends 0.0.0.0/0 to an internet gateway.',
    rationale:
      'An internet gateway only carries traffic for addresses that have a public IP, and the network interfaces Lambda creates in your subnets never get one ' +
      '(`MapPublicIpOnLaunch` does not apply to them). ' +
      'So a function in a public subnet has no internet access at all: calls to public endpoints and to AWS services without a VPC endpoint hang until the function times out. ' +
      'Put the function in private subnets whose default route goes to a NAT gateway that sits in a public subnet. ' +
      "When all of a function's subnets are public, this is the only egress finding reported for it: it names the cause.",
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
  },
  check({ model, report }) {
    eachEgressResult<{ all: boolean; public: SubnetEgress[] }>(
      model,
      (_attached, branch) => {
        const found = branch.subnets.filter((s) => s.egress.kind === 'internet-gateway');
        if (found.length === 0) return undefined;
        const all = found.length === branch.subnets.length;
        return { key: `${all}|${found.map((s) => s.subnet!.id).join(',')}`, value: { all, public: found } };
      },
      ({ fn, vpc }, { all, public: found }, conditions) => {
        const names = found.map((s) => s.subnet!.id);
        report({
          messageId: all ? 'allPublic' : 'somePublic',
          data: { fn: fn.id, subnets: namedList('subnet', names, listLabel) },
          resource: fn.id,
          span: subnetsSpan(fn, vpc, found),
          related: [
            ...found.flatMap((s) => (s.egress.route ? [{ message: `Route table '${s.egress.routeTable}' of subnet '${s.subnet!.id}' sends 0.0.0.0/0 to an internet gateway`, span: s.egress.route.span }] : [])),
            ...inheritedRelated(vpc),
          ],
          assumed: [vpc.subnetIds.param, ...found.map((s) => s.egress.param)],
          conditions: [...conditions, ...found.flatMap((s) => s.egress.conditions ?? [])],
        });
      },
    );
  },
});
