/**
 * What `check` and `explain` add around analysing one template: parameter values from the files named
 * by `--params-file` (or a samconfig found beside a SAM or CloudFormation template), and with `--live`,
 * facts read from the account for what the template refers to but does not define. It keeps, for the
 * whole run, the files read, the live sessions (one per region), and the lines to tell the user: where
 * values came from (text output) and what could not be used or read (stderr, once each).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnalyzeOptions } from '../core/analyze';
import type { LiveFacts } from '../core/live';
import type { ParameterValues } from '../params';
import { describeSources, loadParameterValues } from '../params';
import type * as AwsCommands from './aws-commands';
import type { FileAnalysis } from './analyze-file';
import { analyzeFile } from './analyze-file';
import type { Io } from './io';
import type { CommonOptions } from './options';
import { discoverStackName } from '../live/stack-name';

const MAX_PARAMETER_FILE = 1024 * 1024;

export interface TemplateRun {
  analysis: FileAnalysis;
  /** The options the file was analysed with (parameter values, region, live facts): `--fix` re-analyses with them. */
  options: AnalyzeOptions;
  /** The parameter files whose values the analysis used, relative to the working directory (`factSources`). */
  paramFiles?: string[];
}

export class TemplateContext {
  private readonly files = new Map<string, string | undefined>();
  private readonly notes: string[] = [];
  private readonly warnings = new Set<string>();
  private aws: typeof AwsCommands | undefined;
  private sessions: InstanceType<typeof AwsCommands.LiveSessions> | undefined;
  private defaultRegion: Promise<string | undefined> | undefined;

  constructor(
    private readonly opts: CommonOptions,
    private readonly io: Io,
  ) {}

  /** The `--params-file` files that cannot be read: a usage problem, before any analysis. */
  unreadableParamsFiles(): string[] {
    return this.opts.paramsFiles.filter((f) => this.readFile(resolve(this.io.cwd, f)) === undefined);
  }

  async analyze(path: string, base: AnalyzeOptions): Promise<TemplateRun> {
    const cwd = this.io.cwd;
    const templatePath = resolve(cwd, path);
    const explicit = this.opts.paramsFiles;
    const load = (dialect?: 'cloudformation' | 'sam' | 'serverless') => loadParameterValues({
      templatePath,
      dialect,
      paramsFiles: explicit,
      baseDir: cwd,
      configEnv: this.opts.configEnv,
      stage: base.stage,
      readFile: (p) => this.readFile(p),
    });
    let options = base;
    let params: ParameterValues | undefined;
    if (explicit.length > 0) {
      params = load();
      options = withParams(base, params);
    }
    let analysis = analyzeFile(path, cwd, options);
    const dialect = analysis.result.dialect;
    if (explicit.length === 0 && dialect && dialect !== 'serverless') {
      params = load(dialect);
      if (params.sources.length > 0) {
        options = withParams(base, params);
        analysis = analyzeFile(path, cwd, options);
      }
    }
    if (params && analysis.result.dialect) {
      for (const notice of params.notices) this.warnings.add(notice);
      if (params.sources.length > 0) {
        const rel = (p: string) => relativeTo(cwd, p);
        this.notes.push(`${path}: parameter values from ${describeSources(params.sources, rel)}${options.region && !base.region ? `, region ${options.region}` : ''}`);
      }
    }
    const paramFiles = params && analysis.result.dialect ? params.sources.map((s) => relativeTo(cwd, s.path)) : [];
    if (this.opts.live && analysis.result.dialect && analysis.result.model) return { ...(await this.analyzeLive(path, options, analysis)), paramFiles };
    return { analysis, options, paramFiles };
  }

  /** Lines for the text output, before the findings: where parameter values came from. */
  textNotes(): string[] {
    return [...this.notes];
  }

  /** Lines for stderr: files or values that could not be used, live lookups that failed. */
  stderrLines(): string[] {
    return [...this.warnings];
  }

  dispose(): void {
    this.sessions?.dispose();
  }

  private async analyzeLive(path: string, base: AnalyzeOptions, first: FileAnalysis): Promise<TemplateRun> {
    const aws = (this.aws ??= require('./aws-commands') as typeof AwsCommands);
    let region = base.region;
    if (!region) {
      // Serverless deploys to `provider.region` (default us-east-1); SAM and CloudFormation to the SDK's region.
      if (first.result.dialect === 'serverless') region = first.result.model!.region;
      else region = (await (this.defaultRegion ??= aws.resolveDefaultRegion(this.opts.profile))) ?? first.result.model!.region;
    }
    const options: AnalyzeOptions = { ...base, region };
    this.sessions ??= new aws.LiveSessions();
    const session = this.sessions.get({
      region,
      ...(this.opts.profile ? { profile: this.opts.profile } : {}),
      ...(this.opts.endpoint ? { endpoint: this.opts.endpoint } : {}),
    });
    const stack = discoverStackName({
      templatePath: resolve(this.io.cwd, path),
      dialect: first.result.dialect,
      text: first.text,
      given: this.opts.stackNames,
      baseDir: this.io.cwd,
      ...(this.opts.configEnv ? { configEnv: this.opts.configEnv } : {}),
      ...(base.stage ? { stage: base.stage } : {}),
      readFile: (p) => this.readFile(p),
    });
    let analysis = first;
    let used: LiveFacts | undefined;
    const out = await aws.analyzeWithLive((live) => {
      used = live;
      analysis = analyzeFile(path, this.io.cwd, { ...options, live });
      return analysis.result;
    }, session, aws.MAX_LIVE_ROUNDS, stack?.name);
    // Said only when the analysis used it: a template with every value given does not read its stack.
    if (stack && used?.stacks?.[stack.name]) this.notes.push(`${path}: deployed stack ${stack.name} (${stack.source}), region ${region}`);
    for (const line of aws.describeLiveFailures(region, out.failures)) this.warnings.add(line);
    return { analysis, options: used ? { ...options, live: used } : options };
  }

  private readFile(path: string): string | undefined {
    if (this.files.has(path)) return this.files.get(path);
    let text: string | undefined;
    try {
      text = statSync(path).size > MAX_PARAMETER_FILE ? undefined : readFileSync(path, 'utf8');
    } catch {
      text = undefined;
    }
    this.files.set(path, text);
    return text;
  }
}

/** The file's values under the command line's own `--param` values, and its region when none was given. */
function withParams(base: AnalyzeOptions, params: ParameterValues): AnalyzeOptions {
  const options: AnalyzeOptions = { ...base };
  const merged = { ...params.params, ...(base.params ?? {}) };
  if (Object.keys(merged).length > 0) options.params = merged;
  if (!base.region && params.region) options.region = params.region;
  return options;
}

function relativeTo(cwd: string, path: string): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}
