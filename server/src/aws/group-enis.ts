/**
 * Pure shaping of fetched data: filtering interfaces (by VPC, function, orphan status) and grouping them
 * region -> VPC -> subnet -> function -> interface, always in a stable order so the tree and the CLI do not
 * reshuffle between refreshes. Interfaces whose subnet or VPC could not be described still appear, under a
 * placeholder built from what the interface itself says.
 */
import type {
  EniFilter,
  FunctionGroup,
  LambdaEni,
  RegionGroup,
  RegionResult,
  SubnetGroup,
  SubnetInfo,
  VpcGroup,
  VpcInfo,
} from './types';

export function matchesFilter(eni: LambdaEni, filter: EniFilter): boolean {
  if (filter.vpcId && eni.vpcId !== filter.vpcId) return false;
  if (filter.functionName && eni.functionName !== filter.functionName) return false;
  if (filter.orphansOnly && !eni.orphan) return false;
  return true;
}

export function isFilterActive(filter: EniFilter): boolean {
  return !!(filter.vpcId || filter.functionName || filter.orphansOnly);
}

const byText = (a: string | undefined, b: string | undefined): number => (a ?? '\uffff').localeCompare(b ?? '\uffff');

/** Groups one region's interfaces after applying the filter. */
export function groupRegion(result: RegionResult, filter: EniFilter = {}): RegionGroup {
  if (!result.ok) return { region: result.region, ok: false, error: result.error };
  const subnetsById = new Map(result.subnets.map((s) => [s.id, s]));
  const vpcsById = new Map(result.vpcs.map((v) => [v.id, v]));
  const enis = result.enis.filter((e) => matchesFilter(e, filter));

  const tree = new Map<string, Map<string, Map<string, LambdaEni[]>>>();
  for (const eni of enis) {
    const subnet = subnetsById.get(eni.subnetId ?? '');
    const vpcKey = eni.vpcId ?? subnet?.vpcId ?? '';
    const subnetKey = eni.subnetId ?? '';
    const fnKey = eni.functionName ?? '';
    let subnets = tree.get(vpcKey);
    if (!subnets) tree.set(vpcKey, (subnets = new Map()));
    let functions = subnets.get(subnetKey);
    if (!functions) subnets.set(subnetKey, (functions = new Map()));
    let list = functions.get(fnKey);
    if (!list) functions.set(fnKey, (list = []));
    list.push(eni);
  }

  const vpcs: VpcGroup[] = [...tree.entries()]
    .sort(([a], [b]) => byText(a || undefined, b || undefined))
    .map(([vpcId, subnets]): VpcGroup => {
      const vpc: VpcInfo = vpcsById.get(vpcId) ?? { id: vpcId, cidr: undefined, name: undefined, isDefault: false };
      const subnetGroups: SubnetGroup[] = [...subnets.entries()]
        .map(([subnetId, functions]): SubnetGroup => {
          const first = [...functions.values()][0]![0]!;
          const subnet: SubnetInfo = subnetsById.get(subnetId) ?? {
            id: subnetId,
            vpcId: vpcId || undefined,
            availabilityZone: first.availabilityZone,
            cidr: undefined,
            availableIps: undefined,
            name: undefined,
          };
          const fnGroups: FunctionGroup[] = [...functions.entries()]
            .sort(([a], [b]) => byText(a || undefined, b || undefined))
            .map(([name, list]) => ({ name: name || undefined, enis: [...list].sort((x, y) => x.id.localeCompare(y.id)) }));
          return { subnet, functions: fnGroups };
        })
        // Subnets read best in AZ order, which is how people think about spreading a function.
        .sort((a, b) => byText(a.subnet.availabilityZone, b.subnet.availabilityZone) || a.subnet.id.localeCompare(b.subnet.id));
      return { vpc, subnets: subnetGroups };
    });

  const accountIds = [...new Set(enis.map((e) => e.ownerId).filter((id): id is string => !!id))].sort();
  return {
    region: result.region,
    ok: true,
    accountIds,
    vpcs,
    eniCount: enis.length,
    orphanCount: enis.filter((e) => e.orphan).length,
  };
}

export function groupRegions(results: RegionResult[], filter: EniFilter = {}): RegionGroup[] {
  return results.map((r) => groupRegion(r, filter));
}

/** The distinct function names in successful results, for pickers. */
export function functionNames(results: RegionResult[]): string[] {
  const names = new Set<string>();
  for (const r of results) if (r.ok) for (const e of r.enis) if (e.functionName) names.add(e.functionName);
  return [...names].sort((a, b) => a.localeCompare(b));
}
