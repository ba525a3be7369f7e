import rule from '../../server/src/core/rules/vpc-dns-disabled';
import { ruleTester } from '../support/rule-tester';

const fn = `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0123]
`;

const vpc = (props: string) => `  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
${props}  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
`;

const endpoint = (dns = 'true', id = 'SsmEndpoint', extra = '') => `  ${id}:
    Type: AWS::EC2::VPCEndpoint${extra}
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.ssm
      VpcEndpointType: Interface
      PrivateDnsEnabled: ${dns}
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const ON = '      EnableDnsSupport: true\n      EnableDnsHostnames: true\n';

ruleTester(rule, {
  valid: [
    { name: 'both attributes on', code: cfn(fn, vpc(ON), endpoint()) },
    { name: 'host names from a parameter without a default', code: `Parameters:\n  HostNames: { Type: String }\n${cfn(fn, vpc('      EnableDnsHostnames: !Ref HostNames\n'), endpoint())}` },
    { name: 'the endpoint does not use private DNS', code: cfn(fn, vpc(''), endpoint('false')) },
    { name: 'private DNS depends on a condition', code: `Conditions:\n  Prod: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn, vpc(''), endpoint('!If [Prod, true, false]'))}` },
    { name: 'no VPC-attached function in the template', code: cfn(vpc(''), endpoint()) },
    { name: 'the endpoint is in a VPC from another stack', code: cfn(fn, vpc(''), `  SsmEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !ImportValue SharedVpc, ServiceName: com.amazonaws.us-east-1.ssm, VpcEndpointType: Interface, PrivateDnsEnabled: true }
`) },
  ],
  invalid: [
    {
      name: 'host names left at the default: safe fix adds them',
      code: cfn(fn, vpc(''), endpoint()),
      errors: [{ messageId: 'hostnames', resource: 'Vpc', path: ['Resources', 'Vpc'], line: 9, severity: 'error', message: "VPC 'Vpc' does not have EnableDnsHostnames: true, but interface endpoint SsmEndpoint sets PrivateDnsEnabled: true: the deployment fails" }],
      output: cfn(fn, vpc('      EnableDnsHostnames: true\n'), endpoint()),
      safety: 'safe',
    },
    {
      name: 'DNS support turned off',
      code: cfn(fn, vpc('      EnableDnsSupport: false\n      EnableDnsHostnames: true\n'), endpoint()),
      errors: [{ messageId: 'support', resource: 'Vpc', path: ['Resources', 'Vpc', 'Properties', 'EnableDnsSupport'] }],
      output: cfn(fn, vpc(ON), endpoint()),
    },
    {
      name: 'both off, two endpoints: one finding on the VPC',
      code: cfn(fn, vpc("      EnableDnsSupport: 'false'\n      EnableDnsHostnames: false\n"), endpoint(), endpoint('true', 'KmsEndpoint')),
      errors: [{ messageId: 'both', resource: 'Vpc', path: ['Resources', 'Vpc', 'Properties', 'EnableDnsHostnames'], message: 'interface endpoints SsmEndpoint, KmsEndpoint set PrivateDnsEnabled: true' }],
      output: cfn(fn, vpc('      EnableDnsSupport: true\n      EnableDnsHostnames: true\n'), endpoint(), endpoint('true', 'KmsEndpoint')),
    },
    {
      name: 'a parameter default: lowered to warning, and the fix that overrides it is unsafe',
      code: `Parameters:\n  HostNames: { Type: String, Default: 'false' }\n${cfn(fn, vpc('      EnableDnsHostnames: !Ref HostNames\n'), endpoint())}`,
      errors: [{ messageId: 'hostnames', resource: 'Vpc', severity: 'warning', message: "assuming the default of parameter 'HostNames'" }],
      output: `Parameters:\n  HostNames: { Type: String, Default: 'false' }\n${cfn(fn, vpc('      EnableDnsHostnames: true\n'), endpoint())}`,
      safety: 'unsafe',
    },
    {
      name: 'the endpoint exists under a condition: the finding names it',
      code: `Conditions:\n  WithEndpoints: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn, vpc(''), endpoint('true', 'SsmEndpoint', '\n    Condition: WithEndpoints'))}`,
      errors: [{ messageId: 'hostnames', resource: 'Vpc', severity: 'error', message: "(when condition 'WithEndpoints' is true)" }],
    },
    {
      name: 'SAM: a function from Globals in a flow-style VPC',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
${endpoint()}`,
      errors: [{ messageId: 'hostnames', resource: 'Vpc' }],
      output: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [sg-0123] }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Handler: app.handler }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
${endpoint()}`,
    },
    {
      name: 'serverless: the VPC under resources.Resources',
      code: `service: shop
provider:
  name: aws
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [sg-0123]
functions:
  api:
    handler: h.main
resources:
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties: { CidrBlock: 10.0.0.0/16, EnableDnsHostnames: false }
    SubnetA:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    StsEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, PrivateDnsEnabled: true, ServiceName: 'com.amazonaws.\${aws:region}.sts' }
`,
      errors: [{ messageId: 'hostnames', resource: 'Vpc', path: ['resources', 'Resources', 'Vpc', 'Properties', 'EnableDnsHostnames'], message: 'interface endpoint StsEndpoint sets' }],
    },
  ],
});
