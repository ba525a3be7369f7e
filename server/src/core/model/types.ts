/**
 * The resolved network model: one graph for all three dialects. Rules read only this. Every fact
 * carries its state (known / assumed from a parameter default / unknown) and the span it came from.
 */
import type { MapNode, Node, Span } from '../tree';
import type { Dialect } from '../types';
import type { LogicalIds } from './logical-ids';
import type { ManagedPolicy } from './managed-policies';

export type State = 'known' | 'assumed' | 'unknown';

/** Where a fact came from and how sure it is. */
export interface Fact<T> {
  state: State;
  /** Present when the state is known or assumed. */
  value?: T;
  span?: Span;
  /** The parameter whose `Default` the fact rests on (state `assumed`). */
  param?: string;
  /** Why the fact is unknown (`Fn::ImportValue`, a parameter without a default, ...). */
  reason?: string;
}

/** A reference from one place in the template to a resource: in the template, or a literal id. */
export interface ResourceRef {
  state: State;
  /** Logical id, when the reference points at a resource of this template. */
  id?: string;
  /** The attribute, for `Fn::GetAtt` references. */
  attr?: string;
  /** A hard-coded id (`subnet-0abc...`), which counts as present but is unknown for routing. */
  literal?: string;
  /** A placeholder left to replace (`sg-CHANGEME`): the reference is unknown. */
  placeholder?: string;
  span: Span;
  param?: string;
  reason?: string;
  /** The `Fn::If` conditions on the way to this item, as `Cond` or `!Cond`. */
  conditions?: string[];
  /** A reference to an id the template does not define: unknown, and it never satisfies a check. */
  missing?: boolean;
}

export interface RefList {
  state: State;
  /** Known when the list's length is known. */
  items: ResourceRef[];
  span?: Span;
  param?: string;
  reason?: string;
}

export type AzFact =
  | { kind: 'name'; value: string; span: Span; state: State; param?: string }
  | { kind: 'id'; value: string; span: Span; state: State; param?: string }
  | { kind: 'index'; value: number; span: Span; state: State; param?: string }
  | { kind: 'unknown'; span?: Span; reason: string };

export interface Resource {
  id: string;
  type: string;
  /** The whole resource (or Serverless function) map. */
  node: MapNode;
  properties: MapNode | undefined;
  /** The span of the logical id key. */
  keySpan: Span;
  condition?: string;
  dependsOn: string[];
  /** Rule ids suppressed in this resource's `Metadata`. */
  ignore: string[];
  /** Set on resources that are not in the template but were read from the account (live facts). */
  live?: { region: string };
  /** Set on resources of another template of the workspace: its path and the resource's own logical id there. */
  origin?: { file: string; id: string };
}

export interface Vpc extends Resource {
  cidr: Fact<string>;
  enableDnsSupport: Fact<boolean>;
  enableDnsHostnames: Fact<boolean>;
  tenancy: Fact<string>;
  /** Internet gateways attached through `AWS::EC2::VPCGatewayAttachment`. */
  internetGateways: string[];
}

export interface Subnet extends Resource {
  vpc: ResourceRef;
  az: AzFact;
  cidr: Fact<string>;
  ipv6Cidr: boolean;
  /** The route table in effect: an explicit association, else the VPC's main table (only the local route). */
  routeTable: { state: State; id?: string; main: boolean; associationSpan?: Span; /** The association's logical id. */ association?: string };
  networkAcl?: string;
}

export type RouteTargetKind =
  | 'internet-gateway'
  | 'egress-only-gateway'
  | 'nat-gateway'
  | 'nat-instance'
  | 'transit-gateway'
  | 'vpc-endpoint'
  | 'core-network'
  | 'vpn-gateway'
  | 'peering'
  | 'carrier-gateway'
  | 'local-gateway'
  | 'other';

export interface Route {
  /** The `AWS::EC2::Route` logical id, or the table's id with an index for inline routes. */
  id: string;
  span: Span;
  destination: Fact<string>;
  ipv6: boolean;
  target: RouteTargetKind;
  targetRef: ResourceRef;
  conditions?: string[];
}

export interface RouteTable extends Resource {
  vpc: ResourceRef;
  routes: Route[];
}

export interface InternetGateway extends Resource {
  egressOnly: boolean;
}

