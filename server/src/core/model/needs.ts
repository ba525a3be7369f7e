/**
 * What a function needs from the network: AWS services (from its role's actions and the resources its
 * environment references), the internet (URLs in its environment), and databases it reaches.
 */
import type { Node, Span } from '../tree';
import { get, intrinsicName, str } from '../tree';
import { privateAddressReason } from './hosts';
import { RESOURCE_SERVICE, VPC_BOUND_SERVICES, actionIsNeed, prefixOf } from './services';
import type { LambdaFunction, Model, NeedEvidence, Needs, Role } from './types';
import type { Scope, Val } from './values';
import { alternatives, evaluate } from './values';

const PRIVATE_RESOURCE_TYPES = new Set([
  'AWS::EFS::FileSystem', 'AWS::EFS::AccessPoint', 'AWS::EFS::MountTarget', 'AWS::MSK::Cluster', 'AWS::MSK::ServerlessCluster',
  'AWS::EC2::Instance', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer',
  'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::RDS::DBProxy', 'AWS::RDS::DBProxyEndpoint',
  'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::ServerlessCache',
  'AWS::MemoryDB::Cluster', 'AWS::DocDB::DBCluster', 'AWS::DocDB::DBInstance', 'AWS::Neptune::DBCluster', 'AWS::Neptune::DBInstance',
  'AWS::Redshift::Cluster', 'AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain', 'AWS::EC2::VPCEndpoint',
  'AWS::ServiceDiscovery::Service', 'AWS::ECS::Service', 'AWS::SecretsManager::SecretTargetAttachment',
  'AWS::VpcLattice::Service', 'AWS::VpcLattice::ServiceNetwork', 'AWS::VpcLattice::ServiceNetworkServiceAssociation',
  'AWS::VpcLattice::ServiceNetworkVpcAssociation', 'AWS::VpcLattice::ResourceConfiguration', 'AWS::VpcLattice::ResourceGateway',
]);

export function emptyNeeds(): Needs {
  return { services: new Map(), internet: [], databases: new Map(), allKnown: true, permissionsKnown: true, privateResources: [] };
}

function add(map: Map<string, NeedEvidence[]>, key: string, evidence: NeedEvidence): void {
  const list = map.get(key);
  if (list) list.push(evidence);
  else map.set(key, [evidence]);
}

/** Every resource a node references through `Ref`, `Fn::GetAtt` or `Fn::Sub` variables. */
export function referencedIds(node: Node | undefined, ids: { has(id: string): boolean }, out: { id: string; attr?: string; span: Span }[] = []): { id: string; attr?: string; span: Span }[] {
  if (!node) return out;
  const fn = intrinsicName(node);
  if (fn && node.kind === 'map') {
    const arg = node.pairs[0]!.value;
    const span = { start: node.start, end: node.end };
    if (fn === 'Ref') {
      const name = str(arg) ?? '';
      const base = name.split('.')[0]!;
      if (ids.has(base)) out.push({ id: base, span });
      return out;
    }
    if (fn === 'Fn::GetAtt') {
      const [id, attr] = arg.kind === 'seq' ? [str(arg.items[0]), str(arg.items[1])] : (str(arg) ?? '').split(/\.(.*)/s);
      if (id && ids.has(id)) out.push({ id, attr, span });
      return out;
    }
    if (fn === 'Fn::Sub') {
      const text = arg.kind === 'seq' ? str(arg.items[0]) : str(arg);
      for (const m of (text ?? '').matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const [id, attr] = m[1]!.trim().split(/\.(.*)/s);
        if (id && ids.has(id)) out.push({ id, attr, span });
      }
      if (arg.kind === 'seq') referencedIds(arg.items[1], ids, out);
      return out;
    }
  }
  if (node.kind === 'map') for (const pair of node.pairs) referencedIds(pair.value, ids, out);
  else if (node.kind === 'seq') for (const item of node.items) referencedIds(item, ids, out);
  return out;
}

const PRIVATE_HOST = /(^|[/@])(10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|[a-z0-9.-]+\.(internal|local))(?=[:/]|$)/i;
const AWS_URL = /^https?:\/\/([a-z0-9-]+)\.(?:[a-z0-9-]+\.)*?(?:[a-z]{2}(?:-[a-z]+)+-\d\.)?amazonaws\.com(?:\.cn)?(?:[:/]|$)/i;
const EXECUTE_API = /^https?:\/\/[a-z0-9]+\.execute-api\./i;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The service an AWS URL addresses, read from its host name: the label before the region
 * (`sqs.us-east-1`, `bucket.s3.us-east-1`), the one after it (`domain.us-east-1.es`), or the last one
 * when there is no region (`bucket.s3.amazonaws.com`); `s3-<region>` and `s3-website...` are S3, and
 * `vpce` marks a VPC endpoint's own name. The first label is often a bucket, domain or API id.
 */
