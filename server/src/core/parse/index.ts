/**
 * Text to syntax tree, for either format, and the dialect the tree is written in. Never throws:
 * everything wrong with the text comes back as problems.
 */
import type { Node } from '../tree';
import { get, isMap, str } from '../tree';
import type { Dialect, Format } from '../types';
import { duplicateKeyProblems } from './duplicate-keys';
import { parseJson } from './json';
import type { Problem } from './problems';
import { parseYaml } from './yaml';

export type { Problem } from './problems';

export interface ParsedTemplate {
  format: Format;
  root: Node | undefined;
  problems: Problem[];
  /** Undefined when the text is not a CloudFormation, SAM or Serverless template. */
  dialect: Dialect | undefined;
  /** False when no two places of the tree share a node (only a YAML anchor makes them); undefined: not known. */
  shared?: boolean;
}

export function detectFormat(text: string, fileName?: string): Format {
  if (fileName && /\.json$/i.test(fileName)) return 'json';
  if (fileName && /\.(ya?ml)$/i.test(fileName)) return 'yaml';
  const first = /\S/.exec(text.replace(/^\uFEFF/, ''));
  return first && (first[0] === '{' || first[0] === '[') ? 'json' : 'yaml';
}

export function looksBinary(text: string): boolean {
  const probe = text.length > 8192 ? text.slice(0, 8192) : text;
  if (probe.includes('\u0000')) return true;
  let replacement = 0;
  for (let i = 0; i < probe.length; i++) if (probe.charCodeAt(i) === 0xfffd) replacement++;
  return replacement > 8 && replacement > probe.length / 100;
}

export function parseTemplate(text: string, fileName?: string): ParsedTemplate {
  const format = detectFormat(text, fileName);
  if (looksBinary(text)) {
    return {
      format,
      root: undefined,
      dialect: undefined,
      problems: [{ message: 'This file looks binary (it holds NUL bytes or is not valid UTF-8); it was not analysed.', span: { start: 0, end: 0 }, severity: 'error' }],
    };
  }
  const { root, problems } = format === 'json' ? parseJson(text) : parseYaml(text);
  const dialect = detectDialect(root);
  const shared = format === 'yaml' && ANCHOR.test(text);
  // Other YAML and JSON are not ours to judge; a template with a key defined twice does not deploy.
  if (dialect) problems.push(...duplicateKeyProblems(root, shared));
  return { format, root, problems, dialect, shared };
}

/** An anchor (`&name`) where a node may start: without one, no node is shared. */
const ANCHOR = /(?:^|[\s[{,:])&[^\s]/;

export function detectDialect(root: Node | undefined): Dialect | undefined {
  if (!isMap(root)) return undefined;
  if (get(root, 'service') !== undefined && isMap(get(root, 'provider'))) return 'serverless';
  const transform = get(root, 'Transform');
  const transforms = transform?.kind === 'seq' ? transform.items.map(str) : [str(transform)];
  if (transforms.some((t) => t === 'AWS::Serverless-2016-10-31')) return 'sam';
  const resources = get(root, 'Resources');
  let hasAws = false;
  if (isMap(resources)) {
    for (const pair of resources.pairs) {
      const type = str(get(pair.value, 'Type'));
      if (!type) continue;
      if (type.startsWith('AWS::Serverless::')) return 'sam';
      if (type.startsWith('AWS::') || type.startsWith('Custom::')) hasAws = true;
    }
  }
  if (hasAws || get(root, 'AWSTemplateFormatVersion') !== undefined) return 'cloudformation';
  return undefined;
}
