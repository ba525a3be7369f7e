import rule from '../../server/src/core/rules/lambda-sg-ingress-unused';
import { ruleTester } from '../support/rule-tester';

const template = (sg: string, opts: { env?: string; groups?: string; before?: string; after?: string } = {}) => `${opts.before ?? ''}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
${opts.env ? `      Environment:\n        Variables:\n          ${opts.env}\n` : ''}      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: ${opts.groups ?? '[!GetAtt FnSg.GroupId]'}
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: vpc-1
${sg}${opts.after ?? ''}`;

const https = '      SecurityGroupIngress:\n        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }\n';

ruleTester(rule, {
  valid: [
    { name: 'no ingress rules', code: template('') },
    {
      name: 'a database shares the group: its ingress matters',
      code: template(https, { after: '  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { Engine: postgres, VPCSecurityGroups: [!Ref FnSg] }\n' }),
    },
    {
      name: 'an interface endpoint shares the group',
      code: template(https, { after: '  Ep:\n    Type: AWS::EC2::VPCEndpoint\n    Properties: { VpcId: vpc-1, VpcEndpointType: Interface, ServiceName: com.amazonaws.us-east-1.sqs, SecurityGroupIds: [!Ref FnSg] }\n' }),
    },
    { name: 'the function starts tasks in the group (its environment names it)', code: template(https, { env: 'TASK_SG: !Ref FnSg' }) },
    { name: 'a hard-coded function group is not the template group', code: template(https, { groups: '[sg-0123456789abcdef0]' }) },
    {
      name: 'Serverless: provider group without ingress',
      code: `service: s
provider:
  name: aws
  vpc: { subnetIds: [subnet-1], securityGroupIds: [!Ref FnSg] }
functions:
  api:
    handler: h.main
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: vpc-1 }
`,
    },
  ],
  invalid: [
    {
      name: 'an inline ingress rule',
      code: template(https),
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg', path: ['Resources', 'FnSg', 'Properties', 'SecurityGroupIngress'], line: 14, severity: 'info', message: '1 ingress rule' }],
      output: null,
    },
    {
      name: 'only a standalone ingress resource, which is also the group admitting itself',
      code: template('', {
        after: '  SelfIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: !GetAtt FnSg.GroupId, IpProtocol: "-1", SourceSecurityGroupId: !GetAtt FnSg.GroupId }\n',
      }),
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg', path: ['Resources', 'FnSg'] }],
    },
    {
      name: 'another group admitting this one puts nothing in it',
      code: template(https, {
        after: '  DbSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: db\n      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref FnSg }]\n',
      }),
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg' }],
    },
    {
      name: 'ingress on one Fn::If branch',
      code: template('      SecurityGroupIngress: !If [Open, [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }], !Ref AWS::NoValue]\n', {
        before: 'Conditions:\n  Open: !Equals [!Ref AWS::Region, eu-west-1]\n',
      }),
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg' }],
    },
    {
      name: 'SAM: one finding for a group that two functions share through Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [!Ref FnSg] }
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: { Handler: a.b }
  B:
    Type: AWS::Serverless::Function
    Properties: { Handler: a.b }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0 }]
`,
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg', message: "functions 'A', 'B'" }],
    },
    {
      name: 'Serverless: provider group with ingress',
      code: `service: s
provider:
  name: aws
  vpc: { subnetIds: [subnet-1], securityGroupIds: [!Ref FnSg] }
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
        SecurityGroupIngress:
          - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }
`,
      errors: [{ messageId: 'unusedIngress', resource: 'FnSg', path: ['resources', 'Resources', 'FnSg', 'Properties', 'SecurityGroupIngress'] }],
    },
  ],
});
