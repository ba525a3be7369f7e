/**
 * The ENI explorer's tree as plain data: given what the explorer knows (trust, per-region results or
 * loading state, profile, filter) it returns the nodes to show, with labels, descriptions, tooltips, icon
 * ids, context values (which drive the menus in package.json) and the commands a click runs. It imports
 * neither `vscode` nor the AWS SDK, so every visible decision is unit-tested; the VS Code adapter only
 * turns these nodes into TreeItems.
 */
import { groupRegion, isFilterActive } from '../../../server/src/aws/group-enis';
import type { AwsFailure, EniFilter, LambdaEni, RegionResult, SubnetGroup, VpcGroup } from '../../../server/src/aws/types';
import { consoleUrl } from './console-url';

export const VIEW_ID = 'lambdaVpcLint.eniExplorer';

export const COMMANDS = {
  refresh: 'lambdaVpcLint.eni.refresh',
  selectProfile: 'lambdaVpcLint.eni.selectProfile',
  selectRegions: 'lambdaVpcLint.eni.selectRegions',
  copyId: 'lambdaVpcLint.eni.copyId',
  openInConsole: 'lambdaVpcLint.eni.openInConsole',
  filterByFunction: 'lambdaVpcLint.eni.filterByFunction',
  toggleOrphansOnly: 'lambdaVpcLint.eni.toggleOrphansOnly',
  clearFilter: 'lambdaVpcLint.eni.clearFilter',
  retryRegion: 'lambdaVpcLint.eni.retryRegion',
} as const;

/** VS Code's own commands the welcome content links to (package.json `viewsWelcome`). */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const OPEN_WALKTHROUGH_COMMAND = 'workbench.action.openWalkthrough';

export const CONTEXT = {
  message: 'eniMessage',
  error: 'eniError',
  region: 'eniRegion',
  vpc: 'eniVpc',
  subnet: 'eniSubnet',
  function: 'eniFunction',
  unknownFunction: 'eniFunctionUnknown',
  interface: 'eniInterface',
  orphan: 'eniInterfaceOrphan',
  detail: 'eniDetail',
} as const;

export type NodeKind = 'untrusted' | 'loading' | 'message' | 'error' | 'region' | 'vpc' | 'subnet' | 'function' | 'interface' | 'detail';

export interface CommandRef {
  command: string;
  title: string;
  arguments?: unknown[];
}

export interface TreeNode {
  /** Unique and stable across refreshes, so VS Code keeps expansion state. */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id (`loading~spin` spins) and an optional theme colour id. */
  icon: { id: string; color?: string };
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: CommandRef;
  children: TreeNode[];
  region?: string;
  /** What "Copy id" copies. */
  copyText?: string;
  /** What "Open in AWS console" opens. */
  consoleUrl?: string;
  /** Set on function nodes, for "Filter by function". */
  functionName?: string;
}

export type RegionState = { region: string; status: 'loading' } | { region: string; status: 'done'; result: RegionResult };

export interface ExplorerSnapshot {
  trusted: boolean;
  /** Why no listing can start (no region configured, the SDK bundle failed to load, ...). */
  problem?: { message: string; detail?: string; command?: CommandRef; kind?: 'noRegion' };
  /** Regions in display order; empty with no problem means the first listing has not started yet. */
  regions: RegionState[];
  profile: string | undefined;
  filter: EniFilter;
}

const WARNING_COLOR = 'list.warningForeground';
const ERROR_COLOR = 'list.errorForeground';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function joinParts(parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => !!p).join(' · ');
}

function leaf(id: string, label: string, extra: Partial<TreeNode> = {}): TreeNode {
  return { id, kind: 'message', label, icon: { id: 'info' }, contextValue: CONTEXT.message, collapsible: 'none', children: [], ...extra };
}

export function loadingNode(): TreeNode {
  return leaf('loading', 'Loading Lambda network interfaces…', { kind: 'loading', icon: { id: 'loading~spin' } });
}

