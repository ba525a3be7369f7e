/**
 * One document's analysis, as the server caches it: the engine's result for one version of the text
 * under one set of settings, parameter values and live facts, or why there is none (not a template, too
 * large, disabled, failed). The engine reads `${file()}` dependencies through a host that prefers the
 * editor's open buffers to disk.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisResult, AnalyzeOptions } from '../core/analyze';
import type { LiveFacts } from '../core/live';
import type { Workspace } from '../core/model/workspace';
import type { ExplainedFunction } from '../core/explain';
import { explainModel } from '../core/explain';
import { bundledManagedPolicies } from '../data/managed-policies';
import type { Settings } from './settings';

export type AnalysisKind = 'template' | 'not-template' | 'too-large' | 'failed' | 'disabled';

export interface AnalysisEntry {
  uri: string;
  version: number;
  /** Settings, parameter values and live facts the entry was computed with (see `analysisKey`). */
  key: string;
  text: string;
  kind: AnalysisKind;
  result?: AnalysisResult;
  /** For `failed`: the error; for `too-large`: the message shown. */
  message?: string;
  durationMs: number;
  /** Absolute paths the analysis read through `${file()}`. */
  dependencies: string[];
  /** What could not be used of the parameter files (shown as one warning). */
  parameterNotices: string[];
  /** The options used, to analyse edited text the same way (fix all). */
  options: AnalyzeOptions;
  /** Computed on first use (hover). */
  explained?: ExplainedFunction[];
}

export interface AnalysisHost {
  /**
   * The engine; `uri` names the document whose analyses follow one another (the incremental analysis),
   * `key` the inputs besides the text (see `AnalysisEntry.key`).
   */
  analyze: (text: string, options: AnalyzeOptions, uri?: string, key?: string) => AnalysisResult;
  /** The text of the open document at this absolute path, if one is open. */
  openText(path: string): string | undefined;
}

/** What the server found for a document besides its settings: parameter values, region, stage, live facts. */
export interface AnalysisInputs {
  params?: Record<string, string>;
  /** Wins over the setting (the live region, or the samconfig's when the setting is empty). */
  region?: string;
  stage?: string;
  live?: LiveFacts;
  parameterNotices?: string[];
  /** The workspace's templates, and this document's path among them. */
  workspace?: Workspace;
  workspacePath?: string;
}

export interface DocumentLike {
  uri: string;
  version: number;
  getText(): string;
}

/** The file-system path of a `file:` URI; undefined for other schemes (untitled). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** A cheap test for whether a text refused for its size would have been a template. */
export function mayBeTemplate(text: string): boolean {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  return /AWSTemplateFormatVersion|AWS::|^\s*"?service"?\s*:/m.test(head);
}

export function readFileHost(templatePath: string | undefined, maxBytes: number, host: AnalysisHost): ((rel: string) => string | undefined) | undefined {
  if (!templatePath) return undefined;
  const dir = dirname(templatePath);
  return (rel: string) => {
    const target = resolve(dir, rel);
    // As the CLI: a path may climb out of the folder only by saying so (`../shared.yml`).
    if (relative(dir, target).startsWith('..') && !rel.startsWith('..')) return undefined;
    const open = host.openText(target);
    if (open !== undefined) return open;
    try {
      if (statSync(target).size > maxBytes) return undefined;
      return readFileSync(target, 'utf8');
    } catch {
      return undefined;
    }
  };
}

export function runAnalysis(doc: DocumentLike, settings: Settings, inputs: AnalysisInputs, key: string, host: AnalysisHost): AnalysisEntry {
  const text = doc.getText();
  const path = uriToPath(doc.uri);
  const options: AnalyzeOptions = {
    fileName: path ?? doc.uri.replace(/^[a-z]+:/i, ''),
    severities: settings.rules,
    maxFileSize: settings.maxFileSize,
    managedPolicies: bundledManagedPolicies,
  };
  const region = inputs.region ?? settings.region;
  if (region) options.region = region;
  if (inputs.stage) options.stage = inputs.stage;
  if (inputs.params && Object.keys(inputs.params).length) options.params = inputs.params;
  if (inputs.live) options.live = inputs.live;
  if (inputs.workspace) {
    options.workspace = inputs.workspace;
    if (inputs.workspacePath) options.path = inputs.workspacePath;
  }
  const readFile = readFileHost(path, settings.maxFileSize, host);
  if (readFile) options.readFile = readFile;
  const entry: AnalysisEntry = {
    uri: doc.uri, version: doc.version, key, text, kind: 'template', durationMs: 0, dependencies: [], parameterNotices: inputs.parameterNotices ?? [], options,
  };
  if (!settings.enable) {
    entry.kind = 'disabled';
    return entry;
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > settings.maxFileSize) {
    entry.kind = mayBeTemplate(text) ? 'too-large' : 'not-template';
    entry.message = `This file is ${formatBytes(bytes)}, over the ${formatBytes(settings.maxFileSize)} limit of the setting lambdaVpcLint.maxFileSize; lambda-vpc-lint did not analyse it.`;
    return entry;
  }
  const started = performance.now();
  try {
    const result = host.analyze(text, options, doc.uri, key);
    entry.result = result;
    entry.kind = result.dialect ? 'template' : 'not-template';
    if (path) entry.dependencies = result.dependencies.map((rel) => resolve(dirname(path), rel));
  } catch (err) {
    entry.kind = 'failed';
    entry.message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  entry.durationMs = performance.now() - started;
  return entry;
}

export function explained(entry: AnalysisEntry): ExplainedFunction[] {
  if (!entry.explained) entry.explained = entry.result?.model ? explainModel(entry.result.model) : [];
  return entry.explained;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${n} bytes`;
}

export type { AnalysisResult };
