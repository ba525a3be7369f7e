/**
 * Serverless Framework variables: `${self:...}`, `${file(...)}` of a file beside the template (read
 * through the host), `${opt:...}`, `${env:...}`, `${sls:stage}` and `${aws:region}` with their fallbacks.
 * `${param:x}` reads a `--param` value, else the file's own `params` block for the stage, else its
 * `default`. `${ssm:}` is known when the host read the parameter from the account (live facts).
 * `${cf:stack.Output}` reads the output of the workspace template deployed as `stack` (`model/workspace.ts`), or,
 * when that does not resolve it, the deployed stack the host read (live facts).
 * Other `${cf:}`, `${s3:}`, other `${ssm:}`, `${param:}` values held elsewhere and `${env:X}` without a
 * fallback are unknown.
 * `${AWS::Region}` and other names without a source are CloudFormation `Fn::Sub` variables: left alone.
 */
import { parseJson } from '../parse/json';
import { parseYaml } from '../parse/yaml';
import type { Node, Span } from '../tree';
import { get, isMap } from '../tree';
import type { Scope, Val } from './values';
import { deployedOutput, evaluate } from './values';
import type { Dotenv } from './dotenv';
import { loadDotenv } from './dotenv';

export interface ServerlessContext {
  root: Node;
  stage?: string;
  region?: string;
  readFile?: (relativePath: string) => string | undefined;
  /** Files read, for re-analysis when one changes. */
  dependencies: Set<string>;
  /** Parsed files, by path. */
  files: Map<string, Node | undefined>;
  /** The variables of the `.env` file the framework loads (`useDotenv: true`), read on first use of `${env:}`. */
  dotenv?: Dotenv | null;
}

