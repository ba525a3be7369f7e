import { coverageOf } from '../model/coverage';
import { defineRule } from '../engine/rule';
import type { Related } from '../types';
import { ownSpan } from './helpers';

export default defineRule({
  id: 'network-unknown',
  severity: 'info',
  category: 'advice',
  fixSafety: 'none',
  docs: {
    summary: 'A function in a VPC whose network could not be followed: its subnets, their route tables or its security groups are not known.',
    rationale:
      'A rule never reports on a fact it does not know, so a function whose subnets come from a parameter without a value, another stack or a hard-coded id gets no egress, endpoint or security group finding at all. ' +
      'That silence is not a clean bill of health: this finding makes it visible, names each missing fact and where it comes from, and says how to supply it ' +
      '(a parameter value on the command line, in a parameter file or in samconfig.toml; the template that defines the network, checked together with this one; live lookups in the account). ' +
      'To make an unchecked network fail a build, raise the rule: `--rule network-unknown=error`. ' +
      'See [What lambda-vpc-lint could not check and how to fix that](../not-checked.md).',
    invalid: `Parameters:
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: !Ref SubnetIds
        SecurityGroupIds: [!Ref Sg]
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: fn
      VpcId: vpc-0a1b2c3d4e5f60001
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [!Ref Sg]
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Private:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 }
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: !Ref Vpc }
`,
    fix: 'None in `--fix`. In the editor: add a value for the missing parameter to samconfig.toml, or turn on live lookups.',
  },
  messages: {
    unknown: "Function '{fn}' is in a VPC, but its network could not be checked: {missing}.",
    partial: "Function '{fn}' is in a VPC, but its network could only partly be checked: {missing}.",
  },
  check({ model, report }) {
    for (const c of coverageOf(model)) {
      if (!c.vpc || c.network === 'checked' || c.network === undefined) continue;
      const fn = c.fn;
      const own = fn.variants.find((v) => v.vpc && ownSpan(fn, v.vpc.vpcConfigNode) !== fn.anchor)?.vpc;
      // On the key of the function's own VPC settings (one line, where a suppression comment goes), else its logical id.
      const ownNode = own ? ownSpan(fn, own.vpcConfigNode) : undefined;
      const pair = ownNode ? fn.properties?.pairs.find((p) => p.value.start <= ownNode.start && ownNode.end <= p.value.end) : undefined;
      const span = pair ? { start: pair.key.start, end: pair.key.end } : (ownNode ?? fn.anchor);
      const inherited = fn.variants.find((v) => v.vpc?.inheritedFrom)?.vpc?.inheritedFrom;
      const related: Related[] = inherited ? [{ message: 'VPC settings inherited from here', span: inherited }] : [];
      report({
        messageId: c.network === 'partial' ? 'partial' : 'unknown',
        data: { fn: fn.id, missing: c.missing.map((m) => m.text).join('; ') },
        resource: fn.id,
        span,
        related,
      });
    }
  },
});
