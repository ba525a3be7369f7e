/**
 * Execution roles and what they allow: inline policies, `AWS::IAM::Policy` / `ManagedPolicy` resources
 * attached to the role, managed policy ARNs, SAM policy templates, and the roles SAM and the Serverless
 * Framework generate (which get the VPC access policy automatically).
 */
import type { Node, Span } from '../tree';
import { get, isMap, str } from '../tree';
import { factOf, asString, refsOf } from './facts';
import type { ManagedPolicy, ManagedPolicyLookup } from './managed-policies';
import { managedPolicy } from './managed-policies';
import { SAM_POLICY_TEMPLATES, managedPolicyName } from './services';
import type { Fact, Model, PolicySource, PolicyStatement, Resource, Role } from './types';
import type { Scope, Val } from './values';
import { alternatives, evaluate, litString } from './values';

export function statementsOf(document: Node | undefined, scope: Scope): PolicyStatement[] {
  const v = evaluate(document, scope);
  let stmts: Node | undefined;
  if (v.t === 'map') stmts = get(v.node, 'Statement');
  else return [];
  const sv = evaluate(stmts, scope);
  const items = sv.t === 'list' ? sv.items : sv.t === 'map' ? [sv] : [];
  return items.flatMap((item) => (item.t === 'map' ? [statementOf(item.node, scope)] : []));
}

export function statementOf(node: Node & { kind: 'map' }, scope: Scope): PolicyStatement {
  const effect = litString(evaluate(get(node, 'Effect'), scope)) === 'Deny' ? 'Deny' : 'Allow';
  const notAction = get(node, 'NotAction') !== undefined;
  const actionNode = get(node, 'Action') ?? get(node, 'NotAction');
  return {
    effect,
    actions: actionsOf(evaluate(actionNode, scope)),
    notAction,
    resources: get(node, 'Resource'),
    span: { start: node.start, end: node.end },
  };
}

function actionsOf(v: Val): Fact<string>[] {
  const out: Fact<string>[] = [];
  for (const alt of alternatives(v)) {
    const value = alt.value;
    if (value.t === 'list') for (const item of value.items) out.push(...actionsOf(item));
    else if (value.t !== 'none') out.push(factOf(value, asString));
  }
  return out;
}

function literalStatements(actions: string[], span: Span): PolicyStatement[] {
  return [{ effect: 'Allow', actions: actions.map((a) => ({ state: 'known', value: a, span })), notAction: false, resources: undefined, span }];
}

function managedStatements(policy: ManagedPolicy, span: Span): PolicyStatement[] {
  return policy.statements.map((st) => ({
    effect: st.effect,
    actions: st.actions.map((a) => ({ state: 'known', value: a, span })),
    notAction: st.notAction,
    resources: undefined,
    span,
  }));
}

export function managedSource(fact: Fact<string>, span: Span, lookup?: ManagedPolicyLookup): PolicySource {
  const name = fact.value ? managedPolicyName(fact.value) : undefined;
  const policy = name ? managedPolicy(name, lookup) : undefined;
  const at = fact.span ?? span;
  return {
    kind: 'managed-arn',
    name: name ?? fact.value,
    span: at,
    statements: policy ? managedStatements(policy, at) : [],
    state: fact.state,
    ...(policy ? { managed: policy } : {}),
  };
}

