/**
 * What concerns one function, for the editor's views of it (the hover, the network view): the resources
 * on its network path and around it (its role, security groups, subnets and their route tables, the
 * endpoints that serve what it calls, the databases it reaches), and the findings about any of them or
 * pointing at it as related information.
 */
import { endpointServes } from './model/services';
import { functionGroups, functionSubnets, functionVpcId, endpointsInVpc } from './model/queries';
import type { LambdaFunction, Model } from './model/types';
import type { Finding } from './types';

export function resourcesOfFunction(model: Model, fn: LambdaFunction): Set<string> {
  const ids = new Set<string>([fn.id]);
  if (fn.role.id) ids.add(fn.role.id);
  for (const db of fn.needs.databases.keys()) ids.add(db);
  const services = [...fn.needs.services.keys()];
  for (const variant of fn.variants) {
    const vpc = variant.vpc;
    if (!vpc) continue;
    for (const { subnet } of functionSubnets(model, vpc)) {
      if (!subnet) continue;
      ids.add(subnet.id);
      if (subnet.routeTable.id) ids.add(subnet.routeTable.id);
    }
    for (const { group } of functionGroups(model, vpc)) if (group) ids.add(group.id);
    for (const e of endpointsInVpc(model, functionVpcId(model, vpc))) {
      if (e.service && services.some((s) => endpointServes(e.service!, s))) ids.add(e.id);
    }
  }
  return ids;
}

export function findingsOfFunction(model: Model, fn: LambdaFunction, findings: readonly Finding[]): Finding[] {
  const ids = resourcesOfFunction(model, fn);
  const inside = (s: { start: number; end: number }) => s.start >= fn.node.start && s.end <= fn.node.end;
  return findings.filter((f) => ids.has(f.resource) || f.related.some((r) => inside(r.span)));
}
