/**
 * Completion where a VPC needs a reference: subnet logical ids in `SubnetIds` (with their AZ and way
 * out), `!GetAtt X.GroupId` in `SecurityGroupIds`, endpoint service names in `ServiceName`,
 * `!Select [i, !GetAZs '']` in a subnet's `AvailabilityZone`, route tables in an endpoint's
 * `RouteTableIds`, rule ids in suppressions; and the properties and enum values of the schemas under
 * schemas/. YAML gets short-form tags, JSON the long form. The cursor's place is read from the current
 * text; the template's resources may come from the last analysis, of an older version, so that typing
 * does not wait for an analysis per keystroke.
 */
import type { CompletionItem } from 'vscode-languageserver';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Model } from '../core/model/types';
import { subnetEgress } from '../core/model/queries';
import { endpointServiceOf } from '../core/model/services';
import type { Node } from '../core/tree';
import { get, isMap } from '../core/tree';
import type { Format } from '../core/types';
import type { AnalysisEntry } from './analysis';
import type { CursorContext } from './cursor-context';
import { ITEM, cursorContext } from './cursor-context';
import { rangeOf } from './diagnostics';
import { egressLabel } from './resolve';
import type { Located } from './schema-docs';
import type { SnippetScope } from './snippets';
import { emptyFileWord, snippetItems } from './snippets';
import { descriptionOf, enumOf, isList, propertiesOf, resourceTypeAt, ruleIdEnum, schemaAt } from './schema-docs';

/** Endpoint services offered for `ServiceName`, most used by Lambda functions first. */
export const ENDPOINT_SERVICES = [
  's3', 'dynamodb', 'sqs', 'sns', 'secretsmanager', 'ssm', 'kms', 'sts', 'kinesis-streams', 'kinesis-firehose',
  'events', 'states', 'lambda', 'logs', 'monitoring', 'execute-api', 'ecr.api', 'ecr.dkr', 'elasticfilesystem',
  'ec2', 'ssmmessages', 'ec2messages', 'rds', 'rds-data', 'athena', 'glue', 'bedrock-runtime', 'textract', 'rekognition',
  'comprehend', 'sagemaker.runtime', 'email', 'email-smtp', 'appconfig', 'appconfigdata', 'codeartifact.api', 'xray',
];

const FUNCTION_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Serverless::Function']);
const SUPPRESS = /#\s*lambda-vpc-lint-disable(?:-next-line)?\s+((?:[a-z0-9-]+\s*,\s*)*)([a-z0-9-]*)$/;

type Slot = 'subnet' | 'security-group' | 'route-table' | 'service-name' | 'availability-zone' | 'rule-id';

export function completions(doc: TextDocument, entry: AnalysisEntry, offset: number): CompletionItem[] {
  const result = entry.result;
  const format: Format = result?.format ?? (doc.languageId === 'json' ? 'json' : 'yaml');
  const text = doc.getText();
  // Rule ids in a suppression comment.
  if (format === 'yaml') {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const m = SUPPRESS.exec(text.slice(lineStart, offset));
    if (m) {
      const start = offset - m[2]!.length;
      const taken = new Set(m[1]!.split(/[\s,]+/).filter(Boolean));
      return ruleIdEnum().filter((r) => !taken.has(r.id)).map((r) => ({
        label: r.id,
        kind: CompletionItemKind.EnumMember,
        detail: r.description,
        textEdit: { range: rangeOf(doc, { start, end: offset }), newText: r.id },
      }));
    }
  }
  if (!result?.dialect) return [];
  const ctx = cursorContext(text, offset, format);
  if (!ctx) return [];
  const root = result.root;
  const model = result.model;
  const slot = slotOf(ctx, root, result.dialect);
  const items: CompletionItem[] = [];
  if (slot && model) items.push(...slotItems(slot, ctx, doc, format, model));
  items.push(...schemaItems(ctx, doc, format, root, result.dialect, text));
  const scope = snippetScope(ctx, format, result.dialect);
  if (scope) items.push(...snippetItems(format, scope, model, rangeOf(doc, ctx.replace), ctx.inString));
  return items;
}

