/**
 * The workspace of one `check` run: the templates named (always), the templates under the directories
 * named and under `--workspace DIR` (read for resolution, not reported on), with `--stack-name` names.
 * After the run, a finding one template's analysis placed in another file (a shared network resource)
 * moves to that file's report, once however many templates led to it.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { LineIndex } from '../core/line-index';
import type { Finding } from '../core/types';
import { findTemplateFiles, posixPath, WorkspaceFiles } from '../workspace';
import { FileError } from './files';
import type { CommonOptions } from './options';
import type { FileReport } from './report';

export function checkWorkspace(opts: CommonOptions, targets: { path: string }[], cwd: string, stage?: string): WorkspaceFiles {
  const named = targets.map((t) => resolve(cwd, t.path));
  const dirs = opts.workspaceDirs.map((d) => {
    const full = resolve(cwd, d);
    let ok = false;
    try {
      ok = statSync(full).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) throw new FileError(`cannot read --workspace '${d}': not a directory`);
    return full;
  });
  const namedDirs = opts.files.filter((f) => !/[*?{]/.test(f)).map((f) => resolve(cwd, f)).filter((f) => {
    try {
      return statSync(f).isDirectory();
    } catch {
      return false;
    }
  });
  const walked = [...dirs, ...namedDirs];
  // Nested templates are read inside the directories named and those of the files named, never elsewhere.
  const roots = [...walked, ...named.map((f) => dirname(f))];
  const files = new WorkspaceFiles({
    roots,
    display: (p) => displayPath(cwd, p),
    baseDir: cwd,
    stackNames: opts.stackNames,
    named: new Set(named),
    ...(opts.configEnv ? { configEnv: opts.configEnv } : {}),
    ...(stage ? { stage } : {}),
  });
  files.add(findTemplateFiles(walked));
  for (const file of named) if (!files.has(file)) files.set(file);
  files.followNested();
  return files;
}

/** A path relative to the working directory when inside it, with `/` separators. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return posixPath(rel && !rel.startsWith('..') ? rel : path);
}

/** A key that is the same for one finding found through several templates. */
export function findingKey(file: string, f: Finding): string {
  return `${file}\u0000${f.ruleId}\u0000${f.span.start}:${f.span.end}\u0000${f.message}`;
}

/**
 * Moves the findings that lie in another file into that file's report (made when the file was only
 * read, not named), with their related information naming the file it points into.
 */
export function placeWorkspaceFindings(files: FileReport[], workspace: WorkspaceFiles, cwd: string): FileReport[] {
  const byPath = new Map(files.map((f) => [workspace.pathOf(f.fullPath), f]));
  const lines = new Map<string, LineIndex>();
  const linesOf = (path: string): LineIndex | undefined => {
    if (lines.has(path)) return lines.get(path);
    const report = byPath.get(path);
    let index = report?.lines;
    if (!index) {
      const full = workspace.absolutePathOf(path);
      try {
        index = full ? new LineIndex(readFileSync(full, 'utf8')) : undefined;
      } catch {
        index = undefined;
      }
    }
    if (index) lines.set(path, index);
    return index;
  };
  const added: FileReport[] = [];
  for (const report of files) {
    const home = workspace.pathOf(report.fullPath);
    const kept: Finding[] = [];
    for (const f of report.findings) {
      if (f.file === undefined) {
        kept.push(f);
        continue;
      }
      const target = f.file;
      let dest = byPath.get(target);
      if (!dest) {
        const index = linesOf(target);
        const full = workspace.absolutePathOf(target);
        if (!index || !full) continue;
        dest = { path: displayPath(cwd, full), fullPath: full, dialect: workspace.template(full)?.dialect, lines: index, findings: [], problems: [] };
        byPath.set(target, dest);
        added.push(dest);
      }
      const { file: _, ...rest } = f;
      const moved: Finding = {
        ...rest,
        related: f.related.map((r) => {
          const file = r.file ?? home;
          const { file: __, ...base } = r;
          return file === target ? base : { ...base, file };
        }),
      };
      dest.findings.push(moved);
    }
    report.findings = kept;
  }
  const all = [...files, ...added];
  for (const report of all) {
    report.findings.sort((a, b) => a.span.start - b.span.start || a.ruleId.localeCompare(b.ruleId));
    report.linesOf = linesOf;
  }
  return all;
}
