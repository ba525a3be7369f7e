/** `lambda-vpc-lint explain`: prints the network path the model resolved for each function. */
import { resolve } from 'node:path';
import { explainModel, explainText } from '../core/explain';
import { coverageLine, coverageOf } from '../core/model/coverage';
import { TemplateContext } from './template-context';
import { FileError, expandTargets } from './files';
import type { Io } from './io';
import { parseOptions, usageMessage, UsageError } from './options';
import { checkWorkspace } from './workspace';

const HELP = `Usage: lambda-vpc-lint explain [options] <file|dir|glob>...

Prints, for each function, the network path the model resolved: subnets and AZs, each subnet's route
table and default route, endpoints, security groups, role permissions that matter, inferred needs, and
which facts are unknown and why.

Options:
  --format text|json   output format (default text)
  --region R           region for AWS::Region (default: the template's own, else us-east-1)
  --param Name=Value   a value for a CloudFormation parameter (repeatable)
  --stage S            Serverless stage (default dev)
  --params-file PATH   parameter values (samconfig, CloudFormation parameter JSON, a map, Key=Value
                       lines); repeatable. Without it, a samconfig beside the template is used
  --config-env ENV     the samconfig environment (default: default)
  --live               look up what the template does not define in the account (read-only)
  --profile P          the AWS profile for --live
  --endpoint URL       one endpoint for every AWS service --live calls (emulators)
  --workspace DIR      also read the templates under DIR (repeatable) to resolve exports, nested stacks
                       and \${cf:} between templates
  --stack-name [FILE=]NAME
                       the deployed stack --live reads parameter values and outputs from
  -h, --help           show this help

Exit codes: 0 explained; 2 usage error, a file that cannot be read, or a file named explicitly that is
not a template.`;

export async function runExplain(argv: string[], io: Io): Promise<number> {
  let opts;
  try {
    opts = parseOptions(argv, { format: ['text', 'json'] });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(usageMessage('explain', err.message));
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (opts.files.length === 0) {
    io.stderr(usageMessage('explain', 'no files given'));
    return 2;
  }
  let targets;
  let workspace;
  try {
    targets = expandTargets(opts.files, io.cwd);
    workspace = checkWorkspace(opts, targets, io.cwd, opts.analyze.stage);
  } catch (err) {
    if (err instanceof FileError) {
      io.stderr(`lambda-vpc-lint explain: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const out: unknown[] = [];
  let code = 0;
  const context = new TemplateContext(opts, io);
  const unreadable = context.unreadableParamsFiles();
  if (unreadable.length > 0) {
    io.stderr(`lambda-vpc-lint explain: cannot read the parameter file${unreadable.length > 1 ? 's' : ''} ${unreadable.map((f) => `'${f}'`).join(', ')}\n`);
    return 2;
  }
  for (const target of targets) {
    let analysis;
    try {
      const path = workspace.pathOf(resolve(io.cwd, target.path));
      ({ analysis } = await context.analyze(target.path, { ...opts.analyze, workspace: workspace.workspace(), path }));
    } catch (err) {
      io.stderr(`lambda-vpc-lint explain: cannot read '${target.path}': ${(err as Error).message}\n`);
      code = 2;
      continue;
    }
    const { result } = analysis;
    if (!result.dialect) {
      if (target.explicit) {
        io.stderr(`${target.path}: not a CloudFormation, SAM or Serverless template\n`);
        code = 2;
      }
      continue;
    }
    const functions = result.model ? explainModel(result.model) : [];
    const coverage = result.model ? coverageOf(result.model) : [];
    if (opts.format === 'json') {
      out.push({ file: target.path, dialect: result.dialect, problems: result.problems.map((p) => p.message), functions });
      continue;
    }
    io.stdout(`${target.path} (${result.dialect}): ${functions.length} function${functions.length === 1 ? '' : 's'}\n`);
    for (const p of result.problems) io.stdout(`  problem: ${p.message}\n`);
    for (const fn of functions) {
      io.stdout(`${explainText(fn).replace(/^/gm, '  ')}\n`);
      // What of the network could be followed, in the words of network-unknown.
      const c = coverage.find((x) => x.fn.id === fn.id);
      if (c?.vpc) {
        io.stdout(`    ${coverageLine(c)}\n`);
        for (const m of c.missing) io.stdout(`      ${m.text}\n`);
      }
    }
  }
  context.dispose();
  for (const line of context.stderrLines()) io.stderr(`lambda-vpc-lint explain: ${line}\n`);
  if (opts.format === 'json') io.stdout(`${JSON.stringify({ version: 1, files: out }, null, 2)}\n`);
  else for (const line of context.textNotes()) io.stdout(`${line}\n`);
  return code;
}
