import type { EditBuilder, Value } from '../edits';
import { toSnippet } from '../edits';
import { functionGroups, functionVpcId, subnetEgress } from '../model/queries';
import type { LambdaFunction, Model, VpcAttachment } from '../model/types';
import type { MapNode } from '../tree';
import type { Fix } from '../types';
import { attachedVariants, inheritedRelated } from './helpers';
import { defineRule } from '../engine/rule';

export default defineRule({
  id: 'vpc-config-incomplete',
  severity: 'error',
  category: 'vpc-config',
  fixSafety: 'unsafe',
  docs: {
    summary: 'A VpcConfig that has subnets but no security groups, or security groups but no subnets.',
    rationale:
      'Lambda rejects such a configuration at deploy time ("SubnetIds and SecurityIds must coexist or be both empty list"). ' +
      'The check runs after SAM `Globals` and Serverless `provider.vpc` are merged in, because that is what is deployed. ' +
      'The Serverless Framework does not fail: it silently drops the whole VPC configuration, so the function deploys outside the VPC and cannot reach private resources.',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
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
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [sg-0a1b2c3d4e5f60001]
`,
    fix:
      "Inserts the missing key. A missing security group: the one security group of the function's VPC that no database or endpoint uses, when there is exactly one, else a new security group in that VPC. " +
      "Missing subnets: the one private subnet of the security groups' VPC, when there is exactly one, else, when the VPC has none, a new subnet in a free /24 of its CIDR. " +
      "When the VPC is not in the template, an editor gets empty tab stops to fill in, and plain text gets `sg-CHANGEME` / `subnet-CHANGEME1`, `subnet-CHANGEME2`, which are never taken for real ids. Unsafe, so `--fix` leaves it to you.",
  },
  messages: {
    missingGroups: "Function '{fn}' has SubnetIds but no SecurityGroupIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).",
    missingSubnets: "Function '{fn}' has SecurityGroupIds but no SubnetIds: Lambda rejects the VpcConfig (SubnetIds and SecurityGroupIds must both be set or both be empty).",
    serverlessDropped: "Function '{fn}' has {present} but no {missing} after merging provider.vpc: the Serverless Framework drops the whole VPC config and the function deploys outside the VPC.",
  },
  check({ model, report }) {
    for (const { fn, variant, vpc } of attachedVariants(model)) {
      const subnets = vpc.subnetIds;
      const groups = vpc.securityGroupIds;
      if (subnets.state === 'unknown' || groups.state === 'unknown') continue;
      const hasSubnets = subnets.items.length > 0;
      const hasGroups = groups.items.length > 0;
      if (hasSubnets === hasGroups) continue;
      const serverless = variant.dropsIncompleteConfig;
      const subnetKey = serverless ? 'subnetIds' : 'SubnetIds';
      const groupKey = serverless ? 'securityGroupIds' : 'SecurityGroupIds';
      const missing = hasSubnets ? groupKey : subnetKey;
      const present = hasSubnets ? subnetKey : groupKey;
      const presentNode = hasSubnets ? vpc.subnetIdsNode : vpc.securityGroupIdsNode;
      const span = vpc.inheritedFrom ? fn.anchor : (presentNode ?? vpc.vpcConfigNode ?? fn.anchor);
      const map = vpc.vpcConfigNode?.kind === 'map' && !vpc.inheritedFrom ? (vpc.vpcConfigNode as MapNode) : undefined;
      report({
        messageId: serverless ? 'serverlessDropped' : hasSubnets ? 'missingGroups' : 'missingSubnets',
        data: { fn: fn.id, present, missing },
        severity: serverless ? 'warning' : undefined,
        resource: fn.id,
        span: { start: span.start, end: span.end },
        related: inheritedRelated(vpc),
        assumed: [subnets.param, groups.param],
        conditions: variant.conditions,
        fix: map ? (edits) => completeConfig(model, edits, fn, vpc, map, missing, hasSubnets) : undefined,
      });
    }
  },
});

/** The fix: a real resource of the function's VPC when one fits, a new one in it, else tab stops to fill in. */
function completeConfig(model: Model, edits: EditBuilder, fn: LambdaFunction, vpc: VpcAttachment, map: MapNode, missing: string, hasSubnets: boolean): Fix {
  const serverless = model.dialect === 'serverless';
  if (hasSubnets) {
    const vpcId = functionVpcId(model, vpc);
    if (vpcId && model.vpcs.has(vpcId)) {
      const used = groupsOfOtherResources(model);
      const fitting = [...model.securityGroups.values()].filter((g) => g.vpc?.id === vpcId && !used.has(g.id));
      if (fitting.length === 1) {
        const id = fitting[0]!.id;
        return { title: `Add ${missing} with security group ${id}`, safety: 'unsafe', edits: [edits.addKey(map, missing, [getAtt(id)])] };
      }
      const id = edits.uniqueId(`${fn.id.replace(/[^A-Za-z0-9]/g, '')}SecurityGroup`, model.resources);
      const group: Value = { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: `Network interfaces of ${fn.id}`, VpcId: { Ref: vpcId } } };
      const added = edits.addResources({ [id]: group }, serverless);
      if (added.length > 0) {
        return { title: `Add ${missing} with a new security group ${id} in ${vpcId}`, safety: 'unsafe', edits: [edits.addKey(map, missing, [getAtt(id)]), ...added] };
      }
    }
    return toFill(edits, map, missing, ['sg-CHANGEME']);
  }
  const vpcIds = new Set(functionGroups(model, vpc).map((g) => g.group?.vpc?.id));
  const vpcId = vpcIds.size === 1 ? [...vpcIds][0] : undefined;
  const vpcResource = vpcId ? model.vpcs.get(vpcId) : undefined;
  if (vpcId && vpcResource) {
    const inVpc = [...model.subnets.values()].filter((s) => s.vpc.id === vpcId);
    const priv = inVpc.filter((s) => { const kind = subnetEgress(model, s).kind; return kind !== 'internet-gateway' && kind !== 'unknown'; });
    if (priv.length === 1) {
      const id = priv[0]!.id;
      return { title: `Add ${missing} with subnet ${id}`, safety: 'unsafe', edits: [edits.addKey(map, missing, [{ Ref: id }])] };
    }
    const cidr = inVpc.length === 0 || priv.length === 0 ? freeBlock(vpcResource.cidr.state === 'known' ? vpcResource.cidr.value : undefined, inVpc.map((s) => (s.cidr.state === 'known' ? s.cidr.value : undefined))) : undefined;
    if (cidr) {
      const id = edits.uniqueId(`${fn.id.replace(/[^A-Za-z0-9]/g, '')}Subnet`, model.resources);
      const subnet: Value = { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: vpcId }, CidrBlock: cidr, AvailabilityZone: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] } } };
      const added = edits.addResources({ [id]: subnet }, serverless);
      if (added.length > 0) {
        return { title: `Add ${missing} with a new subnet ${id} (${cidr}) in ${vpcId}`, safety: 'unsafe', edits: [edits.addKey(map, missing, [{ Ref: id }]), ...added] };
      }
    }
  }
  return toFill(edits, map, missing, ['subnet-CHANGEME1', 'subnet-CHANGEME2']);
}

function getAtt(id: string): Value {
  return { 'Fn::GetAtt': [id, 'GroupId'] };
}

/** Empty tab stops for an editor; in plain text, placeholders the model takes as unknown. */
function toFill(edits: EditBuilder, map: MapNode, key: string, placeholders: string[]): Fix {
  const edit = edits.addKey(map, key, placeholders);
  return { title: `Add ${key} (to fill in)`, safety: 'unsafe', edits: [{ ...edit, snippet: toSnippet(edit.text, placeholders) }] };
}

/** Security groups that databases, endpoints or other functions' resources already use for themselves. */
function groupsOfOtherResources(model: Model): Set<string> {
  const used = new Set<string>();
  for (const db of model.databases.values()) for (const ref of db.securityGroups.items) if (ref.id) used.add(ref.id);
  for (const e of model.endpoints.values()) for (const ref of e.securityGroupIds.items) if (ref.id) used.add(ref.id);
  return used;
}

/** The first /24 of the VPC's CIDR that no subnet uses; undefined when a subnet's CIDR is unknown. */
export function freeBlock(vpcCidr: string | undefined, subnetCidrs: readonly (string | undefined)[]): string | undefined {
  const vpc = vpcCidr ? parseCidr(vpcCidr) : undefined;
  if (!vpc || vpc.bits > 24) return undefined;
  const taken: { start: number; end: number }[] = [];
  for (const c of subnetCidrs) {
    const block = c ? parseCidr(c) : undefined;
    if (!block) return undefined;
    taken.push(block);
  }
  const blocks = 2 ** (24 - vpc.bits);
  for (let i = 0; i < blocks && i < 4096; i++) {
    const start = vpc.start + i * 256;
    const end = start + 255;
    if (taken.every((t) => t.end < start || t.start > end)) return `${[start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join('.')}/24`;
  }
  return undefined;
}

function parseCidr(cidr: string): { start: number; end: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const addr = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const start = Math.floor(addr / size) * size;
  return { start, end: start + size - 1, bits };
}
