/**
 * Template fragments for the egress rules' tests: a VPC with an attached internet gateway, subnets with
 * their route tables and default routes, NAT gateways and functions. Each returns lines indented for the
 * `Resources` map, so a test's template reads as the resources it is made of.
 */

/** A VPC (10.0.0.0/16) with an internet gateway attached. */
export const vpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
`;

/** A subnet of `Vpc`, associated with a route table when one is given. */
export function subnet(id: string, cidr: string, az: string, routeTable?: string): string {
  const association = routeTable
    ? `  ${id}Routes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref ${id}, RouteTableId: !Ref ${routeTable} }
`
    : '';
  return `  ${id}:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: ${cidr}, AvailabilityZone: ${az} }
${association}`;
}

/** A route table of `Vpc` with a 0.0.0.0/0 route to `target` (`GatewayId: !Ref Igw`), or none. */
export function routeTable(id: string, target?: string, extra = ''): string {
  const route = target
    ? `  ${id}Default:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref ${id}, DestinationCidrBlock: 0.0.0.0/0, ${target} }${extra}
`
    : '';
  return `  ${id}:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
${route}`;
}

/** A public subnet: its route table sends 0.0.0.0/0 to `Igw`. */
export function publicSubnet(id: string, cidr: string, az: string): string {
  return routeTable(`${id}Rt`, 'GatewayId: !Ref Igw') + subnet(id, cidr, az, `${id}Rt`);
}

/** A public NAT gateway with its Elastic IP, in `subnetId`. */
export function nat(id: string, subnetId: string): string {
  return `  ${id}Eip:
    Type: AWS::EC2::EIP
    Properties: { Domain: vpc }
  ${id}:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref ${subnetId}, AllocationId: !GetAtt ${id}Eip.AllocationId }
`;
}

/** A private subnet whose route table sends 0.0.0.0/0 to the NAT gateway `natId`. */
export function natSubnet(id: string, cidr: string, az: string, natId: string): string {
  return routeTable(`${id}Rt`, `NatGatewayId: !Ref ${natId}`) + subnet(id, cidr, az, `${id}Rt`);
}

/**
 * A function attached to `subnets` (YAML flow items: `!Ref A`), with extra `Properties` lines. The
 * default environment gives it a need for the internet.
 */
export function fn(subnets: string, props = `      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
`, id = 'Fn'): string {
  return `  ${id}:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
${props}      VpcConfig:
        SubnetIds: [${subnets}]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`;
}

export function template(...resources: string[]): string {
  return `Resources:\n${resources.join('')}`;
}
