import rule from '../../server/src/core/rules/edge-function-in-vpc';
import { ruleTester } from '../support/rule-tester';

const VPC = '      VpcConfig:\n        SubnetIds: [subnet-1, subnet-2]\n        SecurityGroupIds: [sg-1]\n';
const fn = (props = '', type = 'AWS::Lambda::Function') => `  EdgeFn:
    Type: ${type}
    Properties:
      Handler: index.handler
${props}`;
const version = `  EdgeFnVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref EdgeFn
`;
const distribution = (target = '!Ref EdgeFnVersion') => `  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        DefaultCacheBehavior:
          LambdaFunctionAssociations:
            - EventType: viewer-request
              LambdaFunctionARN: ${target}
`;
/** The function with resource attributes (`IgnoreGlobals`) after its properties. */
const fnWith = (attrs: string, props = '', type = 'AWS::Serverless::Function') => `${fn(props, type)}${attrs}`;
const tpl = (...parts: string[]) => `Resources:\n${parts.join('')}`;
const sam = (globals: string, ...parts: string[]) => `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n${globals}${tpl(...parts)}`;
const GLOBAL_VPC = '    VpcConfig:\n      SubnetIds: [subnet-1, subnet-2]\n      SecurityGroupIds: [sg-1]\n';
const SAM_EDGE = '      AutoPublishAlias: live\n';

const serverless = (fnExtra = '') => `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
    securityGroupIds: [sg-1]
functions:
  edge:
    handler: h.main
${fnExtra}    events:
      - cloudFront:
          eventType: viewer-request
          origin: s3://bucket.s3.amazonaws.com/files
`;

ruleTester(rule, {
  valid: [
    { name: 'edge function without VpcConfig', code: tpl(fn(), version, distribution()) },
    { name: 'VPC function not used at the edge', code: tpl(fn(VPC), version) },
    { name: 'SAM: Globals VpcConfig ignored', code: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals: [VpcConfig]\n', SAM_EDGE), distribution('!Ref EdgeFn.Version')) },
    { name: 'SAM: all Globals ignored', code: sam(GLOBAL_VPC, fnWith("    IgnoreGlobals: '*'\n", SAM_EDGE), distribution('!Ref EdgeFn.Version')) },
    { name: 'empty VpcConfig lists', code: tpl(fn('      VpcConfig:\n        SubnetIds: []\n        SecurityGroupIds: []\n'), version, distribution()) },
    { name: 'serverless: vpc: ~ opts out', code: serverless('    vpc: ~\n') },
  ],
  invalid: [
    {
      name: 'through a version: removes the VpcConfig',
      code: tpl(fn(VPC), version, distribution()),
      errors: [{ messageId: 'edgeInVpc', resource: 'EdgeFn', path: ['Resources', 'EdgeFn', 'Properties', 'VpcConfig'], line: 7, severity: 'error' }],
      output: tpl(fn(), version, distribution()),
      safety: 'unsafe',
    },
    {
      name: 'through an alias, VpcConfig not the last key',
      code: tpl(fn(`${VPC}      Runtime: nodejs20.x\n`), '  EdgeAlias:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref EdgeFn\n      Name: live\n', distribution('!Ref EdgeAlias')),
      errors: [{ messageId: 'edgeInVpc', resource: 'EdgeFn' }],
      output: tpl(fn('      Runtime: nodejs20.x\n'), '  EdgeAlias:\n    Type: AWS::Lambda::Alias\n    Properties:\n      FunctionName: !Ref EdgeFn\n      Name: live\n', distribution('!Ref EdgeAlias')),
    },
    {
      name: 'SAM: inherited from Globals, adds IgnoreGlobals',
      code: sam(GLOBAL_VPC, fn(SAM_EDGE, 'AWS::Serverless::Function'), distribution('!Ref EdgeFn.Version')),
      errors: [{ messageId: 'edgeInVpcInherited', resource: 'EdgeFn', path: ['Resources', 'EdgeFn'], message: 'inherits a VpcConfig from Globals' }],
      output: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals:\n      - VpcConfig\n', SAM_EDGE), distribution('!Ref EdgeFn.Version')),
    },
    {
      name: 'SAM: IgnoreGlobals with another key becomes a list',
      code: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals: Runtime\n', SAM_EDGE), distribution('!Ref EdgeFn.Version')),
      errors: [{ messageId: 'edgeInVpcInherited', resource: 'EdgeFn' }],
      output: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals: [Runtime, VpcConfig]\n', SAM_EDGE), distribution('!Ref EdgeFn.Version')),
    },
    {
      name: 'SAM: IgnoreGlobals inside Properties means nothing',
      code: sam(GLOBAL_VPC, fn(`${SAM_EDGE}      IgnoreGlobals: [VpcConfig]\n`, 'AWS::Serverless::Function'), distribution('!Ref EdgeFn.Version')),
      errors: [{ messageId: 'edgeInVpcInherited', resource: 'EdgeFn' }],
      output: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals:\n      - VpcConfig\n', `${SAM_EDGE}      IgnoreGlobals: [VpcConfig]\n`), distribution('!Ref EdgeFn.Version')),
    },
    {
      name: 'SAM: own VpcConfig merged with Globals: removes it and ignores the global one',
      code: sam(GLOBAL_VPC, fn(`${SAM_EDGE}      VpcConfig:\n        SubnetIds: [subnet-3]\n`, 'AWS::Serverless::Function'), distribution('!Ref EdgeFn.Version')),
      errors: [{ messageId: 'edgeInVpc', resource: 'EdgeFn', path: ['Resources', 'EdgeFn', 'Properties', 'VpcConfig'] }],
      output: sam(GLOBAL_VPC, fnWith('    IgnoreGlobals:\n      - VpcConfig\n', SAM_EDGE), distribution('!Ref EdgeFn.Version')),
    },
    {
      name: 'VpcConfig under a condition',
      code: `Conditions:\n  Private: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(fn('      VpcConfig: !If [Private, { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }, !Ref AWS::NoValue]\n'), version, distribution())}`,
      errors: [{ messageId: 'edgeInVpc', resource: 'EdgeFn', message: "(when condition 'Private' is true)" }],
      output: `Conditions:\n  Private: !Equals [!Ref AWS::Region, eu-west-1]\n${tpl(fn(), version, distribution())}`,
    },
    {
      name: 'subnets from a parameter default: lowered to warning',
      code: `Parameters:\n  Subnets:\n    Type: List<AWS::EC2::Subnet::Id>\n    Default: subnet-1,subnet-2\n${tpl(fn('      VpcConfig:\n        SubnetIds: !Ref Subnets\n        SecurityGroupIds: [sg-1]\n'), version, distribution())}`,
      errors: [{ messageId: 'edgeInVpc', resource: 'EdgeFn', severity: 'warning' }],
    },
    {
      name: 'serverless: provider.vpc inherited, adds vpc: ~',
      code: serverless(),
      errors: [{ messageId: 'edgeInVpcInherited', resource: 'edge', path: ['functions', 'edge'], message: 'from provider.vpc' }],
      output: serverless().replace('          origin: s3://bucket.s3.amazonaws.com/files\n', '          origin: s3://bucket.s3.amazonaws.com/files\n    vpc: ~\n'),
    },
    {
      name: "serverless: the function's own vpc is replaced by ~",
      code: serverless('    vpc:\n      subnetIds: [subnet-9]\n'),
      errors: [{ messageId: 'edgeInVpc', resource: 'edge', path: ['functions', 'edge', 'vpc'] }],
      output: serverless('    vpc: ~\n'),
    },
  ],
});
