/**
 * Serverless `useDotenv: true`: the framework loads `.env.<stage>` from the service directory, or `.env`
 * when there is no stage file (one file, never both), with dotenv's syntax and dotenv-expand's `$VAR` /
 * `${VAR}` expansion. Variables already set in the deploying shell win over the file; the linter cannot
 * know that shell, so it takes the file's values. Files are read through the host's `readFile`.
 */
import type { Node } from '../tree';
import { get, str } from '../tree';

export interface Dotenv {
  /** The file read, relative to the template. */
  file: string;
  values: Record<string, string>;
}

/** The variables the framework would load for this serverless.yml, or undefined without `useDotenv: true` or a file. */
export function loadDotenv(root: Node, stage: string | undefined, readFile: ((rel: string) => string | undefined) | undefined, read: (file: string) => void): Dotenv | undefined {
  const use = get(root, 'useDotenv');
  if (!readFile || !use || !(use.kind === 'scalar' && (use.value === true || use.value === 'true'))) return undefined;
  const providerStage = str(get(get(root, 'provider'), 'stage'));
  const effective = stage ?? (providerStage && !providerStage.includes('${') ? providerStage : 'dev');
  for (const file of [`.env.${effective}`, '.env']) {
    read(file);
    const text = readFile(file);
    if (text !== undefined) return { file, values: expandDotenv(parseDotenv(text)) };
  }
  return undefined;
}

/** `KEY=value` lines as dotenv reads them: `export` prefixes, quotes, `#` comments, multi-line quoted values. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const line = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;
  const source = text.replace(/\r\n?/g, '\n');
  for (const m of source.matchAll(line)) {
    let value = (m[2] ?? '').trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/, '$2');
    if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[m[1]!] = value;
  }
  return out;
}

/** dotenv-expand: `$VAR`, `${VAR}` and `${VAR:-default}` take the value of another variable of the file; `\$` stays a dollar. */
export function expandDotenv(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const expand = (value: string, depth: number): string =>
    value.replace(/(\\)?\$(?:\{([\w.]+)(?::-([^}]*))?\}|([A-Za-z_]\w*))/g, (whole, escaped: string | undefined, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
      if (escaped) return whole.slice(1);
      const name = (braced ?? bare)!;
      const found = out[name] ?? values[name];
      if (found === undefined || depth > 8) return fallback ?? '';
      return found.includes('$') ? expand(found, depth + 1) : found;
    });
  for (const [key, value] of Object.entries(values)) out[key] = expand(value, 0);
  return out;
}
