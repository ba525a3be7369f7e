import rule from '../../server/src/core/rules/private-nat-no-internet';
import { ruleTester } from '../support/rule-tester';
import { fn, nat, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const subnetIds = ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SubnetIds'];
/** A private NAT gateway in its own subnet, whose route table has the given default route target (or none). */
const privateNat = (natSubnetTarget?: string, connectivity = 'private') =>
  routeTable('TransitRt', natSubnetTarget) + subnet('Transit', '10.0.0.0/24', 'us-east-1a', 'TransitRt') + `  PrivateNat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref Transit, ConnectivityType: ${connectivity} }
`;
const app = routeTable('AppRt', 'NatGatewayId: !Ref PrivateNat') + subnet('App', '10.0.1.0/24', 'us-east-1a', 'AppRt');
const roleWith = (action: string) => `  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: { Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }] }
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: ${action}, Resource: '*' }] }
`;
const withRole = (subnets: string) => fn(subnets, '').replace('arn:aws:iam::123456789012:role/r', '!GetAtt Role.Arn');
const endpoint = (service: string, extra: string) => `  ${service}Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.${service}
${extra}`;

ruleTester(rule, {
  valid: [
    { name: 'needs nothing outside the VPC', code: template(vpc, privateNat(), app, fn('!Ref App', '')) },
    { name: "the private NAT gateway's subnet leads on to a transit gateway (central egress)", code: template(vpc, privateNat('TransitGatewayId: tgw-0a1b2c3d4e5f60001'), app, fn('!Ref App')) },
    { name: 'needs SQS and the VPC has an SQS endpoint', code: template(vpc, privateNat(), app, endpoint('sqs', '      VpcEndpointType: Interface\n      PrivateDnsEnabled: true\n'), roleWith('sqs:SendMessage'), withRole('!Ref App')) },
    { name: "needs S3 and the gateway endpoint is on the subnet's route table", code: template(vpc, privateNat(), app, endpoint('s3', '      RouteTableIds: [!Ref AppRt]\n'), roleWith('s3:GetObject'), withRole('!Ref App')) },
    { name: 'connectivity type from a parameter without default', code: `Parameters:
  Connectivity:
    Type: String
${template(vpc, privateNat(undefined, '!Ref Connectivity'), app, fn('!Ref App'))}` },
    { name: 'a public NAT gateway is not this rule', code: template(vpc, publicSubnet('PublicA', '10.0.5.0/24', 'us-east-1a'), nat('PrivateNat', 'PublicA'), app, fn('!Ref App')) },
    { name: 'serverless: hard-coded subnet ids', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-0a1b2c3d4e5f60001]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
    environment:
      API: https://api.example.com
` },
  ],
  invalid: [
    {
      name: 'needs the internet through a private NAT gateway',
      code: template(vpc, privateNat(), app, fn('!Ref App')),
      errors: [{ messageId: 'privateNat', resource: 'Fn', path: [...subnetIds, 0], severity: 'error', message: "Function 'Fn' needs the internet, but its subnet App sends 0.0.0.0/0 to the private NAT gateway PrivateNat" }],
      output: null,
    },
    {
      name: "needs S3 and the gateway endpoint is on another route table",
      code: template(vpc, privateNat(), app, endpoint('s3', '      RouteTableIds: [!Ref TransitRt]\n'), roleWith('s3:PutObject'), withRole('!Ref App')),
      errors: [{ messageId: 'privateNat', resource: 'Fn', message: 'needs s3' }],
    },
    {
      name: 'needs SQS, no endpoint; the private NAT subnet routes to an internet gateway (dropped)',
      code: template(vpc, privateNat('GatewayId: !Ref Igw'), app, subnet('Other', '10.0.2.0/24', 'us-east-1b', 'AppRt'), roleWith('sqs:SendMessage'), withRole('!Ref App, !Ref Other')),
      errors: [{ messageId: 'privateNat', resource: 'Fn', path: subnetIds, message: 'needs sqs, but its subnets App and Other send' }],
    },
    {
      name: 'connectivity type from a parameter default: lowered to warning',
      code: `Parameters:
  Connectivity:
    Type: String
    Default: private
${template(vpc, privateNat(undefined, '!Ref Connectivity'), app, fn('!Ref App'))}`,
      errors: [{ messageId: 'privateNat', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Connectivity'" }],
    },
    {
      name: 'route to the private NAT gateway under a condition',
      code: `Conditions:
  OnPrem: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, privateNat(), routeTable('AppRt', 'NatGatewayId: !Ref PrivateNat', '\n    Condition: OnPrem'), subnet('App', '10.0.1.0/24', 'us-east-1a', 'AppRt'), fn('!Ref App'))}`,
      errors: [{ messageId: 'privateNat', resource: 'Fn', severity: 'error', message: "(when condition 'OnPrem' is true)" }],
    },
    {
      name: 'SAM: VpcConfig from Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SubnetIds: [!Ref App]
      SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
${template(vpc, privateNat(), app)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      Policies:
        - Statement: [{ Effect: Allow, Action: route53:ChangeResourceRecordSets, Resource: '*' }]
`,
      errors: [{ messageId: 'privateNat', resource: 'Fn', path: ['Resources', 'Fn'], message: 'needs route53' }],
    },
    {
      name: 'serverless: provider.vpc',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref App]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
    environment:
      API: https://api.example.com
resources:
  Resources:
${(vpc + privateNat() + app).replace(/^/gm, '  ').replace(/ +$/, '')}`,
      errors: [{ messageId: 'privateNat', resource: 'api', path: ['functions', 'api'] }],
    },
  ],
});
