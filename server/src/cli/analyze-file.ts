/**
 * Reads one template from disk and analyses it, with `${file()}` reads beside it. `text`, when given, is
 * analysed in place of the file's contents (`check --fix` re-analyses its edits before writing them).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { AnalysisResult, AnalyzeOptions } from '../core/analyze';
import { DEFAULT_MAX_FILE_SIZE, analyze, oversized } from '../core/analyze';
import { bundledManagedPolicies } from '../data/managed-policies';

export interface FileAnalysis {
  path: string;
  text: string;
  result: AnalysisResult;
}

export function analyzeFile(path: string, cwd: string, options: AnalyzeOptions, contents?: string): FileAnalysis {
  const full = isAbsolute(path) ? path : join(cwd, path);
  let text = contents;
  if (text === undefined) {
    const size = statSync(full).size;
    const max = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    // Refuse before reading a huge file into memory.
    if (size > max) return { path, text: '', result: oversized(size, max) };
    text = readFileSync(full, 'utf8');
  }
  const dir = dirname(full);
  const readFile = (rel: string): string | undefined => {
    const target = resolve(dir, rel);
    if (relative(dir, target).startsWith('..') && !rel.startsWith('..')) return undefined;
    try {
      if (statSync(target).size > 5 * 1024 * 1024) return undefined;
      return readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  };
  const result = analyze(text, { managedPolicies: bundledManagedPolicies, ...options, fileName: full, readFile });
  return { path, text, result };
}
