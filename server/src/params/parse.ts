/**
 * Parsers for the files people keep their parameter values in: SAM's `samconfig.toml` /
 * `samconfig.yaml` (`parameter_overrides` per environment), CloudFormation parameter files
 * (`[{ "ParameterKey", "ParameterValue" }]`), CodePipeline template configurations
 * (`{ "Parameters": { ... } }`), plain maps, and the `Key=Value` form of
 * `aws cloudformation deploy --parameter-overrides` / `sam deploy --parameter-overrides`. Each returns
 * plain string values (lists joined with commas, as CloudFormation takes them) and the problems met,
 * never throws.
 */
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';

export type ParamFileFormat = 'samconfig-toml' | 'samconfig-yaml' | 'cloudformation-json' | 'map' | 'overrides';

export interface ParsedParams {
  params: Record<string, string>;
  /** What could not be used, in words (`the environment 'prod' is not in the file`). */
  problems: string[];
}

export interface SamconfigParams extends ParsedParams {
  /** The environment read. */
  environment: string;
  /** Every environment of the file. */
  environments: string[];
  /** `region` of the environment (deploy, else global), when set. */
  region?: string;
  /** `template_file` / `template` of the environment, when set: the template the values are for. */
  templateFile?: string;
  /** `stack_name` of the environment (deploy, else global), when set. */
  stackName?: string;
}

export const DEFAULT_SAM_ENVIRONMENT = 'default';

/**
 * The `Key=Value Key2="a b"` form, with SAM CLI's reading of it: pairs separated by unquoted white
 * space, values in double or single quotes may hold spaces, `\ `, `\"` and `\'` are escapes, and
 * `ParameterKey=K,ParameterValue=V` is accepted too. Words without `=` are ignored (and reported).
 */
export function parseOverrides(text: string): ParsedParams {
  const params: Record<string, string> = {};
  const problems: string[] = [];
  for (const token of tokens(text)) {
    const pair = /^ParameterKey=(.*?),ParameterValue=(.*)$/s.exec(token);
    const eq = token.indexOf('=');
    const [key, value] = pair ? [pair[1]!, pair[2]!] : eq > 0 ? [token.slice(0, eq), token.slice(eq + 1)] : [undefined, undefined];
    if (key === undefined || value === undefined) {
      problems.push(`'${token}' is not a Key=Value pair`);
      continue;
    }
    const name = unquote(key);
    if (!/^[\w.-]+$/.test(name)) {
      problems.push(`'${name}' is not a parameter name`);
      continue;
    }
    params[name] = unquote(value);
  }
  return { params, problems };
}