/** In a file with nothing but the word being typed: the whole-template snippets. */
export function emptyFileCompletions(doc: TextDocument, offset: number): CompletionItem[] | undefined {
  const word = emptyFileWord(doc.getText(), offset);
  if (!word) return undefined;
  return snippetItems(doc.languageId === 'json' ? 'json' : 'yaml', 'file', undefined, rangeOf(doc, word), false);
}

/** Where a resource or a Serverless function can go: a key at resource (or function) indentation. */
function snippetScope(ctx: CursorContext, format: Format, dialect: string): SnippetScope | undefined {
  if (ctx.position !== 'key' || (format === 'yaml' && ctx.flow)) return undefined;
  const at = ctx.path.join('/');
  if (dialect === 'serverless') return at === 'resources/Resources' ? 'resources' : at === 'functions' ? 'functions' : undefined;
  return at === 'Resources' ? 'resources' : undefined;
}

function slotOf(ctx: CursorContext, root: Node | undefined, dialect: string): Slot | undefined {
  const path = ctx.path;
  const item = ctx.position === 'item';
  const last = path[path.length - 1];
  const keyOfList = item ? path[path.length - 2] : undefined;
  if (item && path[path.length - 2] === 'ignore' && path[path.length - 3] === 'lambda-vpc-lint') return 'rule-id';
  if (dialect === 'serverless' && item) {
    const vpcAt = path.indexOf('vpc');
    const inVpc = (path[0] === 'provider' && vpcAt === 1) || (path[0] === 'functions' && vpcAt === 2);
    if (inVpc && path.length === vpcAt + 3) {
      if (keyOfList === 'subnetIds') return 'subnet';
      if (keyOfList === 'securityGroupIds') return 'security-group';
    }
  }
  if (item && path[0] === 'Globals' && path[1] === 'Function' && path[2] === 'VpcConfig' && path.length === 5) {
    if (keyOfList === 'SubnetIds') return 'subnet';
    if (keyOfList === 'SecurityGroupIds') return 'security-group';
  }
  const res = resourceTypeAt(path, root);
  if (!res || res.rest[0] !== 'Properties') return undefined;
  const props = res.rest.slice(1);
  if (res.type && FUNCTION_TYPES.has(res.type) && item && props.length === 3 && props[0] === 'VpcConfig') {
    if (keyOfList === 'SubnetIds') return 'subnet';
    if (keyOfList === 'SecurityGroupIds') return 'security-group';
  }
  if (res.type === 'AWS::EC2::VPCEndpoint') {
    if (ctx.position === 'value' && props.length === 1 && last === 'ServiceName') return 'service-name';
    if (item && props.length === 2) {
      if (keyOfList === 'SubnetIds') return 'subnet';
      if (keyOfList === 'SecurityGroupIds') return 'security-group';
      if (keyOfList === 'RouteTableIds') return 'route-table';
    }
  }
  if (res.type === 'AWS::EC2::Subnet' && ctx.position === 'value' && props.length === 1 && last === 'AvailabilityZone') return 'availability-zone';
  if (res.type === 'AWS::EC2::NatGateway' && ctx.position === 'value' && props.length === 1 && last === 'SubnetId') return 'subnet';
  return undefined;
}

interface Candidate {
  label: string;
  yaml: string;
  json: string;
  detail?: string;
  documentation?: string;
  sortText?: string;
  kind: CompletionItemKind;
  /** Another spelling to match what was typed (`com.amazonaws.sqs` for `sqs`). */
  alias?: string;
}

