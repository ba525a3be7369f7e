import { referencedIds } from '../model/needs';
import type { Model, Resource } from '../model/types';
import type { Node } from '../tree';
import { get, str } from '../tree';
import { defineRule } from '../engine/rule';
import { functionSubnets } from '../model/queries';
import { attachedVariants, dependsOnFix, inTemplateText } from './helpers';

type MessageId = 'route' | 'natEip' | 'nat' | 'eip';

interface Attachment {
  resource: Resource;
  igw: string;
  vpc: string | undefined;
}

function refIn(model: Model, node: Node | undefined, type?: string): string | undefined {
  const ref = referencedIds(node, model.resources)[0];
  if (!ref) return undefined;
  return !type || model.resources.get(ref.id)?.type === type ? ref.id : undefined;
}

function attachmentsOf(model: Model): Attachment[] {
  const out: Attachment[] = [];
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::EC2::VPCGatewayAttachment') continue;
    const igw = refIn(model, get(r.properties, 'InternetGatewayId'), 'AWS::EC2::InternetGateway');
    if (igw) out.push({ resource: r, igw, vpc: refIn(model, get(r.properties, 'VpcId'), 'AWS::EC2::VPC') });
  }
  return out;
}

/** The one attachment that fits: of this internet gateway and / or to this VPC. */
function attachmentFor(attachments: Attachment[], by: { igw?: string; vpc?: string }): Attachment | undefined {
  const fit = attachments.filter((a) => (!by.igw || a.igw === by.igw) && (!by.vpc || a.vpc === by.vpc));
  return fit.length === 1 ? fit[0] : undefined;
}

/** Whether CloudFormation creates `id` only after `target`: through `DependsOn` or a reference, at any depth. */
function waitsFor(model: Model, id: string, target: string): boolean {
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current === target) return true;
    if (seen.has(current)) continue;
    seen.add(current);
    const r = model.resources.get(current);
    if (!r) continue;
    stack.push(...r.dependsOn, ...referencedIds(r.properties, model.resources).map((ref) => ref.id));
  }
  return false;
}

