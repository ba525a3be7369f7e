/**
 * `lambda-vpc-lint check`: analyses templates named by files, directories and globs, optionally applies
 * the safe fixes, and reports in text, JSON or SARIF (cli.md is the contract). This module decides what is
 * reported and the exit code; the formatters only render the report it builds.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MAX_FILE_SIZE } from '../core/analyze';
import { LineIndex } from '../core/line-index';
import { allRules } from '../core/rules/registry';
import type { RuleDefinition } from '../core/engine/rule';
import type { Finding, ProblemReport } from '../core/types';
import type { FileAnalysis } from './analyze-file';
import { analyzeFile } from './analyze-file';
import type { AnalyzeOptions } from '../core/analyze';
import { TemplateContext } from './template-context';
import { checkWorkspace, findingKey, placeWorkspaceFindings } from './workspace';
import { FileError, expandTargets } from './files';
import type { AppliedFix } from './fix-files';
import { fixText, selectFixes, writeFileAtomic } from './fix-files';
import { formatJson } from './format-json';
import { countFunctions, functionReports } from './functions';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import type { Io } from './io';
import type { CommonOptions } from './options';
import { parseOptions, usageMessage, UsageError } from './options';
import type { CheckReport, FileReport } from './report';
import { plural } from './report';

const HELP = `Usage: lambda-vpc-lint check [options] <file|dir|glob>...

Analyses CloudFormation, SAM and Serverless templates. A directory is searched recursively for *.yaml,
*.yml, *.json and *.template files (skipping node_modules, .git, .aws-sam, .serverless, cdk.out); a file
found that way, or by a glob, that is not a template is skipped. A file named explicitly that is not a
template is reported as a problem. Quote globs ('templates/**/*.yaml') so the shell leaves them alone.

Options:
  --format text|json|sarif   output format (default text; json is version 1 of the documented contract)
  --fix                      apply every safe fix, write the files back, then report what remains
  --rule id=off|info|warning|error
                             override a rule's severity (repeatable)
  --max-warnings N           exit 1 when more than N warnings are found
  --quiet                    report errors only: warnings and infos are left out of the output and the
                             summary's counts, and --fix fixes errors only; --max-warnings still counts
                             the warnings found
  --region R                 region for AWS::Region and \${aws:region} (default: the template's own, else
                             us-east-1)
  --param Name=Value         a value for a CloudFormation parameter (repeatable)
  --stage S                  Serverless stage (default dev)
  --params-file PATH         parameter values: samconfig.toml/.yaml, a CloudFormation parameter JSON
                             file, a JSON/YAML map, or Key=Value lines (repeatable; later files win, --param
                             wins over all). Without it, a samconfig beside a SAM or CloudFormation
                             template is used, and the output says so
  --config-env ENV           the samconfig environment (default: default)
  --live                     look up in the account what the template refers to but does not define
                             (subnets, route tables, NAT gateways, endpoints, security groups, exports,
                             SSM parameters); read-only, see docs/live-facts.md
  --workspace DIR            also read the templates under DIR (repeatable) to resolve exports, nested
                             stacks and \${cf:} between templates; they are not reported on
  --stack-name [FILE=]NAME   the deployed stack name of FILE (repeatable; without FILE=, of every template
                             named), for \${AWS::StackName} in export names
  --profile P                the AWS profile for --live
  --endpoint URL             one endpoint for every AWS service --live calls (emulators)
  --stack-name [FILE=]NAME   the deployed stack --live reads parameter values and outputs from, for
                             every template or for FILE (repeatable). Without it: the samconfig's
                             stack_name, or Serverless provider.stackName, else <service>-<stage>
  -h, --help                 show this help

Files over ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MB are not analysed (a problem says so).

Exit codes:
  0  no error finding and no problem
  1  at least one error finding, at least one problem (a file named or found as a template that could
     not be analysed: it is empty, binary, too large, too deep, does not parse, or is not a template),
     or more warnings than --max-warnings
  2  usage error, a file that cannot be read or written, or an internal failure
