import rule from '../../server/src/core/rules/single-az';
import { ruleTester } from '../support/rule-tester';

const vpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
`;
const subnet = (id: string, cidr: string, az: string) => `  ${id}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${cidr}
      ${az}
`;
const fn = (subnets: string) => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-1]
`;
const byIndex = (i: number) => `AvailabilityZone: !Select [${i}, !GetAZs '']`;

const singleWithTable = `Resources:
${vpc}${subnet('PrivateSubnetA', '10.0.0.0/24', byIndex(0))}${subnet('PublicSubnetA', '10.0.1.0/24', byIndex(0))}  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateSubnetARouteTableAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateSubnetA
      RouteTableId: !Ref PrivateRouteTable
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds:
          - !Ref PrivateSubnetA
        SecurityGroupIds: [sg-1]
`;

const namedSameAz = (region: string) => `Resources:
${vpc}${subnet('Subnet1', '10.0.0.0/20', `AvailabilityZone: ${region}a`)}${subnet('Subnet2', '10.0.16.0/20', `AvailabilityZone: ${region}a`)}${fn('[!Ref Subnet1, !Ref Subnet2]')}`;

const serverless = `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      securityGroupIds: [sg-1]
      subnetIds:
        - Ref: SubnetA
        - Ref: SubnetB
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties:
        CidrBlock: 10.1.0.0/16
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: { Ref: Vpc }
        CidrBlock: 10.1.0.0/24
        AvailabilityZone: { Fn::Select: [1, { Fn::GetAZs: '' }] }
    SubnetB:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: { Ref: Vpc }
        CidrBlock: 10.1.1.0/24
        AvailabilityZone: { Fn::Select: [1, { Fn::GetAZs: '' }] }
`;