/** Splits on white space outside quotes; backslash escapes the next character. Quotes stay in the token. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[++i];
      has = true;
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      cur += c;
      has = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += c;
    has = true;
  }
  if (has) out.push(cur);
  return out;
}

/** Removes quotes around the whole value and undoes `\ `, `\"`, `\'` (as SAM CLI does). */
function unquote(value: string): string {
  let v = value;
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) v = v.slice(1, -1);
  return v.replace(/\\([ "'\\])/g, '$1');
}

/** A value from JSON, YAML or TOML as CloudFormation takes it: lists joined with commas. */
function asParamValue(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    const items = value.map(asParamValue);
    return items.every((i) => i !== undefined) ? items.join(',') : undefined;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A samconfig (`version = 0.1`, `[<env>.<command>.parameters]`), already parsed. Values come from
 * `global`, then `deploy` (which wins), or from `sync` when `deploy` has no `parameter_overrides`.
 * `parameter_overrides` is a `Key=Value` string or a list of such strings.
 */
export function readSamconfig(data: unknown, environment = DEFAULT_SAM_ENVIRONMENT): SamconfigParams {
  const result: SamconfigParams = { params: {}, problems: [], environment, environments: [] };
  if (!isRecord(data)) {
    result.problems.push('it is not a samconfig file');
    return result;
  }
  result.environments = Object.keys(data).filter((k) => k !== 'version' && isRecord(data[k]));
  const env = data[environment];
  if (!isRecord(env)) {
    result.problems.push(`it has no environment '${environment}'${result.environments.length ? ` (it has ${result.environments.map((e) => `'${e}'`).join(', ')})` : ''}`);
    return result;
  }
  const section = (command: string): Record<string, unknown> | undefined => {
    const c = env[command];
    const p = isRecord(c) ? c.parameters : undefined;
    return isRecord(p) ? p : undefined;
  };
  const global = section('global');
  const deploy = section('deploy');
  const sync = section('sync');
  const overrideSources = [global, deploy?.parameter_overrides !== undefined ? deploy : sync];
  for (const s of overrideSources) {
    const overrides = s?.parameter_overrides;
    if (overrides === undefined) continue;
    const texts = Array.isArray(overrides) ? overrides : [overrides];
    for (const text of texts) {
      if (typeof text !== 'string') {
        result.problems.push('parameter_overrides holds something other than Key=Value text');
        continue;
      }
      const parsed = parseOverrides(text);
      Object.assign(result.params, parsed.params);
      result.problems.push(...parsed.problems.map((p) => `parameter_overrides: ${p}`));
    }
  }
  for (const s of [deploy, global]) {
    if (result.region === undefined && typeof s?.region === 'string' && s.region) result.region = s.region;
    if (result.stackName === undefined && typeof s?.stack_name === 'string' && s.stack_name) result.stackName = s.stack_name;
    const template = s?.template_file ?? s?.template;
    if (result.templateFile === undefined && typeof template === 'string' && template) result.templateFile = template;
  }
  if (result.templateFile === undefined) {
    const build = section('build');
    const template = build?.template_file ?? build?.template;
    if (typeof template === 'string' && template) result.templateFile = template;
  }
  return result;
}

export function parseSamconfig(text: string, format: 'toml' | 'yaml', environment?: string): SamconfigParams {
  let data: unknown;
  try {
    data = format === 'toml' ? parseToml(text) : parseYaml(text);
  } catch (err) {
    return { params: {}, problems: [`it cannot be read: ${firstLine(err)}`], environment: environment ?? DEFAULT_SAM_ENVIRONMENT, environments: [] };
  }
  return readSamconfig(data, environment);
}

/**
 * A parameter file of any other kind, already parsed from JSON or YAML: the CloudFormation list
 * (`ParameterKey`/`ParameterValue`, `UsePreviousValue` entries skipped), a list of `Key=Value`
 * strings, CodePipeline's `{ "Parameters": { ... } }`, or a plain map.
 */
export function readParameterData(data: unknown): ParsedParams & { format: ParamFileFormat } {
  const params: Record<string, string> = {};
  const problems: string[] = [];
  if (Array.isArray(data)) {
    let format: ParamFileFormat = 'cloudformation-json';
    for (const item of data) {
      if (typeof item === 'string') {
        format = 'overrides';
        const parsed = parseOverrides(item);
        Object.assign(params, parsed.params);
        problems.push(...parsed.problems);
        continue;
      }
      if (!isRecord(item) || typeof item.ParameterKey !== 'string') {
        problems.push('an entry has no ParameterKey');
        continue;
      }
      if (item.UsePreviousValue === true && item.ParameterValue === undefined) {
        problems.push(`${item.ParameterKey} uses the stack's previous value, which is not in the file`);
        continue;
      }
      const value = asParamValue(item.ParameterValue);
      if (value === undefined) problems.push(`${item.ParameterKey} has no ParameterValue`);
      else params[item.ParameterKey] = value;
    }
    return { params, problems, format };
  }
  if (isRecord(data)) {
    const source = isRecord(data.Parameters) ? data.Parameters : data;
    for (const [key, value] of Object.entries(source)) {
      const v = asParamValue(value);
      if (v === undefined) problems.push(`${key} is not a value`);
      else params[key] = v;
    }
    return { params, problems, format: 'map' };
  }
  return { params, problems: ['it holds neither a list nor a map of parameter values'], format: 'map' };
}

/** Whether parsed YAML looks like a samconfig: a `version` and environments holding `<command>.parameters`. */
export function looksLikeSamconfig(data: unknown): boolean {
  if (!isRecord(data)) return false;
  return Object.values(data).some((env) => isRecord(env) && Object.values(env).some((cmd) => isRecord(cmd) && isRecord(cmd.parameters)));
}

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
}
