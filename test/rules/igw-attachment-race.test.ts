import rule from '../../server/src/core/rules/igw-attachment-race';
import { ruleTester } from '../support/rule-tester';

const network = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  Public:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Private:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig: { SubnetIds: [!Ref Private], SecurityGroupIds: [sg-0123456789abcdef0] }
`;

const route = (dependsOn = '') => `  Default:
    Type: AWS::EC2::Route${dependsOn}
    Properties: { RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw }
`;

const nat = (eipDependsOn = '', natDependsOn = '') => `  NatEip:
    Type: AWS::EC2::EIP${eipDependsOn}
    Properties: { Domain: vpc }
  Nat:
    Type: AWS::EC2::NatGateway${natDependsOn}
    Properties: { SubnetId: !Ref Public, AllocationId: !GetAtt NatEip.AllocationId }
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;

/** The fix adds `DependsOn` after the resource's last key. */
const appended = (text: string) => `${text}    DependsOn: Attach\n`;

ruleTester(rule, {
  valid: [
    { name: 'the route depends on the attachment', code: cfn(network, route('\n    DependsOn: Attach')) },
    { name: 'through another resource that depends on it', code: cfn(network, `  Ready:
    Type: AWS::CloudFormation::WaitConditionHandle
    DependsOn: [Attach]
`, route('\n    DependsOn: Ready'), nat('\n    DependsOn: Ready')) },
    { name: 'the NAT gateway depends on it (or its Elastic IP does)', code: cfn(network, route('\n    DependsOn: Attach'), nat('', '\n    DependsOn: Attach')) },
    { name: 'no function runs in the VPC', code: cfn(network.replace(/  Fn:\n[^]*$/, ''), route()) },
    { name: 'the gateway is attached outside the template', code: cfn(`  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
`, route()) },
    { name: 'a private NAT gateway and a route to a gateway of another template', code: cfn(network, `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref Public, ConnectivityType: private }
  Default:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-0123456789abcdef0 }
`) },
  ],
  invalid: [
    {
      name: 'a route without DependsOn: the fix adds one',
      code: cfn(network, route()),
      errors: [{ messageId: 'route', resource: 'Default', path: ['Resources', 'Default'], line: 23, severity: 'warning', message: "Route 'Default' sends traffic to internet gateway 'Igw' but does not depend on its attachment 'Attach'" }],
      output: appended(cfn(network, route())),
      safety: 'safe',
    },
    {
      name: 'a DependsOn list that misses it: appended in block style',
      code: cfn(network, `  Other:
    Type: AWS::CloudFormation::WaitConditionHandle
`, route('\n    DependsOn:\n      - Other')),
      errors: [{ messageId: 'route', resource: 'Default' }],
      output: cfn(network, `  Other:
    Type: AWS::CloudFormation::WaitConditionHandle
`, route('\n    DependsOn:\n      - Other\n      - Attach')),
    },
    {
      name: 'a NAT gateway whose Elastic IP waits for nothing: reported on the Elastic IP',
      code: cfn(network, route('\n    DependsOn: Attach'), nat()),
      errors: [{ messageId: 'natEip', resource: 'NatEip', path: ['Resources', 'NatEip'], message: "public NAT gateway 'Nat'" }],
      output: cfn(network, route('\n    DependsOn: Attach'), nat().replace('{ Domain: vpc }\n', '{ Domain: vpc }\n    DependsOn: Attach\n')),
    },
    {
      name: 'a NAT gateway with an allocation id from elsewhere: reported on the NAT gateway',
      code: cfn(network, route('\n    DependsOn: Attach'), `  Nat:
    Type: AWS::EC2::NatGateway
    DependsOn: Public
    Properties: { SubnetId: !Ref Public, AllocationId: eipalloc-0123 }
`),
      errors: [{ messageId: 'nat', resource: 'Nat' }],
      output: cfn(network, route('\n    DependsOn: Attach'), `  Nat:
    Type: AWS::EC2::NatGateway
    DependsOn: [Public, Attach]
    Properties: { SubnetId: !Ref Public, AllocationId: eipalloc-0123 }
`),
    },
    {
      name: 'an Elastic IP associated with an instance in the VPC',
      code: cfn(network, route('\n    DependsOn: Attach'), `  Bastion:
    Type: AWS::EC2::Instance
    Properties: { ImageId: ami-0123, SubnetId: !Ref Public }
  BastionIp:
    Type: AWS::EC2::EIP
    Properties: { Domain: vpc, InstanceId: !Ref Bastion }
`),
      errors: [{ messageId: 'eip', resource: 'BastionIp', message: "associated with 'Bastion' in VPC 'Vpc'" }],
    },
  ],
});
