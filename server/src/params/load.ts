/**
 * Finds and reads the parameter values of one template, for the command line and the language server
 * alike: the files named (`--params-file`, the setting `lambdaVpcLint.parameterFile`), else a
 * `samconfig.toml` / `samconfig.yaml` beside a SAM or CloudFormation template. The values become known
 * facts in the analysis (`AnalyzeOptions.params`); the samconfig `region` is handed back for the caller
 * to use when none was given. Reading goes through the caller's `readFile`, so the editor can prefer its
 * open buffers and tests need no disk.
 */
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import type { Dialect } from '../core/types';
import type { ParamFileFormat, ParsedParams } from './parse';
import { DEFAULT_SAM_ENVIRONMENT, firstLine, looksLikeSamconfig, parseOverrides, parseSamconfig, readParameterData, readSamconfig } from './parse';
import { parse as parseYaml } from 'yaml';

/** Looked for beside a template, in this order (SAM CLI's). */
export const SAMCONFIG_NAMES = ['samconfig.toml', 'samconfig.yaml', 'samconfig.yml'];

export interface LoadParameterOptions {
  /** The template's absolute path. */
  templatePath: string;
  /** When known: a Serverless template never reads a samconfig (unknown: a file named `serverless.*` is taken for one). */
  dialect?: Dialect;
  /** Files given by the user, absolute or relative to `baseDir`; later files win. Empty: look for a samconfig. */
  paramsFiles?: string[];
  baseDir?: string;
  /** The samconfig environment (`--config-env`); default `default`. */
  configEnv?: string;
  /** Serverless stage, handed back unchanged in `stage`. */
  stage?: string;
  /** The text of a file, or undefined when it cannot be read. */
  readFile: (absolutePath: string) => string | undefined;
}

export interface ParameterSource {
  path: string;
  format: ParamFileFormat;
  /** The samconfig environment read. */
  environment?: string;
  /** How many values the file gave. */
  count: number;
  /** Found beside the template rather than named. */
  discovered: boolean;
}

export interface ParameterValues {
  params: Record<string, string>;
  /** The files the values came from, in the order read. */
  sources: ParameterSource[];
  /** The samconfig environment's `region`, when it has one. */
  region?: string;
  stage?: string;
  /** Files that could not be read or used, and values that were skipped, one sentence each. */
  notices: string[];
}

export function loadParameterValues(options: LoadParameterOptions): ParameterValues {
  const out: ParameterValues = { params: {}, sources: [], notices: [] };
  if (options.stage !== undefined) out.stage = options.stage;
  const given = options.paramsFiles ?? [];
  if (given.length > 0) {
    for (const file of given) {
      const path = isAbsolute(file) ? file : resolve(options.baseDir ?? dirname(options.templatePath), file);
      readOne(path, options, out, false);
    }
    return out;
  }
  if (options.dialect === 'serverless' || (options.dialect === undefined && /^serverless\.(ya?ml|json|ts|js)$/i.test(basename(options.templatePath)))) return out;
  const dir = dirname(options.templatePath);
  for (const name of SAMCONFIG_NAMES) {
    const path = resolve(dir, name);
    if (path === options.templatePath) continue;
    const text = options.readFile(path);
    if (text === undefined) continue;
    const parsed = parseSamconfig(text, name.endsWith('.toml') ? 'toml' : 'yaml', options.configEnv);
    // A samconfig that names another template of the folder is not about this one.
    if (parsed.templateFile && resolve(dir, parsed.templateFile) !== options.templatePath) return out;
    use(path, name.endsWith('.toml') ? 'samconfig-toml' : 'samconfig-yaml', parsed, out, true, parsed.environment);
    if (parsed.region) out.region = parsed.region;
    return out;
  }
  return out;
}

function readOne(path: string, options: LoadParameterOptions, out: ParameterValues, discovered: boolean): void {
  const text = options.readFile(path);
  if (text === undefined) {
    out.notices.push(`${path}: the parameter file cannot be read`);
    return;
  }
  const ext = extname(path).toLowerCase();
  const env = options.configEnv ?? DEFAULT_SAM_ENVIRONMENT;
  if (ext === '.toml') {
    const parsed = parseSamconfig(text, 'toml', env);
    use(path, 'samconfig-toml', parsed, out, discovered, parsed.environment);
    if (parsed.region) out.region = parsed.region;
    return;
  }
  const trimmed = text.trimStart();
  let structured = ext === '.json' || ext === '.yaml' || ext === '.yml' || trimmed.startsWith('[') || trimmed.startsWith('{');
  let data: unknown;
  if (!structured) {
    // Another name: YAML when it reads as a map or a list (`Key: value`), else `Key=Value` pairs.
    try {
      data = parseYaml(text);
      structured = data !== null && typeof data === 'object';
    } catch {
      structured = false;
    }
  } else {
    try {
      data = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
    } catch (err) {
      out.notices.push(`${path}: the parameter file cannot be read: ${firstLine(err)}`);
      return;
    }
  }
  if (structured) {
    if (looksLikeSamconfig(data)) {
      const parsed = readSamconfig(data, env);
      use(path, 'samconfig-yaml', parsed, out, discovered, parsed.environment);
      if (parsed.region) out.region = parsed.region;
      return;
    }
    const parsed = readParameterData(data);
    use(path, parsed.format, parsed, out, discovered);
    return;
  }
  // `Key=Value` pairs, one or more a line, with `#` comment lines.
  const lines = text.split(/\r?\n/).filter((l) => !/^\s*#/.test(l)).join('\n');
  use(path, 'overrides', parseOverrides(lines), out, discovered);
}

function use(path: string, format: ParamFileFormat, parsed: ParsedParams, out: ParameterValues, discovered: boolean, environment?: string): void {
  for (const problem of parsed.problems) out.notices.push(`${discovered ? basename(path) : path}: ${problem}`);
  const count = Object.keys(parsed.params).length;
  Object.assign(out.params, parsed.params);
  if (count === 0 && parsed.problems.length > 0) return;
  const source: ParameterSource = { path, format, count, discovered };
  if (environment !== undefined) source.environment = environment;
  out.sources.push(source);
}

/** `samconfig.toml [default] (3 values)`: how the command line names where values came from. */
export function describeSources(sources: ParameterSource[], relativeTo?: (path: string) => string): string {
  return sources
    .map((s) => `${relativeTo ? relativeTo(s.path) : s.path}${s.environment !== undefined ? ` [${s.environment}]` : ''} (${s.count} value${s.count === 1 ? '' : 's'})`)
    .join(', ');
}
