import rule from '../../server/src/core/rules/endpoint-sg-blocks-https';
import { ruleTester } from '../support/rule-tester';

const fn = (groups = '[!GetAtt FnSg.GroupId]', subnets = '[!Ref SubnetA, !Ref SubnetB]', actions = 'sqs:SendMessage') => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt FnRole.Arn
      VpcConfig:
        SubnetIds: ${subnets}
        SecurityGroupIds: ${groups}
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: app
          PolicyDocument: { Statement: [{ Effect: Allow, Action: [${actions}], Resource: '*' }] }
`;

const network = `  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24 }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`;

const endpointSg = (ingress: string) => `  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress: ${ingress}
`;

const endpoint = (groups = '[!GetAtt EndpointSg.GroupId]', extra = '') => `  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint${extra}
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.sqs'
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref SubnetA]
      SecurityGroupIds:${groups.startsWith('\n') ? '' : ' '}${groups}
`;

const cfn = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const https = (source: string) => `[{ IpProtocol: tcp, FromPort: 443, ToPort: 443, ${source} }]`;
const LIST = ['Resources', 'SqsEndpoint', 'Properties', 'SecurityGroupIds'];

ruleTester(rule, {
  valid: [
    { name: 'HTTPS from the function\'s group', code: cfn(fn(), network, endpointSg(https('SourceSecurityGroupId: !GetAtt FnSg.GroupId')), endpoint()) },
    { name: 'HTTPS from the VPC CIDR', code: cfn(fn(), network, endpointSg(https('CidrIp: 10.0.0.0/16')), endpoint()) },
    { name: 'all traffic from the function\'s group (by Ref)', code: cfn(fn('[!Ref FnSg]'), network, endpointSg('[{ IpProtocol: -1, SourceSecurityGroupId: !Ref FnSg }]'), endpoint()) },
    { name: 'a standalone ingress resource admits the function', code: cfn(fn(), network, endpointSg('[]'), endpoint(), `  EndpointIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: { GroupId: !GetAtt EndpointSg.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !GetAtt FnSg.GroupId }
`) },
    { name: 'a hard-coded endpoint group: its rules are not in the template', code: cfn(fn(), network, endpoint('[sg-0endpoint]')) },
    { name: 'the function\'s group and the admitted group both come from another stack: they may be one', code: cfn(fn('[!ImportValue AppSg]'), network, endpointSg(https('SourceSecurityGroupId: !ImportValue AppSg')), endpoint()) },
    { name: 'a port from a parameter without a default', code: `Parameters:\n  Port: { Type: Number }\n${cfn(fn(), network, endpointSg('[{ IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 10.0.0.0/16 }]'), endpoint())}` },
    { name: 'an ingress rule under a condition may be there', code: `Conditions:\n  Prod: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn(), network, endpointSg("\n        - !If [Prod, { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }, !Ref 'AWS::NoValue']"), endpoint())}` },
    { name: 'no group on the endpoint, and the function is in the VPC default group', code: cfn(fn('[!GetAtt Vpc.DefaultSecurityGroup]'), network, endpoint('[]')) },
    { name: 'no group on the endpoint, and a hard-coded function group may be the default one', code: cfn(fn('[sg-0123]'), network, endpoint('[]')) },
    { name: 'the function does not need the service', code: cfn(fn(undefined, undefined, 'sns:Publish'), network, endpointSg(https('CidrIp: 192.168.0.0/16')), endpoint()) },
  ],
  invalid: [
    {
      name: 'the CIDR does not cover the function: safe inline append to a group only the endpoint uses',
      code: cfn(fn(), network, endpointSg(https('CidrIp: 192.168.0.0/16')), endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', path: LIST, severity: 'error', message: "Interface endpoint 'SqsEndpoint' (sqs) has security groups (EndpointSg) that admit no tcp/443 from function Fn" }],
      output: cfn(fn(), network, endpointSg('[{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.168.0.0/16 }, { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !GetAtt FnSg.GroupId }]'), endpoint()),
      safety: 'safe',
    },
    {
      name: 'no SecurityGroupIds: the VPC default group; the fix gives the endpoint its own group',
      code: cfn(fn(), network, endpoint('[]')),
      errors: [{ messageId: 'defaultGroup', resource: 'SqsEndpoint', path: LIST, message: "has no SecurityGroupIds, so the VPC's default security group guards it" }],
      output: cfn(fn(), network, endpoint('\n        - !GetAtt SqsEndpointSecurityGroup.GroupId')) + `  SqsEndpointSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: HTTPS from Lambda to the sqs endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          SourceSecurityGroupId: !GetAtt FnSg.GroupId
