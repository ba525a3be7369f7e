/**
 * Reads the parameter values file named by `lambdaVpcLint.parameterFile`. Three shapes are accepted, in
 * JSON or YAML: a plain map (`{ "Subnets": "subnet-1,subnet-2" }`), the CloudFormation CLI's list
 * (`[{ "ParameterKey": ..., "ParameterValue": ... }]`) and CodePipeline's template configuration
 * (`{ "Parameters": { ... } }`). List values are joined with commas, as CloudFormation takes them.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYamlValue } from 'yaml';

export interface ParameterFile {
  /** The absolute path read. */
  path: string;
  params: Record<string, string>;
  error?: string;
}

const MAX_PARAMETER_FILE = 1024 * 1024;

export function resolveParameterPath(setting: string, folder: string | undefined): string | undefined {
  const expanded = setting.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
  if (isAbsolute(expanded)) return expanded;
  return folder ? resolve(folder, expanded) : undefined;
}

export function readParameterFile(path: string): ParameterFile {
  let text: string;
  try {
    if (statSync(path).size > MAX_PARAMETER_FILE) return { path, params: {}, error: 'the file is larger than 1 MB' };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { path, params: {}, error: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String((err as Error).message) };
  }
  return { path, ...parseParameterText(text, /\.json$/i.test(path)) };
}

export function parseParameterText(text: string, json: boolean): { params: Record<string, string>; error?: string } {
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYamlValue(text);
  } catch (err) {
    return { params: {}, error: `it cannot be read: ${(err as Error).message.split('\n')[0]}` };
  }
  const params: Record<string, string> = {};
  const put = (key: unknown, value: unknown) => {
    if (typeof key !== 'string' || key === '') return;
    if (Array.isArray(value)) params[key] = value.map(String).join(',');
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[key] = String(value);
  };
  if (Array.isArray(data)) {
    for (const item of data) {
      if (item && typeof item === 'object') put((item as Record<string, unknown>).ParameterKey, (item as Record<string, unknown>).ParameterValue);
    }
    return { params };
  }
  if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    const inner = obj.Parameters;
    const source = inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : obj;
    for (const [key, value] of Object.entries(source)) put(key, value);
    return { params };
  }
  return { params, error: 'it holds neither a map of parameter values nor a ParameterKey/ParameterValue list' };
}
