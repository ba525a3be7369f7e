/**
 * The network path the model resolved for each function, as plain data: what `explain` prints and
 * what the editor's hover shows. It says which facts are unknown and why, so users can see why a
 * rule fired or stayed silent.
 */
import { liveLabel } from './live';
import type { Model, RefList, ResourceRef, State } from './model/types';
import { allowedActions, endpointsInVpc, functionGroups, functionSubnets, functionVpcId, roleOf, subnetEgress } from './model/queries';
import { VPC_ACCESS_ACTIONS } from './model/services';
import { renderAt } from './render';
import type { Node, Span } from './tree';

export interface ExplainedSubnet {
  ref: string;
  state: State;
  /** Where a fact read from the account came from: `live, us-east-1`, `live, from stack app-prod parameter SubnetIds`. */
  source?: string;
  az?: string;
  cidr?: string;
  vpc?: string;
  routeTable?: string;
  defaultRoute: string;
  egress: string;
  unknown?: string;
}

export interface ExplainedVariant {
  conditions: string[];
  attached: boolean;
  inheritedFrom?: Span;
  vpc?: string;
  subnets: ExplainedSubnet[];
  subnetList: string;
  securityGroups: { ref: string; state: State; vpc?: string; egress: string; source?: string }[];
  endpoints: { id: string; type: string; service?: string; privateDns?: boolean }[];
}

export interface ExplainedFunction {
  id: string;
  name?: string;
  span: Span;
  variants: ExplainedVariant[];
  role: { id?: string; generated: boolean; state: State; eniActions: string[]; reason?: string };
  needs: { services: { service: string; because: string[] }[]; internet: string[]; databases: { id: string; kind?: string; because: string[] }[] };
  unknowns: string[];
}

/** A reference as the template names it: the logical id, the literal id, else the value as written (`!Ref SubnetA`). */
function refLabel(ref: ResourceRef, root?: Node): string {
  if (ref.id) return ref.attr ? `${ref.id}.${ref.attr}` : ref.id;
  if (ref.literal) return ref.literal;
  return renderAt(root, ref.span) ?? (ref.param ? `!Ref ${ref.param}` : 'an unresolved value');
}

function listLabel(list: RefList): string {
  if (list.state === 'unknown') return `unknown length (${list.reason ?? 'cannot be resolved'})`;
  return `${list.items.length} item${list.items.length === 1 ? '' : 's'}${list.state === 'assumed' ? ` (assumed from the default of parameter '${list.param}')` : ''}`;
}

/** Where the account told us about an id, or undefined for the template's own. */
function sourceOf(model: Model, label: string): string | undefined {
  const live = model.live;
  if (!live) return undefined;
  return live.sources?.get(label) ?? (live.ids.has(label) ? liveLabel(live.region) : undefined);
}

export function explainModel(model: Model): ExplainedFunction[] {
  const withSource = <T extends { ref: string }>(out: T): T & { source?: string } => {
    const source = sourceOf(model, out.ref);
    return source ? { ...out, source } : out;
  };
  return model.functions.map((fn) => {
    const unknowns: string[] = [];
    const variants: ExplainedVariant[] = fn.variants.map((variant) => {
      const vpc = variant.vpc;
      if (!vpc) return { conditions: variant.conditions, attached: false, subnets: [], subnetList: 'none', securityGroups: [], endpoints: [] };
      if (vpc.subnetIds.state === 'unknown') unknowns.push(`SubnetIds: ${vpc.subnetIds.reason ?? 'cannot be resolved'}`);
      if (vpc.securityGroupIds.state === 'unknown') unknowns.push(`SecurityGroupIds: ${vpc.securityGroupIds.reason ?? 'cannot be resolved'}`);
      const subnets = functionSubnets(model, vpc).map(({ ref, subnet }): ExplainedSubnet => {
        if (!subnet) {
          const why = ref.literal ? 'a hard-coded id: not in this template' : (ref.reason ?? 'not in this template');
          unknowns.push(`subnet ${refLabel(ref, model.root)}: ${why}`);
          return withSource({ ref: refLabel(ref, model.root), state: 'unknown', defaultRoute: 'unknown', egress: 'unknown', unknown: why });
        }
        const egress = subnetEgress(model, subnet);
        const az = subnet.az.kind === 'unknown' ? undefined : subnet.az.kind === 'index' ? `!Select [${subnet.az.value}, !GetAZs '']` : subnet.az.value;
        const route = egress.route;
        const defaultRoute = route
          ? `0.0.0.0/0 -> ${route.target} ${refLabel(route.targetRef)}`
          : egress.kind === 'unknown'
            ? 'unknown'
            : subnet.routeTable.main ? 'none (main route table: local route only)' : 'none';
        if (subnet.routeTable.state === 'unknown') unknowns.push(`subnet ${subnet.id}: its route table is not in this template`);
        const out: ExplainedSubnet = { ref: subnet.id, state: 'known', defaultRoute, egress: egress.kind };
        if (az) out.az = az;
        if (subnet.cidr.value) out.cidr = subnet.cidr.value;
        if (subnet.vpc.id) out.vpc = subnet.vpc.id;
        if (subnet.routeTable.id) out.routeTable = subnet.routeTable.id;
        else if (subnet.routeTable.main) out.routeTable = '(main)';
        return withSource(out);
      });
      const vpcId = functionVpcId(model, vpc);
      const explained: ExplainedVariant = {
        conditions: variant.conditions,
        attached: true,
        subnets,
        subnetList: listLabel(vpc.subnetIds),
        securityGroups: functionGroups(model, vpc).map(({ ref, group }) => withSource({
          ref: refLabel(ref, model.root),
          state: group ? 'known' : 'unknown',
          vpc: group?.vpc?.id,
          egress: !group ? 'unknown' : group.inlineEgress === undefined ? 'all allowed (no SecurityGroupEgress)' : `${group.inlineEgress.length + group.standaloneEgress.length} rule(s)`,
        })),
        endpoints: endpointsInVpc(model, vpcId).map((e) => ({ id: e.id, type: e.endpointType, service: e.service, privateDns: e.privateDns.value })),
      };
      if (vpc.inheritedFrom) explained.inheritedFrom = vpc.inheritedFrom;
      if (vpcId) explained.vpc = vpcId;
      return explained;
    });
    const role = roleOf(model, fn);
    const eniActions = role
      ? [...new Set(allowedActions(role).map((a) => a.action).filter((a) => a === '*' || /^ec2:/i.test(a) && (a.includes('*') || VPC_ACCESS_ACTIONS.some((v) => v.toLowerCase() === a.toLowerCase()))))]
      : [];
    if (fn.role.state === 'unknown') unknowns.push(`role: ${fn.role.reason ?? 'not in this template'}`);
    return {
      id: fn.id,
      name: fn.name,
      span: fn.anchor,
      variants,
      role: { id: fn.role.id, generated: fn.role.generated, state: fn.role.state, eniActions, reason: fn.role.reason },
      needs: {
        services: [...fn.needs.services].map(([service, ev]) => ({ service, because: ev.map((e) => e.because) })),
        internet: fn.needs.internet.map((e) => e.because),
        databases: [...fn.needs.databases].map(([id, ev]) => ({ id, kind: model.databases.get(id)?.kind, because: ev.map((e) => e.because) })),
      },
      unknowns: [...new Set(unknowns)],
    };
  });
}

