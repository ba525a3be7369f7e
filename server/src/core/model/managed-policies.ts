/**
 * AWS managed policies known by their content. The few that execution roles name most are bundled
 * (`managed-policies-common.ts`); every other published policy comes from the host through a lookup
 * (the CLI and the language server read the data set the build extracts, only when a template names a
 * policy the bundled table does not hold). A policy in neither is unknown.
 *
 * What a policy makes a function need: the services the policy is named after (`AmazonS3ReadOnlyAccess`
 * -> `s3`, not the `s3-object-lambda` it also grants; `AmazonDynamoDBFullAccess` -> `dynamodb`, not the
 * SNS, CloudWatch and Lambda permissions the console uses). A policy that grants every service (`*`, an
 * allowing `NotAction`) or services its name does not name (`ReadOnlyAccess`, `AWSLambdaExecute`) says
 * nothing sure about what the function calls: its needs are unknown. A policy
 * named after a service whose resources live in a VPC (`AmazonElastiCacheFullAccess`) points at such a
 * resource rather than at the service's API, and the event-source policies grant what the poller uses.
 */
import type { RawManagedPolicy } from './managed-policies-common';
import { COMMON_MANAGED_POLICIES } from './managed-policies-common';
import { VPC_BOUND_SERVICES, actionIsNeed, prefixOf } from './services';

/**
 * A policy as the data set stores it: `s`, the service prefixes its name names; `t`, its statements, each
 * `[effect, ...actions]` with effect `A` (Allow) or `D` (Deny), followed by `!` when the list is a `NotAction`.
 */
export type { RawManagedPolicy };

/** The host's access to the full data set: a policy by name, undefined when not in it. */
export type ManagedPolicyLookup = (name: string) => RawManagedPolicy | undefined;

export interface ManagedStatement {
  effect: 'Allow' | 'Deny';
  notAction: boolean;
  actions: string[];
}

export interface ManagedPolicy {
  statements: ManagedStatement[];
  /** Service prefix -> an action of the policy that grants it; undefined when the policy grants too broadly to tell. */
  needs: Map<string, string> | undefined;
  /** Services it is named after whose resources live in a VPC (`elasticache`). */
  privateServices: string[];
}

/** Policies for the event-source side of Lambda: what they grant, the poller uses. */
const EVENT_SOURCE_POLICIES = new Set([
  'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaKinesisExecutionRole', 'AWSLambdaDynamoDBExecutionRole', 'AWSLambdaMSKExecutionRole', 'AWSLambdaInvocation-DynamoDB',
]);

const decoded = new WeakMap<RawManagedPolicy, ManagedPolicy | null>();

/** The AWS managed policy of that name: the bundled table first, then the host's data set. */
export function managedPolicy(name: string, lookup?: ManagedPolicyLookup): ManagedPolicy | undefined {
  let raw: RawManagedPolicy | undefined = Object.hasOwn(COMMON_MANAGED_POLICIES, name) ? COMMON_MANAGED_POLICIES[name] : undefined;
  if (!raw && lookup) {
    try {
      raw = lookup(name);
    } catch {
      // A host whose data set cannot be read leaves the policy unknown.
      raw = undefined;
    }
  }
  if (!raw || typeof raw !== 'object') return undefined;
  let policy = decoded.get(raw);
  if (policy === undefined) {
    policy = decode(raw, EVENT_SOURCE_POLICIES.has(name)) ?? null;
    decoded.set(raw, policy);
  }
  return policy ?? undefined;
}

function decode(raw: RawManagedPolicy, eventSource: boolean): ManagedPolicy | undefined {
  if (!Array.isArray(raw.t) || !Array.isArray(raw.s)) return undefined;
  const statements: ManagedStatement[] = [];
  for (const st of raw.t) {
    if (!Array.isArray(st) || typeof st[0] !== 'string') return undefined;
    const [flag, ...actions] = st;
    if (!actions.every((a) => typeof a === 'string')) return undefined;
    statements.push({ effect: flag.startsWith('D') ? 'Deny' : 'Allow', notAction: flag.endsWith('!'), actions });
  }
  if (statements.length === 0) return undefined;
  const named = new Set(raw.s.filter((s) => typeof s === 'string'));
  const privateServices = [...named].filter((s) => VPC_BOUND_SERVICES.has(s));
  for (const s of privateServices) named.delete(s);
  return { statements, needs: eventSource ? new Map() : needsOf(statements, named, privateServices.length > 0), privateServices };
}

function needsOf(statements: ManagedStatement[], named: Set<string>, namesPrivateService: boolean): Map<string, string> | undefined {
  const granted = new Map<string, string>();
  for (const st of statements) {
    if (st.effect !== 'Allow') continue;
    if (st.notAction) return undefined;
    for (const action of st.actions) {
      const prefix = prefixOf(action);
      if (prefix === undefined || prefix.includes('*')) return undefined;
      if (actionIsNeed(action) && !granted.has(prefix)) granted.set(prefix, action);
    }
  }
  const own = new Map([...granted].filter(([prefix]) => named.has(prefix)));
  if (own.size > 0 || granted.size === 0 || namesPrivateService) return own;
  return undefined;
}
