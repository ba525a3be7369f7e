import type { EditBuilder, Value } from '../edits';
import { formatCidr, nextFreeCidr, parseCidr } from '../model/cidr';
import { azKey, azLabel, subnetsInVpc } from '../model/queries';
import type { LambdaFunction, Model, ResourceRef, Subnet, VpcAttachment } from '../model/types';
import { renderAt } from '../render';
import { toPlain } from '../to-json';
import type { Node } from '../tree';
import { get, pathTo } from '../tree';
import type { Fix, Related } from '../types';
import type { ListBranch } from './helpers';
import { attachedVariants, inheritedRelated, listBranches, ownSpan, refName } from './helpers';
import { defineRule } from '../engine/rule';

/**
 * The letters of each region's Availability Zone names that every account sees. Regions missing here
 * (or whose zones differ between accounts, such as us-west-1) get no fix for literal zone names.
 */
const AZ_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdf', 'us-east-2': 'abc', 'us-west-2': 'abcd', 'ca-central-1': 'abd',
  'eu-west-1': 'abc', 'eu-west-2': 'abc', 'eu-west-3': 'abc', 'eu-central-1': 'abc', 'eu-north-1': 'abc', 'eu-south-1': 'abc',
  'ap-northeast-1': 'acd', 'ap-northeast-2': 'abcd', 'ap-northeast-3': 'abc', 'ap-southeast-1': 'abc', 'ap-southeast-2': 'abc',
  'ap-south-1': 'abc', 'sa-east-1': 'abc',
};

type Problem = { messageId: 'oneSubnet' | 'oneAz'; branch: ListBranch; subnets: Subnet[] };

function distinctRefs(items: ResourceRef[]): ResourceRef[] {
  const seen = new Map<string, ResourceRef>();
  for (const ref of items) {
    const key = ref.id ? `id:${ref.id}` : ref.literal !== undefined ? `lit:${ref.literal}` : `at:${ref.span.start}`;
    if (!seen.has(key)) seen.set(key, ref);
  }
  return [...seen.values()];
}

function problemOf(model: Model, branch: ListBranch): Problem | undefined {
  const refs = distinctRefs(branch.items);
  if (refs.length === 0) return undefined;
  const subnets = refs.map((r) => (r.id ? model.subnets.get(r.id) : undefined));
  if (refs.length === 1) return { messageId: 'oneSubnet', branch, subnets: subnets.filter((s): s is Subnet => !!s) };
  if (subnets.some((s) => !s)) return undefined;
  const keys = new Set(subnets.map((s) => azKey(s!)));
  if (keys.size !== 1 || keys.has(undefined)) return undefined;
  return { messageId: 'oneAz', branch, subnets: subnets as Subnet[] };
}

/** Another zone for the new subnet, written the way the first subnet writes its own; undefined when that would be a guess. */
function otherAz(first: Subnet, subnets: Subnet[]): { key: string; value: Value } | undefined {
  const az = first.az;
  if (az.kind === 'unknown' || az.state !== 'known') return undefined;
  if (az.kind === 'index') {
    const used = new Set(subnets.map((s) => (s.az.kind === 'index' ? s.az.value : -1)));
    let i = 0;
    while (used.has(i)) i++;
    return { key: 'AvailabilityZone', value: { 'Fn::Select': [i, { 'Fn::GetAZs': '' }] } };
  }
  if (az.kind === 'name') {
    const m = /^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z])$/.exec(az.value);
    const letters = m ? AZ_LETTERS[m[1]!] : undefined;
    if (!m || !letters) return undefined;
    const used = new Set(subnets.map((s) => (s.az.kind === 'name' ? s.az.value : '')));
    const letter = [...letters].find((l) => !used.has(`${m[1]}${l}`));
    return letter ? { key: 'AvailabilityZone', value: `${m[1]}${letter}` } : undefined;
  }
  return undefined;
}

/** A logical id for the subnet beside `base`: `SubnetA` -> `SubnetB`, `Subnet1` -> `Subnet2`, else `Subnet2`. */
function siblingId(edits: EditBuilder, base: string, taken: { has(id: string): boolean }, reserved: Set<string>): string {
  const letter = /^(.*[a-z0-9])([A-Z])$/.exec(base);
  if (letter) {
    for (let c = letter[2]!.charCodeAt(0) + 1; c <= 90; c++) {
      const id = `${letter[1]}${String.fromCharCode(c)}`;
      if (!taken.has(id) && !reserved.has(id)) return edits.uniqueId(id, taken, reserved);
    }
  }
  const digits = /^(.*?)(\d+)$/.exec(base);
  if (digits) {
    for (let n = Number(digits[2]) + 1; ; n++) {
      const id = `${digits[1]}${n}`;
      if (!taken.has(id) && !reserved.has(id)) return edits.uniqueId(id, taken, reserved);
    }
  }
  return edits.uniqueId(base, taken, reserved);
}

/** The `RouteTableId` of the subnet's explicit route table association, as written. */
function routeTableOf(model: Model, subnet: Subnet): Node | undefined {
  const id = subnet.routeTable.association;
  return id ? get(model.resources.get(id)?.properties, 'RouteTableId') : undefined;
}

