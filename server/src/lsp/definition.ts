/**
 * Go to definition: from `Ref` / `Fn::GetAtt` / a `Fn::Sub` variable / `DependsOn` to the resource or
 * parameter, from a condition name to `Conditions`, from `${self:a.b}` to that key, and from
 * `${file(x.yml):a.b}` into the other file.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core/line-index';
import { parseJson } from '../core/parse/json';
import { parseYaml } from '../core/parse/yaml';
import type { Node, Span } from '../core/tree';
import { get, getPair, isMap } from '../core/tree';
import type { AnalysisEntry } from './analysis';
import { uriToPath } from './analysis';
import { rangeOf } from './diagnostics';
import { nodeAtPath, targetAt } from './locate';

const MAX_OTHER_FILE = 5 * 1024 * 1024;

export function definition(doc: TextDocument, entry: AnalysisEntry, offset: number, openText: (path: string) => string | undefined): Location | null {
  const result = entry.result;
  const root = result?.root;
  if (!result || !root || !result.dialect) return null;
  const target = targetAt(root, entry.text, offset, result.dialect === 'serverless');
  if (!target) return null;
  const here = (span: Span): Location => ({ uri: doc.uri, range: rangeOf(doc, span) });
  const keyIn = (section: Node | undefined, name: string) => {
    const pair = isMap(section) ? getPair(section, name) : undefined;
    return pair ? here(pair.key) : undefined;
  };
  const resources = result.dialect === 'serverless' ? get(get(root, 'resources'), 'Resources') : get(root, 'Resources');
  const resourceOrParameter = (name: string) => keyIn(resources, name) ?? keyIn(get(root, 'Parameters'), name) ?? null;
  switch (target.kind) {
    case 'ref':
    case 'depends-on':
      return resourceOrParameter(target.name);
    case 'getatt':
      return keyIn(resources, target.name) ?? null;
    case 'sub': {
      if (target.variables) {
        const local = keyIn(target.variables, target.name);
        if (local) return local;
      }
      const name = target.name.includes('.') && !target.name.startsWith('AWS::') ? target.name.split('.')[0]! : target.name;
      return resourceOrParameter(name);
    }
    case 'condition':
      return keyIn(get(root, 'Conditions'), target.name) ?? null;
    case 'self': {
      const at = nodeAtPath(root, target.path);
      if (!at) return null;
      return here(at.pair ? at.pair.key : at.node);
    }
    case 'file': {
      const templatePath = uriToPath(doc.uri);
      if (!templatePath) return null;
      const path = resolve(dirname(templatePath), target.file);
      let text = openText(path);
      if (text === undefined) {
        try {
          if (statSync(path).size > MAX_OTHER_FILE) return null;
          text = readFileSync(path, 'utf8');
        } catch {
          return null;
        }
      }
      const uri = pathToFileURL(path).href;
      const lines = new LineIndex(text);
      let span: Span = { start: 0, end: 0 };
      if (target.address) {
        const other = (/\.json$/i.test(path) ? parseJson(text) : parseYaml(text)).root;
        const at = other && nodeAtPath(other, target.address);
        if (at) span = at.pair ? at.pair.key : at.node;
      }
      return { uri, range: { start: lines.position(span.start), end: lines.position(span.end) } };
    }
  }
}