/** Human-readable text of one function's explanation (CLI `explain`, editor hover). */
export function explainText(fn: ExplainedFunction, markdown = false): string {
  const lines: string[] = [];
  const b = (s: string) => (markdown ? `**${s}**` : s);
  lines.push(`${b(`Function ${fn.id}`)}${fn.name ? ` (${fn.name})` : ''}`);
  for (const v of fn.variants) {
    const when = v.conditions.length ? ` when ${v.conditions.join(' and ')}` : '';
    if (!v.attached) {
      lines.push(`  not attached to a VPC${when}`);
      continue;
    }
    lines.push(`  VPC ${v.vpc ?? '(unknown)'}${when}${v.inheritedFrom ? ' (inherited settings)' : ''}; subnets: ${v.subnetList}`);
    const from = (x: { source?: string }) => (x.source ? ` (${x.source})` : '');
    for (const s of v.subnets) {
      if (s.state === 'unknown') lines.push(`    subnet ${s.ref}${from(s)}: unknown (${s.unknown})`);
      else lines.push(`    subnet ${s.ref}${from(s)} in ${s.az ?? 'an unknown AZ'}${s.cidr ? `, ${s.cidr}` : ''}; route table ${s.routeTable ?? 'unknown'}; default route ${s.defaultRoute}; egress: ${s.egress}`);
    }
    for (const g of v.securityGroups) lines.push(`    security group ${g.ref}${from(g)}: egress ${g.egress}`);
    for (const e of v.endpoints) lines.push(`    endpoint ${e.id}: ${e.type} ${e.service ?? '(unknown service)'}${e.type === 'Interface' ? `, private DNS ${e.privateDns ? 'on' : 'off'}` : ''}`);
  }
  lines.push(`  role ${fn.role.id ?? '(unknown)'}${fn.role.generated ? ' (generated, with the VPC access policy)' : ''}${fn.role.eniActions.length ? `; ENI actions: ${fn.role.eniActions.join(', ')}` : ''}`);
  const needs = [
    ...fn.needs.services.map((s) => `${s.service} (${s.because[0]})`),
    ...fn.needs.internet.map((i) => `internet (${i})`),
    ...fn.needs.databases.map((d) => `${d.kind === 'efs' ? 'file system' : 'database'} ${d.id} (${d.because[0]})`),
  ];
  lines.push(`  needs: ${needs.length ? needs.join('; ') : 'nothing found'}`);
  // An unknown already said where it is shown (an unknown subnet, a list of unknown length) is not repeated.
  const shown = new Set(fn.variants.flatMap((v) => [
    ...v.subnets.filter((s) => s.state === 'unknown').map((s) => `subnet ${s.ref}: ${s.unknown}`),
    ...(/^unknown length \((.*)\)$/.exec(v.subnetList)?.slice(1).map((reason) => `SubnetIds: ${reason}`) ?? []),
  ]));
  for (const u of fn.unknowns) if (!shown.has(u)) lines.push(`  unknown: ${u}`);
  return lines.join('\n');
}