/** Roles defined in the template, with every policy attached to them. */
export function buildRoles(model: Model, scope: Scope): void {
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::IAM::Role') continue;
    const role: Role = { id: r.id, resource: r, generated: false, managedPolicyArns: [], sources: [] };
    const arnsNode = get(r.properties, 'ManagedPolicyArns');
    if (arnsNode) role.managedPolicyArnsNode = arnsNode;
    const arns = evaluate(arnsNode, scope);
    for (const alt of alternatives(arns)) {
      if (alt.value.t !== 'list') continue;
      for (const item of alt.value.items) {
        for (const one of alternatives(item)) {
          const v = one.value;
          if (v.t === 'none') continue;
          if (v.t === 'ref' && model.resources.get(v.id)?.type === 'AWS::IAM::ManagedPolicy') continue; // attached below
          const fact = factOf(v, asString);
          role.managedPolicyArns.push(fact);
          role.sources.push(managedSource(fact, r.keySpan, scope.managedPolicies));
        }
      }
    }
    const policies = evaluate(get(r.properties, 'Policies'), scope);
    if (policies.t === 'list') {
      for (const p of policies.items) {
        if (p.t !== 'map') continue;
        role.sources.push({ kind: 'inline', name: str(get(p.node, 'PolicyName')), span: p.span, statements: statementsOf(get(p.node, 'PolicyDocument'), scope), state: 'known' });
      }
    }
    model.roles.set(r.id, role);
  }
  for (const r of model.resources.values()) {
    if (r.type !== 'AWS::IAM::Policy' && r.type !== 'AWS::IAM::ManagedPolicy' && r.type !== 'AWS::IAM::RolePolicy') continue;
    const statements = statementsOf(get(r.properties, 'PolicyDocument'), scope);
    const attach = (roleId: string | undefined, viaRole = false) => {
      const role = roleId ? model.roles.get(roleId) : undefined;
      const existing = role?.sources.find((s) => s.resource === r.id);
      if (existing) {
        if (viaRole) existing.viaRole = true;
      } else if (role) {
        role.sources.push({ kind: 'policy-resource', resource: r.id, span: r.keySpan, statements, state: 'known', ...(viaRole ? { viaRole } : {}) });
      }
    };
    for (const ref of refsOf(evaluate(get(r.properties, 'Roles'), scope))) attach(ref.id ?? roleIdByName(model, ref.literal, scope));
    // `AWS::IAM::RolePolicy` names its one role; `Ref` of a role is its name.
    for (const ref of refsOf(evaluate(get(r.properties, 'RoleName'), scope))) attach(ref.id ?? roleIdByName(model, ref.literal, scope));
    if (r.type === 'AWS::IAM::ManagedPolicy') {
      for (const role of model.roles.values()) {
        const arns = evaluate(get(role.resource?.properties, 'ManagedPolicyArns'), scope);
        if (refsOf(arns).some((ref) => ref.id === r.id)) attach(role.id, true);
      }
    }
  }
}

function roleIdByName(model: Model, name: string | undefined, scope: Scope): string | undefined {
  if (!name) return undefined;
  for (const role of model.roles.values()) {
    if (litString(evaluate(get(role.resource?.properties, 'RoleName'), scope)) === name) return role.id;
  }
  return undefined;
}

/** SAM `Policies`: a managed policy name or ARN, a SAM policy template, an inline document, or a list of these. */
export function samPolicySources(policies: Node | undefined, scope: Scope): PolicySource[] {
  const out: PolicySource[] = [];
  const v = evaluate(policies, scope);
  const items = v.t === 'list' ? v.items : [v];
  for (const item of items) {
    for (const alt of alternatives(item)) {
      const value = alt.value;
      if (value.t === 'none') continue;
      if (value.t === 'map') {
        const template = value.node.pairs.length === 1 ? String(value.node.pairs[0]!.key.value) : undefined;
        if (template && SAM_POLICY_TEMPLATES[template]) {
          out.push({ kind: 'sam-template', name: template, span: value.span, statements: literalStatements(SAM_POLICY_TEMPLATES[template]!, value.span), state: 'known' });
        } else if (get(value.node, 'Statement') !== undefined) {
          out.push({ kind: 'inline', span: value.span, statements: statementsOf(value.node, scope), state: 'known' });
        } else if (template) {
          out.push({ kind: 'sam-template', name: template, span: value.span, statements: [], state: 'unknown' });
        }
      } else {
        out.push(managedSource(factOf(value, asString), value.span, scope.managedPolicies));
      }
    }
  }
  return out;
}

