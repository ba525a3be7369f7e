/**
 * `lambda-vpc-lint enis`: lists the Lambda network interfaces of an account for scripts, the same data as
 * the editor's ENI explorer (docs: shared spec `cli.md`). Regions are read in parallel and independently;
 * whatever was read is printed, and any region that failed makes the exit code 2 with the SDK's error code
 * and message on stderr, never a stack trace.
 */
import { describeFailure } from '../aws/aws-error';
import { resolveDefaultRegion, validateEndpoint } from '../aws/ec2-client';
import { listLambdaEnis } from '../aws/fetch-enis';
import { groupRegion, isFilterActive } from '../aws/group-enis';
import type { EniFilter, LambdaEni, RegionGroup, RegionResult, SubnetInfo } from '../aws/types';
import type { Io } from './io';
import { usageMessage } from './options';

const USAGE = `Usage: lambda-vpc-lint enis [options]

Lists the Lambda network interfaces (ENIs) of an account.

Options:
  --region R           a region to read; repeatable (default: the SDK's configured region)
  --profile P          a named profile from the shared AWS config/credentials files
  --endpoint URL       an EC2-compatible endpoint (testing, LocalStack-style emulators)
  --vpc ID             only interfaces in this VPC
  --function NAME      only interfaces of this function
  --orphans            only interfaces in status 'available' (left behind, blocking deletions)
  --format text|json   text table (default) or JSON
  -h, --help           show this help

Exit codes: 0 listed; 2 usage error, or a region could not be read (credentials, access, network).`;

interface EnisOptions {
  regions: string[];
  profile?: string;
  endpoint?: string;
  filter: EniFilter;
  format: 'text' | 'json';
  help: boolean;
}

class UsageError extends Error {}

const VALUE_OPTIONS = new Set(['--region', '--profile', '--endpoint', '--vpc', '--function', '--format']);

function parseArgs(argv: string[]): EnisOptions {
  const options: EnisOptions = { regions: [], filter: {}, format: 'text', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      options.help = true;
      continue;
    }
    if (arg === '--orphans') {
      options.filter.orphansOnly = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(name)) {
      throw new UsageError(arg.startsWith('-') ? `unknown option '${arg}'` : `unexpected argument '${arg}'`);
    }
    let value: string | undefined;
    if (name !== arg) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`${name} needs a value`);
    }
    if (value.trim() === '') throw new UsageError(`${name} needs a value`);
    switch (name) {
      case '--region':
        options.regions.push(value);
        break;
      case '--profile':
        options.profile = value;
        break;
      case '--endpoint': {
        const problem = validateEndpoint(value);
        if (problem) throw new UsageError(`--endpoint: ${problem}`);
        options.endpoint = value;
        break;
      }
      case '--vpc':
        options.filter.vpcId = value;
        break;
      case '--function':
        options.filter.functionName = value;
        break;
      case '--format':
        if (value !== 'text' && value !== 'json') throw new UsageError(`--format must be 'text' or 'json', not '${value}'`);
        options.format = value;
        break;
    }
  }
  return options;
}

/** The interfaces of the successful regions in display order (region as given, then VPC, subnet, function, id). */
function orderedEnis(groups: RegionGroup[]): LambdaEni[] {
  return groups.flatMap((g) =>
    g.ok ? g.vpcs.flatMap((v) => v.subnets.flatMap((s) => s.functions.flatMap((f) => f.enis))) : [],
  );
}

function orderedSubnets(groups: RegionGroup[]): SubnetInfo[] {
  return groups.flatMap((g) => (g.ok ? g.vpcs.flatMap((v) => v.subnets.map((s) => s.subnet)) : []));
}

export function formatJson(groups: RegionGroup[]): string {
  const enis = orderedEnis(groups).map((e) => ({
    id: e.id,
    function: e.functionName ?? null,
    status: e.status,
    vpcId: e.vpcId ?? null,
    subnetId: e.subnetId ?? null,
    availabilityZone: e.availabilityZone ?? null,
    privateIp: e.privateIp ?? null,
    ipv6: e.ipv6,
    securityGroups: e.securityGroups.map((g) => ({ id: g.id, name: g.name ?? null })),
    interfaceType: e.interfaceType ?? null,
    description: e.description,
    region: e.region,
  }));
  const subnets = orderedSubnets(groups).map((s) => ({
    id: s.id,
    vpcId: s.vpcId ?? null,
    availabilityZone: s.availabilityZone ?? null,
    cidr: s.cidr ?? null,
    availableIps: s.availableIps ?? null,
  }));
  return `${JSON.stringify({ version: 1, enis, subnets }, null, 2)}\n`;
}

