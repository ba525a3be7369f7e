import rule from '../../server/src/core/rules/nacl-blocks-traffic';
import { ruleTester } from '../support/rule-tester';

/** A NACL entry on `Acl`. */
const entry = (id: string, n: number, egress: boolean, action: 'allow' | 'deny', protocol: number, cidr: string, ports?: [number, number], extra = '') =>
  `  ${id}:
    Type: AWS::EC2::NetworkAclEntry${extra}
    Properties: { NetworkAclId: !Ref Acl, RuleNumber: ${n}, Protocol: ${protocol}, RuleAction: ${action}, Egress: ${egress}, CidrBlock: ${cidr}${ports ? `, PortRange: { From: ${ports[0]}, To: ${ports[1]} }` : ''} }
`;

const outHttps = entry('OutHttps', 100, true, 'allow', 6, '0.0.0.0/0', [443, 443]);
const inReturn = entry('InReturn', 100, false, 'allow', 6, '0.0.0.0/0', [1024, 65535]);

/** A function in subnet `Private` (10.0.1.0/24) of `Vpc`; `Acl` is associated with it unless `associate` is false. */
const template = (entries: string, opts: { env?: string; subnets?: string; before?: string; after?: string; associate?: boolean } = {}) => `${opts.before ?? ''}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment:
        Variables:
          ${opts.env ?? 'API_URL: https://api.example.com/v1'}
      VpcConfig:
        SubnetIds: ${opts.subnets ?? '[!Ref Private]'}
        SecurityGroupIds: [sg-1]
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Private:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: { VpcId: !Ref Vpc }
${opts.associate === false ? '' : `  AclAssociation:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: { SubnetId: !Ref Private, NetworkAclId: !Ref Acl }
`}${entries}${opts.after ?? ''}`;

