import rule from '../../server/src/core/rules/efs-requires-vpc';
import { ruleTester } from '../support/rule-tester';

const FS = '      FileSystemConfigs:\n        - Arn: !GetAtt AccessPoint.Arn\n          LocalMountPath: /mnt/data\n';
const ap = `  AccessPoint:
    Type: AWS::EFS::AccessPoint
    Properties:
      FileSystemId: fs-0123
`;
const fn = (props: string, type = 'AWS::Lambda::Function') => `  Fn:
    Type: ${type}
    Properties:
      Role: arn:aws:iam::123456789012:role/r
${props}`;
const VPC = '      VpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n';
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const serverless = (vpc: string) => `service: s
provider:
  name: aws
${vpc}functions:
  files:
    handler: h.main
    fileSystemConfig:
      localMountPath: /mnt/data
      arn: arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/fsap-0123
`;

ruleTester(rule, {
  valid: [
    { name: 'file system and VpcConfig', code: tpl(ap, fn(FS + VPC)) },
    { name: 'no file system', code: tpl(fn('      Handler: a.b\n')) },
    { name: 'empty FileSystemConfigs', code: tpl(fn('      FileSystemConfigs: []\n')) },
    { name: 'subnets from a parameter without default', code: `Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n${tpl(ap, fn(`${FS}      VpcConfig:\n        SubnetIds: !Ref Subnets\n        SecurityGroupIds: [sg-1]\n`))}` },
    { name: 'file system and VpcConfig under the same condition', code: `Conditions:\n  Efs: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(ap, fn(`      FileSystemConfigs: !If [Efs, [{ Arn: !GetAtt AccessPoint.Arn, LocalMountPath: /mnt/data }], !Ref AWS::NoValue]\n      VpcConfig: !If [Efs, { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }, !Ref AWS::NoValue]\n`))}` },
    { name: 'serverless: provider.vpc', code: serverless('  vpc:\n    subnetIds: [subnet-1]\n    securityGroupIds: [sg-1]\n') },
  ],
  invalid: [
    {
      name: 'no VpcConfig',
      code: tpl(ap, fn(FS)),
      errors: [{ messageId: 'noVpc', resource: 'Fn', path: ['Resources', 'Fn', 'Properties', 'FileSystemConfigs'], line: 11, severity: 'error' }],
      output: null,
    },
    {
      name: 'VpcConfig with empty lists is no VPC',
      code: tpl(ap, fn(`${FS}      VpcConfig:\n        SubnetIds: []\n        SecurityGroupIds: []\n`)),
      errors: [{ messageId: 'noVpc', resource: 'Fn' }],
    },
    {
      name: 'VpcConfig only on one branch',
      code: `Conditions:\n  Private: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(ap, fn(`${FS}      VpcConfig: !If [Private, { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }, !Ref AWS::NoValue]\n`))}`,
      errors: [{ messageId: 'noVpc', resource: 'Fn', severity: 'error', message: "(when condition 'Private' is false)" }],
    },
    {
      name: 'empty lists from parameter defaults: lowered to warning',
      code: `Parameters:\n  Subnets:\n    Type: CommaDelimitedList\n    Default: ''\n${tpl(ap, fn(`${FS}      VpcConfig:\n        SubnetIds: !Ref Subnets\n        SecurityGroupIds: []\n`))}`,
      errors: [{ messageId: 'noVpc', resource: 'Fn', severity: 'warning', message: "assuming the default of parameter 'Subnets'" }],
    },
    {
      name: 'SAM: file system from Globals, no VpcConfig',
      code: `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    FileSystemConfigs:\n      - Arn: !GetAtt AccessPoint.Arn\n        LocalMountPath: /mnt/data\n${tpl(ap, fn('      Handler: a.b\n', 'AWS::Serverless::Function'))}`,
      errors: [{ messageId: 'noVpc', resource: 'Fn', path: ['Resources', 'Fn'] }],
    },
    {
      name: 'serverless: no vpc',
      code: serverless(''),
      errors: [{ messageId: 'noVpc', resource: 'files', path: ['functions', 'files', 'fileSystemConfig'] }],
    },
    {
      name: 'serverless: only subnets, the framework drops the vpc',
      code: serverless('  vpc:\n    subnetIds: [subnet-1]\n'),
      errors: [{ messageId: 'vpcDropped', resource: 'files', message: 'its vpc has only subnetIds' }],
    },
  ],
});
