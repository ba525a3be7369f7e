import type { Fix } from '../types';
import { gatewayAttachmentOf, publicNats } from './helpers';
import { defineRule } from '../engine/rule';

const TEMPLATE = (eip: string, allocation: string) => `Resources:
  Vpc:
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
${eip}  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref PublicSubnet
${allocation}  PrivateSubnet:
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
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnet]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;

export default defineRule({
  id: 'nat-missing-eip',
  severity: 'error',
  category: 'egress',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A public, zonal NAT gateway without `AllocationId`.',
    rationale:
      'A public NAT gateway in zonal mode (the default) needs an Elastic IP: CloudFormation requires `AllocationId` for it, and without one the gateway is not created, so the stack fails and the functions routed through it have no egress. ' +
      'Only a private NAT gateway (`ConnectivityType: private`) has no Elastic IP, and only a regional NAT gateway (`AvailabilityMode: regional`) can allocate its addresses itself. ' +
      'The rule looks at NAT gateways that VPC-attached functions route through or that share their VPC.',
    invalid: TEMPLATE('', ''),
    valid: TEMPLATE(`  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties: { Domain: vpc }
`, '      AllocationId: !GetAtt NatEip.AllocationId\n'),
    fix:
      'Adds an `AWS::EC2::EIP` with `Domain: vpc` (depending on the VPC\'s gateway attachment when the template has one, as CloudFormation asks) and sets `AllocationId: !GetAtt <EIP>.AllocationId` on the NAT gateway. ' +
      'Unsafe: it allocates a new, billable public address, while you may mean an Elastic IP you already have (an address allow-listed by a partner) or a private NAT gateway.',
  },
  messages: {
    missingEip: "NAT gateway '{nat}' has no AllocationId: a public zonal NAT gateway needs an Elastic IP, so CloudFormation cannot create it and {users} get no egress.",
  },
  check({ model, report }) {
    for (const { nat, users, related } of publicNats(model)) {
      const id = nat.id;
      if (nat.allocationId.state !== 'known' || nat.allocationId.value !== undefined) continue;
      const properties = nat.properties;
      report({
        messageId: 'missingEip',
        data: { nat: id, users },
        resource: id,
        span: nat.keySpan,
        related,
        assumed: [nat.connectivity.param],
        conditions: nat.condition ? [nat.condition] : [],
        fix: properties
          ? (edits): Fix => {
              const eip = edits.uniqueId(`${id}Eip`, model.resources);
              const attachment = gatewayAttachmentOf(model, nat.subnet.id ? model.subnets.get(nat.subnet.id)?.vpc.id : undefined);
              return {
                title: `Add an Elastic IP '${eip}' for NAT gateway '${id}'`,
                safety: 'unsafe',
                edits: [
                  edits.addKey(properties, 'AllocationId', { 'Fn::GetAtt': [eip, 'AllocationId'] }),
                  ...edits.addResources({ [eip]: { Type: 'AWS::EC2::EIP', ...(attachment ? { DependsOn: attachment } : {}), Properties: { Domain: 'vpc' } } }, model.dialect === 'serverless'),
                ],
              };
            }
          : undefined,
      });
    }
  },
});
