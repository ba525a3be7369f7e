/**
 * The name of the stack a template is deployed as, for reading the deployed stack (live facts): a name
 * given for it (`--stack-name [FILE=]NAME`, the editor's `lambdaVpcLint.live.stackName`), else the
 * `stack_name` of the chosen samconfig environment beside a SAM or CloudFormation template, else for a
 * Serverless service `provider.stackName`, else `<service>-<stage>` (the framework's own naming). A
 * name that rests on a variable this module cannot resolve is not guessed: there is none. Host side:
 * reads files through the callback it is given.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { STACK_NAME_PATTERN } from '../core/live';
import { serverlessStackName } from '../core/model/workspace';
import { parseTemplate } from '../core/parse';
import { get } from '../core/tree';
import type { Dialect } from '../core/types';
import { DEFAULT_SAM_ENVIRONMENT, SAMCONFIG_NAMES, parseSamconfig } from '../params';

export interface StackNameOptions {
  /** The template's absolute path. */
  templatePath: string;
  dialect: Dialect | undefined;
  /** The template's text (Serverless: `service`, `provider.stage`, `provider.stackName`). */
  text?: string;
  /** Names given: `NAME` for every template, `FILE=NAME` for one (FILE relative to `baseDir`). The last that applies wins. */
  given?: (string | { file?: string; name: string })[];
  baseDir?: string;
  /** The samconfig environment; default `default`. */
  configEnv?: string;
  /** The Serverless stage (`--stage`); else `provider.stage`, else `dev`. */
  stage?: string;
  readFile: (path: string) => string | undefined;
}

export interface StackName {
  name: string;
  /** Where it came from, for the user: `--stack-name`, `samconfig.toml [prod]`, `serverless.yml service-stage`. */
  source: string;
}

/** Splits `FILE=NAME` (or `NAME`); a name that is not a valid stack name is an error in words. */
export function parseStackNameArgument(value: string): { file?: string; name: string } | { error: string } {
  const eq = value.lastIndexOf('=');
  const file = eq >= 0 ? value.slice(0, eq) : undefined;
  const name = eq >= 0 ? value.slice(eq + 1) : value;
  if (file === '') return { error: `--stack-name takes [FILE=]NAME, not '${value}'` };
  if (!STACK_NAME_PATTERN.test(name)) return { error: `'${name}' is not a stack name (letters, digits and hyphens, starting with a letter)` };
  return file === undefined ? { name } : { file, name };
}

export function discoverStackName(options: StackNameOptions): StackName | undefined {
  const given = fromGiven(options);
  if (given) return given;
  if (options.dialect === 'serverless') return fromServerless(options);
  if (options.dialect === 'sam' || options.dialect === 'cloudformation') return fromSamconfig(options);
  return undefined;
}

function fromGiven(options: StackNameOptions): StackName | undefined {
  let found: StackName | undefined;
  for (const value of options.given ?? []) {
    const parsed = typeof value === 'string' ? parseStackNameArgument(value) : value;
    if ('error' in parsed) continue;
    if (parsed.file !== undefined) {
      const path = isAbsolute(parsed.file) ? parsed.file : resolve(options.baseDir ?? dirname(options.templatePath), parsed.file);
      if (path !== options.templatePath) continue;
    }
    found = { name: parsed.name, source: '--stack-name' };
  }
  return found;
}

function fromSamconfig(options: StackNameOptions): StackName | undefined {
  const dir = dirname(options.templatePath);
  const environment = options.configEnv ?? DEFAULT_SAM_ENVIRONMENT;
  for (const file of SAMCONFIG_NAMES) {
    const path = resolve(dir, file);
    if (path === options.templatePath) continue;
    const text = options.readFile(path);
    if (text === undefined) continue;
    const parsed = parseSamconfig(text, file.endsWith('.toml') ? 'toml' : 'yaml', environment);
    // A samconfig that names another template of the folder is not about this one.
    if (parsed.templateFile && resolve(dir, parsed.templateFile) !== options.templatePath) return undefined;
    const name = parsed.stackName;
    return name && STACK_NAME_PATTERN.test(name) ? { name, source: `${file} [${environment}]` } : undefined;
  }
  return undefined;
}

/** The framework's own naming, resolved by the engine's Serverless variables (`provider.stackName`, else `<service>-<stage>`). */
function fromServerless(options: StackNameOptions): StackName | undefined {
  if (options.text === undefined) return undefined;
  const { root } = parseTemplate(options.text, options.templatePath);
  if (!root) return undefined;
  const name = serverlessStackName(root, options.stage);
  if (!name || !STACK_NAME_PATTERN.test(name)) return undefined;
  const file = options.templatePath.slice(options.templatePath.lastIndexOf('/') + 1);
  return { name, source: get(get(root, 'provider'), 'stackName') ? `${file} provider.stackName` : `${file} service-stage` };
}