export default defineRule({
  id: 'igw-attachment-race',
  severity: 'warning',
  category: 'platform',
  fixSafety: 'safe',
  docs: {
    summary: 'In a VPC where functions run, a route to an internet gateway, an Elastic IP or a public NAT gateway that CloudFormation may create before the gateway is attached.',
    rationale:
      'An `AWS::EC2::Route` names the internet gateway, not its `AWS::EC2::VPCGatewayAttachment`, so nothing orders the route after the ' +
      'attachment: CloudFormation creates them in parallel, and the route fails when it comes first ("route table ... and network gateway ... ' +
      'belong to different networks"). A public NAT gateway, and an Elastic IP associated in a VPC, likewise need the internet gateway attached ' +
      '("Network vpc-... has no Internet gateway attached"). The stack rolls back, and an update that replaces the route leaves the functions ' +
      'behind it without egress until it succeeds. AWS documents a `DependsOn` on the attachment as required for the route and the Elastic IP. ' +
      'A NAT gateway is reported on its Elastic IP when the template allocates one: a `DependsOn` there orders both, as in AWS\'s own VPC templates.',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: [!Ref PublicSubnet]
        SecurityGroupIds: [sg-0123456789abcdef0]
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      VpcConfig:
        SubnetIds: [!Ref PublicSubnet]
        SecurityGroupIds: [sg-0123456789abcdef0]
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 }
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: { VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw }
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: IgwAttachment
    Properties:
      RouteTableId: !Ref PublicRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
`,
    fix: 'Adds the `AWS::EC2::VPCGatewayAttachment` to the resource\'s `DependsOn` (creating it, or turning a single value into a list).',
  },
  messages: {
    route: "Route '{resource}' sends traffic to internet gateway '{igw}' but does not depend on its attachment '{attachment}': CloudFormation may create the route first, and the deployment fails (\"route table and network gateway belong to different networks\"). Add DependsOn: {attachment}.",
    natEip: "Elastic IP '{resource}' of public NAT gateway '{nat}' does not depend on the internet gateway attachment '{attachment}', and neither does the NAT gateway: CloudFormation may create the NAT gateway before the gateway is attached, and the deployment fails (\"has no Internet gateway attached\"). Add DependsOn: {attachment}.",
    nat: "Public NAT gateway '{resource}' does not depend on the internet gateway attachment '{attachment}': CloudFormation may create it before the gateway is attached, and the deployment fails (\"has no Internet gateway attached\"). Add DependsOn: {attachment}.",
    eip: "Elastic IP '{resource}' is associated with '{instance}' in VPC '{vpc}' but does not depend on the internet gateway attachment '{attachment}': CloudFormation may create it first, and the association fails. Add DependsOn: {attachment}.",
  },
  check({ model, report }) {
    // Only the VPCs where functions run: the rollback leaves them without egress.
    const functionVpcs = new Set<string>();
    for (const { vpc } of attachedVariants(model)) {
      for (const s of functionSubnets(model, vpc)) if (s.subnet?.vpc.id) functionVpcs.add(s.subnet.vpc.id);
    }
    const attachments = attachmentsOf(model).filter((a) => a.vpc && functionVpcs.has(a.vpc));
    if (attachments.length === 0) return;
    const reportOn = (subject: Resource, attachment: Attachment, messageId: MessageId, data: Record<string, string>) => {
      if (waitsFor(model, subject.id, attachment.resource.id) || !inTemplateText(model, subject.node)) return;
      // A DependsOn on a resource that another condition leaves out would break the template.
      if (attachment.resource.condition && attachment.resource.condition !== subject.condition) return;
      report({
        messageId,
        data: { resource: subject.id, attachment: attachment.resource.id, ...data },
        resource: subject.id,
        span: subject.keySpan,
        related: [{ message: `The internet gateway's attachment to the VPC`, span: attachment.resource.keySpan }],
        conditions: subject.condition ? [subject.condition] : [],
        fix: dependsOnFix(subject, [attachment.resource.id]),
      });
    };
    const vpcOfSubnet = (subnet: string | undefined) => (subnet ? model.subnets.get(subnet)?.vpc.id : undefined);
    const natEips = new Set<string>();
    for (const r of model.resources.values()) {
      if (r.type === 'AWS::EC2::Route') {
        const igw = refIn(model, get(r.properties, 'GatewayId'), 'AWS::EC2::InternetGateway');
        if (!igw) continue;
        const table = refIn(model, get(r.properties, 'RouteTableId'));
        const attachment = attachmentFor(attachments, { igw, vpc: table ? model.routeTables.get(table)?.vpc.id : undefined });
        if (attachment) reportOn(r, attachment, 'route', { igw });
      }
    }
    for (const nat of model.natGateways.values()) {
      if (nat.connectivity.state === 'unknown' || nat.connectivity.value !== 'public') continue;
      const vpc = vpcOfSubnet(nat.subnet.id);
      const attachment = vpc ? attachmentFor(attachments, { vpc }) : undefined;
      const eip = refIn(model, get(nat.properties, 'AllocationId'), 'AWS::EC2::EIP');
      if (eip) natEips.add(eip);
      if (!attachment || waitsFor(model, nat.id, attachment.resource.id)) continue;
      const eipResource = eip ? model.resources.get(eip) : undefined;
      if (eipResource) reportOn(eipResource, attachment, 'natEip', { nat: nat.id });
      else reportOn(nat, attachment, 'nat', {});
    }
    for (const r of model.resources.values()) {
      if (r.type !== 'AWS::EC2::EIP' || natEips.has(r.id) || str(get(r.properties, 'Domain')) !== 'vpc') continue;
      const instance = refIn(model, get(r.properties, 'InstanceId'), 'AWS::EC2::Instance');
      const vpc = instance ? vpcOfSubnet(refIn(model, get(model.resources.get(instance)!.properties, 'SubnetId'))) : undefined;
      const attachment = vpc ? attachmentFor(attachments, { vpc }) : undefined;
      if (attachment) reportOn(r, attachment, 'eip', { instance: instance!, vpc: vpc! });
    }
  },
});
