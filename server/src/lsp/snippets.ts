/**
 * The product's snippets (snippets/*.json), offered by the language server rather than contributed to
 * the editor as static snippets, so that each appears only where it fits: a whole template in an empty
 * file, resources at resource indentation under `Resources`, a Serverless function under `functions`.
 * A placeholder that names a resource (a subnet, a security group, a route table, the VPC, a database)
 * becomes a choice list of the template's own resources of that type when the template has any.
 */
import type { CompletionItem, Range } from 'vscode-languageserver';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { Model } from '../core/model/types';
import type { Format } from '../core/types';
import jsonSnippets from '../../../snippets/json.json';
import yamlSnippets from '../../../snippets/yaml.json';

export type SnippetScope = 'file' | 'resources' | 'functions';
type RefKind = 'subnet' | 'security-group' | 'route-table' | 'vpc' | 'database';

interface SnippetDef {
  prefix: string;
  description: string;
  scope: string;
  /** Tab stop number -> the kind of resource its value names. */
  refs?: Record<string, string>;
  body: string[];
}

const SETS: Record<Format, Record<string, SnippetDef>> = { yaml: yamlSnippets, json: jsonSnippets };

/** The logical ids of the template's own resources of a kind, in template order. */
function candidates(model: Model | undefined, kind: RefKind): string[] {
  if (!model) return [];
  const own = <T extends { id: string; live?: unknown }>(m: Map<string, T>) => [...m.values()].filter((r) => !r.live).map((r) => r.id);
  switch (kind) {
    case 'subnet': return own(model.subnets);
    case 'security-group': return own(model.securityGroups);
    case 'route-table': return own(model.routeTables);
    case 'vpc': return own(model.vpcs);
    case 'database': return own(model.databases);
  }
}

/**
 * The body with each resource placeholder's first occurrence turned into a choice list (`${7|A,B|}`)
 * and its mirrors into plain tab stops. Placeholders of one kind start their lists at different
 * resources, so that two subnet placeholders default to two subnets.
 */
export function withChoices(body: string, refs: Record<string, string> | undefined, model: Model | undefined): string {
  if (!refs) return body;
  const seen = new Map<string, number>();
  let out = body;
  for (const [stop, kind] of Object.entries(refs).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const ids = candidates(model, kind as RefKind);
    if (ids.length === 0) continue;
    const nth = seen.get(kind) ?? 0;
    seen.set(kind, nth + 1);
    const rotated = [...ids.slice(nth % ids.length), ...ids.slice(0, nth % ids.length)];
    const choice = `\${${stop}|${rotated.map((id) => id.replace(/[\\,|]/g, '\\$&')).join(',')}|}`;
    const re = new RegExp(`\\$\\{${stop}:[^}]*\\}`, 'g');
    let first = true;
    out = out.replace(re, () => {
      if (!first) return `\${${stop}}`;
      first = false;
      return choice;
    });
  }
  return out;
}

export function snippetItems(format: Format, scope: SnippetScope, model: Model | undefined, range: Range, inString: boolean): CompletionItem[] {
  return Object.entries(SETS[format])
    .filter(([, s]) => s.scope === scope)
    .map(([name, s]) => ({
      label: s.prefix,
      kind: CompletionItemKind.Snippet,
      detail: name,
      documentation: { kind: MarkupKind.Markdown, value: s.description },
      filterText: inString ? `"${s.prefix}"` : s.prefix,
      sortText: `~${s.prefix}`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: withChoices(s.body.join('\n'), s.refs, model) },
    }));
}

/**
 * The range of the word typed in a file that holds nothing else (whitespace aside): where a whole
 * template may go. Undefined when the file has other content.
 */
export function emptyFileWord(text: string, offset: number): { start: number; end: number } | undefined {
  const start = offset - /[\w"-]*$/.exec(text.slice(0, offset))![0].length;
  const end = offset + /^[\w"-]*/.exec(text.slice(offset))![0].length;
  return (text.slice(0, start) + text.slice(end)).trim() === '' ? { start, end } : undefined;
}
