/**
 * Turns the command line's file, directory and glob arguments into template paths. Directories are
 * searched recursively for YAML, JSON and `.template` files, skipping build and dependency folders.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.aws-sam', '.serverless', 'cdk.out']);

export interface Target {
  path: string;
  /** True when named on the command line (a non-template is then a problem, not skipped). */
  explicit: boolean;
}

export class FileError extends Error {}

function walk(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(path, out);
    } else if (TEMPLATE_FILE.test(name)) out.push(path);
  }
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${glob.slice(i + 1, close).split(',').map((s) => s.replace(/[.+^$()|[\]\\]/g, '\\$&')).join('|')})`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function expandTargets(args: string[], cwd: string): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  const push = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    out.push({ path, explicit });
  };
  for (const arg of args) {
    if (/[*?{]/.test(arg)) {
      const firstMagic = arg.search(/[*?{]/);
      const base = arg.slice(0, arg.lastIndexOf('/', firstMagic) + 1) || '.';
      const re = globToRegExp(arg.replace(/^\.\//, ''));
      const files: string[] = [];
      walk(join(cwd, base), files);
      for (const f of files) {
        const rel = relative(cwd, f).split(sep).join('/');
        if (re.test(rel)) push(rel, false);
      }
      continue;
    }
    const full = join(cwd, arg);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new FileError(`cannot read '${arg}': no such file or directory`);
    }
    if (stat.isDirectory()) {
      const files: string[] = [];
      walk(full, files);
      for (const f of files) push(join(arg, relative(full, f)), false);
    } else push(arg, true);
  }
  return out;
}
