/**
 * Fix pieces the VPC endpoint rules share: new endpoint and security group resources, the functions'
 * groups to admit, the VPC DNS attributes that private DNS depends on, and several items appended to one
 * list. Everything is written through the EditBuilder, so it comes out in the file's own style.
 */
import type { EditBuilder, Value } from './edits';
import { sourceGroupOf } from './model/endpoints';
import type { Model, Vpc, VpcAttachment } from './model/types';
import type { MapNode } from './tree';
import { get } from './tree';
import type { Edit } from './types';

/** Whether `map[key]` can take appended items: absent, a list, or a single plain value (not an intrinsic). */
export function canAppend(map: MapNode | undefined, key: string): map is MapNode {
  if (!map) return false;
  const node = get(map, key);
  return !node || node.kind === 'seq' || node.kind === 'scalar';
}

/** Appends items to `map[key]`: one edit per item onto a list (same-offset inserts keep their order), else one list. */
export function appendItems(edits: EditBuilder, map: MapNode, key: string, items: Value[]): Edit[] {
  if (items.length === 0) return [];
  const node = get(map, key);
  if (node?.kind === 'seq' && node.items.length > 0) return items.map((item) => edits.appendToSeq(node, item));
  if (node?.kind === 'scalar' && node.value !== null && node.value !== '') return [edits.replace(node, [node.value as Value, ...items])];
  return [edits.setKey(map, key, items)];
}

/** `!Sub com.amazonaws.${AWS::Region}.<name>`: the service in whatever region the stack is deployed to. */
export function serviceNameValue(endpointName: string): Value {
  return { 'Fn::Sub': `com.amazonaws.\${AWS::Region}.${endpointName}` };
}

/** The id of a security group: `!GetAtt <Sg>.GroupId` for one in the template, else the hard-coded id. */
function groupIdValue(source: { id?: string; literal?: string }): Value {
  return source.id ? { 'Fn::GetAtt': [source.id, 'GroupId'] } : source.literal!;
}

/** The groups that stand for these functions as traffic sources (`sourceGroupOf`), each once, as group id values. */
export function sourceGroupIds(model: Model, attachments: readonly VpcAttachment[]): Value[] {
  const out = new Map<string, Value>();
  for (const vpc of attachments) {
    const source = sourceGroupOf(model, vpc);
    if (source) out.set(source.id ?? source.literal!, groupIdValue(source));
  }
  return [...out.values()];
}

export function httpsIngressFrom(group: Value): Value {
  return { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: group };
}

/** A security group in the VPC admitting HTTPS from the given groups (for an interface endpoint). */
export function endpointGroupResource(vpcId: string, endpointName: string, sources: Value[]): Value {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `HTTPS from Lambda to the ${endpointName} endpoint`,
      VpcId: { Ref: vpcId },
      SecurityGroupIngress: sources.map(httpsIngressFrom),
    },
  };
}

export function gatewayEndpointResource(vpcId: string, endpointName: string, routeTables: string[]): Value {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: { Ref: vpcId },
      ServiceName: serviceNameValue(endpointName),
      VpcEndpointType: 'Gateway',
      RouteTableIds: routeTables.map((id) => ({ Ref: id })),
    },
  };
}

export function interfaceEndpointResource(vpcId: string, endpointName: string, subnets: string[], groupId: string): Value {
  return {
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: { Ref: vpcId },
      ServiceName: serviceNameValue(endpointName),
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      SubnetIds: subnets.map((id) => ({ Ref: id })),
      SecurityGroupIds: [{ 'Fn::GetAtt': [groupId, 'GroupId'] }],
    },
  };
}

/**
 * Sets `EnableDnsSupport` and `EnableDnsHostnames` to true where their known value is not: private DNS
 * on an interface endpoint fails to deploy without both. Nothing for a value that does not resolve.
 */
export function vpcDnsEdits(edits: EditBuilder, vpc: Vpc): Edit[] {
  const props = vpc.properties;
  if (!props) return [];
  const out: Edit[] = [];
  if (vpc.enableDnsSupport.state !== 'unknown' && vpc.enableDnsSupport.value === false) out.push(edits.setKey(props, 'EnableDnsSupport', true));
  if (vpc.enableDnsHostnames.state !== 'unknown' && vpc.enableDnsHostnames.value !== true) out.push(edits.setKey(props, 'EnableDnsHostnames', true));
  return out;
}

/** `kinesis-streams` -> `KinesisStreams`, `ecr.api` -> `EcrApi`: a logical id stem. */
export function pascalCase(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}
