/**
 * The JSON Schemas under schemas/ as the editor uses them: which schema covers a place in a template,
 * the description of a property (hover), the properties a map may take and the values an enum allows
 * (completion). Bundled into the server; validation itself is left to the rules and to cfn-lint.
 */
import type { Node } from '../core/tree';
import { get, str } from '../core/tree';
import intrinsics from '../../../schemas/cfn-intrinsics.schema.json';
import subnet from '../../../schemas/ec2-subnet.schema.json';
import securityGroup from '../../../schemas/ec2-security-group.schema.json';
import vpcEndpoint from '../../../schemas/ec2-vpc-endpoint.schema.json';
import lambdaVpcConfig from '../../../schemas/lambda-vpc-config.schema.json';
import serverlessVpc from '../../../schemas/serverless-vpc.schema.json';
import suppression from '../../../schemas/suppression-metadata.schema.json';
import { ITEM } from './cursor-context';

export interface Schema {
  $ref?: string;
  $id?: string;
  title?: string;
  description?: string;
  markdownDescription?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  enumDescriptions?: string[];
  required?: string[];
  definitions?: Record<string, Schema>;
}

/** A schema and the file it is in (for resolving relative `$ref`s). */
export interface Located {
  schema: Schema;
  file: string;
}

const FILES = new Map<string, Schema>([
  ['cfn-intrinsics.schema.json', intrinsics as Schema],
  ['ec2-subnet.schema.json', subnet as Schema],
  ['ec2-security-group.schema.json', securityGroup as Schema],
  ['ec2-vpc-endpoint.schema.json', vpcEndpoint as Schema],
  ['lambda-vpc-config.schema.json', lambdaVpcConfig as Schema],
  ['serverless-vpc.schema.json', serverlessVpc as Schema],
  ['suppression-metadata.schema.json', suppression as Schema],
]);

/** The rule ids the suppression schema allows, with their one-line descriptions. */
export function ruleIdEnum(): { id: string; description?: string }[] {
  const def = (suppression as Schema).definitions?.ruleId;
  return (def?.enum ?? []).map((id, i) => ({ id: String(id), description: def?.enumDescriptions?.[i] }));
}