`,
      safety: 'unsafe',
    },
    {
      name: 'a group imported from another stack cannot be the function\'s own template group',
      code: cfn(fn(), network, endpointSg(https('SourceSecurityGroupId: !ImportValue AppSg')), endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint' }],
    },
    {
      name: 'the right group on the wrong port',
      code: cfn(fn(), network, endpointSg('[{ IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !GetAtt FnSg.GroupId }]'), endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint' }],
    },
    {
      name: 'the CIDR covers one of the two subnets',
      code: cfn(fn(), network, endpointSg(https('CidrIp: 10.0.1.0/24')), endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', message: 'neither from its security groups nor from a CIDR covering its subnets' }],
    },
    {
      name: 'an IPv6 rule admits nothing from a function that is not dual-stack',
      code: cfn(fn(), network, endpointSg(https('CidrIpv6: ::/0')), endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint' }],
    },
    {
      name: 'rules in standalone resources: the fix adds another one (unsafe)',
      code: cfn(fn(), network, `  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: endpoint, VpcId: !Ref Vpc }
  EndpointIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: { GroupId: !GetAtt EndpointSg.GroupId, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/16 }
`, endpoint()),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint' }],
      output: cfn(fn(), network, `  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: endpoint, VpcId: !Ref Vpc }
  EndpointIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: { GroupId: !GetAtt EndpointSg.GroupId, IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 10.0.0.0/16 }
`, endpoint()) + `  EndpointSgHttpsIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt EndpointSg.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      SourceSecurityGroupId: !GetAtt FnSg.GroupId
`,
      safety: 'unsafe',
    },
    {
      name: 'a group shared with a database: widening it is unsafe',
      code: cfn(fn(), network, endpointSg(https('CidrIp: 192.168.0.0/16')), endpoint(), `  Db:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: postgres, VPCSecurityGroups: [!GetAtt EndpointSg.GroupId] }
`),
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint' }],
      output: cfn(fn(), network, endpointSg('[{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 192.168.0.0/16 }, { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !GetAtt FnSg.GroupId }]'), endpoint(), `  Db:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: postgres, VPCSecurityGroups: [!GetAtt EndpointSg.GroupId] }
`),
      safety: 'unsafe',
    },
    {
      name: 'a port from a parameter default: lowered to warning',
      code: `Parameters:\n  Port: { Type: Number, Default: 8443 }\n${cfn(fn(), network, endpointSg('[{ IpProtocol: tcp, FromPort: !Ref Port, ToPort: !Ref Port, CidrIp: 10.0.0.0/16 }]'), endpoint())}`,
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', severity: 'warning', message: "assuming the default of parameter 'Port'" }],
    },
    {
      name: 'the endpoint exists under a condition: the finding names it',
      code: `Conditions:\n  WithEndpoints: !Equals [!Ref 'AWS::Region', us-east-1]\n${cfn(fn(), network, endpointSg('[]'), endpoint(undefined, '\n    Condition: WithEndpoints'))}`,
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', message: "(when condition 'WithEndpoints' is true)" }],
    },
    {
      name: 'SAM: two functions, one admitted, one not',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Admitted:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [SQSSendMessagePolicy: { QueueName: q }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [!GetAtt FnSg.GroupId] }
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [SQSSendMessagePolicy: { QueueName: q }]
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [!GetAtt OtherSg.GroupId] }
  OtherSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: other, VpcId: !Ref Vpc }
${network}${endpointSg(https('SourceSecurityGroupId: !GetAtt FnSg.GroupId'))}${endpoint()}`,
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', message: 'admit no tcp/443 from function Other,' }],
    },
    {
      name: 'serverless: provider.vpc with a hard-coded function group',
      code: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [sqs:SendMessage], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [sg-0123456789abcdef0]
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
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    EndpointSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: endpoint
        VpcId: !Ref Vpc
        SecurityGroupIngress:
          - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 172.16.0.0/12 }
    SqsEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: com.amazonaws.\${aws:region}.sqs
        VpcEndpointType: Interface
        SecurityGroupIds: [!Ref EndpointSg]
`,
      errors: [{ messageId: 'blocked', resource: 'SqsEndpoint', message: 'from function api' }],
      output: `service: shop
provider:
  name: aws
  iam:
    role:
      statements:
        - { Effect: Allow, Action: [sqs:SendMessage], Resource: '*' }
  vpc:
    subnetIds: [!Ref SubnetA]
    securityGroupIds: [sg-0123456789abcdef0]
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
      Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
    EndpointSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: endpoint
        VpcId: !Ref Vpc
        SecurityGroupIngress:
          - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 172.16.0.0/12 }
          - IpProtocol: tcp
            FromPort: 443
            ToPort: 443
            SourceSecurityGroupId: sg-0123456789abcdef0
    SqsEndpoint:
      Type: AWS::EC2::VPCEndpoint
      Properties:
        VpcId: !Ref Vpc
        ServiceName: com.amazonaws.\${aws:region}.sqs
        VpcEndpointType: Interface
        SecurityGroupIds: [!Ref EndpointSg]
`,
      safety: 'safe',
    },
  ],
});