const SOURCE = /^(self|file\(|opt:|env:|sls:|aws:|ssm:|ssm\(|cf:|cf\(|s3:|param:|strToBool\(|git:)/;
const MISSING = Symbol('missing');
type Resolved = Val | typeof MISSING;

export function serverlessResolver(ctx: ServerlessContext, getScope: () => Scope) {
  const resolveString = (text: string, span: Span, depth: number): Val | undefined => {
    if (!text.includes('${')) return undefined;
    const whole = singleVariable(text);
    if (whole !== undefined) {
      if (!SOURCE.test(whole.trim())) return undefined;
      const r = resolveExpression(whole, span, depth);
      return r === MISSING ? { t: 'unknown', reason: `\${${whole}} has no value here`, span } : r;
    }
    // Replace innermost variables first, so that nested ones (`${self:custom.${sls:stage}}`) work.
    let out = text;
    let changed = false;
    for (let guard = 0; guard < 100; guard++) {
      const inner = innermost(out);
      if (!inner) break;
      const content = out.slice(inner.start + 2, inner.end - 1);
      if (!SOURCE.test(content.trim())) {
        // A CloudFormation `Fn::Sub` variable: protect it and go on.
        out = out.slice(0, inner.start) + '\u0001{' + content + '}' + out.slice(inner.end);
        continue;
      }
      const r = resolveExpression(content, span, depth);
      if (r === MISSING) return { t: 'unknown', reason: `\${${content}} has no value here`, span };
      if (r.t !== 'lit' || r.partial) {
        if (inner.start === 0 && inner.end === out.length) return r;
        return { t: 'unknown', reason: `\${${content}} cannot be resolved`, span };
      }
      out = out.slice(0, inner.start) + String(r.v) + out.slice(inner.end);
      changed = true;
    }
    if (!changed && !out.includes('\u0001')) return undefined;
    out = out.replace(/\u0001\{/g, '${');
    return { t: 'lit', v: out, span };
  };

  const resolveExpression = (expression: string, span: Span, depth: number): Resolved => {
    if (depth > 40) return { t: 'unknown', reason: 'the variables refer to each other in a cycle', span };
    for (const alternative of splitFallbacks(expression)) {
      const r = resolveOne(alternative.trim(), span, depth + 1);
      if (r !== MISSING) return r;
    }
    return MISSING;
  };

  const resolveOne = (source: string, span: Span, depth: number): Resolved => {
    const quoted = /^(['"])(.*)\1$/s.exec(source);
    if (quoted) return { t: 'lit', v: quoted[2]!, span };
    if (/^-?\d+(\.\d+)?$/.test(source)) return { t: 'lit', v: Number(source), span };
    if (source === 'true' || source === 'false') return { t: 'lit', v: source === 'true', span };
    if (source.startsWith('${') && source.endsWith('}') && singleVariable(source) !== undefined) return resolveExpression(source.slice(2, -1), span, depth);
    if (source.includes('${')) {
      // A variable inside the address (`file(./x.yml):${opt:stage}`): resolve it first.
      const inner = resolveString(source, span, depth + 1);
      if (!inner || inner.t !== 'lit' || inner.partial) return inner ?? MISSING;
      source = String(inner.v);
    }
    if (source === 'self:' || source.startsWith('self:')) {
      const path = source.slice(5);
      const node = path ? nodeAt(ctx.root, path, resolveNode(depth)) : ctx.root;
      return node === undefined ? MISSING : evaluate(node, getScope(), depth + 1);
    }
    const file = /^file\(([^)]+)\)(?::(.*))?$/.exec(source);
    if (file) return resolveFile(file[1]!.trim().replace(/^['"]|['"]$/g, ''), file[2], span, depth);
    if (source === 'opt:stage') return ctx.stage !== undefined ? { t: 'lit', v: ctx.stage, span } : MISSING;
    if (source === 'opt:region') return ctx.region !== undefined ? { t: 'lit', v: ctx.region, span } : MISSING;
    if (source.startsWith('env:')) {
      if (ctx.dotenv === undefined) ctx.dotenv = loadDotenv(ctx.root, ctx.stage, ctx.readFile, (f) => ctx.dependencies.add(f)) ?? null;
      const value = ctx.dotenv?.values[source.slice(4).trim()];
      return value === undefined ? MISSING : { t: 'lit', v: value, span };
    }
    if (source.startsWith('opt:')) return MISSING;
    if (source === 'sls:stage') return resolveExpression("opt:stage, self:provider.stage, 'dev'", span, depth);
    if (source === 'aws:region') return { t: 'lit', v: getScope().region, span };
    if (source.startsWith('param:')) return resolveParam(source.slice(6).trim(), span, depth);
    const ssm = /^ssm(?:\(([^)]*)\))?:(.+)$/s.exec(source);
    if (ssm) {
      const found = resolveSsm(ssm[1]?.trim(), ssm[2]!.trim(), span);
      if (found) return found;
    }
    const cf = /^cf(?:\(([^)]*)\))?:([^.]+)\.(.+)$/s.exec(source);
    if (cf && (cf[1] === undefined || cf[1].trim() === getScope().region)) {
      const stack = cf[2]!.trim();
      const output = cf[3]!.trim();
      const fromWorkspace = getScope().crossTemplate?.cfOutput(stack, output, span);
      if (fromWorkspace && fromWorkspace.t !== 'unknown') return fromWorkspace;
      const value = deployedOutput(stack, output, getScope());
      if (value !== undefined) return { t: 'lit', v: value, span };
      if (fromWorkspace) return fromWorkspace;
    }
    const toBool = /^strToBool\((.*)\)$/.exec(source);
    if (toBool) {
      const v = toBool[1]!.trim();
      return { t: 'lit', v: v === 'true' || v === '1', span };
    }
    return { t: 'unknown', reason: `\${${source}} is read at deploy time`, span };
  };

  /** `${param:key}`: `--param`, then `params.<stage>.key`, then `params.default.key`; else held elsewhere (the dashboard). */
  const resolveParam = (key: string, span: Span, depth: number): Resolved => {
    const given = getScope().paramValues[key];
    if (given !== undefined) return { t: 'lit', v: given, span };
    const params = get(ctx.root, 'params');
    const stage = resolveExpression("opt:stage, self:provider.stage, 'dev'", span, depth);
    const stageName = stage !== MISSING && stage.t === 'lit' && !stage.partial ? String(stage.v) : undefined;
    const node = (stageName !== undefined ? get(get(params, stageName), key) : undefined) ?? get(get(params, 'default'), key);
    if (node) return evaluate(node, getScope(), depth + 1);
    return { t: 'unknown', reason: `\${param:${key}} is not in the params of this file`, span };
  };

  /**
   * `${ssm:/path}` read from the account. A StringList becomes a list, as the framework makes it (not
   * with `ssm(raw):`). Never a SecureString, a Secrets Manager reference, or another region's parameter.
   */
  const resolveSsm = (option: string | undefined, name: string, span: Span): Val | undefined => {
    if (option !== undefined && option !== 'raw' && option !== getScope().region) return undefined;
    if (name.endsWith('~true') || name.startsWith('/aws/reference/secretsmanager/')) return undefined;
    const scope = getScope();
    const found = scope.live?.ssm[name];
    if (!found) {
      scope.wanted?.ssm.add(name);
      return undefined;
    }
    if (found.type === 'StringList' && option !== 'raw') return { t: 'list', items: found.value.split(',').map((v) => ({ t: 'lit', v, span })), span };
    return { t: 'lit', v: found.value, span };
  };

  const resolveFile = (path: string, address: string | undefined, span: Span, depth: number): Resolved => {
    const relative = path.replace(/^\.\//, '');
    if (!/\.(ya?ml|json)$/i.test(relative)) return { t: 'unknown', reason: `\${file(${path})} is not a YAML or JSON file`, span };
    let root = ctx.files.get(relative);
    if (!ctx.files.has(relative)) {
      ctx.dependencies.add(relative);
      const text = ctx.readFile?.(relative);
      root = text === undefined ? undefined : (/\.json$/i.test(relative) ? parseJson(text) : parseYaml(text)).root;
      // Spans inside another file mean nothing here: point everything at the reference.
      if (root) root = rebase(root, span);
      ctx.files.set(relative, root);
    }
    if (!root) return { t: 'unknown', reason: `\${file(${path})} could not be read`, span };
    const node = address ? nodeAt(root, address.trim(), resolveNode(depth)) : root;
    return node === undefined ? MISSING : evaluate(node, getScope(), depth + 1);
  };

  /** Follows a variable met on the way down a path (`custom.net` holding `${file(...)}`). */
  const resolveNode = (depth: number) => (node: Node): Node | undefined => {
    if (node.kind !== 'scalar' || typeof node.value !== 'string' || !node.value.includes('${')) return node;
    const v = resolveString(node.value, { start: node.start, end: node.end }, depth + 1);
    return v?.t === 'map' ? v.node : undefined;
  };

  return resolveString;
}

/** The content of the text when the whole text is one `${...}` variable. */
function singleVariable(text: string): string | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  let level = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      level++;
      i++;
    } else if (text[i] === '}') {
      level--;
      if (level === 0 && i !== text.length - 1) return undefined;
    }
  }
  return level === 0 ? text.slice(2, -1) : undefined;
}

function innermost(text: string): { start: number; end: number } | undefined {
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') start = i;
    else if (text[i] === '}' && start >= 0) return { start, end: i + 1 };
  }
  return undefined;
}

function splitFallbacks(expression: string): string[] {
  const parts: string[] = [];
  let level = 0;
  let quote = '';
  let cur = '';
  for (const c of expression) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '{' || c === '(') level++;
    else if (c === '}' || c === ')') level--;
    else if (c === ',' && level === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

function nodeAt(root: Node, path: string, follow: (node: Node) => Node | undefined): Node | undefined {
  let cur: Node | undefined = root;
  for (const key of path.split('.')) {
    if (key === '') continue;
    if (cur) cur = follow(cur);
    if (cur?.kind === 'seq' && /^\d+$/.test(key)) cur = cur.items[Number(key)];
    else if (isMap(cur)) cur = get(cur, key);
    else return undefined;
  }
  return cur;
}

function rebase(node: Node, span: Span): Node {
  const { start, end } = span;
  if (node.kind === 'scalar') return { ...node, start, end };
  if (node.kind === 'seq') return { ...node, start, end, items: node.items.map((i) => rebase(i, span)) };
  return { ...node, start, end, pairs: node.pairs.map((p) => ({ key: { ...p.key, start, end }, value: rebase(p.value, span) })) };
}