ruleTester(rule, {
  valid: [
    { name: 'the subnet keeps the default ACL', code: template('', { associate: false }) },
    { name: 'out 443 and the return traffic allowed', code: template(outHttps + inReturn) },
    {
      name: 'all protocols both ways',
      code: template(entry('OutAll', 100, true, 'allow', -1, '0.0.0.0/0') + entry('InAll', 100, false, 'allow', -1, '0.0.0.0/0')),
    },
    {
      name: 'a narrower deny first, then allow: most traffic still flows',
      code: template(entry('DenyOne', 90, true, 'deny', 6, '203.0.113.0/24', [443, 443]) + outHttps + inReturn),
    },
    { name: 'the function needs nothing: an empty ACL blocks nothing it uses', code: template('', { env: 'MODE: batch' }) },
    {
      name: 'an allow entry whose CIDR is a parameter without default may allow it',
      code: template(outHttps + entry('InReturn', 100, false, 'allow', 6, '!Ref ReturnCidr', [1024, 65535]), { before: 'Parameters:\n  ReturnCidr: { Type: String }\n' }),
    },
    {
      name: 'a conditional allow entry may exist',
      code: template(outHttps + entry('InReturn', 100, false, 'allow', 6, '0.0.0.0/0', [1024, 65535], '\n    Condition: Open'), { before: 'Conditions:\n  Open: !Equals [!Ref AWS::Region, eu-west-1]\n' }),
    },
    {
      name: 'only part of the ephemeral range is allowed: Lambda uses the upper ports',
      code: template(outHttps + entry('InReturn', 100, false, 'allow', 6, '0.0.0.0/0', [32768, 65535])),
    },
    {
      name: 'the subnet is a parameter without default',
      code: template('', { subnets: '!Ref Subnets', before: 'Parameters:\n  Subnets: { Type: "List<AWS::EC2::Subnet::Id>" }\n' }),
    },
  ],
  invalid: [
    {
      name: 'no entries: denies everything',
      code: template(''),
      errors: [{ messageId: 'noEntries', resource: 'Acl', path: ['Resources', 'Acl'], line: 18, severity: 'error', message: 'outbound tcp/443 to the internet' }],
      output: null,
    },
    {
      name: 'no inbound entry for the return traffic',
      code: template(outHttps),
      errors: [{ messageId: 'blocks', resource: 'Acl', message: 'inbound return traffic on tcp/1024-65535 from the internet' }],
    },
    {
      name: 'a lower-numbered deny wins over the allow after it',
      code: template(entry('DenyHttps', 50, true, 'deny', 6, '0.0.0.0/0', [443, 443]) + entry('OutAll', 100, true, 'allow', -1, '0.0.0.0/0') + inReturn),
      errors: [{ messageId: 'blocks', resource: 'Acl', message: "denies outbound tcp/443 to the internet:" }],
    },
    {
      name: 'outbound only to the VPC, but it calls the internet',
      code: template(entry('OutVpc', 100, true, 'allow', 6, '10.0.0.0/16', [443, 443]) + inReturn),
      errors: [{ messageId: 'blocks', resource: 'Acl', message: 'outbound tcp/443 to the internet' }],
    },
    {
      name: 'the deny rests on a parameter default: warning',
      code: template(entry('DenyHttps', 50, true, 'deny', 6, '!Ref DenyCidr', [443, 443]) + entry('OutAll', 100, true, 'allow', -1, '0.0.0.0/0') + inReturn, {
        before: 'Parameters:\n  DenyCidr: { Type: String, Default: 0.0.0.0/0 }\n',
      }),
      errors: [{ messageId: 'blocks', resource: 'Acl', severity: 'warning', message: "parameter 'DenyCidr'" }],
    },
    {
      name: 'the database port is not allowed out',
      code: template(outHttps + inReturn, {
        env: 'DB_HOST: !GetAtt Db.Endpoint.Address',
        after: '  Db:\n    Type: AWS::RDS::DBInstance\n    Properties: { Engine: mysql, VPCSecurityGroups: [sg-2] }\n',
      }),
      errors: [{ messageId: 'blocks', resource: 'Acl', message: "outbound tcp/3306 to the VPC ('Db')" }],
    },
    {
      name: 'under Fn::If: only the branch that uses the subnet',
      code: template(outHttps, {
        subnets: '!If [Isolated, [!Ref Private], [subnet-0123456789abcdef0]]',
        before: 'Conditions:\n  Isolated: !Equals [!Ref AWS::Region, eu-west-1]\n',
      }),
      errors: [{ messageId: 'blocks', resource: 'Acl', severity: 'error', message: "condition 'Isolated' is true" }],
    },
    {
      name: 'SAM: two functions on one ACL get one finding',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig: { SubnetIds: [!Ref Private], SecurityGroupIds: [sg-1] }
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties: { Handler: a.b, Policies: [SQSSendMessagePolicy: { QueueName: q }] }
  B:
    Type: AWS::Serverless::Function
    Properties: { Handler: a.b, Policies: [SQSSendMessagePolicy: { QueueName: q }] }
  Private:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-1, CidrBlock: 10.0.1.0/24 }
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: { VpcId: vpc-1 }
  AclAssociation:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: { SubnetId: !Ref Private, NetworkAclId: !Ref Acl }
${outHttps}`,
      errors: [{ messageId: 'blocks', resource: 'Acl', message: "functions 'A', 'B'" }],
    },
    {
      name: 'Serverless: the subnet and its ACL under resources',
      code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref Private]
    securityGroupIds: [sg-1]
functions:
  api:
    handler: h.main
    environment:
      API_URL: https://api.example.com
resources:
  Resources:
    Private:
      Type: AWS::EC2::Subnet
      Properties: { VpcId: vpc-1, CidrBlock: 10.0.1.0/24 }
    Acl:
      Type: AWS::EC2::NetworkAcl
      Properties: { VpcId: vpc-1 }
    AclAssociation:
      Type: AWS::EC2::SubnetNetworkAclAssociation
      Properties: { SubnetId: !Ref Private, NetworkAclId: !Ref Acl }
`,
      errors: [{ messageId: 'noEntries', resource: 'Acl', path: ['resources', 'Resources', 'Acl'] }],
    },
  ],
});