function item(c: Candidate, ctx: CursorContext, doc: TextDocument, format: Format): CompletionItem {
  const newText = format === 'json' ? c.json : c.yaml;
  const typed = ctx.typed.trimStart();
  // Match what was typed: the full form once the user typed a tag or a quote, else the logical id.
  const base = /^[!{"']/.test(typed) ? (format === 'json' && ctx.inString ? `"${c.label}"` : newText) : c.label;
  const filterText = c.alias ? `${base} ${format === 'json' && ctx.inString ? '"' : ''}${c.alias}` : base;
  const out: CompletionItem = {
    label: c.label,
    kind: c.kind,
    filterText,
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range: rangeOf(doc, ctx.replace), newText },
  };
  if (c.detail) out.detail = c.detail;
  if (c.documentation) out.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  if (c.sortText) out.sortText = c.sortText;
  if (newText !== c.label) out.labelDetails = { description: newText.length > 60 ? `${newText.slice(0, 57)}...` : newText };
  return out;
}

function slotItems(slot: Slot, ctx: CursorContext, doc: TextDocument, format: Format, model: Model): CompletionItem[] {
  const candidates: Candidate[] = [];
  switch (slot) {
    case 'subnet':
      for (const subnet of model.subnets.values()) {
        const egress = subnetEgress(model, subnet);
        const az = subnet.az.kind === 'unknown' ? 'AZ unknown' : subnet.az.kind === 'index' ? `AZ #${subnet.az.value}` : subnet.az.value;
        const rank = egress.kind === 'internet-gateway' ? 2 : egress.kind === 'none' ? 1 : 0;
        candidates.push({
          label: subnet.id,
          yaml: `!Ref ${subnet.id}`,
          json: `{ "Ref": "${subnet.id}" }`,
          detail: `${az}${subnet.cidr.value ? ` · ${subnet.cidr.value}` : ''}${subnet.vpc.id ? ` · ${subnet.vpc.id}` : ''}`,
          documentation: `Subnet \`${subnet.id}\` in ${az}\n\negress: ${egressLabel(egress.kind, egress.nat)}`,
          sortText: `${rank}${subnet.id}`,
          kind: CompletionItemKind.Reference,
        });
      }
      break;
    case 'security-group':
      for (const group of model.securityGroups.values()) {
        candidates.push({
          label: group.id,
          yaml: `!GetAtt ${group.id}.GroupId`,
          json: `{ "Fn::GetAtt": ["${group.id}", "GroupId"] }`,
          detail: group.vpc?.id ? `security group · ${group.vpc.id}` : 'security group',
          documentation: group.inlineEgress === undefined ? 'egress: all allowed' : `egress: ${group.inlineEgress.length + group.standaloneEgress.length} rule(s)`,
          kind: CompletionItemKind.Reference,
        });
      }
      break;
    case 'route-table':
      for (const table of model.routeTables.values()) {
        candidates.push({ label: table.id, yaml: `!Ref ${table.id}`, json: `{ "Ref": "${table.id}" }`, detail: 'route table', kind: CompletionItemKind.Reference });
      }
      break;
    case 'service-name': {
      const needed = new Map<string, string[]>();
      for (const fn of model.functions) {
        for (const service of fn.needs.services.keys()) {
          const name = endpointServiceOf(service).endpoint;
          if (name) needed.set(name, [...(needed.get(name) ?? []), fn.id]);
        }
      }
      ENDPOINT_SERVICES.forEach((service, i) => {
        const gateway = service === 's3' || service === 'dynamodb';
        const users = needed.get(service);
        candidates.push({
          label: service,
          yaml: `!Sub com.amazonaws.\${AWS::Region}.${service}`,
          json: `{ "Fn::Sub": "com.amazonaws.\${AWS::Region}.${service}" }`,
          detail: `${gateway ? 'gateway' : 'interface'} endpoint${users ? ` · needed by ${users.join(', ')}` : ''}`,
          documentation: gateway
            ? 'A gateway endpoint: set `VpcEndpointType: Gateway` (the default) and `RouteTableIds` with the route tables of the function subnets.'
            : 'An interface endpoint: set `VpcEndpointType: Interface`, `PrivateDnsEnabled: true`, `SubnetIds` and a security group admitting tcp/443 from the function.',
          sortText: `${users ? 0 : 1}${String(i).padStart(3, '0')}`,
          kind: CompletionItemKind.Value,
          alias: `com.amazonaws.${model.region}.${service}`,
        });
      });
      break;
    }
    case 'availability-zone': {
      const used = new Map<number, string[]>();
      for (const subnet of model.subnets.values()) {
        if (subnet.az.kind === 'index') used.set(subnet.az.value, [...(used.get(subnet.az.value) ?? []), subnet.id]);
      }
      const ordinal = ['1st', '2nd', '3rd', '4th', '5th', '6th'];
      for (let i = 0; i < 6; i++) {
        const users = used.get(i);
        candidates.push({
          label: `!Select [${i}, !GetAZs '']`,
          yaml: `!Select [${i}, !GetAZs '']`,
          json: `{ "Fn::Select": [${i}, { "Fn::GetAZs": "" }] }`,
          detail: `${ordinal[i]} Availability Zone of the region${users ? ` · used by ${users.join(', ')}` : ''}`,
          sortText: `${users ? 1 : 0}${i}`,
          kind: CompletionItemKind.Value,
        });
      }
      break;
    }
    case 'rule-id':
      for (const r of ruleIdEnum()) {
        candidates.push({ label: r.id, yaml: r.id, json: `"${r.id}"`, detail: r.description, kind: CompletionItemKind.EnumMember });
      }
      break;
  }
  const items = candidates.map((c) => item(c, ctx, doc, format));
  // A name no resource has and no candidate starts with (a snippet's placeholder, `PrivateRouteTableA`):
  // the candidates must still match it, or the editor filters every one of them out.
  const word = /^(?:![A-Za-z]+\s+|")?([A-Za-z0-9]+)"?$/.exec(ctx.typed.trimStart())?.[1];
  if (word && !model.resources.has(word) && !candidates.some((c) => c.label.toLowerCase().startsWith(word.toLowerCase()))) {
    for (const i of items) i.filterText = `${ctx.typed} ${i.filterText ?? i.label}`;
  }
  return items;
}

/** Property names of a schema-covered map, and enum values of a schema-covered value. */
function schemaItems(ctx: CursorContext, doc: TextDocument, format: Format, root: Node | undefined, dialect: string, text: string): CompletionItem[] {
  if (ctx.position === 'key') {
    const at = schemaAt(ctx.path, root, dialect);
    if (!at) return [];
    const existing = existingKeys(root, ctx.path, ctx.replace.start);
    return propertiesOf(at)
      .filter((p) => !existing.has(p.name))
      .map((p, i) => keyItem(p.name, p.schema, p.required, i, ctx, doc, format, text));
  }
  const at = schemaAt(ctx.path, root, dialect);
  if (!at) return [];
  if (ctx.path[ctx.path.length - 1] === ITEM && ctx.path[ctx.path.length - 2] === 'ignore') return []; // the rule-id slot
  return enumOf(at).map((e) => item({
    label: e.value,
    yaml: e.value,
    json: `"${e.value}"`,
    detail: e.description,
    kind: CompletionItemKind.EnumMember,
  }, ctx, doc, format));
}

function keyItem(name: string, schema: Located, required: boolean, index: number, ctx: CursorContext, doc: TextDocument, format: Format, text: string): CompletionItem {
  const docs = descriptionOf(schema);
  let newText: string;
  if (format === 'json') {
    const after = text.slice(ctx.replace.end).trimStart();
    newText = after.startsWith(':') ? `"${name}"` : `"${name}": `;
  } else newText = isList(schema) && !ctx.flow ? `${name}:` : `${name}: `;
  const out: CompletionItem = {
    label: name,
    kind: CompletionItemKind.Property,
    filterText: format === 'json' && ctx.inString ? `"${name}"` : name,
    textEdit: { range: rangeOf(doc, ctx.replace), newText },
    sortText: `${required ? 0 : 1}${String(index).padStart(3, '0')}`,
  };
  if (docs) out.documentation = { kind: MarkupKind.Markdown, value: docs.markdown };
  if (required) out.detail = 'required';
  return out;
}

/** The keys already in the map at `path` (YAML or JSON tree), except the one being typed. */
function existingKeys(root: Node | undefined, path: readonly string[], typingAt: number): Set<string> {
  let node: Node | undefined = root;
  for (const key of path) {
    if (key === ITEM) {
      if (node?.kind !== 'seq') return new Set();
      node = node.items.find((i) => i.start <= typingAt && typingAt <= i.end) ?? node.items[node.items.length - 1];
    } else node = get(node, key);
  }
  if (!isMap(node)) return new Set();
  return new Set(node.pairs.filter((p) => !(p.key.start <= typingAt && typingAt <= p.key.end)).map((p) => String(p.key.value)));
}
