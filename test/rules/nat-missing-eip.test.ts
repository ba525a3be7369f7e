import rule from '../../server/src/core/rules/nat-missing-eip';
import { ruleTester } from '../support/rule-tester';
import { fn, publicSubnet, routeTable, subnet, template, vpc } from '../support/network-fixtures';

const publicA = publicSubnet('PublicA', '10.0.0.0/24', 'us-east-1a');
const routed = routeTable('PrivateRt', 'NatGatewayId: !Ref Nat') + subnet('Private', '10.0.1.0/24', 'us-east-1a', 'PrivateRt');
const natWith = (props: string, extra = '') => `  Nat:
    Type: AWS::EC2::NatGateway${extra}
    Properties:
      SubnetId: !Ref PublicA
${props}`;
const cases = {
  block: template(vpc, publicA, natWith(''), routed, fn('!Ref Private')),
  flow: template(vpc, publicA, `  Nat:
    Type: AWS::EC2::NatGateway
    Properties: { SubnetId: !Ref PublicA }
`, routed, fn('!Ref Private')),
  serverless: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [!Ref Private]
    securityGroupIds: [sg-0a1b2c3d4e5f60001]
functions:
  api:
    handler: h.main
resources:
  Resources:
${(vpc + publicA + natWith('') + routed).replace(/^/gm, '  ').replace(/ +$/, '')}`,
};

ruleTester(rule, {
  valid: [
    { name: 'NAT gateway with an Elastic IP', code: template(vpc, publicA, `  NatEip:
    Type: AWS::EC2::EIP
    Properties: { Domain: vpc }
`, natWith('      AllocationId: !GetAtt NatEip.AllocationId\n'), routed, fn('!Ref Private')) },
    { name: 'private NAT gateway', code: template(vpc, publicA, natWith('      ConnectivityType: private\n'), routed, fn('!Ref Private')) },
    { name: 'regional NAT gateway allocates its own addresses', code: template(vpc, publicA, natWith('      AvailabilityMode: regional\n'), routed, fn('!Ref Private')) },
    { name: 'no VPC-attached function in the template', code: template(vpc, publicA, natWith(''), routed) },
    { name: 'allocation id from a parameter without default', code: `Parameters:
  Allocation:
    Type: String
${template(vpc, publicA, natWith('      AllocationId: !Ref Allocation\n'), routed, fn('!Ref Private'))}` },
    { name: 'connectivity type from a parameter without default', code: `Parameters:
  Connectivity:
    Type: String
${template(vpc, publicA, natWith('      ConnectivityType: !Ref Connectivity\n'), routed, fn('!Ref Private'))}` },
    { name: 'allocation id under Fn::If cannot be resolved', code: `Conditions:
  Fixed: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natWith("      AllocationId: !If [Fixed, eipalloc-0a1b2c3d4e5f60001, !ImportValue shared-eip]\n"), routed, fn('!Ref Private'))}` },
  ],
  invalid: [
    {
      name: 'block style: adds the Elastic IP, depending on the gateway attachment',
      code: cases.block,
      errors: [{ messageId: 'missingEip', resource: 'Nat', path: ['Resources', 'Nat'], severity: 'error', message: "NAT gateway 'Nat' has no AllocationId" }],
      output: `${cases.block.replace('      SubnetId: !Ref PublicA\n', '      SubnetId: !Ref PublicA\n      AllocationId: !GetAtt NatEip.AllocationId\n')}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
`,
      safety: 'unsafe',
    },
    {
      name: 'flow style properties',
      code: cases.flow,
      errors: [{ messageId: 'missingEip', resource: 'Nat', message: 'the functions routed through it (Fn)' }],
      output: `${cases.flow.replace('{ SubnetId: !Ref PublicA }', '{ SubnetId: !Ref PublicA, AllocationId: !GetAtt NatEip.AllocationId }')}  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: IgwAttachment
    Properties:
      Domain: vpc
`,
    },
    {
      name: "in the function's VPC but not routed by it",
      code: template(vpc, publicA, natWith(''), subnet('Isolated', '10.0.2.0/24', 'us-east-1a'), fn('!Ref Isolated')),
      errors: [{ messageId: 'missingEip', resource: 'Nat', message: 'the subnets routed through it' }],
    },
    {
      name: 'connectivity type from a parameter default: lowered to warning',
      code: `Parameters:
  Connectivity:
    Type: String
    Default: public
${template(vpc, publicA, natWith('      ConnectivityType: !Ref Connectivity\n'), routed, fn('!Ref Private'))}`,
      errors: [{ messageId: 'missingEip', resource: 'Nat', severity: 'warning', message: "assuming the default of parameter 'Connectivity'" }],
    },
    {
      name: 'a NAT gateway that exists under a condition',
      code: `Conditions:
  HasNat: !Equals [!Ref AWS::Region, us-east-1]
${template(vpc, publicA, natWith('', '\n    Condition: HasNat'), routed, fn('!Ref Private'))}`,
      errors: [{ messageId: 'missingEip', resource: 'Nat', severity: 'error', message: "(when condition 'HasNat' is true)" }],
    },
    {
      name: 'SAM template',
      code: `Transform: AWS::Serverless-2016-10-31
${template(vpc, publicA, natWith(''), routed)}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: exports.handler = async () => 1
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
      errors: [{ messageId: 'missingEip', resource: 'Nat', path: ['Resources', 'Nat'] }],
    },
    {
      name: 'serverless: the Elastic IP goes into resources.Resources',
      code: cases.serverless,
      errors: [{ messageId: 'missingEip', resource: 'Nat', path: ['resources', 'Resources', 'Nat'], message: '(api)' }],
      output: `${cases.serverless.replace('        SubnetId: !Ref PublicA\n', '        SubnetId: !Ref PublicA\n        AllocationId: !GetAtt NatEip.AllocationId\n')}    NatEip:
      Type: AWS::EC2::EIP
      DependsOn: IgwAttachment
      Properties:
        Domain: vpc
`,
    },
  ],
});
