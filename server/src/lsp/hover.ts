/**
 * Hover: on a function (its logical id, or anywhere in its VPC settings) the network path the engine
 * resolved for it, as `lambda-vpc-lint explain` prints it; on a reference (`Ref`, `Fn::GetAtt`, a
 * `Fn::Sub` variable, `${self:...}`) the value or resource it resolves to; on a property of a VPC-related
 * resource, the property's documentation from schemas/.
 */
import type { Hover } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findingsOfFunction } from '../core/concerns';
import type { ExplainedFunction } from '../core/explain';
import { explainText } from '../core/explain';
import { coverageLine, coverageOf } from '../core/model/coverage';
import type { LambdaFunction, Model } from '../core/model/types';
import type { Node, Span } from '../core/tree';
import { get, getPair } from '../core/tree';
import type { AnalysisEntry } from './analysis';
import { explained } from './analysis';
import { rangeOf } from './diagnostics';
import type { Target } from './locate';
import { chainAt, chainPath, nodeAtPath, targetAt } from './locate';
import { describeResource, describeValue, evaluateNode, scopeOf } from './resolve';
import { descriptionOf, schemaAt } from './schema-docs';

const MAX_FUNCTIONS = 5;

export function hover(doc: TextDocument, entry: AnalysisEntry, offset: number): Hover | null {
  const result = entry.result;
  const root = result?.root;
  if (!result || !root || !result.dialect) return null;
  const model = result.model;
  const target = targetAt(root, entry.text, offset, result.dialect === 'serverless');
  if (target) {
    const markdown = referenceHover(target, root, model, entry);
    if (markdown) return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: rangeOf(doc, target.span) };
  }
  const parts: string[] = [];
  let range: Span | undefined;
  const chain = chainAt(root, offset);
  if (chain.key) {
    const path = chainPath(chain).map((p) => (typeof p === 'number' ? '[]' : p));
    const schema = schemaAt(path, root, result.dialect);
    const docs = schema && descriptionOf(schema);
    if (docs) {
      parts.push(`**${chain.key.key.value}**${docs.title && docs.title !== String(chain.key.key.value) ? ` — ${docs.title}` : ''}\n\n${docs.markdown}`);
      range = chain.key.key;
    }
  }
  if (model) {
    const fns = functionsAt(model, offset);
    if (fns.length) {
      const all = explained(entry);
      const shown = fns.slice(0, MAX_FUNCTIONS).map((fn) => all.find((e) => e.id === fn.id)).filter((e): e is ExplainedFunction => !!e);
      for (const e of shown) parts.push(explainMarkdown(e, entry));
      if (fns.length > MAX_FUNCTIONS) parts.push(`…and ${fns.length - MAX_FUNCTIONS} more functions.`);
      const own = fns.length === 1 && fns[0]!.keySpan.start <= offset && offset <= fns[0]!.keySpan.end ? fns[0]!.keySpan : undefined;
      range ??= own;
    }
  }
  if (!parts.length) return null;
  const out: Hover = { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') } };
  if (range) out.range = rangeOf(doc, range);
  return out;
}

/** The functions whose logical id or VPC settings (own, or inherited from Globals / provider.vpc) are at the offset. */
export function functionsAt(model: Model, offset: number): LambdaFunction[] {
  const inside = (s: Span | undefined) => !!s && s.start <= offset && offset <= s.end;
  const direct = model.functions.filter((fn) => {
    if (inside(fn.keySpan)) return true;
    const pair = getPair(fn.properties, 'VpcConfig') ?? getPair(fn.properties, 'vpc');
    if (pair && (inside(pair.key) || inside(pair.value))) return true;
    return fn.variants.some((v) => v.vpc && !v.vpc.inheritedFrom && inside(v.vpc.vpcConfigNode));
  });
  if (direct.length) return direct;
  return model.functions.filter((fn) => fn.variants.some((v) => v.vpc?.inheritedFrom && inside(v.vpc.inheritedFrom)));
}

function escape(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
}

