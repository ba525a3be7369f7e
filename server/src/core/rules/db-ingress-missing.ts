import type { Value } from '../edits';
import { ROUTABLE } from '../model/ip';
import { functionGroups } from '../model/queries';
import { functionPeer, rulesAllowTcp } from '../model/security-groups';
import type { Database, FunctionVariant, LambdaFunction, Model, SecurityGroup, VpcAttachment } from '../model/types';
import type { Span } from '../tree';
import type { Fix, Related } from '../types';
import { attachedVariants, commonConditions, listLabel, namedList } from './helpers';
import type { AttachedVariant } from './helpers';
import { defineRule } from '../engine/rule';

interface Blocked {
  fn: LambdaFunction;
  variant: FunctionVariant;
  vpc: VpcAttachment;
  assumed: string[];
}

const KIND_LABEL: Partial<Record<Database['kind'], string>> = {
  'rds-proxy': 'RDS proxy',
  elasticache: 'cache',
  memorydb: 'MemoryDB cluster',
  opensearch: 'OpenSearch domain',
  efs: 'file system',
};

/** The database's groups when every one is a group of this template (another one may admit anything). */
function templateGroups(model: Model, db: Database): SecurityGroup[] | undefined {
  if (db.securityGroups.state === 'unknown' || db.securityGroups.items.length === 0) return undefined;
  const out: SecurityGroup[] = [];
  for (const ref of db.securityGroups.items) {
    const group = ref.id ? model.securityGroups.get(ref.id) : undefined;
    if (!group) return undefined;
    if (!out.includes(group)) out.push(group);
  }
  return out;
}

/** The function's group to admit, as a `SourceSecurityGroupId` value. */
function sourceOf(model: Model, vpc: VpcAttachment): { key: string; value: Value } | undefined {
  for (const { ref, group } of functionGroups(model, vpc)) {
    if (group) return { key: group.id, value: { 'Fn::GetAtt': [group.id, 'GroupId'] } };
    if (ref.literal !== undefined && ref.state === 'known') return { key: ref.literal, value: ref.literal };
  }
  return undefined;
}

