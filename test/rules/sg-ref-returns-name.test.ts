import rule from '../../server/src/core/rules/sg-ref-returns-name';
import { ruleTester } from '../support/rule-tester';

const sg = (vpc = '') => `  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda${vpc}
`;
const fn = (groups: string) => `  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      VpcConfig:
        SubnetIds: [subnet-1, subnet-2]
        SecurityGroupIds: ${groups}
`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;

const serverless = `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
    securityGroupIds:
      - Ref: LambdaSg
functions:
  api:
    handler: h.main
resources:
  Resources:
    LambdaSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: Lambda
`;

ruleTester(rule, {
  valid: [
    { name: 'GetAtt GroupId', code: tpl(sg(), fn('[!GetAtt LambdaSg.GroupId]')) },
    { name: 'Ref of a group with VpcId returns the id', code: tpl(sg('\n      VpcId: vpc-0abc'), fn('[!Ref LambdaSg]')) },
    { name: 'Ref of a group whose VpcId is imported still has a VpcId', code: tpl(sg('\n      VpcId: !ImportValue SharedVpc'), fn('[!Ref LambdaSg]')) },
    { name: 'hard-coded and imported groups', code: tpl(fn('[sg-0abc, !ImportValue SharedSg]')) },
    { name: 'serverless: GetAtt', code: serverless.replace('      - Ref: LambdaSg', '      - Fn::GetAtt: [LambdaSg, GroupId]') },
  ],
  invalid: [
    {
      name: 'Ref in a flow list',
      code: tpl(sg(), fn('[sg-0abc, !Ref LambdaSg]')),
      errors: [{ messageId: 'refReturnsName', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds', 1], line: 12, severity: 'warning' }],
      output: tpl(sg(), fn('[sg-0abc, !GetAtt LambdaSg.GroupId]')),
      safety: 'safe',
    },
    {
      name: 'Ref in long form, block list, no short tags in the file',
      code: `Resources:
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds:
          - Ref: LambdaSg
`,
      errors: [{ messageId: 'refReturnsName', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'VpcConfig', 'SecurityGroupIds', 0] }],
      output: `Resources:
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds:
          - { Fn::GetAtt: [LambdaSg, GroupId] }
`,
    },
    {
      name: 'Ref inside an Fn::If branch names the condition',
      code: `Conditions:\n  Locked: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(sg(), fn('[!If [Locked, !Ref LambdaSg, sg-0abc]]'))}`,
      errors: [{ messageId: 'refReturnsName', resource: 'Fn', message: "(when condition 'Locked' is true)" }],
      output: `Conditions:\n  Locked: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(sg(), fn('[!If [Locked, !GetAtt LambdaSg.GroupId, sg-0abc]]'))}`,
    },
    {
      name: 'SAM Globals: reported on the function, fixed in Globals',
      code: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [!Ref LambdaSg]
      SubnetIds: [subnet-1]
${tpl(sg(), `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
`)}`,
      errors: [{ messageId: 'refReturnsName', resource: 'Fn', path: ['Resources', 'Fn'] }],
      output: `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    VpcConfig:
      SecurityGroupIds: [!GetAtt LambdaSg.GroupId]
      SubnetIds: [subnet-1]
${tpl(sg(), `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
`)}`,
    },
    {
      name: 'serverless: provider.vpc group by Ref',
      code: serverless,
      errors: [{ messageId: 'refReturnsName', resource: 'api', path: ['functions', 'api'] }],
      output: serverless.replace('      - Ref: LambdaSg', '      - { Fn::GetAtt: [LambdaSg, GroupId] }'),
    },
  ],
});
