/**
 * Whether a NAT instance can reach the internet itself: it must sit in a subnet whose route table sends
 * `0.0.0.0/0` to an Internet Gateway attached to the VPC, and have a public address (an Elastic IP or
 * EIP association on it or its interface, `AssociatePublicIpAddress: true`, or `MapPublicIpOnLaunch:
 * true` on its subnet). A fact the template does not state is assumed to hold: only a known lack
 * makes the instance a dead end.
 */
import type { Node } from '../tree';
import { get, intrinsicName } from '../tree';
import { referencedIds } from './needs';
import type { Model, Resource, Route } from './types';

/** Why the route's NAT instance (or interface) gives no internet access, or undefined when it may. */
export function natInstanceDeadEnd(model: Model, route: Route): string | undefined {
  const target = route.targetRef.id ? model.resources.get(route.targetRef.id) : undefined;
  if (!target || target.condition) return undefined;
  const props = target.properties;
  let subnetNode: Node | undefined;
  const interfaces = new Set<string>([target.id]);
  let associatesPublicIp: boolean | undefined = false;
  if (target.type === 'AWS::EC2::Instance') {
    subnetNode = get(props, 'SubnetId');
    const list = get(props, 'NetworkInterfaces');
    if (list && list.kind !== 'seq') return undefined;
    for (const item of list?.items ?? []) {
      subnetNode ??= get(item, 'SubnetId');
      for (const ref of referencedIds(get(item, 'NetworkInterfaceId'), model.resources)) {
        interfaces.add(ref.id);
        subnetNode ??= get(model.resources.get(ref.id)?.properties, 'SubnetId');
      }
      const flag = truth(get(item, 'AssociatePublicIpAddress'));
      if (flag !== false) associatesPublicIp = flag;
    }
  } else if (target.type === 'AWS::EC2::NetworkInterface') {
    subnetNode = get(props, 'SubnetId');
    // An Elastic IP on the instance the interface is attached to may be on this interface.
    for (const r of model.resources.values()) {
      if (r.type === 'AWS::EC2::Instance' && referencedIds(get(r.properties, 'NetworkInterfaces'), model.resources).some((x) => x.id === target.id)) interfaces.add(r.id);
    }
  } else {
    return undefined;
  }
  const subnetIds = referencedIds(subnetNode, model.resources).filter((r) => model.subnets.has(r.id));
  const subnet = subnetIds.length === 1 ? model.subnets.get(subnetIds[0]!.id)! : undefined;

  const internet = subnet ? subnetReachesIgw(model, subnet.id) : undefined;
  if (internet === false) return `its subnet ${subnet!.id} has no 0.0.0.0/0 route to an internet gateway attached to the VPC`;

  if (associatesPublicIp !== false) return undefined;
  const mapPublic = subnet ? truth(get(subnet.properties, 'MapPublicIpOnLaunch')) : undefined;
  if (mapPublic !== false) return undefined;
  if (hasElasticIp(model, target.id, interfaces)) return undefined;
  return 'it has no public address (no Elastic IP, AssociatePublicIpAddress or MapPublicIpOnLaunch)';
}

/** A scalar flag: true, false (also when absent), or undefined when an intrinsic decides it. */
function truth(node: Node | undefined): boolean | undefined {
  if (!node) return false;
  if (node.kind !== 'scalar') return intrinsicName(node) ? undefined : false;
  return node.value === true || String(node.value).toLowerCase() === 'true';
}

/** Whether the subnet's route table sends 0.0.0.0/0 to an attached internet gateway: undefined when the template cannot say. */
function subnetReachesIgw(model: Model, subnetId: string): boolean | undefined {
  const subnet = model.subnets.get(subnetId)!;
  const rt = subnet.routeTable;
  if (rt.state === 'unknown') return undefined;
  if (rt.main || !rt.id) return subnet.vpc.id && model.vpcs.has(subnet.vpc.id) ? false : undefined;
  const table = model.routeTables.get(rt.id);
  if (!table) return undefined;
  const defaults = table.routes.filter((r) => !r.ipv6 && (r.destination.value === '0.0.0.0/0' || r.destination.state === 'unknown'));
  if (defaults.some((r) => r.destination.state === 'unknown' || r.targetRef.state === 'unknown' || r.conditions?.length)) return undefined;
  const igw = defaults.find((r) => r.target === 'internet-gateway');
  if (!igw) return false;
  const vpc = subnet.vpc.id ? model.vpcs.get(subnet.vpc.id) : undefined;
  if (!vpc || !igw.targetRef.id) return undefined;
  return vpc.internetGateways.includes(igw.targetRef.id);
}

/** An EIP or EIP association names the instance or one of its interfaces, or names something the template cannot resolve. */
function hasElasticIp(model: Model, instanceId: string, interfaces: Set<string>): boolean {
  const names = (r: Resource, key: string, ids: Set<string>): boolean | undefined => {
    const node = get(r.properties, key);
    if (!node) return false;
    const refs = referencedIds(node, model.resources);
    if (refs.some((x) => ids.has(x.id))) return true;
    return node.kind === 'scalar' ? false : refs.length === 0 ? undefined : false;
  };
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::EC2::EIP' && r.type !== 'AWS::EC2::EIPAssociation') continue;
    const byInstance = names(r, 'InstanceId', new Set([instanceId, ...interfaces]));
    const byInterface = names(r, 'NetworkInterfaceId', interfaces);
    if (byInstance !== false || byInterface !== false) return true;
  }
  return false;
}
