/**
 * Which logical ids a template defines, and which ones SAM or the Serverless Framework may generate at
 * deploy time. A reference to an id that is neither resolves to nothing (`unresolved-reference`). When a
 * transform or a plugin can add resources we cannot list, every id may be generated: silence.
 */
import type { Node } from '../tree';
import { get, isMap, isSeq, str } from '../tree';
import type { Dialect } from '../types';

export interface LogicalIds {
  /** The template's resources, whatever their condition. */
  resources: Set<string>;
  parameters: Set<string>;
  /** Whether SAM, the Serverless Framework, a macro or a plugin may create a resource of this id. */
  generated: (id: string) => boolean;
}

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** Prefixes of the resources the Serverless Framework generates besides the functions' own (`<Fn>LambdaFunction`). */
const SERVERLESS_PREFIXES = [
  'IamRole', 'Serverless', 'ApiGateway', 'HttpApi', 'Websockets', 'SNSTopic', 'S3Bucket', 'Cognito', 'IotTopicRule',
  'Custom', 'EventBridge', 'CloudWatch', 'Alb', 'Sqs', 'Stream', 'Kinesis', 'Dynamodb', 'Lambda', 'Log',
];

export function logicalIdsOf(root: Node, dialect: Dialect, resources: Node | undefined): LogicalIds {
  const defined = { resources: new Set<string>(), parameters: new Set<string>() };
  if (isMap(resources)) for (const pair of resources.pairs) defined.resources.add(String(pair.key.value));
  const parameters = get(root, 'Parameters');
  if (isMap(parameters)) for (const pair of parameters.pairs) defined.parameters.add(String(pair.key.value));
  if (dialect === 'serverless') {
    const plugins = get(root, 'plugins');
    if (plugins && !(isSeq(plugins) && plugins.items.length === 0)) return { ...defined, generated: () => true };
    const functions = get(root, 'functions');
    const prefixes = [...SERVERLESS_PREFIXES];
    if (isMap(functions)) for (const pair of functions.pairs) prefixes.push(serverlessNormalized(String(pair.key.value)));
    else if (functions) return { ...defined, generated: () => true };
    return { ...defined, generated: (id) => prefixes.some((p) => id.startsWith(p)) };
  }
  const transform = get(root, 'Transform');
  const transforms = isSeq(transform) ? transform.items.map(str) : transform ? [str(transform)] : [];
  // A macro (or AWS::LanguageExtensions' Fn::ForEach) may add any resource.
  if (transforms.some((t) => t !== SAM_TRANSFORM) || usesMacro(root)) return { ...defined, generated: () => true };
  if (!transforms.includes(SAM_TRANSFORM) && dialect !== 'sam') return { ...defined, generated: () => false };
  // SAM names what it generates after the resource it comes from (`FnRole`, `FnAliasLive`, `ApiProdStage`), or
  // `Serverless...` (the implicit APIs, the CodeDeploy application), or a custom domain's `ApiGatewayDomainName...` / `RecordSetGroup...`.
  const samIds: string[] = ['Serverless', 'CodeDeployServiceRole', 'ApiGatewayDomainName', 'RecordSetGroup'];
  if (isMap(resources)) {
    for (const pair of resources.pairs) {
      if (str(get(pair.value, 'Type'))?.startsWith('AWS::Serverless::')) samIds.push(String(pair.key.value));
    }
  }
  return { ...defined, generated: (id) => samIds.some((p) => id.startsWith(p)) };
}

/** The Serverless Framework's normalized function name: `my-fn_x` becomes `MyDashfnUnderscorex`. */
function serverlessNormalized(name: string): string {
  const n = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return n.charAt(0).toUpperCase() + n.slice(1);
}

/** Whether an `Fn::Transform` or `Fn::ForEach` appears anywhere, aliases included. */
function usesMacro(root: Node): boolean {
  if (root.kind !== 'map') return hasMacro(root);
  for (const pair of root.pairs) {
    if (isMacroKey(pair.key.value)) return true;
    if (pair.key.value !== 'Resources' || !isMap(pair.value)) {
      if (hasMacro(pair.value)) return true;
      continue;
    }
    // Each resource once per node: an editor's analyses share the nodes of the resources an edit left alone.
    for (const resource of pair.value.pairs) {
      if (isMacroKey(resource.key.value)) return true;
      let found = macroInResource.get(resource.value);
      if (found === undefined) macroInResource.set(resource.value, (found = hasMacro(resource.value)));
      if (found) return true;
    }
  }
  return false;
}

const macroInResource = new WeakMap<Node, boolean>();

function isMacroKey(key: unknown): boolean {
  return typeof key === 'string' && (key === 'Fn::Transform' || key.startsWith('Fn::ForEach'));
}

function hasMacro(root: Node): boolean {
  // A node shared through YAML aliases may be looked at twice: the aliases' expansion is bounded when parsed.
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'map') {
      for (const pair of node.pairs) {
        if (isMacroKey(pair.key.value)) return true;
        if (pair.value.kind !== 'scalar') stack.push(pair.value);
      }
    } else if (node.kind === 'seq') {
      for (const item of node.items) if (item.kind !== 'scalar') stack.push(item);
    }
  }
  return false;
}
