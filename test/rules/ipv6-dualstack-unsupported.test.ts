import rule from '../../server/src/core/rules/ipv6-dualstack-unsupported';
import { ruleTester } from '../support/rule-tester';

const vpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
`;
const subnet = (id: string, ipv6 = true, table = 'Rt') => `  ${id}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24${ipv6 ? '\n      Ipv6CidrBlock: !Select [0, !Cidr [!Select [0, !GetAtt Vpc.Ipv6CidrBlocks], 4, 64]]' : ''}
${table ? `  ${id}Assoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref ${id}, RouteTableId: !Ref ${table} }
` : ''}`;
const table = (route: string) => `  Rt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
${route}`;
const EIGW = `  Eigw:
    Type: AWS::EC2::EgressOnlyInternetGateway
    Properties: { VpcId: !Ref Vpc }
  V6Route:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: !Ref Eigw }
`;
const fn = (flag = 'true', subnets = '[!Ref SubnetA]') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-1]
        Ipv6AllowedForDualStack: ${flag}
`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'dual-stack subnet with ::/0 to an egress-only gateway', code: tpl(vpc, subnet('SubnetA'), table(EIGW), fn()) },
    { name: 'flag off', code: tpl(vpc, subnet('SubnetA', false), fn('false')) },
    { name: 'flag from a parameter without default', code: `Parameters:\n  V6:\n    Type: String\n${tpl(vpc, subnet('SubnetA', false), fn('!Ref V6'))}` },
    { name: 'hard-coded subnets: unknown', code: tpl(fn('true', '[subnet-0abc, subnet-0def]')) },
    { name: 'route table from another stack: route unknown', code: tpl(vpc, subnet('SubnetA', true, ''), `  SubnetAAssoc:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Properties: { SubnetId: !Ref SubnetA, RouteTableId: !ImportValue SharedRt }\n`, fn()) },
    { name: '::/0 to an internet gateway also leads out', code: tpl(vpc, subnet('SubnetA'), table(`  Igw:\n    Type: AWS::EC2::InternetGateway\n  V6Route:\n    Type: AWS::EC2::Route\n    Properties: { RouteTableId: !Ref Rt, DestinationIpv6CidrBlock: '::/0', GatewayId: !Ref Igw }\n`), fn()) },
  ],
  invalid: [
    {
      name: 'subnet without IPv6 CIDR',
      code: tpl(vpc, subnet('SubnetA', false), table(EIGW), fn()),
      errors: [{ messageId: 'noIpv6Cidr', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'Ipv6AllowedForDualStack'], severity: 'warning', message: "subnet 'SubnetA' has no IPv6 CIDR block" }],
      output: null,
    },
    {
      name: 'dual-stack subnet on the main route table',
      code: tpl(vpc, subnet('SubnetA', true, ''), fn()),
      errors: [{ messageId: 'noIpv6Route', resource: 'Fn', message: "subnet 'SubnetA' has no IPv6 default route" }],
    },
    {
      name: 'route table with only an IPv4 default route',
      code: tpl(vpc, subnet('SubnetA'), subnet('SubnetB').replace(/SubnetA/g, 'SubnetB'), table(`  V4Route:\n    Type: AWS::EC2::Route\n    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-0abc }\n`), fn('true', '[!Ref SubnetA, !Ref SubnetB]')),
      errors: [{ messageId: 'noIpv6Route', resource: 'Fn', message: "subnets 'SubnetA', 'SubnetB' have no IPv6 default route" }],
    },
    {
      name: 'flag from a parameter default: lowered to info',
      code: `Parameters:\n  V6:\n    Type: String\n    Default: 'true'\n${tpl(vpc, subnet('SubnetA', false), fn('!Ref V6'))}`,
      errors: [{ messageId: 'noIpv6Cidr', resource: 'Fn', severity: 'info', message: "assuming the default of parameter 'V6'" }],
    },
    {
      name: 'only one branch picks the IPv4-only subnet',
      code: `Conditions:\n  Legacy: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(vpc, subnet('SubnetA'), subnet('SubnetB', false).replace(/SubnetA/g, 'SubnetB'), table(EIGW), fn('true', '[!If [Legacy, !Ref SubnetB, !Ref SubnetA]]'))}`,
      errors: [{ messageId: 'noIpv6Cidr', resource: 'Fn', message: "(when condition 'Legacy' is true)" }],
    },
    {
      name: 'serverless',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [{ Ref: SubnetA }]
    securityGroupIds: [sg-1]
    ipv6AllowedForDualStack: true
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16 }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: { Ref: Vpc }, CidrBlock: 10.0.0.0/24 }
`,
      errors: [{ messageId: 'noIpv6Cidr', resource: 'api', path: ['functions', 'api'] }],
    },
  ],
});
