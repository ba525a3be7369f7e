import rule from '../../server/src/core/rules/subnet-capacity';
import { ruleTester } from '../support/rule-tester';

const vpc = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
`;
const subnet = (id: string, cidr: string) => `  ${id}:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: ${cidr}
`;
const endpoint = (subnets = '[!Ref SubnetA]', type = 'Interface') => `  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.sqs
      VpcEndpointType: ${type}
      SubnetIds: ${subnets}
`;
const fn = (id = 'Fn', subnets = '[!Ref SubnetA]') => `  ${id}:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: [sg-1]
`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const rds = `  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: db
      SubnetIds: [!Ref SubnetA, !Ref SubnetB]
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBSubnetGroupName: !Ref DbSubnets
`;

ruleTester(rule, {
  valid: [
    { name: 'a /24 shared with an endpoint', code: tpl(vpc, subnet('SubnetA', '10.0.0.0/24'), endpoint(), fn()) },
    { name: 'a /28 for the function alone', code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), fn()) },
    { name: 'a /28 with an endpoint but no function', code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), endpoint()) },
    { name: 'a gateway endpoint takes no address', code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), endpoint('[!Ref SubnetA]', 'Gateway'), fn()) },
    { name: 'CIDR from a parameter without default', code: `Parameters:\n  Cidr:\n    Type: String\n${tpl(vpc, subnet('SubnetA', '!Ref Cidr'), endpoint(), fn())}` },
    { name: 'CIDR computed with Fn::Cidr', code: tpl(vpc, subnet('SubnetA', '!Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 16, 4]]'), endpoint(), fn()) },
  ],
  invalid: [
    {
      name: 'a /28 with an interface endpoint',
      code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), endpoint(), fn()),
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', path: ['Resources', 'SubnetA', 'Properties', 'CidrBlock'], line: 9, severity: 'info', message: "is a /28 (11 usable addresses) and also holds interface endpoint 'SqsEndpoint'" }],
      output: null,
    },
    {
      name: 'a /28 with a NAT gateway, shared by two functions: one finding',
      code: tpl(vpc, subnet('SubnetA', '10.0.0.16/28'), '  Nat:\n    Type: AWS::EC2::NatGateway\n    Properties: { SubnetId: !Ref SubnetA, AllocationId: eipalloc-1 }\n', fn('FnA'), fn('FnB')),
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', message: "NAT gateway 'Nat': with the network interfaces of functions 'FnA', 'FnB'" }],
    },
    {
      name: 'a database through its subnet group',
      code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), subnet('SubnetB', '10.0.1.0/24'), rds, fn('Fn', '[!Ref SubnetA, !Ref SubnetB]')),
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', message: "database 'Db'" }],
    },
    {
      name: 'an EFS mount target',
      code: tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), '  Fs:\n    Type: AWS::EFS::FileSystem\n  Mount:\n    Type: AWS::EFS::MountTarget\n    Properties: { FileSystemId: !Ref Fs, SubnetId: !Ref SubnetA, SecurityGroups: [sg-1] }\n', fn()),
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', message: "EFS mount target 'Fs'" }],
    },
    {
      name: 'CIDR from a parameter default: stays info',
      code: `Parameters:\n  Cidr:\n    Type: String\n    Default: 10.0.0.0/28\n${tpl(vpc, subnet('SubnetA', '!Ref Cidr'), endpoint(), fn())}`,
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', severity: 'info', message: "assuming the default of parameter 'Cidr'" }],
    },
    {
      name: 'the function uses the subnet only under a condition',
      code: `Conditions:\n  Small: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(vpc, subnet('SubnetA', '10.0.0.0/28'), subnet('SubnetB', '10.0.1.0/24'), endpoint(), fn('Fn', '[!If [Small, !Ref SubnetA, !Ref SubnetB]]'))}`,
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', message: "(when condition 'Small' is true)" }],
    },
    {
      name: 'serverless',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [{ Ref: SubnetA }]
    securityGroupIds: [sg-1]
functions:
  api:
    handler: h.main
resources:
  Resources:
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: vpc-1, CidrBlock: 10.0.0.0/28 }
    Nat:
      Type: AWS::EC2::NatGateway
      Properties: { SubnetId: { Ref: SubnetA }, AllocationId: eipalloc-1 }
`,
      errors: [{ messageId: 'smallShared', resource: 'SubnetA', path: ['resources', 'Resources', 'SubnetA', 'Properties', 'CidrBlock'], message: "function 'api'" }],
    },
  ],
});