export interface NatGateway extends Resource {
  subnet: ResourceRef;
  allocationId: Fact<string>;
  /** `public` unless `ConnectivityType: private`. */
  connectivity: Fact<'public' | 'private'>;
  /** `zonal` unless `AvailabilityMode: regional`. */
  regional: boolean;
}

export interface VpcEndpoint extends Resource {
  vpc: ResourceRef;
  endpointType: 'Gateway' | 'Interface' | 'GatewayLoadBalancer' | 'unknown';
  serviceName: Fact<string>;
  /** The service's short name (`s3`, `sqs`, `ecr.api`), read from the service name. */
  service?: string;
  routeTableIds: RefList;
  subnetIds: RefList;
  securityGroupIds: RefList;
  privateDns: Fact<boolean>;
}

export interface SgRule {
  span: Span;
  /** `AWS::EC2::SecurityGroupIngress`/`Egress` logical id, when standalone. */
  resource?: string;
  protocol: Fact<string>;
  fromPort: Fact<number>;
  toPort: Fact<number>;
  cidr?: Fact<string>;
  cidrIpv6?: Fact<string>;
  /** The other group (source for ingress, destination for egress). */
  group?: ResourceRef;
  prefixList?: ResourceRef;
}

export interface SecurityGroup extends Resource {
  vpc: ResourceRef | undefined;
  ingress: SgRule[];
  /** Undefined when the group states no inline `SecurityGroupEgress` (AWS adds allow-all). */
  inlineEgress: SgRule[] | undefined;
  standaloneEgress: SgRule[];
}

export interface NaclEntry {
  span: Span;
  /** The `AWS::EC2::NetworkAclEntry` logical id. */
  resource: string;
  ruleNumber: number;
  protocol: Fact<string>;
  allow: boolean;
  egress: boolean;
  cidr: Fact<string>;
  from?: number;
  to?: number;
  /** Why the entry cannot be evaluated (its action, direction, number or ports do not resolve). */
  unknown?: string;
  /** The entry resource's `Condition`: it may not exist. */
  condition?: string;
}

export interface NetworkAcl extends Resource {
  vpc: ResourceRef;
  entries: NaclEntry[];
  subnets: string[];
}

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: Fact<string>[];
  notAction: boolean;
  resources: Node | undefined;
  span: Span;
}

/** Where a role's permissions come from. */
export interface PolicySource {
  kind: 'inline' | 'policy-resource' | 'managed-arn' | 'sam-template' | 'generated';
  /** The `AWS::IAM::Policy` / `ManagedPolicy` resource id, for `policy-resource`. */
  resource?: string;
  /** A managed policy resource the role lists in its own `ManagedPolicyArns`: the role waits for it. */
  viaRole?: boolean;
  /** The managed policy ARN or SAM policy template name. */
  name?: string;
  span: Span;
  statements: PolicyStatement[];
  /** For a managed policy ARN whose value is unknown. */
  state: State;
  /** An AWS managed policy known by its content. */
  managed?: ManagedPolicy;
}

export interface Role {
  /** Logical id; for a generated role, the function's id with a `Role` suffix. */
  id: string;
  /** The role resource when it is in the template. */
  resource?: Resource;
  generated: boolean;
  managedPolicyArns: Fact<string>[];
  /** The list node holding managed policy ARNs, for fixes. */
  managedPolicyArnsNode?: Node;
  sources: PolicySource[];
}

export type DatabaseKind =
  | 'rds-instance' | 'rds-cluster' | 'rds-proxy' | 'elasticache' | 'memorydb' | 'docdb' | 'neptune' | 'redshift'
  | 'opensearch' | 'efs' | 'msk' | 'other';

export interface Database extends Resource {
  kind: DatabaseKind;
  port: Fact<number>;
  engine?: string;
  securityGroups: RefList;
  /** The node holding the security group list, for fixes. */
  securityGroupsSpan?: Span;
  /** For EFS: the file system this mount target belongs to. */
  fileSystem?: string;
  /** Template subnets the database puts network interfaces in (its subnet group, its own list, EFS mount targets). */
  subnets?: string[];
}