function failureHint(kind: AwsFailure['kind'], profile: string | undefined): string {
  switch (kind) {
    case 'credentials':
      return profile
        ? `Check the credentials of the profile '${profile}' (for SSO, run aws sso login --profile ${profile}), or pick another profile.`
        : 'No profile is selected, so the default credential chain was used (environment variables, the default profile, SSO, an instance role). Select a profile, or sign in (for SSO, run aws sso login).';
    case 'access': return 'The identity needs ec2:DescribeNetworkInterfaces, ec2:DescribeSubnets, ec2:DescribeVpcs and ec2:DescribeSecurityGroups.';
    case 'throttling': return 'EC2 is throttling Describe calls in this account; retry in a moment.';
    case 'timeout': return 'EC2 did not answer in time; check the network, proxy or endpoint setting.';
    case 'network': return 'EC2 could not be reached; check the network, proxy or endpoint setting.';
    case 'service': return 'EC2 reported a server-side failure; retry in a moment.';
    case 'response': return 'The endpoint answered with something that is not an EC2 response; check the endpoint setting.';
    case 'unknown': return 'Retry, or check the Lambda VPC output for details.';
  }
}

const SHORT_FAILURE: Record<AwsFailure['kind'], string> = {
  credentials: 'credentials not accepted',
  access: 'access denied',
  throttling: 'throttled',
  timeout: 'timed out',
  network: 'EC2 unreachable',
  service: 'EC2 failed',
  response: 'unexpected response',
  unknown: 'failed',
};

