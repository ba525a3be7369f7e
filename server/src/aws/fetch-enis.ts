/**
 * Reads the Lambda network interfaces of one or more regions with the real EC2 client, plus the subnets,
 * VPCs and security groups they reference. Every region is read independently and its outcome is data
 * (`RegionResult`): nothing here throws to the caller, and one region failing leaves the others intact.
 *
 * Interfaces are found with two server-side filtered calls, `description=AWS Lambda VPC ENI-*` and
 * `interface-type=lambda`, merged by id. Fetching every interface and filtering locally would also work, but
 * an account's ENIs are mostly EC2 instances, load balancers, NAT gateways and endpoints, often thousands of
 * them, so it would page through far more data (and burn more of the Describe* rate limit) to keep a few.
 * The union covers both the modern `lambda` interface type and older interfaces and emulators that only
 * carry the description. The local check is still applied afterwards because some emulators ignore filters.
 */
import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import type { EC2Client, Filter, NetworkInterface, SecurityGroup, Subnet, Tag, Vpc } from '@aws-sdk/client-ec2';
import { toAwsFailure } from './aws-error';
import { createEc2Client } from './ec2-client';
import type { Ec2ClientOptions } from './ec2-client';
import { LAMBDA_DESCRIPTION_PREFIX, isLambdaEni, isOrphanStatus, parseFunctionName } from './lambda-eni';
import type { LambdaEni, RegionResult, SecurityGroupRef, SubnetInfo, VpcInfo } from './types';

export interface FetchOptions {
  /** MaxResults per Describe* page (EC2 accepts 5 to 1000). */
  pageSize?: number;
}

export interface ListOptions extends Omit<Ec2ClientOptions, 'region'>, FetchOptions {
  regions: string[];
}

/** EC2 caps the number of values in one filter; ids are sent in chunks of this size. */
const FILTER_VALUE_LIMIT = 200;

class Ec2CallError extends Error {
  constructor(
    readonly operation: string,
    readonly original: unknown,
  ) {
    super(operation);
  }
}

interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/** Follows NextToken to the end; a token seen twice means a broken endpoint, not an endless listing. */
async function collectPages<T>(operation: string, fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    let page: Page<T>;
    try {
      page = await fetchPage(token);
    } catch (err) {
      throw new Ec2CallError(operation, err);
    }
    all.push(...page.items);
    token = page.nextToken || undefined;
    if (token !== undefined) {
      if (seen.has(token)) {
        throw new Ec2CallError(operation, Object.assign(new Error(`the endpoint repeated the page token '${token}'`), { name: 'PaginationLoop' }));
      }
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}

function chunks<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function clampPageSize(pageSize: number | undefined): number {
  return Math.max(5, Math.min(1000, Math.floor(pageSize ?? 1000)));
}

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === 'Name')?.Value || undefined;
}

async function describeInterfaces(client: EC2Client, filter: Filter, pageSize: number): Promise<NetworkInterface[]> {
  return collectPages('DescribeNetworkInterfaces', async (NextToken) => {
    const out = await client.send(new DescribeNetworkInterfacesCommand({ Filters: [filter], MaxResults: pageSize, NextToken }));
    return { items: out.NetworkInterfaces ?? [], nextToken: out.NextToken };
  });
}

/** Reads resources by id through a filter rather than the Ids parameter: a deleted id then simply yields nothing. */
async function describeByIds<T>(
  ids: string[],
  fetchChunk: (values: string[]) => Promise<T[]>,
): Promise<T[]> {
  const results = await Promise.all(chunks(ids, FILTER_VALUE_LIMIT).map(fetchChunk));
  return results.flat();
}

function toEni(ni: NetworkInterface, region: string, groupNames: Map<string, string>): LambdaEni {
  const description = ni.Description ?? '';
  const securityGroups: SecurityGroupRef[] = (ni.Groups ?? [])
    .filter((g) => g.GroupId)
    .map((g) => ({ id: g.GroupId!, name: groupNames.get(g.GroupId!) ?? (g.GroupName || undefined) }));
  return {
    id: ni.NetworkInterfaceId ?? '',
    functionName: parseFunctionName(description),
    status: ni.Status ?? 'unknown',
    orphan: isOrphanStatus(ni.Status),
    vpcId: ni.VpcId || undefined,
    subnetId: ni.SubnetId || undefined,
    availabilityZone: ni.AvailabilityZone || undefined,
    privateIp: ni.PrivateIpAddress || undefined,
    ipv6: (ni.Ipv6Addresses ?? []).map((a) => a.Ipv6Address).filter((a): a is string => !!a),
    securityGroups,
    interfaceType: ni.InterfaceType || undefined,
    description,
    ownerId: ni.OwnerId || undefined,
    region,
  };
}