export interface VpcAttachment {
  /** The `VpcConfig` / `vpc` map in effect (local, or inherited). */
  span: Span;
  subnetIds: RefList;
  securityGroupIds: RefList;
  ipv6DualStack: Fact<boolean>;
  /** Where the settings were inherited from (SAM `Globals`, Serverless `provider.vpc`). */
  inheritedFrom?: Span;
  /** The key nodes, for fixes. */
  subnetIdsNode?: Node;
  securityGroupIdsNode?: Node;
  vpcConfigNode?: Node;
}

export interface NeedEvidence {
  span: Span;
  /** What made the function need it: an action, an environment variable. */
  because: string;
  /** The parameter whose default the evidence rests on (an environment variable holding `!Ref P`): an assumed fact. */
  param?: string;
}

export interface Needs {
  /** AWS service prefixes (`s3`, `sqs`) the function calls, with evidence. */
  services: Map<string, NeedEvidence[]>;
  internet: NeedEvidence[];
  /** Database logical ids the function reaches. */
  databases: Map<string, NeedEvidence[]>;
  /** Whether every environment value and policy resource was known (for advice rules). */
  allKnown: boolean;
  /** Whether every action the execution role allows was read (the role and its policies are in the template or known). */
  permissionsKnown: boolean;
  /** References to VPC-bound resources or private hosts, for `vpc-without-private-resources`. */
  privateResources: NeedEvidence[];
}

export interface LambdaFunction extends Resource {
  /** The deployed name, when known (`FunctionName`, or Serverless' `<service>-<stage>-<name>`). */
  name?: string;
  /** The node to point findings about the function at when nothing smaller fits. */
  anchor: Span;
  /** One entry per combination of `Fn::If` branches that changes the VPC attachment (usually one). */
  variants: FunctionVariant[];
  role: { state: State; id?: string; generated: boolean; span?: Span; reason?: string };
  environment: MapNode | undefined;
  fileSystemConfigs: Node | undefined;
  needs: Needs;
  /** Where the function is used at the edge, from CloudFront `LambdaFunctionAssociations`. */
  edgeAssociations: Span[];
}

export interface FunctionVariant {
  /** Undefined when the function is not attached to a VPC on this branch. */
  vpc: VpcAttachment | undefined;
  /** The `Fn::If` condition branches this variant is on (`HasVpc`, `!HasVpc`). */
  conditions: string[];
  /** Serverless: the framework drops an incomplete config. */
  dropsIncompleteConfig: boolean;
}

export interface Model {
  dialect: Dialect;
  region: string;
  root: Node;
  resources: Map<string, Resource>;
  functions: LambdaFunction[];
  vpcs: Map<string, Vpc>;
  subnets: Map<string, Subnet>;
  routeTables: Map<string, RouteTable>;
  internetGateways: Map<string, InternetGateway>;
  natGateways: Map<string, NatGateway>;
  endpoints: Map<string, VpcEndpoint>;
  securityGroups: Map<string, SecurityGroup>;
  networkAcls: Map<string, NetworkAcl>;
  roles: Map<string, Role>;
  databases: Map<string, Database>;
  /** Rule ids suppressed for the whole template (`Metadata` at the top). */
  ignore: string[];
  /** Files read through Serverless `${file()}`, relative to the template. */
  dependencies: string[];
  /** The template's conditions that evaluate from literals, given values or parameter defaults. */
  conditions: Map<string, ConditionValue>;
  /** The logical ids the template defines, and which ids SAM, Serverless, a macro or a plugin may generate. */
  logicalIds: LogicalIds;
  /** What only the account can resolve: referenced ids not in the model, `Fn::ImportValue` and SSM names. */
  lookups?: { ids: Set<string>; exports: Set<string>; ssm: Set<string>; stacks: Set<string>; nested: Set<string> };
  /** The ids of the resources merged from live facts, and their region. */
  live?: { region: string; ids: Set<string>; sources?: Map<string, string> };
  /** The other templates of the workspace whose values and resources the model uses. */
  workspaceFiles?: string[];
}

/**
 * A condition's value when it evaluates from literals and parameters. Resting on parameter defaults
 * (`assumed` names them) it is only what the defaults give: a deploy with other values may take the
 * other branch, so both branches stay possible.
 */
export interface ConditionValue {
  value: boolean;
  assumed?: string[];
}