ruleTester(rule, {
  valid: [
    { name: 'two subnets in two zones by index', code: `Resources:\n${vpc}${subnet('A', '10.0.0.0/24', byIndex(0))}${subnet('B', '10.0.1.0/24', byIndex(1))}${fn('[!Ref A, !Ref B]')}` },
    { name: 'list of unknown length', code: `Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\nResources:\n${fn('!Ref Subnets')}` },
    { name: 'Fn::Split of an import', code: `Resources:\n${fn('!Split [",", !ImportValue PrivateSubnets]')}` },
    { name: 'one zone by name, the other by id: not comparable', code: `Resources:\n${vpc}${subnet('A', '10.0.0.0/24', 'AvailabilityZone: us-east-1a')}${subnet('B', '10.0.1.0/24', 'AvailabilityZoneId: use1-az1')}${fn('[!Ref A, !Ref B]')}` },
    { name: 'one subnet without AvailabilityZone', code: `Resources:\n${vpc}${subnet('A', '10.0.0.0/24', byIndex(0))}${subnet('B', '10.0.1.0/24', 'MapPublicIpOnLaunch: false')}${fn('[!Ref A, !Ref B]')}` },
    { name: 'two hard-coded subnet ids', code: `Resources:\n${fn('[subnet-0aaa, subnet-0bbb]')}` },
    { name: 'zone from a parameter without default', code: `Parameters:\n  Az:\n    Type: AWS::EC2::AvailabilityZone::Name\nResources:\n${vpc}${subnet('A', '10.0.0.0/24', 'AvailabilityZone: !Ref Az')}${subnet('B', '10.0.1.0/24', 'AvailabilityZone: !Ref Az')}${fn('[!Ref A, !Ref B]')}` },
    { name: 'serverless: two zones', code: serverless.replace('[1, { Fn::GetAZs', '[0, { Fn::GetAZs') },
  ],
  invalid: [
    {
      name: 'one template subnet: adds a sibling in the next zone, next free CIDR, same route table',
      code: singleWithTable,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'], line: 33, severity: 'warning', message: 'single subnet (PrivateSubnetA)' }],
      safety: 'unsafe',
      output: singleWithTable.replace('          - !Ref PrivateSubnetA\n', '          - !Ref PrivateSubnetA\n          - !Ref PrivateSubnetB\n') + `  PrivateSubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      AvailabilityZone: !Select [1, !GetAZs '']
  PrivateSubnetBRouteTableAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateSubnetB
      RouteTableId: !Ref PrivateRouteTable
`,
    },
    {
      name: 'two subnets named in the same zone: adds one in the next letter',
      code: namedSameAz('us-east-1'),
      errors: [{ messageId: 'oneAz', resource: 'Fn', message: 'all its subnets (Subnet1, Subnet2) in us-east-1a' }],
      output: namedSameAz('us-east-1').replace('[!Ref Subnet1, !Ref Subnet2]', '[!Ref Subnet1, !Ref Subnet2, !Ref Subnet3]') + `  Subnet3:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.32.0/20
      AvailabilityZone: us-east-1b
`,
    },
    {
      name: 'zones that differ between accounts (us-west-1): no fix',
      code: namedSameAz('us-west-1'),
      errors: [{ messageId: 'oneAz', resource: 'Fn', message: 'in us-west-1a' }],
      output: null,
    },
    {
      name: 'same AvailabilityZoneId',
      code: `Resources:\n${vpc}${subnet('A', '10.0.0.0/24', 'AvailabilityZoneId: use1-az4')}${subnet('B', '10.0.1.0/24', 'AvailabilityZoneId: use1-az4')}${fn('[!Ref A, !Ref B]')}`,
      errors: [{ messageId: 'oneAz', resource: 'Fn', message: 'in use1-az4' }],
      output: null,
    },
    {
      name: 'a single hard-coded subnet id is one zone',
      code: `Resources:\n${fn('[subnet-0abc]')}`,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn', message: '(subnet-0abc)', severity: 'warning' }],
      output: null,
    },
    {
      name: 'a single imported subnet is one zone too',
      code: `Resources:\n${fn('[!ImportValue PrivateSubnet]')}`,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn' }],
    },
    {
      name: 'list from a parameter default: lowered to info',
      code: `Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n    Default: subnet-0abc\nResources:\n${fn('!Ref Subnets')}`,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn', severity: 'info', message: "assuming the default of parameter 'Subnets'" }],
    },
    {
      name: 'zones from a parameter default: lowered to info',
      code: `Parameters:\n  Az:\n    Type: AWS::EC2::AvailabilityZone::Name\n    Default: eu-west-1b\nResources:\n${vpc}${subnet('A', '10.0.0.0/24', 'AvailabilityZone: !Ref Az')}${subnet('B', '10.0.1.0/24', 'AvailabilityZone: !Ref Az')}${fn('[!Ref A, !Ref B]')}`,
      errors: [{ messageId: 'oneAz', resource: 'Fn', severity: 'info', message: "in eu-west-1b: an outage" }],
      output: null,
    },
    {
      name: 'second subnet only under a condition',
      code: `Conditions:\n  MultiAz: !Equals [!Ref AWS::Region, eu-west-1]\nResources:\n${vpc}${subnet('A', '10.0.0.0/24', byIndex(0))}${subnet('B', '10.0.1.0/24', byIndex(1))}${fn('[!Ref A, !If [MultiAz, !Ref B, !Ref AWS::NoValue]]')}`,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn', severity: 'warning', message: "(when condition 'MultiAz' is false)" }],
      output: null,
    },
    {
      name: 'SAM: one subnet inherited from Globals, reported on the function',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [subnet-0abc]
      SecurityGroupIds: [sg-1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
`,
      errors: [{ messageId: 'oneSubnet', resource: 'Fn', path: ['Resources', 'Fn'], line: 8 }],
    },
    {
      name: 'serverless: both subnets in zone #1, fix in resources.Resources',
      code: serverless,
      errors: [{ messageId: 'oneAz', resource: 'api', path: ['functions', 'api', 'vpc', 'subnetIds'], message: 'AZ #1 of the region' }],
      output: serverless.replace('        - Ref: SubnetB\n', '        - Ref: SubnetB\n        - Ref: SubnetC\n') + `    SubnetC:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId:
          Ref: Vpc
        CidrBlock: 10.1.2.0/24
        AvailabilityZone:
          Fn::Select:
            - 0
            - Fn::GetAZs: ''
`,
    },
  ],
});