/** Access keys and secrets never reach a tree item or the log, whatever an error message holds. */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted key id]')
    .replace(/(aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1$2[redacted]');
}

/** The full account of a failure, for the tooltip and the output channel. */
export function failureDetail(region: string, error: AwsFailure, profile: string | undefined): string {
  const where = error.operation ? ` (${error.operation})` : '';
  const status = error.httpStatus ? `, HTTP ${error.httpStatus}` : '';
  const request = error.requestId ? `, request ${error.requestId}` : '';
  return redactSecrets(`${region}: ${error.code}${where}${status}${request}\n${error.message}\n\n${failureHint(error.kind, profile)}`);
}

/** A short row per failing region: the full message is in its tooltip and the output channel. */
export function errorNode(region: string, error: AwsFailure, profile?: string): TreeNode {
  return leaf(`error/${region}`, region, {
    kind: 'error',
    region,
    icon: { id: 'error', color: ERROR_COLOR },
    contextValue: CONTEXT.error,
    description: `${SHORT_FAILURE[error.kind]} (${error.code})`,
    tooltip: `${failureDetail(region, error, profile)}\n\nClick to retry.`,
    command: { command: COMMANDS.retryRegion, title: 'Retry', arguments: [region] },
  });
}

function regionLoadingNode(region: string): TreeNode {
  return leaf(`loading/${region}`, region, { kind: 'loading', region, icon: { id: 'loading~spin' }, description: 'loading…' });
}

function interfaceNode(prefix: string, eni: LambdaEni): TreeNode {
  const id = `${prefix}/${eni.id}`;
  const detail = (key: string, label: string, description: string, icon: string, copy = label): TreeNode =>
    leaf(`${id}/${key}`, label, { kind: 'detail', region: eni.region, description, icon: { id: icon }, contextValue: CONTEXT.detail, copyText: copy });
  const children: TreeNode[] = [
    detail('status', eni.status, eni.orphan ? 'status: orphan, not used by any function' : 'status', eni.orphan ? 'warning' : 'pulse'),
  ];
  if (eni.privateIp) children.push(detail('ipv4', eni.privateIp, 'private IPv4', 'symbol-numeric'));
  eni.ipv6.forEach((ip, i) => children.push(detail(`ipv6/${i}`, ip, 'IPv6', 'symbol-numeric')));
  for (const sg of eni.securityGroups) {
    children.push(detail(`sg/${sg.id}`, sg.id, sg.name ? `security group ${sg.name}` : 'security group', 'shield', sg.id));
  }
  const groups = eni.securityGroups.map((g) => (g.name ? `${g.id} (${g.name})` : g.id)).join(', ') || 'none';
  return {
    id,
    kind: 'interface',
    label: eni.id,
    description: joinParts([eni.orphan ? 'orphan' : eni.status, eni.privateIp, eni.ipv6[0]]),
    tooltip: [
      `${eni.id}${eni.orphan ? ' (orphan)' : ''}`,
      `Status: ${eni.status}${eni.orphan ? ': left behind; it blocks deleting its subnet and security groups' : ''}`,
      `Private IPv4: ${eni.privateIp ?? '-'}`,
      `IPv6: ${eni.ipv6.join(', ') || '-'}`,
      `Security groups: ${groups}`,
      `Type: ${eni.interfaceType ?? '-'}`,
      `Description: ${eni.description}`,
    ].join('\n'),
    icon: eni.orphan ? { id: 'warning', color: WARNING_COLOR } : { id: 'plug' },
    contextValue: eni.orphan ? CONTEXT.orphan : CONTEXT.interface,
    collapsible: 'collapsed',
    children,
    region: eni.region,
    copyText: eni.id,
    consoleUrl: consoleUrl(eni.region, { kind: 'interface', id: eni.id }),
  };
}

function countOrphans(enis: LambdaEni[]): number {
  return enis.filter((e) => e.orphan).length;
}

function subnetNode(region: string, vpcPrefix: string, group: SubnetGroup): TreeNode {
  const s = group.subnet;
  const id = `${vpcPrefix}/${s.id || 'no-subnet'}`;
  const enis = group.functions.flatMap((f) => f.enis);
  const children = group.functions.map((fn): TreeNode => {
    const fnId = `${id}/fn:${fn.name ?? ''}`;
    const orphans = countOrphans(fn.enis);
    return {
      id: fnId,
      kind: 'function',
      label: fn.name ?? '(unknown function)',
      description: joinParts([plural(fn.enis.length, 'interface'), orphans > 0 && plural(orphans, 'orphan')]),
      tooltip: fn.name
        ? `Lambda function ${fn.name}: ${plural(fn.enis.length, 'interface')} in ${s.id}`
        : 'Interfaces whose description names no function',
      icon: orphans > 0 && orphans === fn.enis.length ? { id: 'symbol-function', color: WARNING_COLOR } : { id: 'symbol-function' },
      contextValue: fn.name ? CONTEXT.function : CONTEXT.unknownFunction,
      collapsible: 'expanded',
      children: fn.enis.map((e) => interfaceNode(fnId, e)),
      region,
      ...(fn.name ? { copyText: fn.name, functionName: fn.name, consoleUrl: consoleUrl(region, { kind: 'function', name: fn.name }) } : {}),
    };
  });
  const free = s.availableIps === undefined ? undefined : `${s.availableIps} free IPs`;
  return {
    id,
    kind: 'subnet',
    label: s.name ? `${s.id} (${s.name})` : s.id || '(no subnet)',
    description: joinParts([s.availabilityZone, s.cidr, free]),
    tooltip: [
      `Subnet ${s.id}${s.name ? ` (${s.name})` : ''}`,
      `Availability Zone: ${s.availabilityZone ?? '-'}`,
      `CIDR: ${s.cidr ?? '-'}`,
      `Free IPv4 addresses: ${s.availableIps ?? '-'}`,
      `Lambda interfaces: ${enis.length}${countOrphans(enis) > 0 ? ` (${plural(countOrphans(enis), 'orphan')})` : ''}`,
    ].join('\n'),
    icon: { id: 'symbol-structure' },
    contextValue: CONTEXT.subnet,
    collapsible: 'expanded',
    children,
    region,
    ...(s.id ? { copyText: s.id, consoleUrl: consoleUrl(region, { kind: 'subnet', id: s.id }) } : {}),
  };
}

function vpcNode(region: string, group: VpcGroup): TreeNode {
  const v = group.vpc;
  const id = `region/${region}/${v.id || 'no-vpc'}`;
  return {
    id,
    kind: 'vpc',
    label: v.id || '(no VPC)',
    description: joinParts([v.name, v.cidr, v.isDefault && 'default VPC']),
    tooltip: `VPC ${v.id}${v.name ? ` (${v.name})` : ''}\nCIDR: ${v.cidr ?? '-'}\nSubnets with Lambda interfaces: ${group.subnets.length}`,
    icon: { id: 'cloud' },
    contextValue: CONTEXT.vpc,
    collapsible: 'expanded',
    children: group.subnets.map((s) => subnetNode(region, id, s)),
    region,
    ...(v.id ? { copyText: v.id, consoleUrl: consoleUrl(region, { kind: 'vpc', id: v.id }) } : {}),
  };
}

function regionNode(result: RegionResult, filter: EniFilter, profile: string | undefined): TreeNode {
  const group = groupRegion(result, filter);
  if (!group.ok) return errorNode(group.region, group.error, profile);
  const region = group.region;
  const account = group.accountIds.length > 0 ? group.accountIds.join(', ') : undefined;
  const children =
    group.vpcs.length > 0
      ? group.vpcs.map((v) => vpcNode(region, v))
      : [
          leaf(
            `region/${region}/empty`,
            isFilterActive(filter) ? 'No interface matches the filter' : 'No Lambda network interfaces',
            { region },
          ),
        ];
  return {
    id: `region/${region}`,
    kind: 'region',
    label: region,
    description: joinParts([
      account && `account ${account}`,
      plural(group.eniCount, 'ENI'),
      group.orphanCount > 0 && plural(group.orphanCount, 'orphan'),
    ]),
    tooltip: [
      `Region ${region}`,
      `Account: ${account ?? 'unknown (no interface listed)'}`,
      `Profile: ${profile || 'default credential chain'}`,
      `Lambda interfaces: ${group.eniCount}${group.orphanCount > 0 ? ` (${plural(group.orphanCount, 'orphan')})` : ''}`,
    ].join('\n'),
    icon: group.orphanCount > 0 ? { id: 'globe', color: WARNING_COLOR } : { id: 'globe' },
    contextValue: CONTEXT.region,
    collapsible: 'expanded',
    children,
    region,
    consoleUrl: consoleUrl(region, { kind: 'region' }),
  };
}

/**
 * The states the view's welcome content explains, with buttons (package.json `viewsWelcome`, keyed on
 * the context key below): an untrusted workspace, no region, credentials that are missing or refused in
 * every region. The tree is empty then, and the view has no message, which is what makes VS Code show the
 * welcome content.
 */
export type WelcomeState = 'untrusted' | 'noRegion' | 'noCredentials';
export const WELCOME_CONTEXT_KEY = 'lambdaVpcLint.eni.welcome';

export function welcomeState(snapshot: ExplorerSnapshot): WelcomeState | undefined {
  if (!snapshot.trusted) return 'untrusted';
  if (snapshot.problem?.kind === 'noRegion') return 'noRegion';
  const regions = snapshot.regions;
  if (regions.length > 0 && regions.every((r) => r.status === 'done' && !r.result.ok && r.result.error.kind === 'credentials')) return 'noCredentials';
  return undefined;
}

/** The root nodes of the explorer: none in a welcome state. */
export function buildTree(snapshot: ExplorerSnapshot): TreeNode[] {
  if (welcomeState(snapshot)) return [];
  if (snapshot.problem) {
    return [
      leaf('problem', snapshot.problem.message, {
        icon: { id: 'info' },
        ...(snapshot.problem.detail ? { tooltip: snapshot.problem.detail } : {}),
        ...(snapshot.problem.command ? { command: snapshot.problem.command } : {}),
      }),
    ];
  }
  if (snapshot.regions.length === 0) return [loadingNode()];
  return snapshot.regions.map((r) => (r.status === 'loading' ? regionLoadingNode(r.region) : regionNode(r.result, snapshot.filter, snapshot.profile)));
}

/** Shown next to the view title: which profile, and which filter is narrowing the tree. */
export function viewDescription(snapshot: Pick<ExplorerSnapshot, 'profile' | 'filter'>): string | undefined {
  const f = snapshot.filter;
  return (
    joinParts([
      snapshot.profile ? `profile ${snapshot.profile}` : undefined,
      f.functionName && `function ${f.functionName}`,
      f.vpcId && `VPC ${f.vpcId}`,
      f.orphansOnly && 'orphans only',
    ]) || undefined
  );
}

/** Every node, depth first; handy for commands that look nodes up and for tests. */
export function walk(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...walk(n.children)]);
}