const ansi = (code: string, on: boolean) => (text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** Left-aligned columns; numeric columns right-aligned. Colour is applied after padding so widths stay right. */
function table(header: string[], rows: string[][], options: { right?: Set<number>; paint?: (row: number, cell: string) => string; bold: (s: string) => string }): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[], paint: (cell: string) => string) =>
    cells
      .map((cell, c) => (options.right?.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .map(paint)
      .join('  ')
      .trimEnd();
  return [line(header, options.bold), ...rows.map((r, i) => line(r, (cell) => options.paint?.(i, cell) ?? cell))];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatText(groups: RegionGroup[], filter: EniFilter, color: boolean): string {
  const bold = ansi('1', color);
  const yellow = ansi('33', color);
  const out: string[] = [];
  const ok = groups.filter((g): g is Extract<RegionGroup, { ok: true }> => g.ok);
  const enis = orderedEnis(groups);
  const filtered = isFilterActive(filter);

  for (const g of ok) {
    if (g.eniCount === 0) {
      out.push(filtered ? `No Lambda network interface matches the filter in ${g.region}.` : `No Lambda network interfaces in ${g.region}.`);
    }
  }
  if (enis.length > 0) {
    if (out.length > 0) out.push('');
    const withIpv6 = enis.some((e) => e.ipv6.length > 0);
    const header = ['REGION', 'VPC', 'SUBNET', 'AZ', 'FUNCTION', 'ENI', 'STATUS', 'PRIVATE IP', ...(withIpv6 ? ['IPV6'] : []), 'SECURITY GROUPS'];
    const rows = enis.map((e) => [
      e.region,
      e.vpcId ?? '-',
      e.subnetId ?? '-',
      e.availabilityZone ?? '-',
      e.functionName ?? '(unknown)',
      e.id,
      e.orphan ? `${e.status} (orphan)` : e.status,
      e.privateIp ?? '-',
      ...(withIpv6 ? [e.ipv6.join(',') || '-'] : []),
      e.securityGroups.map((s) => (s.name ? `${s.id} (${s.name})` : s.id)).join(', ') || '-',
    ]);
    out.push(...table(header, rows, { bold, paint: (i, cell) => (enis[i]!.orphan ? yellow(cell) : cell) }));

    const subnets = ok.flatMap((g) =>
      g.vpcs.flatMap((v) =>
        v.subnets.map((s) => ({ region: g.region, subnet: s.subnet, count: s.functions.reduce((n, f) => n + f.enis.length, 0) })),
      ),
    );
    out.push('');
    out.push(
      ...table(
        ['REGION', 'SUBNET', 'VPC', 'AZ', 'CIDR', 'FREE IPS', 'LAMBDA ENIS'],
        subnets.map(({ region, subnet, count }) => [
          region,
          subnet.name ? `${subnet.id} (${subnet.name})` : subnet.id,
          subnet.vpcId ?? '-',
          subnet.availabilityZone ?? '-',
          subnet.cidr ?? '-',
          subnet.availableIps === undefined ? '-' : String(subnet.availableIps),
          String(count),
        ]),
        { bold, right: new Set([5, 6]) },
      ),
    );
    const orphans = enis.filter((e) => e.orphan).length;
    const regions = new Set(enis.map((e) => e.region)).size;
    out.push('');
    out.push(
      `${plural(enis.length, 'Lambda network interface')}${orphans > 0 ? ` (${plural(orphans, 'orphan')})` : ''} in ${plural(subnets.length, 'subnet')}, ${plural(regions, 'region')}.`,
    );
    if (orphans > 0) {
      out.push(yellow("Orphans (status 'available') are no longer used by any function and block deleting their subnet and security groups."));
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

export async function runEnis(argv: string[], io: Io): Promise<number> {
  let options: EnisOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(usageMessage('enis', err.message));
      return 2;
    }
    throw err;
  }
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  let regions = [...new Set(options.regions)];
  if (regions.length === 0) {
    const region = await resolveDefaultRegion(options.profile);
    if (!region) {
      const where = options.profile ? `the profile '${options.profile}'` : 'the default profile';
      io.stderr(
        `lambda-vpc-lint enis: no region configured: pass --region, set AWS_REGION, or set 'region' in ${where} of the AWS config file.\n`,
      );
      return 2;
    }
    regions = [region];
  }

  const results: RegionResult[] = await listLambdaEnis({ regions, profile: options.profile, endpoint: options.endpoint });
  const groups = results.map((r) => groupRegion(r, options.filter));

  io.stdout(options.format === 'json' ? formatJson(groups) : formatText(groups, options.filter, io.isTty));

  let code = 0;
  for (const g of groups) {
    if (!g.ok) {
      io.stderr(`lambda-vpc-lint enis: ${g.region}: ${describeFailure(g.error)}\n`);
      code = 2;
    }
  }
  return code;
}
