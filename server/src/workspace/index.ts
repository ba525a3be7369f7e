/**
 * The templates of a workspace on disk, as the core takes them (`Workspace`): found under directories
 * (skipping build and dependency folders), parsed once, with their stack names (`--stack-name`, the
 * samconfig `stack_name` of the chosen environment, Serverless `provider.stackName` / `service`-`stage`).
 * The command line and the language server both use it, so they resolve a repository alike.
 *
 * A nested stack's local `TemplateURL` / `Location` is read only when it resolves inside the workspace's
 * directories: a template can never make the tool read (or show) a file outside them.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Workspace, WorkspaceTemplate } from '../core/model/workspace';
import { serverlessStackName } from '../core/model/workspace';
import { parseTemplate } from '../core/parse';
import { get, isMap, str } from '../core/tree';
import type { Node } from '../core/tree';
import type { Dialect } from '../core/types';
import { discoverStackName } from '../live/stack-name';

export const TEMPLATE_FILE = /\.(ya?ml|json|template)$/i;
export const SKIP_DIRS = new Set(['node_modules', '.git', '.aws-sam', '.serverless', 'cdk.out']);

export const DEFAULT_MAX_FILES = 2000;
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** `--stack-name [FILE=]NAME`: without a file, the name of every template named for checking. */
export interface StackNameOption {
  file?: string;
  name: string;
}

export interface WorkspaceOptions {
  /** The directories the workspace may read: templates are found under them, nested templates are read only inside them. */
  roots: string[];
  /** How a template is named in messages and findings (relative to the working directory or the workspace folder). */
  display: (absolutePath: string) => string;
  /** Resolves the `FILE` of `--stack-name FILE=NAME`. */
  baseDir?: string;
  stackNames?: StackNameOption[];
  /** The templates named for checking (a bare `--stack-name NAME` applies to them). */
  named?: ReadonlySet<string>;
  /** The samconfig environment (`--config-env`). */
  configEnv?: string;
  /** The Serverless stage (`--stage`). */
  stage?: string;
  maxFiles?: number;
  maxFileSize?: number;
  /** Files and folders to leave out (the editor's `files.exclude`). */
  exclude?: (absolutePath: string) => boolean;
}

/** A template's text parsed already: its tree and dialect (`parseTemplate` of the same text and path). */
export interface ParsedText {
  root: Node;
  dialect: Dialect;
}

interface Entry extends WorkspaceTemplate {
  absolutePath: string;
}

/** A file name with `/` separators. */
export function posixPath(path: string): string {
  return path.split(sep).join('/');
}

/** Template files under the directories, in a stable order, at most `maxFiles`. */
export function findTemplateFiles(dirs: string[], maxFiles = DEFAULT_MAX_FILES, exclude?: (path: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= maxFiles) return;
      const path = join(dir, name);
      if (exclude?.(path)) continue;
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(path);
      } else if (TEMPLATE_FILE.test(name) && !seen.has(path)) {
        seen.add(path);
        out.push(path);
      }
    }
  };
  for (const dir of dirs) walk(resolve(dir));
  return out;
}

/** The templates of a workspace, kept current by `set` / `remove`; `workspace()` is the core's view. */
export class WorkspaceFiles {
  private readonly entries = new Map<string, Entry>();
  private readonly realRoots: string[];
  private snapshot: Workspace | undefined;

  constructor(private readonly options: WorkspaceOptions) {
    this.realRoots = options.roots.map((r) => realOrSelf(resolve(r)));
  }

  /** Reads every template under the roots, then the nested templates they name inside the roots. */
  load(): this {
    this.add(findTemplateFiles(this.options.roots, this.maxFiles(), this.options.exclude));
    this.followNested();
    return this;
  }

  /** Reads templates found on disk; one that a symbolic link leads out of the directories is left alone. */
  add(files: string[]): void {
    for (const file of files) if (this.inside(file)) this.read(file);
  }

  /**
   * Adds (or replaces) a template: its text when given (an open document), else read from disk. `parsed`
   * is that text's template tree when the caller has parsed it already (an editor's analysis of the open
   * document), so it is neither parsed nor held twice.
   */
  set(absolutePath: string, text?: string, parsed?: ParsedText): void {
    const entry = this.entry(absolutePath, text, parsed);
    if (entry) this.entries.set(absolutePath, entry);
    else this.entries.delete(absolutePath);
    this.snapshot = undefined;
  }

  remove(absolutePath: string): void {
    if (this.entries.delete(absolutePath)) this.snapshot = undefined;
  }

  has(absolutePath: string): boolean {
    return this.entries.has(absolutePath);
  }