/** The source standing for the VPC access policy that SAM and Serverless add to the roles they generate. */
export function generatedVpcPolicy(span: Span): PolicySource {
  return managedSource({ state: 'known', value: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole', span }, span);
}

/** A Serverless list of IAM statements, one source each. */
function statementSources(node: Node | undefined, scope: Scope, out: PolicySource[]): void {
  const v = evaluate(node, scope);
  if (v.t === 'unknown') out.push({ kind: 'inline', span: v.span, statements: [], state: 'unknown' });
  if (v.t !== 'list') return;
  for (const item of v.items) {
    if (item.t === 'map') out.push({ kind: 'inline', span: item.span, statements: [statementOf(item.node, scope)], state: 'known' });
  }
}

/** Serverless statements (`provider.iam.role.statements`, `iamRoleStatements`) and managed policies. */
export function serverlessPolicySources(provider: Node | undefined, scope: Scope): PolicySource[] {
  const out: PolicySource[] = [];
  const iamRole = get(get(provider, 'iam'), 'role');
  for (const node of [isMap(iamRole) ? get(iamRole, 'statements') : undefined, get(provider, 'iamRoleStatements')]) statementSources(node, scope, out);
  const managedNodes = [isMap(iamRole) ? get(iamRole, 'managedPolicies') : undefined, get(provider, 'iamManagedPolicies')];
  for (const node of managedNodes) {
    const v = evaluate(node, scope);
    if (v.t !== 'list') continue;
    for (const item of v.items) out.push(managedSource(factOf(item, asString), item.span, scope.managedPolicies));
  }
  return out;
}

export const ROLES_PER_FUNCTION_PLUGIN = 'serverless-iam-roles-per-function';

/**
 * The role the `serverless-iam-roles-per-function` plugin makes for a function with `iamRoleStatements`:
 * its statements, the provider's when inherited (`iamRoleStatementsInherit`, or the plugin's `defaultInherit`
 * unless the function says `false`), and not the provider's managed policies. The plugin's own statements
 * (logs, stream and queue pollers, the dead-letter topic) are the platform's and make no need.
 */
export function perFunctionPolicySources(fn: Node, provider: Node | undefined, defaultInherit: Val, scope: Scope): PolicySource[] {
  const out: PolicySource[] = [];
  statementSources(get(fn, 'iamRoleStatements'), scope, out);
  const own = evaluate(get(fn, 'iamRoleStatementsInherit'), scope);
  const inherit = own.t === 'none' ? defaultInherit : own;
  const inherits = inherit.t === 'lit' && !inherit.partial ? inherit.v === true || inherit.v === 'true' : inherit.t === 'none' ? false : undefined;
  // The plugin reads `provider.iam.role.statements` when `provider.iam` is there, else `provider.iamRoleStatements`.
  const iam = get(provider, 'iam');
  const providerStatements = iam !== undefined ? get(get(iam, 'role'), 'statements') : get(provider, 'iamRoleStatements');
  if (inherits === undefined) {
    if (providerStatements) out.push({ kind: 'inline', span: inherit.span, statements: [], state: 'unknown' });
  } else if (inherits) {
    statementSources(providerStatements, scope, out);
  }
  return out;
}

export function resourceRoleId(model: Model, v: Val): { state: 'known' | 'unknown'; id?: string; reason?: string } {
  if (v.t === 'ref' && model.roles.has(v.id)) return { state: 'known', id: v.id };
  if (v.t === 'lit' && !v.partial && model.roles.has(String(v.v))) return { state: 'known', id: String(v.v) };
  if (v.t === 'ref') return { state: 'unknown', reason: `'${v.id}' is not an IAM role of this template` };
  if (v.t === 'unknown') return { state: 'unknown', reason: v.reason };
  return { state: 'unknown', reason: 'the role is not defined in this template' };
}

export type { Resource };
