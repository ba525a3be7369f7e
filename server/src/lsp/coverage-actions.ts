/**
 * The editor's side of `network-unknown`: code actions that supply what is missing ("Add a value for
 * parameter `X` to samconfig.toml", "Turn on live lookups"), the coverage the status notification
 * carries for the status bar, and the hover's one line. All read the model's one coverage computation.
 */
import type { CodeAction, Diagnostic, WorkspaceEdit } from 'vscode-languageserver';
import { CodeActionKind, CreateFile, TextDocumentEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CoverageRecord } from '../core/model/coverage';
import { coverageOf } from '../core/model/coverage';
import type { Model } from '../core/model/types';
import { SAMCONFIG_NAMES } from '../params';
import type { CoverageStatus } from './protocol';
import { LIVE_ENABLE_COMMAND } from './protocol';
import { addParameterOverride, newSamconfig } from './samconfig-edit';

export interface CoverageActionEnv {
  /** The template's path on disk; undefined for an untitled document. */
  templatePath: string | undefined;
  /** The samconfig environment values are written to (`lambdaVpcLint.environment`, else `default`). */
  environment: string;
  /** A file's text (an open buffer first), undefined when it does not exist. */
  readText(path: string): string | undefined;
  liveEnabled: boolean;
  trusted: boolean;
  /** The client applies `documentChanges` and can create files with them. */
  createFiles: boolean;
  documentChanges: boolean;
}

/** The value written for a parameter: a placeholder that `network-unknown` names until it is replaced. */
export const PLACEHOLDER = 'CHANGEME';

export function coverageActions(model: Model, resource: string, diagnostic: Diagnostic, env: CoverageActionEnv): CodeAction[] {
  const coverage = coverageOf(model).find((c) => c.fn.id === resource);
  if (!coverage || coverage.missing.length === 0) return [];
  const actions: CodeAction[] = [];
  const parameters = new Set<string>();
  for (const group of coverage.missing) {
    if (group.kind === 'parameter' && group.supply.includes('parameter-value')) for (const name of group.names) parameters.add(name);
  }
  for (const name of parameters) {
    const edit = samconfigEdit(name, env);
    if (edit) actions.push({ title: `Add a value for parameter \`${name}\` to samconfig.toml`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit });
  }
  if (env.trusted && !env.liveEnabled && coverage.missing.some((g) => g.supply.includes('live'))) {
    const title = 'Turn on live lookups';
    actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: LIVE_ENABLE_COMMAND } });
  }
  return actions;
}

/** Creates samconfig.toml beside the template, or adds the value to the one there. */
function samconfigEdit(name: string, env: CoverageActionEnv): WorkspaceEdit | undefined {
  if (!env.templatePath) return undefined;
  const dir = dirname(env.templatePath);
  const path = join(dir, SAMCONFIG_NAMES[0]!);
  const uri = pathToFileURL(path).href;
  const text = env.readText(path);
  if (text === undefined) {
    // SAM reads samconfig.toml first: a new one would hide the samconfig.yaml that is there.
    if (SAMCONFIG_NAMES.slice(1).some((n) => env.readText(join(dir, n)) !== undefined)) return undefined;
    if (!env.createFiles) return undefined;
    const content = newSamconfig(env.environment, name, PLACEHOLDER);
    return {
      documentChanges: [
        CreateFile.create(uri, { ignoreIfExists: true }),
        TextDocumentEdit.create({ uri, version: null }, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content }]),
      ],
    };
  }
  const insertion = addParameterOverride(text, env.environment, name, PLACEHOLDER);
  if (!insertion) return undefined;
  const doc = TextDocument.create(uri, 'toml', 0, text);
  const at = doc.positionAt(insertion.offset);
  const edit = { range: { start: at, end: at }, newText: insertion.text };
  if (env.documentChanges) return { documentChanges: [TextDocumentEdit.create({ uri, version: null }, [edit])] };
  return { changes: { [uri]: [edit] } };
}

/** The coverage the status notification carries: counts, and the unchecked functions with what they miss. */
export function coverageStatus(records: readonly CoverageRecord[], position: (offset: number) => { line: number; character: number }): CoverageStatus {
  return {
    vpc: records.length,
    checked: records.filter((c) => c.network === 'checked').length,
    unchecked: records.filter((c) => c.network !== 'checked').map((c) => ({
      resource: c.resource,
      network: c.network as 'partial' | 'unknown',
      missing: c.missing,
      range: { start: position(c.keySpan.start), end: position(c.keySpan.end) },
    })),
  };
}
