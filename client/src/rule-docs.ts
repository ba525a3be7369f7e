/**
 * Rule documentation from the extension's own files: the package ships docs/rules/<id>.md, opened in
 * VS Code's Markdown preview, so it reads the same offline (and code-server asks about no external site).
 * The language server keeps the web address in its diagnostics (the command line and SARIF use it too);
 * the client points the Problems panel's rule link at the command that opens the local page instead.
 */
import { SHOW_DOCS_COMMAND } from '../../server/src/lsp/protocol';

/** The rule id of a rule documentation address (web or local), if it is one. */
export function ruleIdOfDocTarget(target: string): string | undefined {
  return /\/docs\/rules\/([a-z0-9-]+)\.md$/.exec(target)?.[1];
}

/** A `command:` link that opens the rule's page from the extension's files. */
export function docCommandLink(ruleId: string): string {
  return `command:${SHOW_DOCS_COMMAND}?${encodeURIComponent(JSON.stringify([ruleId]))}`;
}

/** The rule's page inside the extension, as path segments from its root. */
export function localDocSegments(ruleId: string): string[] {
  return ['docs', 'rules', `${ruleId}.md`];
}

/** Only ids of the catalogue's shape name a file: nothing from a diagnostic can point elsewhere. */
export function isRuleId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}