A problem never stops the run: the other files are still analysed. A warning-level problem (a YAML
warning, a second document, a failed live lookup) is reported but does not change the exit code.
docs/cli.md describes the options, the JSON and SARIF output and the exit codes in full.`;

const NAME = 'lambda-vpc-lint check';

export async function runCheck(argv: string[], io: Io): Promise<number> {
  return runCheckWith(argv, io, allRules);
}

/** `runCheck` with the rule set given: tests exercise `--fix` with rules of their own. */
export async function runCheckWith(argv: string[], io: Io, rules: readonly RuleDefinition[]): Promise<number> {
  let opts: CommonOptions;
  try {
    opts = parseOptions(argv, { format: ['text', 'json', 'sarif'], check: true });
    const unknown = Object.keys(opts.analyze.severities ?? {}).filter((id) => !rules.some((r) => r.id === id));
    if (unknown.length > 0) throw new UsageError(`unknown rule ${unknown.map((id) => `'${id}'`).join(', ')} in --rule`);
    if (!opts.help && opts.files.length === 0) throw new UsageError('no files given');
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(usageMessage('check', err.message));
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }

  let targets;
  let workspace;
  try {
    targets = expandTargets(opts.files, io.cwd);
    workspace = checkWorkspace(opts, targets, io.cwd, opts.analyze.stage);
  } catch (err) {
    if (err instanceof FileError) {
      io.stderr(`${NAME}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const analyzeOptions = { ...opts.analyze, rules, maxFileSize: DEFAULT_MAX_FILE_SIZE };
  const context = new TemplateContext(opts, io);
  const unreadable = context.unreadableParamsFiles();
  if (unreadable.length > 0) {
    io.stderr(`${NAME}: cannot read the parameter file${unreadable.length > 1 ? 's' : ''} ${unreadable.map((f) => `'${f}'`).join(', ')}\n`);
    return 2;
  }
  // --quiet reports errors only, and fixes only what it reports.
  const reported = (f: Finding) => !opts.quiet || f.severity === 'error';
  let files: FileReport[] = [];
  const seen = new Set<string>();
  let failed = false;
  let errors = 0;
  let warnings = 0;
  let fixesApplied = 0;
  let fixedFiles = 0;
  // Files named or found as templates that could not be analysed (an error-level problem): they fail the run.
  let unanalysable = 0;

  for (const target of targets) {
    const fullPath = resolve(io.cwd, target.path);
    let analysis: FileAnalysis;
    let fileOptions: AnalyzeOptions = analyzeOptions;
    let paramFiles: string[] | undefined;
    try {
      ({ analysis, options: fileOptions, paramFiles } = await context.analyze(target.path, { ...analyzeOptions, workspace: workspace.workspace(), path: workspace.pathOf(fullPath) }));
    } catch (err) {
      io.stderr(`${NAME}: cannot read '${target.path}': ${describeFsError(err)}\n`);
      failed = true;
      files.push(problemFile(target.path, fullPath, `Cannot read this file: ${describeFsError(err)}`, opts.fix));
      continue;
    }
    let { text, result } = analysis;
    // Problems of check's own, beside the engine's.
    const extra: ProblemReport[] = [];
    let fixedHere: AppliedFix[] | undefined;

    if (!result.dialect) {
      if (!target.explicit && !(result.problems.length > 0 && looksLikeTemplate(readHead(fullPath)))) continue;
      // Warnings about a file that is not a template (a multi-document Kubernetes manifest) are not ours to give.
      if (!result.problems.some((p) => p.severity === 'error')) {
        result = { ...result, problems: [] };
        const message = text.trim() === '' ? 'This file is empty: it is not a CloudFormation, SAM or Serverless template.' : 'This file is not a CloudFormation, SAM or Serverless template.';
        extra.push({ message, span: { start: 0, end: 0 }, severity: 'error' });
      }
    }

    if (opts.fix) fixedHere = [];
    if (opts.fix && result.dialect) {
      const fixed = fixText(text, result, reported, (next) => analyzeFile(target.path, io.cwd, fileOptions, next).result);
      if (fixed.text !== text) {
        try {
          writeFileAtomic(fullPath, fixed.text);
          text = fixed.text;
          result = fixed.result;
          fixesApplied += fixed.applied.length;
          fixedHere = fixed.applied;
          fixedFiles++;
        } catch (err) {
          io.stderr(`${NAME}: cannot write '${target.path}': ${describeFsError(err)}\n`);
          failed = true;
          extra.push({ message: `Could not write the fixes back: ${describeFsError(err)}`, span: { start: 0, end: 0 }, severity: 'error' });
        }
      }
      extra.push(...fixed.problems);
    }

    const problems = [...result.problems, ...extra];
    if (problems.some(isInternalError)) failed = true;
    if (problems.some((p) => p.severity === 'error')) unanalysable++;
    // A finding about a shared resource, met through several templates, counts once.
    const own = workspace.pathOf(fullPath);
    const fresh = result.findings.filter((f) => {
      const key = findingKey(f.file ?? own, f);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    result = { ...result, findings: fresh };
    errors += result.findings.filter((f) => f.severity === 'error').length;
    warnings += result.findings.filter((f) => f.severity === 'warning').length;
    const functions = functionReports(result.model, paramFiles ?? [], fileOptions.params ?? {}, opts.analyze.params ?? {});
    const report: FileReport = { path: target.path, fullPath, dialect: result.dialect, lines: new LineIndex(text), findings: result.findings.filter(reported), problems, functions };
    if (fixedHere) report.fixed = fixedHere;
    files.push(report);
  }

  files = placeWorkspaceFindings(files, workspace, io.cwd);
  context.dispose();
  for (const line of context.stderrLines()) io.stderr(`${NAME}: ${line}\n`);

  let exitCode = errors > 0 || unanalysable > 0 ? 1 : 0;
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    io.stderr(`${NAME}: ${plural(warnings, 'warning')} found, more than --max-warnings ${opts.maxWarnings}\n`);
    exitCode = 1;
  }
  if (failed) exitCode = 2;

  const shown = files.flatMap((f) => f.findings);
  const report: CheckReport = {
    files,
    summary: {
      files: files.length,
      errors: shown.filter((f) => f.severity === 'error').length,
      warnings: shown.filter((f) => f.severity === 'warning').length,
      infos: shown.filter((f) => f.severity === 'info').length,
      problems: files.reduce((n, f) => n + f.problems.length, 0),
      functions: countFunctions(files.flatMap((f) => f.functions ?? [])),
    },
    fixable: files.reduce((n, f) => n + selectFixes(f.findings).length, 0),
    rules,
    severities: opts.analyze.severities ?? {},
    coverageLine: opts.analyze.severities?.['network-unknown'] !== 'off' && rules.some((r) => r.id === 'network-unknown'),
    cwd: io.cwd,
    exitCode,
  };
  if (opts.fix) report.fixed = { fixes: fixesApplied, files: fixedFiles };

  if (opts.format === 'json') io.stdout(formatJson(report));
  else if (opts.format === 'sarif') io.stdout(formatSarif(report));
  else io.stdout(context.textNotes().map((line) => `${line}\n`).join('') + formatText(report, io.isTty || forceColour(io.env)));
  return exitCode;
}

function problemFile(path: string, fullPath: string, message: string, fix: boolean): FileReport {
  const report: FileReport = { path, fullPath, dialect: undefined, lines: new LineIndex(''), findings: [], problems: [{ message, span: { start: 0, end: 0 }, severity: 'error' }] };
  if (fix) report.fixed = [];
  return report;
}

/** A rule or the model builder failed: the engine isolated it, but the result is incomplete. */
function isInternalError(problem: ProblemReport): boolean {
  return /^Internal error\b/.test(problem.message);
}

function forceColour(env: Record<string, string | undefined>): boolean {
  return env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false' && env.NO_COLOR === undefined;
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && e.code === 'EACCES') return 'permission denied';
  if (e && typeof e === 'object' && e.code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

/** The start of a file, to tell a broken template from some other YAML or JSON that failed to parse. */
function readHead(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether a file that could not be parsed (or was too large to) reads like a template: then a problem is
 * worth reporting even when the file was found through a directory, not named.
 */
export function looksLikeTemplate(head: string): boolean {
  return /AWSTemplateFormatVersion|AWS::Serverless-2016-10-31|"?\bResources"?\s*:|\bType"?\s*:\s*"?AWS::|^service\s*:/m.test(head);
}