/** `explainText` as markdown: the title in bold, the indented lines as a nested list. */
export function explainMarkdown(fn: ExplainedFunction, entry: AnalysisEntry): string {
  const [title, ...rest] = explainText(fn, false).split('\n');
  const lines = [`**${escape(title ?? fn.id)}**`, ''];
  const model = entry.result?.model;
  const coverage = model ? coverageOf(model).find((c) => c.fn.id === fn.id) : undefined;
  if (coverage) lines.push(`_${escape(coverageLine(coverage))}_`, '');
  for (const line of rest) {
    const indent = /^ */.exec(line)![0].length;
    lines.push(`${'  '.repeat(Math.max(0, indent / 2 - 1))}- ${escape(line.trim())}`);
  }
  // Every finding that concerns the function: on it, its role, groups, subnets, endpoints, databases.
  const own = model?.functions.find((f) => f.id === fn.id);
  const findings = own && model ? findingsOfFunction(model, own, entry.result?.findings ?? []) : entry.result?.findings.filter((f) => f.resource === fn.id) ?? [];
  if (findings.length) {
    lines.push('', `**${findings.length} finding${findings.length === 1 ? '' : 's'}:**`);
    for (const f of findings.slice(0, 5)) lines.push(`- \`${f.ruleId}\` (${f.severity})${f.resource === fn.id ? '' : ` on ${escape(f.resource)}`}: ${escape(f.message)}`);
    if (findings.length > 5) lines.push(`- and ${findings.length - 5} more in the Problems view`);
  }
  return lines.join('\n');
}

function synthetic(kind: 'Ref', name: string, span: Span): Node {
  return { kind: 'map', flow: true, start: span.start, end: span.end, pairs: [{ key: { kind: 'scalar', value: kind, start: span.start, end: span.start }, value: { kind: 'scalar', value: name, start: span.start, end: span.end } }] };
}

function referenceHover(target: Target, root: Node, model: Model | undefined, entry: AnalysisEntry): string | undefined {
  const scope = scopeOf(root, model, entry.options);
  const resourceLines = (name: string) => {
    const resource = model?.resources.get(name);
    return resource && model ? describeResource(model, resource).join('\n') : undefined;
  };
  const parameterLines = (name: string, span: Span) => {
    const param = get(get(root, 'Parameters'), name);
    if (!param) return undefined;
    const type = get(param, 'Type');
    const value = describeValue(evaluateNode(synthetic('Ref', name, span), scope), model);
    return `**${name}** — parameter${type && type.kind === 'scalar' ? ` (\`${String(type.value)}\`)` : ''}\n\nvalue: ${value}`;
  };
  switch (target.kind) {
    case 'ref':
    case 'depends-on':
      return resourceLines(target.name)
        ?? parameterLines(target.name, target.span)
        ?? (target.kind === 'ref' ? `\`${target.name}\`: ${describeValue(evaluateNode(target.intrinsic, scope), model)}` : `\`${target.name}\` is not a resource of this template`);
    case 'getatt': {
      const lines = resourceLines(target.name);
      if (!lines) return `\`${target.name}\` is not a resource of this template`;
      return target.attr ? `${lines}\n\nattribute \`${target.attr}\`` : lines;
    }
    case 'sub': {
      const local = target.variables ? get(target.variables, target.name) : undefined;
      let head: string;
      if (local) head = `\`${target.name}\`: ${describeValue(evaluateNode(local, scope), model)}`;
      else if (target.name.includes('.') && !target.name.startsWith('AWS::')) {
        const [id, ...attr] = target.name.split('.');
        head = (resourceLines(id!) ?? `\`${id}\` is not a resource of this template`) + (attr.length ? `\n\nattribute \`${attr.join('.')}\`` : '');
      } else {
        head = resourceLines(target.name) ?? parameterLines(target.name, target.span) ?? `\`${target.name}\`: ${describeValue(evaluateNode(synthetic('Ref', target.name, target.span), scope), model)}`;
      }
      return `${head}\n\n---\n\nthe whole \`Fn::Sub\`: ${describeValue(evaluateNode(target.intrinsic, scope), model)}`;
    }
    case 'condition': {
      const node = get(get(root, 'Conditions'), target.name);
      if (!node) return `Condition \`${target.name}\` is not defined in this template`;
      return `**${target.name}** — condition\n\n\`\`\`\n${entry.text.slice(node.start, node.end).slice(0, 500)}\n\`\`\``;
    }
    case 'self':
    case 'file': {
      const value = evaluateNode({ kind: 'scalar', value: `\${${target.expression}}`, start: target.span.start, end: target.span.end }, scope);
      const lines = [`\`\${${target.expression}}\`: ${describeValue(value, model)}`];
      if (target.kind === 'self') {
        const at = nodeAtPath(root, target.path);
        if (at) lines.push('', '```yaml', entry.text.slice(at.node.start, at.node.end).slice(0, 500), '```');
        else lines.push('', `\`${target.path}\` is not in this file`);
      }
      return lines.join('\n');
    }
  }
}
