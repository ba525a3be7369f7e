import type { Model, ResourceRef } from '../model/types';
import type { Span } from '../tree';
import type { Related } from '../types';
import { consistent } from '../model/values';
import { attachedVariants, inheritedRelated, listBranches, ownSpan } from './helpers';
import { defineRule } from '../engine/rule';

type MessageId = 'subnetsInDifferentVpcs' | 'groupInOtherVpc' | 'groupWithoutVpc';

interface Problem {
  key: string;
  messageId: MessageId;
  data: Record<string, string>;
  span: Span | undefined;
  related: Related[];
  assumed: (string | undefined)[];
}

/** A comparable name for the VPC a reference points at: a template VPC, or a hard-coded id. */
function vpcKey(ref: ResourceRef | undefined): string | undefined {
  if (!ref || ref.state === 'unknown') return undefined;
  if (ref.id) return `id:${ref.id}`;
  if (ref.literal !== undefined) return `lit:${ref.literal}`;
  return undefined;
}

function vpcLabel(key: string): string {
  return key.startsWith('id:') ? `VPC '${key.slice(3)}'` : key.slice(4);
}

function problemsOf(model: Model, subnetRefs: ResourceRef[], groupRefs: ResourceRef[]): Problem[] {
  const byVpc = new Map<string, { subnet: string; ref: ResourceRef }[]>();
  for (const ref of subnetRefs) {
    const subnet = ref.id ? model.subnets.get(ref.id) : undefined;
    const key = vpcKey(subnet?.vpc);
    if (!subnet || !key) continue;
    const list = byVpc.get(key) ?? [];
    list.push({ subnet: subnet.id, ref: subnet.vpc });
    byVpc.set(key, list);
  }
  const subnetsRelated = (keys: string[]) => keys.flatMap((k) => byVpc.get(k)!.map((s) => ({ message: `Subnet '${s.subnet}' is in ${vpcLabel(k)}`, span: s.ref.span })));
  const subnetParams = [...byVpc.values()].flat().map((s) => s.ref.param);
  if (byVpc.size > 1) {
    const keys = [...byVpc.keys()];
    return [{
      key: 'subnets',
      messageId: 'subnetsInDifferentVpcs',
      data: { vpcs: keys.map(vpcLabel).join(', ') },
      span: undefined,
      related: subnetsRelated(keys),
      assumed: subnetParams,
    }];
  }
  const vpc = [...byVpc.keys()][0];
  if (!vpc) return [];
  const out: Problem[] = [];
  for (const ref of groupRefs) {
    const sg = ref.id ? model.securityGroups.get(ref.id) : undefined;
    if (!sg) continue;
    const base = { data: { sg: sg.id, vpc: vpcLabel(vpc), sgVpc: '' }, span: ref.span, assumed: [...subnetParams, ref.param] };
    if (!sg.vpc) {
      if (!vpc.startsWith('id:')) continue;
      out.push({ ...base, key: `sg:${sg.id}`, messageId: 'groupWithoutVpc', related: [{ message: `Security group '${sg.id}' has no VpcId`, span: sg.keySpan }, ...subnetsRelated([vpc])] });
      continue;
    }
    const key = vpcKey(sg.vpc);
    if (!key || key === vpc) continue;
    out.push({
      ...base,
      key: `sg:${sg.id}`,
      messageId: 'groupInOtherVpc',
      data: { ...base.data, sgVpc: vpcLabel(key) },
      related: [{ message: `Security group '${sg.id}' is in ${vpcLabel(key)}`, span: sg.vpc.span }, ...subnetsRelated([vpc])],
      assumed: [...base.assumed, sg.vpc.param],
    });
  }
  return out;
}

export default defineRule({
  id: 'vpc-mismatch',
  severity: 'error',
  category: 'vpc-config',
  fixSafety: 'none',
  docs: {
    summary: 'A function whose subnets are in different VPCs, or whose security groups are in another VPC than its subnets.',
    rationale:
      'A function\'s network interfaces live in one VPC: Lambda rejects subnets from different VPCs, and security groups that belong to ' +
      'another VPC than the subnets. A security group declared without `VpcId` is created in the account\'s default VPC, so it never ' +
      'matches subnets of a VPC the template creates, and the deployment fails when CloudFormation reaches the function.',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!GetAtt LambdaSg.GroupId]
`,
    valid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  LambdaSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: !Ref Vpc
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: [!GetAtt LambdaSg.GroupId]
`,
  },
  messages: {
    subnetsInDifferentVpcs: "Function '{fn}' has subnets in different VPCs ({vpcs}): all of a function's subnets must be in one VPC, and Lambda rejects the configuration.",
    groupInOtherVpc: "Security group '{sg}' of function '{fn}' is in {sgVpc}, but the function's subnets are in {vpc}: Lambda rejects security groups of another VPC.",
    groupWithoutVpc: "Security group '{sg}' of function '{fn}' has no VpcId, so it is created in the account's default VPC, not in {vpc} where the function's subnets are: Lambda rejects the configuration.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      if (vpc.subnetIds.items.length === 0) continue;
      const combos: { conditions: string[]; problems: Problem[] }[] = [];
      for (const s of listBranches(vpc.subnetIds.items)) {
        for (const g of listBranches(vpc.securityGroupIds.items)) {
          if (!consistent(s.conditions, g.conditions)) continue;
          combos.push({ conditions: [...new Set([...s.conditions, ...g.conditions])], problems: problemsOf(model, s.items, g.items) });
        }
      }
      const reported = new Set<string>();
      for (const combo of combos) {
        for (const p of combo.problems) {
          if (reported.has(p.key)) continue;
          reported.add(p.key);
          const everywhere = combos.every((c) => c.problems.some((q) => q.key === p.key && q.messageId === p.messageId));
          report({
            messageId: p.messageId,
            data: { fn: fn.id, ...p.data },
            resource: fn.id,
            span: ownSpan(fn, p.span ?? vpc.subnetIdsNode),
            related: [...p.related, ...inheritedRelated(vpc)],
            assumed: [...p.assumed, vpc.subnetIds.param, vpc.securityGroupIds.param],
            conditions: [...variant.conditions, ...(everywhere ? [] : combo.conditions)],
          });
        }
      }
    }
  },
});