export function serviceOfAwsUrl(url: string): string | undefined {
  const host = /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase();
  const labels = host ? /^(.+)\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1]?.split('.').filter((l) => l !== 'dualstack' && l !== 'fips') : undefined;
  if (!labels || labels.length === 0) return undefined;
  if (labels.includes('vpce')) return 'vpce';
  if (labels.some((l) => l === 's3' || l.startsWith('s3-'))) return 's3';
  const r = labels.findIndex((l) => REGION.test(l));
  if (r < 0) return labels[labels.length - 1];
  return r < labels.length - 1 ? labels[r + 1] : labels[r - 1];
}

/** Actions that only make sense against a resource inside a VPC (they make no AWS API call, so are not needs). */
const PRIVATE_ACTION = /^(rds-db:connect|elasticfilesystem:client|s3files:client|kafka-cluster:|dax:|neptune-db:|elasticache:connect|memorydb:connect|es:eshttp|vpc-lattice-svcs:)/i;

/** Whether a private API Gateway API (reachable only through an interface endpoint). */
function isPrivateApi(target: { properties: Node | undefined }): boolean {
  const types = get(get(target.properties, 'EndpointConfiguration'), 'Types') ?? get(target.properties, 'EndpointConfiguration');
  return JSON.stringify(types ?? null).includes('PRIVATE');
}

export function inferNeeds(fn: LambdaFunction, role: Role | undefined, model: Model, scope: Scope, ids: Set<string>): Needs {
  const needs = emptyNeeds();
  if (role) {
    for (const source of role.sources) {
      if (source.state === 'unknown') needs.allKnown = needs.permissionsKnown = false;
      if (source.kind === 'managed-arn') {
        // A managed policy not known by its content may allow anything; a known one by its own services.
        if (!source.managed?.needs) needs.allKnown = needs.permissionsKnown = false;
        for (const [prefix, action] of source.managed?.needs ?? []) {
          add(needs.services, prefix, { span: source.span, because: `the role's managed policy ${source.name} allows ${action}` });
        }
        for (const service of source.managed?.privateServices ?? []) {
          needs.privateResources.push({ span: source.span, because: `the role's managed policy ${source.name} is for ${service}, whose resources live in a VPC` });
        }
        continue;
      }
      for (const st of source.statements) {
        if (st.effect !== 'Allow') continue;
        // A grant of every service (`*`, an allowing `NotAction`) does not say which ones the function calls.
        if (st.notAction || st.actions.some((a) => a.value === '*')) {
          needs.allKnown = needs.permissionsKnown = false;
          continue;
        }
        for (const ref of referencedIds(st.resources, ids)) {
          const target = model.resources.get(ref.id);
          if (target && PRIVATE_RESOURCE_TYPES.has(target.type)) needs.privateResources.push({ span: ref.span, because: `the role's policy names ${ref.id}` });
        }
        const arns = policyResources(evaluate(st.resources, scope));
        if (arns.unknown) needs.allKnown = false;
        for (const arn of arns.vpcBound) needs.privateResources.push({ span: st.span, because: `the role's policy names ${arn}` });
        for (const action of st.actions) {
          if (!action.value) {
            if (action.state === 'unknown') needs.allKnown = needs.permissionsKnown = false;
            continue;
          }
          if (PRIVATE_ACTION.test(action.value)) {
            // The call goes to the resource in the VPC, not to the service's endpoint.
            needs.privateResources.push({ span: action.span ?? st.span, because: `the role allows ${action.value}` });
            continue;
          }
          if (!actionIsNeed(action.value)) continue;
          const prefix = prefixOf(action.value);
          if (prefix) add(needs.services, prefix, { span: action.span ?? st.span, because: `the role allows ${action.value}` });
        }
      }
    }
  } else if (fn.role.state === 'unknown') {
    needs.allKnown = needs.permissionsKnown = false;
  }
  const env = fn.environment;
  const throughSecret = new Set<string>();
  const direct = new Set<string>();
  if (env) {
    for (const pair of env.pairs) {
      const name = String(pair.key.value);
      const refs = referencedIds(pair.value, ids);
      for (const ref of refs) {
        const target = model.resources.get(ref.id);
        if (!target) continue;
        const evidence = { span: ref.span, because: `environment variable ${name} references ${ref.id}` };
        const service = RESOURCE_SERVICE[target.type];
        if (service) add(needs.services, service, evidence);
        // An ARN serves API calls (the RDS Data API, IAM), never a connection to the database port.
        if (model.databases.has(ref.id) && !/arn$/i.test(ref.attr ?? '')) {
          add(needs.databases, ref.id, evidence);
          direct.add(ref.id);
        }
        if (PRIVATE_RESOURCE_TYPES.has(target.type) || (RESOURCE_SERVICE[target.type] === 'execute-api' && isPrivateApi(target))) needs.privateResources.push(evidence);
        if (target.type === 'AWS::SecretsManager::Secret') {
          for (const db of secretDatabases(ref.id, model, ids)) {
            add(needs.databases, db, evidence);
            throughSecret.add(db);
          }
        }
        if (target.type === 'AWS::RDS::DBProxyEndpoint') {
          const proxy = referencedIds(target.properties, ids).find((r) => model.databases.has(r.id));
          if (proxy) add(needs.databases, proxy.id, evidence);
        }
      }
      const v = evaluate(pair.value, scope);
      if (v.t === 'unknown' || (v.t === 'lit' && v.partial && refs.length === 0)) needs.allKnown = false;
      if (v.t === 'lit' && typeof v.v === 'string') {
        const text = v.v;
        const span = { start: pair.value.start, end: pair.value.end };
        // A value from a parameter's default is assumed, like any other default.
        const param = v.param ? { param: v.param } : {};
        if (PRIVATE_HOST.test(text)) {
          needs.privateResources.push({ span, because: `environment variable ${name} names a private host`, ...param });
          continue;
        }
        // Any host but a public AWS endpoint may resolve inside the VPC; the URL still counts as an internet need below.
        const address = privateAddressReason(text);
        if (address) needs.privateResources.push({ span, because: `environment variable ${name} holds ${address}`, ...param });
        if (address === 'a connection string') continue;
        if (EXECUTE_API.test(text)) {
          add(needs.services, 'execute-api', { span, because: `environment variable ${name} is an API Gateway URL`, ...param });
          continue;
        }
        const service = AWS_URL.test(text) ? serviceOfAwsUrl(text) : undefined;
        // A VPC endpoint's own name (`vpce-...`) is reached inside the VPC.
        if (service === 'vpce') continue;
        if (service) {
          add(needs.services, service, { span, because: `environment variable ${name} is an AWS service URL`, ...param });
          continue;
        }
        if (/^https?:\/\/[^\s/\u0000]+/i.test(text) && !/^https?:\/\/(localhost|127\.)/i.test(text)) {
          needs.internet.push({ span, because: `environment variable ${name} is the URL ${text.length > 60 ? text.slice(0, 57) + '...' : text}`, ...param });
        }
      }
    }
  }
  if (fn.fileSystemConfigs) {
    for (const ref of referencedIds(fn.fileSystemConfigs, ids)) {
      needs.privateResources.push({ span: ref.span, because: `FileSystemConfigs references ${ref.id}` });
      const fsId = efsOf(ref.id, model, ids);
      if (fsId) add(needs.databases, fsId, { span: ref.span, because: `FileSystemConfigs mounts ${fsId}` });
    }
    if (referencedIds(fn.fileSystemConfigs, ids).length === 0) needs.privateResources.push({ span: { start: fn.fileSystemConfigs.start, end: fn.fileSystemConfigs.end }, because: 'FileSystemConfigs mounts a file system' });
  }
  // With an RDS proxy in hand, a database known only through its secret is the proxy's to reach.
  if ([...needs.databases.keys()].some((id) => model.databases.get(id)?.kind === 'rds-proxy')) {
    for (const db of throughSecret) if (!direct.has(db)) needs.databases.delete(db);
  }
  return needs;
}


