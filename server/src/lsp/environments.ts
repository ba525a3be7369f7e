/**
 * The environments the client's picker offers (`lambdaVpcLint.environment`): the environments of
 * samconfig files, and the stages of Serverless `params` blocks (`params.<stage>`, `default` left out,
 * as it applies to every stage). Pure: the server hands in the texts.
 */
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseSamconfig } from '../params';
import type { EnvironmentChoice } from './protocol';

export interface NamedText {
  path: string;
  text: string;
}

export function samconfigEnvironments(file: NamedText): string[] {
  return parseSamconfig(file.text, /\.toml$/i.test(file.path) ? 'toml' : 'yaml').environments;
}

export function serverlessStages(text: string): string[] {
  let data: unknown;
  try {
    // Errors throw; warnings (CloudFormation tags in `resources`, unknown to this parser) are not printed.
    data = parseYaml(text, { logLevel: 'error' });
  } catch {
    return [];
  }
  const params = data !== null && typeof data === 'object' ? (data as Record<string, unknown>).params : undefined;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return [];
  return Object.keys(params).filter((stage) => stage !== 'default');
}

/** Each name once, with where it was found (`label` names a file), in order of first appearance. */
export function collectEnvironments(samconfigs: NamedText[], serverless: NamedText[], label: (path: string) => string = basename): EnvironmentChoice[] {
  const out = new Map<string, EnvironmentChoice>();
  const add = (name: string, source: string) => {
    let choice = out.get(name);
    if (!choice) out.set(name, (choice = { name, sources: [] }));
    if (!choice.sources.includes(source)) choice.sources.push(source);
  };
  for (const file of samconfigs) for (const name of samconfigEnvironments(file)) add(name, label(file.path));
  for (const file of serverless) for (const name of serverlessStages(file.text)) add(name, `${label(file.path)} params`);
  return [...out.values()];
}
