/**
 * Turns the command line's file, directory and glob arguments into template paths. Directories are
 * searched recursively for YAML, JSON and `.template` files, skipping build and dependency folders.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

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
  // Keyed by the resolved path, so `dir/a.yaml` and `./dir/a.yaml` are one target.
  const seen = new Map<string, Target>();
  const push = (path: string, explicit: boolean) => {
    const key = resolve(cwd, path);
    const known = seen.get(key);
    if (known) {
      // Named on the command line as well as found through a directory: it is named.
      if (explicit) known.explicit = true;
      return;
    }
    const target = { path, explicit };
    seen.set(key, target);
    out.push(target);
  };
  for (const arg of args) {
    if (/[*?{]/.test(arg)) {
      const absolute = isAbsolute(arg);
      const glob = (absolute ? arg : arg.replace(/^\.\//, '')).split(sep).join('/');
      const firstMagic = glob.search(/[*?{]/);
      const base = glob.slice(0, glob.lastIndexOf('/', firstMagic) + 1) || '.';
      const re = globToRegExp(glob);
      const files: string[] = [];
      walk(resolve(cwd, base), files);
      let matched = 0;
      for (const f of files) {
        const rel = (absolute ? f : relative(cwd, f)).split(sep).join('/');
        if (re.test(rel)) {
          matched++;
          push(absolute ? f : rel, false);
        }
      }
      // A pattern that matches nothing is most likely a typo: say so rather than check nothing.
      if (matched === 0) throw new FileError(`no template files match '${arg}'`);
      continue;
    }
    const full = resolve(cwd, arg);
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