  /** The templates of one directory (a samconfig there names their stack). */
  templatesIn(dir: string): string[] {
    return [...this.entries.keys()].filter((path) => dirname(path) === dir);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether a path lies inside the workspace's directories (symbolic links followed). */
  inside(absolutePath: string): boolean {
    const real = realOrSelf(absolutePath);
    return this.realRoots.some((root) => {
      const rel = relative(root, real);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  }

  /** Reads the local nested templates the templates name, when inside the roots and not read yet. */
  followNested(): void {
    for (let round = 0; round < 32; round++) {
      let added = false;
      for (const entry of [...this.entries.values()]) {
        for (const location of nestedLocations(entry.root)) {
          const target = resolve(dirname(entry.absolutePath), location);
          if (this.entries.has(target) || this.entries.size >= this.maxFiles() || !this.inside(target)) continue;
          if (this.read(target)) added = true;
        }
      }
      if (!added) break;
    }
  }

  /** The core's view of the workspace: one object until something changes. */
  workspace(): Workspace {
    return (this.snapshot ??= { templates: [...this.entries.values()].map(({ absolutePath: _, ...t }) => t) });
  }

  /** The path a template has in `workspace()`. */
  pathOf(absolutePath: string): string {
    return posixPath(this.options.display(absolutePath));
  }

  /** The file a workspace path names. */
  absolutePathOf(path: string): string | undefined {
    for (const entry of this.entries.values()) if (entry.path === path) return entry.absolutePath;
    return undefined;
  }

  /** The parsed template, when it is one of the workspace. */
  template(absolutePath: string): WorkspaceTemplate | undefined {
    return this.entries.get(absolutePath);
  }

  private maxFiles(): number {
    return this.options.maxFiles ?? DEFAULT_MAX_FILES;
  }

  private read(absolutePath: string): boolean {
    const entry = this.entry(absolutePath);
    if (!entry) return false;
    this.entries.set(absolutePath, entry);
    this.snapshot = undefined;
    return true;
  }

  private entry(absolutePath: string, given?: string, known?: ParsedText): Entry | undefined {
    let text = given;
    if (text === undefined) {
      try {
        const stat = statSync(absolutePath);
        if (!stat.isFile()) return undefined;
        if (stat.size > (this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) {
          return { absolutePath, path: this.pathOf(absolutePath), root: undefined, dialect: undefined, problem: 'it is over the size limit' };
        }
        text = readFileSync(absolutePath, 'utf8');
      } catch {
        return undefined;
      }
    }
    const parsed = known && given !== undefined ? { ...known, problems: [] } : parseTemplate(text, absolutePath);
    const entry: Entry = { absolutePath, path: this.pathOf(absolutePath), root: parsed.root, dialect: parsed.dialect, text };
    if (!parsed.dialect) {
      // Not a template (other YAML, a broken file): nothing to resolve against; say why when it looked like one.
      if (!parsed.root || parsed.problems.some((p) => p.severity === 'error')) entry.problem = 'it does not parse';
      entry.root = undefined;
      delete entry.text;
      return parsed.problems.length > 0 ? entry : undefined;
    }
    const stackName = this.stackNameOf(absolutePath, parsed.root!, parsed.dialect);
    if (stackName) entry.stackName = stackName;
    return entry;
  }

  private stackNameOf(absolutePath: string, root: NonNullable<WorkspaceTemplate['root']>, dialect: Dialect): string | undefined {
    const base = this.options.baseDir ?? process.cwd();
    for (const option of this.options.stackNames ?? []) {
      if (option.file !== undefined && resolve(base, option.file) === absolutePath) return option.name;
    }
    const bare = (this.options.stackNames ?? []).find((o) => o.file === undefined);
    if (bare && this.options.named?.has(absolutePath)) return bare.name;
    if (dialect === 'serverless') return serverlessStackName(root, this.options.stage);
    return discoverStackName({ templatePath: absolutePath, dialect, ...(this.options.configEnv ? { configEnv: this.options.configEnv } : {}), readFile: readSmallFile })?.name;
  }
}

/** The literal local paths of a template's nested stacks and SAM applications. */
function nestedLocations(root: WorkspaceTemplate['root']): string[] {
  const resources = get(root, 'Resources');
  if (!isMap(resources)) return [];
  const out: string[] = [];
  for (const pair of resources.pairs) {
    const type = str(get(pair.value, 'Type'));
    const props = get(pair.value, 'Properties');
    const location = type === 'AWS::CloudFormation::Stack' ? str(get(props, 'TemplateURL')) : type === 'AWS::Serverless::Application' ? str(get(props, 'Location')) : undefined;
    if (!location || /^(s3|https?):\/\//i.test(location) || location.includes('amazonaws.com/')) continue;
    out.push(location.replace(/^file:\/\//, ''));
  }
  return out;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    // A file that does not exist yet: its directory's real path, so a link there cannot lead outside.
    try {
      return join(realpathSync(dirname(path)), path.slice(dirname(path).length + 1));
    } catch {
      return path;
    }
  }
}

/** A file's text when it exists and is at most 1 MB (a samconfig), else undefined. */
function readSmallFile(path: string): string | undefined {
  try {
    return statSync(path).size > 1024 * 1024 ? undefined : readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
