import rule from '../../server/src/core/rules/sg-egress-blocked';
import { ruleTester } from '../support/rule-tester';

/** A function calling an internet URL from behind `FnSg`, whose properties end with `sg`. */
const fn = (sg: string, opts: { env?: string; groups?: string; before?: string; after?: string } = {}) => `${opts.before ?? ''}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment:
        Variables:
          ${opts.env ?? 'API_URL: https://api.example.com/v1'}
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: ${opts.groups ?? '[!GetAtt FnSg.GroupId]'}
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: vpc-1
${sg}${opts.after ?? ''}`;

const denyAll = `      SecurityGroupEgress:
        - { IpProtocol: "-1", CidrIp: 127.0.0.1/32 }
`;

const db = `  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: vpc-1
`;

ruleTester(rule, {
  valid: [
    { name: 'no SecurityGroupEgress: AWS keeps the allow-all rule', code: fn('') },
    { name: 'an empty SecurityGroupEgress keeps the default too', code: fn('      SecurityGroupEgress: []\n') },
    { name: 'tcp/443 to anywhere', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }\n') },
    { name: 'all protocols to anywhere', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: "-1", CidrIp: 0.0.0.0/0 }\n') },
    { name: 'deny-all, but the function needs nothing', code: fn(denyAll, { env: 'MODE: batch' }) },
    { name: 'a second group without egress rules lets everything out', code: fn(denyAll, {
      groups: '[!GetAtt FnSg.GroupId, !Ref OpenSg]',
      after: '  OpenSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: open, VpcId: vpc-1 }\n',
    }) },
    { name: 'a standalone egress rule adds 443', code: fn(denyAll, {
      after: '  Https:\n    Type: AWS::EC2::SecurityGroupEgress\n    Properties: { GroupId: !GetAtt FnSg.GroupId, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }\n',
    }) },
    { name: 'a hard-coded group is unknown', code: fn(denyAll, { groups: '[sg-0123456789abcdef0]' }) },
    { name: 'a CIDR from a parameter without default is unknown', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref EgressCidr }\n', {
      before: 'Parameters:\n  EgressCidr: { Type: String }\n',
    }) },
    { name: 'an imported destination group may be an endpoint\'s', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: !ImportValue EndpointSg }\n', {
      env: 'QUEUE: !Ref Queue',
      after: '  Queue:\n    Type: AWS::SQS::Queue\n',
    }) },
    { name: 'S3 through its gateway endpoint\'s prefix list', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-63a5400a }\n', {
      env: 'BUCKET: !Ref Bucket',
      after: '  Bucket:\n    Type: AWS::S3::Bucket\n',
    }) },
    { name: 'the database port to the database\'s group', code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: !GetAtt DbSg.GroupId }\n', {
      env: 'DB_HOST: !GetAtt Db.Endpoint.Address',
      after: db,
    }) },
    { name: 'Serverless: provider.vpc group allows 443', code: `service: s
provider:
  name: aws
  environment:
    API_URL: https://api.example.com
  vpc:
    subnetIds: [subnet-1, subnet-2]
    securityGroupIds: [!Ref FnSg]
functions:
  api:
    handler: h.main
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: fn
        VpcId: vpc-1
        SecurityGroupEgress:
          - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
` },
  ],
  invalid: [
    {
      name: 'the 127.0.0.1/32 deny-all idiom, fix appends tcp/443',
      code: fn(denyAll),
      errors: [{ messageId: 'denyAll', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds'], line: 11, severity: 'error', message: 'tcp/443 to the internet' }],
      output: fn(`${denyAll}        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
`),
      safety: 'unsafe',
    },
    {
      name: 'only tcp/443 to the VPC: S3 behind a gateway endpoint answers on public addresses',
      code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }\n', {
        env: 'BUCKET: !Ref Bucket',
        groups: '[!GetAtt FnSg.GroupId]',
        after: `  Bucket:
    Type: AWS::S3::Bucket
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3 }
`,
      }).replace('SubnetIds: [subnet-1, subnet-2]', 'SubnetIds: [!Ref Subnet]'),
      errors: [{ messageId: 'blocked', resource: 'Fn', message: 'tcp/443 to s3' }],
    },
    {
      name: 'interface endpoint in the VPC: tcp/443 to the VPC reaches it',
      code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }\n', {
        env: 'QUEUE: !Ref Queue',
        after: `  Queue:
    Type: AWS::SQS::Queue
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: { VpcId: !Ref Vpc, VpcEndpointType: Interface, ServiceName: com.amazonaws.us-east-1.sqs }
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment: { Variables: { URL: https://api.example.com } }
      VpcConfig: { SubnetIds: [!Ref Subnet], SecurityGroupIds: [!GetAtt FnSg.GroupId] }
`,
      }).replace('SubnetIds: [subnet-1, subnet-2]', 'SubnetIds: [!Ref Subnet]'),
      errors: [{ messageId: 'blocked', resource: 'Api', message: 'tcp/443 to the internet' }],
    },
    {
      name: 'the database port is missing; fix adds it to the database group',
      code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }\n', { env: 'DB_HOST: !GetAtt Db.Endpoint.Address', after: db }),
      errors: [{ messageId: 'blocked', resource: 'Fn', message: "tcp/5432 to database 'Db'" }],
      output: fn(`      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          DestinationSecurityGroupId: !GetAtt DbSg.GroupId
`, { env: 'DB_HOST: !GetAtt Db.Endpoint.Address', after: db }),
    },
    {
      name: 'the rule rests on a parameter default: warning',
      code: fn('      SecurityGroupEgress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref EgressCidr }\n', {
        before: 'Parameters:\n  EgressCidr: { Type: String, Default: 10.0.0.0/8 }\n',
      }),
      errors: [{ messageId: 'blocked', resource: 'Fn', severity: 'warning', message: "parameter 'EgressCidr'" }],
    },
    {
      name: 'under Fn::If, on the branch with the locked-down group',
      code: fn(denyAll, {
        before: 'Conditions:\n  Locked: !Equals [!Ref AWS::Region, eu-west-1]\n',
        groups: '!If [Locked, [!GetAtt FnSg.GroupId], [!Ref OpenSg]]',
        after: '  OpenSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: open, VpcId: vpc-1 }\n',
      }),
      errors: [{ messageId: 'denyAll', resource: 'Fn', severity: 'error', message: "condition 'Locked' is true" }],
    },
    {
      name: 'SAM: a policy template makes it need SQS; JSON-style flow list',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Policies:
        - SQSSendMessagePolicy: { QueueName: q }
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [!Ref FnSg]
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: vpc-1
      SecurityGroupEgress: [{ IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 0.0.0.0/0 }]
`,
      errors: [{ messageId: 'blocked', resource: 'Fn', message: 'tcp/443 to sqs' }],
      output: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Policies:
        - SQSSendMessagePolicy: { QueueName: q }
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: [!Ref FnSg]
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: vpc-1
      SecurityGroupEgress: [{ IpProtocol: udp, FromPort: 53, ToPort: 53, CidrIp: 0.0.0.0/0 }, { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }]
`,
    },
    {
      name: 'Serverless: provider.vpc group denies all',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
    securityGroupIds: [!Ref FnSg]
functions:
  api:
    handler: h.main
    environment:
      API_URL: https://api.example.com
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: fn
        VpcId: vpc-1
        SecurityGroupEgress:
          - { IpProtocol: "-1", CidrIp: 127.0.0.1/32 }
`,
      errors: [{ messageId: 'denyAll', resource: 'api', path: ['functions', 'api'] }],
    },
  ],
});