/**
 * Reads a policy's `Resource`: ARNs of services whose resources live in a VPC, and whether any ARN is
 * unknown (its service cannot be read: a parameter without default, an import).
 */
function policyResources(v: Val, out: { unknown: boolean; vpcBound: string[] } = { unknown: false, vpcBound: [] }): { unknown: boolean; vpcBound: string[] } {
  for (const { value } of alternatives(v)) {
    if (value.t === 'list') for (const item of value.items) policyResources(item, out);
    else if (value.t === 'unknown') out.unknown = true;
    else if (value.t === 'lit') {
      const text = String(value.v);
      if (text === '*' || !value.partial && !text.startsWith('arn:')) continue;
      const service = /^arn:[^:]*:([^:]*):/.exec(text)?.[1];
      if (service === undefined || service.includes('\u0000')) out.unknown = true;
      else if (VPC_BOUND_SERVICES.has(service)) out.vpcBound.push(text.replace(/\u0000/g, '*'));
    }
  }
  return out;
}

function efsOf(id: string, model: Model, ids: Set<string>): string | undefined {
  const r = model.resources.get(id);
  if (!r) return undefined;
  if (r.type === 'AWS::EFS::FileSystem') return id;
  if (r.type === 'AWS::EFS::AccessPoint') {
    const fs = referencedIds(r.properties, ids).find((x) => model.resources.get(x.id)?.type === 'AWS::EFS::FileSystem');
    return fs?.id;
  }
  return undefined;
}

function secretDatabases(secretId: string, model: Model, ids: Set<string>): string[] {
  const out: string[] = [];
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::SecretsManager::SecretTargetAttachment') continue;
    const refs = referencedIds(r.properties, ids);
    if (!refs.some((x) => x.id === secretId)) continue;
    for (const x of refs) if (model.databases.has(x.id)) out.push(x.id);
  }
  return out;
}
