import type { Model, ResourceRef, Subnet, Vpc } from '../model/types';
import { attachedVariants, inheritedRelated, listBranches, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

function dedicatedOf(model: Model, refs: ResourceRef[]): { subnet: Subnet; vpc: Vpc }[] {
  const out: { subnet: Subnet; vpc: Vpc }[] = [];
  for (const ref of refs) {
    const subnet = ref.id ? model.subnets.get(ref.id) : undefined;
    const vpc = subnet?.vpc.id ? model.vpcs.get(subnet.vpc.id) : undefined;
    if (subnet && vpc && vpc.tenancy.state !== 'unknown' && vpc.tenancy.value?.toLowerCase() === 'dedicated') out.push({ subnet, vpc });
  }
  return out;
}

export default defineRule({
  id: 'dedicated-tenancy',
  severity: 'error',
  category: 'vpc-config',
  fixSafety: 'none',
  docs: {
    summary: 'A function attached to a VPC whose `InstanceTenancy` is `dedicated`.',
    rationale:
      'Lambda does not support VPCs with dedicated instance tenancy: it cannot place the function\'s network interfaces there and ' +
      'rejects the VpcConfig. Attach the function to a VPC with default tenancy (dedicated tenancy can still be set per EC2 instance).',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      InstanceTenancy: dedicated
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    valid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      InstanceTenancy: default
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
  },
  messages: {
    dedicatedVpc: "Function '{fn}' is attached to VPC '{vpc}', which has InstanceTenancy: dedicated: Lambda does not support dedicated-tenancy VPCs and rejects the configuration.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const branches = listBranches(vpc.subnetIds.items);
      const hits = branches.map((b) => ({ branch: b, found: dedicatedOf(model, b.items) })).filter((h) => h.found.length > 0);
      const hit = hits[0];
      if (!hit) continue;
      const first = hit.found[0]!;
      report({
        messageId: 'dedicatedVpc',
        data: { fn: fn.id, vpc: first.vpc.id },
        resource: fn.id,
        span: ownSpan(fn, vpc.subnetIdsNode),
        related: [
          { message: `VPC '${first.vpc.id}' has dedicated tenancy`, span: first.vpc.tenancy.span ?? first.vpc.keySpan },
          ...inheritedRelated(vpc),
        ],
        assumed: [first.vpc.tenancy.param, first.subnet.vpc.param],
        conditions: [...variant.conditions, ...(hits.length === branches.length ? [] : hit.branch.conditions)],
      });
    }
  },
});