function toSubnet(s: Subnet): SubnetInfo {
  return {
    id: s.SubnetId ?? '',
    vpcId: s.VpcId || undefined,
    availabilityZone: s.AvailabilityZone || undefined,
    cidr: s.CidrBlock || undefined,
    availableIps: s.AvailableIpAddressCount,
    name: nameTag(s.Tags),
  };
}

function toVpc(v: Vpc): VpcInfo {
  return { id: v.VpcId ?? '', cidr: v.CidrBlock || undefined, name: nameTag(v.Tags), isDefault: v.IsDefault === true };
}

function uniqueIds(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort();
}

/** Reads one region with a client the caller owns. Never throws. */
export async function fetchRegion(client: EC2Client, region: string, options: FetchOptions = {}): Promise<RegionResult> {
  const pageSize = clampPageSize(options.pageSize);
  try {
    const [byDescription, byType] = await Promise.all([
      describeInterfaces(client, { Name: 'description', Values: [`${LAMBDA_DESCRIPTION_PREFIX}*`] }, pageSize),
      describeInterfaces(client, { Name: 'interface-type', Values: ['lambda'] }, pageSize),
    ]);
    const interfaces = new Map<string, NetworkInterface>();
    for (const ni of [...byDescription, ...byType]) {
      if (ni.NetworkInterfaceId && isLambdaEni(ni.InterfaceType, ni.Description)) interfaces.set(ni.NetworkInterfaceId, ni);
    }
    const list = [...interfaces.values()];

    const subnetIds = uniqueIds(list.map((ni) => ni.SubnetId));
    const vpcIds = uniqueIds(list.map((ni) => ni.VpcId));
    const groupIds = uniqueIds(list.flatMap((ni) => (ni.Groups ?? []).map((g) => g.GroupId)));

    const [subnets, vpcs, groups] = await Promise.all([
      describeByIds(subnetIds, (values) =>
        collectPages('DescribeSubnets', async (NextToken) => {
          const out = await client.send(
            new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: values }], MaxResults: pageSize, NextToken }),
          );
          return { items: out.Subnets ?? [], nextToken: out.NextToken };
        }),
      ),
      describeByIds(vpcIds, (values) =>
        collectPages('DescribeVpcs', async (NextToken) => {
          const out = await client.send(
            new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: values }], MaxResults: pageSize, NextToken }),
          );
          return { items: out.Vpcs ?? [], nextToken: out.NextToken };
        }),
      ),
      describeByIds(groupIds, (values) =>
        collectPages('DescribeSecurityGroups', async (NextToken) => {
          const out = await client.send(
            new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: values }], MaxResults: pageSize, NextToken }),
          );
          return { items: out.SecurityGroups ?? [], nextToken: out.NextToken };
        }),
      ),
    ]);

    const groupNames = new Map<string, string>();
    for (const g of groups as SecurityGroup[]) if (g.GroupId && g.GroupName) groupNames.set(g.GroupId, g.GroupName);

    return {
      region,
      ok: true,
      enis: list.map((ni) => toEni(ni, region, groupNames)).sort((a, b) => a.id.localeCompare(b.id)),
      subnets: subnets.map(toSubnet).filter((s) => s.id).sort((a, b) => a.id.localeCompare(b.id)),
      vpcs: vpcs.map(toVpc).filter((v) => v.id).sort((a, b) => a.id.localeCompare(b.id)),
    };
  } catch (err) {
    const failure = err instanceof Ec2CallError ? toAwsFailure(err.original, err.operation) : toAwsFailure(err);
    return { region, ok: false, error: failure };
  }
}

/**
 * Reads every region in parallel, each with its own client, and returns the results in the order the regions
 * were given. Never throws.
 */
export async function listLambdaEnis(options: ListOptions): Promise<RegionResult[]> {
  const { regions, pageSize, ...clientOptions } = options;
  return Promise.all(
    [...new Set(regions)].map(async (region): Promise<RegionResult> => {
      let client: EC2Client | undefined;
      try {
        client = createEc2Client({ ...clientOptions, region });
        return await fetchRegion(client, region, { pageSize });
      } catch (err) {
        return { region, ok: false, error: toAwsFailure(err) };
      } finally {
        client?.destroy();
      }
    }),
  );
}