export default defineRule({
  id: 'db-ingress-missing',
  severity: 'error',
  category: 'security-groups',
  fixSafety: 'unsafe',
  docs: {
    summary: "A database (or EFS file system) a VPC function uses whose security groups do not admit the function on the database port.",
    rationale:
      'A database in a VPC accepts a connection only when one of its security groups has an ingress rule for the port from the caller: ' +
      'from one of the caller\'s security groups, or from a CIDR that covers the caller\'s address. Being in the same group is not enough ' +
      'without a rule that references the group itself. With no such rule the connection attempt is dropped silently and the function ' +
      'hangs until it times out; an EFS mount fails with `EFSMountConnectivityException`. The port is the database\'s `Port`, else the ' +
      'engine\'s default (3306 MySQL/MariaDB/Aurora MySQL, 5432 PostgreSQL, 1433 SQL Server, 1521 Oracle, 6379 Redis/Valkey, ' +
      '11211 Memcached, 27017 DocumentDB, 8182 Neptune, 5439 Redshift, 443 OpenSearch, 2049 EFS).',
    invalid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          DB_HOST: !GetAtt Db.Endpoint.Address
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
  DbSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      VpcId: vpc-0a1b2c3d4e5f60001
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "20"
      MasterUsername: app
      ManageMasterUserPassword: true
      VPCSecurityGroups: [!GetAtt DbSecurityGroup.GroupId]
`,
    valid: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => 1" }
      Environment:
        Variables:
          DB_HOST: !GetAtt Db.Endpoint.Address
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]
        SecurityGroupIds: [!GetAtt FnSecurityGroup.GroupId]
  FnSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Lambda
      VpcId: vpc-0a1b2c3d4e5f60001
  DbSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database
      VpcId: vpc-0a1b2c3d4e5f60001
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !GetAtt FnSecurityGroup.GroupId }
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: "20"
      MasterUsername: app
      ManageMasterUserPassword: true
      VPCSecurityGroups: [!GetAtt DbSecurityGroup.GroupId]
`,
    fix:
      'Adds an `AWS::EC2::SecurityGroupIngress` on the database\'s first security group admitting the port from each affected function\'s first ' +
      'security group. Unsafe: it adds a resource and opens a network path, and you may prefer to admit a shared client group instead.',
  },
  messages: {
    noIngress: "No security group of {kind} '{db}' ({groups}) admits tcp/{port} from {fns}: the connections time out.",
    noMountIngress: "No mount target security group of file system '{db}' ({groups}) admits NFS (tcp/{port}) from {fns}: the mount fails and every invocation errors.",
  },
  check({ model, report }) {
    // Who reaches each database, collected in one pass over the functions.
    const usersOf = new Map<string, AttachedVariant[]>();
    for (const entry of attachedVariants(model)) {
      for (const dbId of entry.fn.needs.databases.keys()) {
        const list = usersOf.get(dbId);
        if (list) list.push(entry);
        else usersOf.set(dbId, [entry]);
      }
    }
    for (const db of model.databases.values()) {
      const port = db.port;
      if (port.state === 'unknown' || port.value === undefined) continue;
      const groups = templateGroups(model, db);
      if (!groups) continue;
      const rules = groups.flatMap((g) => g.ingress);
      const blocked: Blocked[] = [];
      for (const { fn, variant, vpc } of usersOf.get(db.id) ?? []) {
        const fnGroups = vpc.securityGroupIds;
        if (fnGroups.state === 'unknown' || fnGroups.items.length === 0) continue;
        if (vpc.subnetIds.state !== 'unknown' && vpc.subnetIds.items.length === 0) continue;
        const assumed: string[] = [];
        if (rulesAllowTcp(rules, port.value, functionPeer(model, vpc, ROUTABLE), model, assumed) !== 'no') continue;
        blocked.push({ fn, variant, vpc, assumed: [...assumed, ...(fnGroups.param ? [fnGroups.param] : [])] });
      }
      if (blocked.length === 0) continue;
      const fnIds = [...new Set(blocked.map((b) => b.fn.id))];
      const own = db.securityGroupsSpan;
      const span: Span = db.kind !== 'efs' && own && own.start >= db.node.start && own.end <= db.node.end ? own : db.keySpan;
      const related: Related[] = [
        ...blocked.map((b) => ({ message: `Function '${b.fn.id}': ${b.fn.needs.databases.get(db.id)?.[0]?.because ?? 'uses it'}`, span: b.fn.needs.databases.get(db.id)?.[0]?.span ?? b.fn.anchor })),
        ...groups.map((g) => ({ message: `Ingress rules of ${g.id}`, span: g.keySpan })),
      ];
      const sources = new Map<string, Value>();
      for (const b of blocked) {
        const source = sourceOf(model, b.vpc);
        if (source) sources.set(source.key, source.value);
      }
      const target = groups[0]!;
      const fixable = blocked.every((b) => sourceOf(model, b.vpc));
      report({
        messageId: db.kind === 'efs' ? 'noMountIngress' : 'noIngress',
        data: {
          kind: KIND_LABEL[db.kind] ?? 'database',
          db: db.id,
          groups: groups.map((g) => g.id).join(', '),
          port: port.value,
          fns: namedList('function', fnIds.map((id) => `'${id}'`), listLabel),
        },
        resource: db.id,
        span: { start: span.start, end: span.end },
        related,
        assumed: [port.param, ...blocked.flatMap((b) => b.assumed)],
        conditions: commonConditions(blocked.map((b) => b.variant.conditions)),
        fix: fixable
          ? (edits): Fix | undefined => {
              const reserved = new Set<string>();
              const resources: Record<string, Value> = {};
              for (const [key, source] of sources) {
                const id = edits.uniqueId(`${target.id}From${key}`, model.resources, reserved);
                resources[id] = {
                  Type: 'AWS::EC2::SecurityGroupIngress',
                  Properties: {
                    GroupId: { 'Fn::GetAtt': [target.id, 'GroupId'] },
                    IpProtocol: 'tcp',
                    FromPort: port.value!,
                    ToPort: port.value!,
                    SourceSecurityGroupId: source,
                    Description: `${db.kind === 'efs' ? 'NFS' : 'Database'} access from ${key}`,
                  },
                };
              }
              const added = edits.addResources(resources, model.dialect === 'serverless');
              if (added.length === 0) return undefined;
              return { title: `Admit tcp/${port.value} from ${[...sources.keys()].join(', ')} on ${target.id}`, safety: 'unsafe', edits: added };
            }
          : undefined,
      });
    }
  },
});