function fixOf(model: Model, fn: LambdaFunction, vpc: VpcAttachment, problem: Problem): ((edits: EditBuilder) => Fix | undefined) | undefined {
  const list = vpc.subnetIdsNode;
  if (!list || list.kind !== 'seq' || problem.branch.conditions.length > 0) return undefined;
  if (ownSpan(fn, list) === fn.anchor) return undefined;
  const first = problem.subnets[0];
  if (!first || !pathTo(model.root, first.keySpan)) return undefined;
  const vpcRes = first.vpc.id ? model.vpcs.get(first.vpc.id) : undefined;
  const vpcCidr = vpcRes?.cidr.state === 'known' ? parseCidr(vpcRes.cidr.value) : undefined;
  const own = first.cidr.state === 'known' ? parseCidr(first.cidr.value) : undefined;
  if (!vpcRes || !vpcCidr || !own) return undefined;
  const siblings = subnetsInVpc(model, vpcRes.id);
  const taken = siblings.map((s) => (s.cidr.state === 'known' ? parseCidr(s.cidr.value) : undefined));
  if (taken.some((c) => !c)) return undefined;
  const cidr = nextFreeCidr(vpcCidr, taken.map((c) => c!), own.prefix);
  const az = otherAz(first, problem.subnets);
  if (!cidr || !az) return undefined;
  const vpcId = get(first.properties, 'VpcId');
  if (!vpcId) return undefined;
  return (edits) => {
    const ids = model.resources;
    const reserved = new Set<string>();
    const id = siblingId(edits, first.id, ids, reserved);
    const resources: Record<string, Value> = {
      [id]: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: toPlain(vpcId) as Value, CidrBlock: formatCidr(cidr), [az.key]: az.value } },
    };
    const table = routeTableOf(model, first);
    if (table) {
      resources[edits.uniqueId(`${id}RouteTableAssociation`, ids, reserved)] = {
        Type: 'AWS::EC2::SubnetRouteTableAssociation',
        Properties: { SubnetId: { Ref: id }, RouteTableId: toPlain(table) as Value },
      };
    }
    const acl = first.networkAcl;
    if (acl) {
      resources[edits.uniqueId(`${id}NetworkAclAssociation`, ids, reserved)] = {
        Type: 'AWS::EC2::SubnetNetworkAclAssociation',
        Properties: { SubnetId: { Ref: id }, NetworkAclId: { Ref: acl } },
      };
    }
    return {
      title: `Add subnet '${id}' (${formatCidr(cidr)}) in another Availability Zone`,
      safety: 'unsafe',
      edits: [edits.appendToSeq(list, { Ref: id }), ...edits.addResources(resources, model.dialect === 'serverless')],
    };
  };
}

export default defineRule({
  id: 'single-az',
  severity: 'warning',
  category: 'vpc-config',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A VPC-attached function whose subnets are all in one Availability Zone.',
    rationale:
      'Lambda runs a VPC-attached function only in the Availability Zones of its subnets. With one subnet, or several in the same zone, ' +
      'an outage of that zone stops the function, although Lambda itself is multi-AZ; AWS recommends at least two subnets in different zones. ' +
      'Zones are compared the way the template writes them: `AvailabilityZone` names with names, `AvailabilityZoneId`s with ids, and ' +
      '`!Select [i, !GetAZs \'\']` by index. When two subnets cannot be compared (a zone that is unknown, absent, or written by name ' +
      'on one and by id on the other), the rule stays silent; a list of exactly one subnet is one zone whatever that subnet is.',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
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
    Properties: { CidrBlock: 10.0.0.0/16 }
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: !Select [1, !GetAZs '']
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    fix:
      'Adds a second `AWS::EC2::Subnet` in the same VPC and another Availability Zone (an unused `!Select` index, or another zone ' +
      'letter of the same region when zones are named), with the same prefix length and the first free CIDR block of the VPC, copies ' +
      'the first subnet\'s route table (and network ACL) association to it, and appends it to `SubnetIds`. It is left out when the VPC ' +
      'or subnet CIDRs are not all known, the zones are given by id, or the region\'s zone names vary between accounts. Unsafe: it adds ' +
      'resources and picks a CIDR block and a zone for you to review.',
  },
  messages: {
    oneSubnet: "Function '{fn}' has a single subnet ({subnet}), so it runs in one Availability Zone: an outage of that zone stops it. Add a subnet in another zone.",
    oneAz: "Function '{fn}' has all its subnets ({subnets}) in {az}: an outage of that zone stops it. Add a subnet in another zone.",
  },
  check({ model, root, report }) {
    // An unresolved subnet is named the way the template writes it (`!Ref PrivateSubnetParam`).
    const label = (ref: ResourceRef) => (ref.id || ref.literal !== undefined ? refName(ref) : (renderAt(root, ref.span) ?? refName(ref)));
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      if (vpc.subnetIds.state === 'unknown') continue;
      const branches = listBranches(vpc.subnetIds.items);
      const problems = branches.map((b) => problemOf(model, b)).filter((p): p is Problem => !!p);
      const problem = problems[0];
      if (!problem) continue;
      const allBranches = problems.length === branches.length;
      const refs = distinctRefs(problem.branch.items);
      const related: Related[] = [
        ...problem.subnets.map((s) => ({ message: `Subnet '${s.id}' is in ${azLabel(s)}`, span: s.az.kind === 'unknown' ? s.keySpan : s.az.span })),
        ...inheritedRelated(vpc),
      ];
      const assumed = [vpc.subnetIds.param, ...refs.map((r) => r.param)];
      if (problem.messageId === 'oneAz') assumed.push(...problem.subnets.map((s) => (s.az.kind === 'unknown' ? undefined : s.az.param)));
      report({
        messageId: problem.messageId,
        data: { fn: fn.id, subnet: label(refs[0]!), subnets: refs.map(label).join(', '), az: problem.subnets[0] ? azLabel(problem.subnets[0]) : '' },
        resource: fn.id,
        span: ownSpan(fn, vpc.subnetIdsNode),
        related,
        assumed,
        conditions: [...variant.conditions, ...(allBranches ? [] : problem.branch.conditions)],
        fix: allBranches ? fixOf(model, fn, vpc, problem) : undefined,
      });
    }
  },
});