function located(file: string, pointer = ''): Located | undefined {
  let schema: unknown = FILES.get(file);
  for (const part of pointer.split('/').filter(Boolean)) {
    if (schema === null || typeof schema !== 'object') return undefined;
    schema = (schema as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return schema && typeof schema === 'object' ? { schema: schema as Schema, file } : undefined;
}

function deref(at: Located, seen = 0): Located {
  const ref = at.schema.$ref;
  if (!ref || seen > 16) return at;
  const [file, pointer] = ref.split('#');
  const target = located(file ? file.replace(/^.*\//, '') : at.file, pointer);
  return target ? deref(target, seen + 1) : at;
}

/** The schema and every schema it stands for through `$ref`, `anyOf`, `oneOf` and `allOf`. */
function branches(at: Located, depth = 0): Located[] {
  if (depth > 8) return [];
  const out: Located[] = [at];
  const d = deref(at);
  if (d !== at) out.push(...branches(d, depth + 1));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const s of d.schema[key] ?? []) out.push(...branches({ schema: s, file: d.file }, depth + 1));
  }
  return out;
}

/** The schema of a property or an item of the schema at `at`. */
export function childOf(at: Located, key: string): Located | undefined {
  for (const b of branches(at)) {
    if (key === ITEM) {
      if (b.schema.items) return { schema: b.schema.items, file: b.file };
    } else if (b.schema.properties?.[key]) return { schema: b.schema.properties[key]!, file: b.file };
  }
  return undefined;
}

export function descriptionOf(at: Located): { markdown: string; title?: string } | undefined {
  for (const b of branches(at)) {
    const md = b.schema.markdownDescription ?? b.schema.description;
    if (md) return { markdown: md, title: b.schema.title };
  }
  return undefined;
}

/** The properties a map at `at` may have, with their schemas. */
export function propertiesOf(at: Located): { name: string; schema: Located; required: boolean }[] {
  const out = new Map<string, { name: string; schema: Located; required: boolean }>();
  for (const b of branches(at)) {
    const required = new Set(b.schema.required ?? []);
    for (const [name, schema] of Object.entries(b.schema.properties ?? {})) {
      if (!out.has(name)) out.set(name, { name, schema: { schema, file: b.file }, required: required.has(name) });
    }
  }
  return [...out.values()];
}

/** The literal values an enum allows at `at`, with their descriptions. */
export function enumOf(at: Located): { value: string; description?: string }[] {
  for (const b of branches(at)) {
    if (b.schema.enum) return b.schema.enum.map((v, i) => ({ value: String(v), description: b.schema.enumDescriptions?.[i] }));
  }
  return [];
}

/** Whether the schema at `at` takes a list (its value's items are what completion offers). */
export function isList(at: Located): boolean {
  return branches(at).some((b) => b.schema.type === 'array' || b.schema.items !== undefined);
}

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);

/**
 * The schema that covers the node at `path` (keys from the root, `ITEM` for list levels), and the
 * path below the schema's root. `root` is the template, for the resource types.
 */
export function schemaAt(path: readonly string[], root: Node | undefined, dialect: string | undefined): Located | undefined {
  const base = schemaRoot(path, root, dialect);
  if (!base) return undefined;
  let at: Located | undefined = base.at;
  for (const key of path.slice(base.depth)) {
    at = at && childOf(at, key);
    if (!at) return undefined;
  }
  return at;
}

function schemaRoot(path: readonly string[], root: Node | undefined, dialect: string | undefined): { at: Located; depth: number } | undefined {
  const file = (name: string, pointer = '') => located(name, pointer);
  // Serverless: `provider.vpc`, `functions.<name>.vpc`, and CloudFormation under `resources.Resources`.
  if (dialect === 'serverless') {
    if (path[0] === 'provider' && path[1] === 'vpc') return wrap(file('serverless-vpc.schema.json'), 2);
    if (path[0] === 'functions' && path.length >= 3 && path[2] === 'vpc') return wrap(file('serverless-vpc.schema.json'), 3);
    if (path[0] === 'resources' && path[1] === 'Resources') {
      const inner = resourceRoot(path.slice(1), get(get(root, 'resources'), 'Resources'));
      return inner && { at: inner.at, depth: inner.depth + 1 };
    }
    return undefined;
  }
  if (path[0] === 'Metadata') return wrap(file('suppression-metadata.schema.json'), 1);
  if (path[0] === 'Globals' && path[1] === 'Function' && path[2] === 'VpcConfig') return wrap(file('lambda-vpc-config.schema.json'), 3);
  if (path[0] === 'Resources') return resourceRoot(path, get(root, 'Resources'));
  return undefined;
}

function wrap(at: Located | undefined, depth: number): { at: Located; depth: number } | undefined {
  return at ? { at, depth } : undefined;
}

/** `path` starts with `Resources`, `<id>`; `resources` is the Resources map. */
function resourceRoot(path: readonly string[], resources: Node | undefined): { at: Located; depth: number } | undefined {
  if (path.length < 3) return undefined;
  const id = path[1]!;
  if (path[2] === 'Metadata') return wrap(located('suppression-metadata.schema.json'), 3);
  if (path[2] !== 'Properties') return undefined;
  const type = str(get(get(resources, id), 'Type'));
  switch (type) {
    case 'AWS::EC2::Subnet':
      return wrap(located('ec2-subnet.schema.json'), 3);
    case 'AWS::EC2::SecurityGroup':
      return wrap(located('ec2-security-group.schema.json'), 3);
    case 'AWS::EC2::SecurityGroupIngress':
      return wrap(located('ec2-security-group.schema.json', '/definitions/standaloneIngress'), 3);
    case 'AWS::EC2::SecurityGroupEgress':
      return wrap(located('ec2-security-group.schema.json', '/definitions/standaloneEgress'), 3);
    case 'AWS::EC2::VPCEndpoint':
      return wrap(located('ec2-vpc-endpoint.schema.json'), 3);
    default:
      if (type && FUNCTION_TYPES.has(type) && path[3] === 'VpcConfig') return wrap(located('lambda-vpc-config.schema.json'), 4);
      return undefined;
  }
}

/** The resource type at `Resources.<id>` (or a Serverless file's `resources.Resources.<id>`). */
export function resourceTypeAt(path: readonly string[], root: Node | undefined): { id: string; type: string | undefined; rest: string[] } | undefined {
  if (path[0] === 'Resources' && path.length >= 2) {
    return { id: path[1]!, type: str(get(get(get(root, 'Resources'), path[1]!), 'Type')), rest: path.slice(2) };
  }
  if (path[0] === 'resources' && path[1] === 'Resources' && path.length >= 3) {
    return { id: path[2]!, type: str(get(get(get(get(root, 'resources'), 'Resources'), path[2]!), 'Type')), rest: path.slice(3) };
  }
  return undefined;
}
