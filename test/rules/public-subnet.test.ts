import rule from '../../server/src/core/rules/public-subnet';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, natSubnet, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const subnetIds = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
const publicA = publicSubnet('PublicA', '10.0.0.0/24', 'us-east-1a');
const natA = nat('NatA', 'PublicA');
const privateA = natSubnet('PrivateA', '10.0.1.0/24', 'us-east-1a', 'NatA');

/** A role in the template allowing one action, so the function's needs are known. */
function roleAllowing(action: string): string {
  return `  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]
      Policies:
        - PolicyName: p
          PolicyDocument: { Statement: [{ Effect: Allow, Action: ${action}, Resource: '*' }] }
`;
}

function fnWithRole(subnets: string, props = ''): string {
  return fn(subnets, props).replace('Role: arn:aws:iam::123456789012:role/r', 'Role: !GetAtt FnRole.Arn');
}

const secretsEndpoint = `  SecretsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, PrivateDnsEnabled: true, ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.secretsmanager' }
`;

ruleTester(rule, {
  valid: [
    { name: 'needs known, all served by an interface endpoint in its VPC (a secret for its database)', code: template(vpc, publicA, roleAllowing('secretsmanager:GetSecretValue'), secretsEndpoint, fnWithRole('!Ref PublicA')) },
    { name: 'an environment value that cannot be read is no evidence of a need', code: template(vpc, publicA, roleAllowing('secretsmanager:GetSecretValue'), secretsEndpoint, fnWithRole('!Ref PublicA', `      Environment:
        Variables: { API_ID: !ImportValue api-id }
`)) },
    { name: 'needs known: nothing outside the VPC (SAM-generated role, no environment)', code: `Transform: AWS::Serverless-2016-10-31
${template(vpc, publicA)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      VpcConfig:
        SubnetIds: [!Ref PublicA]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
` },
    { name: 'private subnet behind a NAT gateway in a public subnet', code: template(vpc, publicA, natA, privateA, fn('!Ref PrivateA')) },
    { name: 'isolated subnet: not public (no-egress-route says the rest)', code: template(vpc, subnet('Isolated', '10.0.2.0/24', 'us-east-1a'), fn('!Ref Isolated')) },
    { name: 'hard-coded subnet ids are unknown for routing', code: template(vpc, publicA, fn('subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002')) },
    { name: 'subnets from a parameter without default', code: `Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
${template(vpc, publicA)}  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
` },
    { name: 'route table from another stack', code: template(vpc, `  Shared:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24 }
  SharedRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: { SubnetId: !Ref Shared, RouteTableId: !ImportValue network-PublicRouteTable }
`, fn('!Ref Shared')) },
    { name: 'a public subnet the function does not use', code: template(vpc, publicA, natA, privateA, fn('!Ref PrivateA'), `  Web:
    Type: AWS::EC2::Instance
    Properties: { SubnetId: !Ref PublicA, ImageId: ami-12345678 }
`) },
    { name: 'serverless: private subnets', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref PrivateA]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + publicA + natA + privateA).replace(/^/gm, '  ').replace(/ +$/, '')}` },
    { name: 'serverless: subnets without security groups, the framework drops the VPC config', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref PublicA]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + publicA).replace(/^/gm, '  ').replace(/ +$/, '')}` },
  ],
  invalid: [
    {
      name: 'only in a public subnet',
      code: template(vpc, publicA, fn('!Ref PublicA')),
      errors: [{ messageId: 'allPublic', resource: 'Fn', path: [...subnetIds, 0], severity: 'error', message: "Function 'Fn' is only in public subnet PublicA" }],
      output: null,
    },
    {
      name: 'one public subnet of two',
      code: template(vpc, publicA, natA, privateA, fn('!Ref PrivateA, !Ref PublicA')),
      errors: [{ messageId: 'somePublic', resource: 'Fn', path: [...subnetIds, 1], message: 'uses public subnet PublicA' }],
    },
    {
      name: 'two public subnets, role from outside the template: needs unknown, a warning that says so',
      code: template(vpc, publicA, publicSubnet('PublicB', '10.0.4.0/24', 'us-east-1b'), fn('!Ref PublicA, !Ref PublicB', '')),
      errors: [{ messageId: 'allPublicNeedsUnknown', resource: 'Fn', path: subnetIds, severity: 'warning', message: 'its permissions are not all known' }],
    },
    {
      name: 'one public subnet of two, needs unknown: warning',
      code: template(vpc, publicA, natA, privateA, fn('!Ref PrivateA, !Ref PublicA', '')),
      errors: [{ messageId: 'somePublicNeedsUnknown', resource: 'Fn', path: [...subnetIds, 1], severity: 'warning' }],
    },
    {
      name: 'a service without a VPC endpoint (iam) from a role in the template',
      code: template(vpc, publicA, roleAllowing('iam:ListRoles'), fnWithRole('!Ref PublicA')),
      errors: [{ messageId: 'allPublic', resource: 'Fn', severity: 'error' }],
    },
    {
      name: 'an interface endpoint in another VPC does not serve the function',
      code: template(vpc, publicA, roleAllowing('secretsmanager:GetSecretValue'), fnWithRole('!Ref PublicA'), `  OtherVpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.1.0.0/16 }
  SecretsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref OtherVpc, VpcEndpointType: Interface, PrivateDnsEnabled: true, ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.secretsmanager' }
`),
      errors: [{ messageId: 'allPublic', resource: 'Fn', severity: 'error' }],
    },
    {
      name: 'SAM: inherited from Globals, reported on the function',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref PublicA]
      SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
${template(vpc, publicA)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      Environment:
        Variables: { API_URL: https://api.example.com/v1 }
`,
      errors: [{ messageId: 'allPublic', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: provider.vpc in a public subnet of resources.Resources',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref PublicA]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
    environment:
      API_URL: https://api.example.com/v1
resources:
  Resources:
${(vpc + publicA).replace(/^/gm, '  ').replace(/ +$/, '')}`,
      errors: [{ messageId: 'allPublic', resource: 'api', path: ['functions', 'api'] }],
    },
    {
      name: 'destination from a parameter default: lowered to warning',
      code: `Parameters:
  AnyCidr:
    Type: String
    Default: 0.0.0.0/0
${template(vpc, routeTable('Rt'), `  RtDefault:
    Type: AWS::EC2::Route
    Properties: { RouteTableId: !Ref Rt, DestinationCidrBlock: !Ref AnyCidr, GatewayId: !Ref Igw }
`, subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}`,
      errors: [{ messageId: 'allPublic', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'AnyCidr'" }],
    },
    {
      name: 'conditional internet gateway route: reported on that branch',
      code: `Conditions:
  Exposed: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, routeTable('Rt', 'GatewayId: !Ref Igw', '\n    Condition: Exposed'), subnet('Sub', '10.0.5.0/24', 'us-east-1a', 'Rt'), fn('!Ref Sub'))}`,
      errors: [{ messageId: 'allPublic', resource: 'Fn', severity: 'error', message: "(when condition 'Exposed' is true)" }],
    },
    {
      name: 'Fn::If picks the public subnet on one branch',
      code: `Conditions:
  Cheap: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natA, privateA, fn('!If [Cheap, !Ref PublicA, !Ref PrivateA]'))}`,
      errors: [{ messageId: 'allPublic', resource: 'Fn', path: [...subnetIds, 0, 'Fn::If', 1], message: "(when condition 'Cheap' is true)" }],
    },
  ],
});
