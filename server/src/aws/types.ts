/**
 * The data the ENI explorer and `lambda-vpc-lint enis` share: Lambda network interfaces as read from EC2,
 * the subnets and VPCs they sit in, and the per-region outcome of reading them. Plain data with no SDK
 * types in it, so the tree model and the CLI formatters can be written and tested without the SDK.
 */

export interface SecurityGroupRef {
  id: string;
  /** Undefined when neither the interface nor DescribeSecurityGroups told us the name. */
  name: string | undefined;
}

export interface LambdaEni {
  id: string;
  /** Read from the description; undefined when the description does not follow Lambda's pattern. */
  functionName: string | undefined;
  status: string;
  /** Status `available` means no function uses the interface any more: it only blocks deletions. */
  orphan: boolean;
  vpcId: string | undefined;
  subnetId: string | undefined;
  availabilityZone: string | undefined;
  privateIp: string | undefined;
  ipv6: string[];
  securityGroups: SecurityGroupRef[];
  interfaceType: string | undefined;
  description: string;
  /** The account that owns the interface, the only account id EC2 gives us without STS. */
  ownerId: string | undefined;
  region: string;
}

export interface SubnetInfo {
  id: string;
  vpcId: string | undefined;
  availabilityZone: string | undefined;
  cidr: string | undefined;
  availableIps: number | undefined;
  /** The `Name` tag. */
  name: string | undefined;
}

export interface VpcInfo {
  id: string;
  cidr: string | undefined;
  name: string | undefined;
  isDefault: boolean;
}

/** Why a failure happened, so callers can word it and pick an exit code without parsing messages. */
export type AwsFailureKind =
  | 'credentials'
  | 'access'
  | 'throttling'
  | 'timeout'
  | 'network'
  | 'service'
  | 'response'
  | 'unknown';

export interface AwsFailure {
  kind: AwsFailureKind;
  /** The SDK's error code (`AuthFailure`, `UnauthorizedOperation`, `CredentialsProviderError`, ...). */
  code: string;
  message: string;
  /** The EC2 action that failed, e.g. `DescribeSubnets`. */
  operation: string | undefined;
  httpStatus: number | undefined;
  requestId: string | undefined;
}

export type RegionResult =
  | { region: string; ok: true; enis: LambdaEni[]; subnets: SubnetInfo[]; vpcs: VpcInfo[] }
  | { region: string; ok: false; error: AwsFailure };

export interface EniFilter {
  vpcId?: string;
  /** Exact function name. */
  functionName?: string;
  orphansOnly?: boolean;
}

export interface FunctionGroup {
  /** Undefined gathers the interfaces whose description names no function. */
  name: string | undefined;
  enis: LambdaEni[];
}

export interface SubnetGroup {
  subnet: SubnetInfo;
  functions: FunctionGroup[];
}

export interface VpcGroup {
  vpc: VpcInfo;
  subnets: SubnetGroup[];
}

export type RegionGroup =
  | { region: string; ok: true; accountIds: string[]; vpcs: VpcGroup[]; eniCount: number; orphanCount: number }
  | { region: string; ok: false; error: AwsFailure };
