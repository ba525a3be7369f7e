/**
 * What the status bar item says for the active document, from the server's `lambdaVpcLint/status`
 * notifications and the client's state. Pure, so it is tested without VS Code.
 */
import type { StatusParams } from '../../server/src/lsp/protocol';

export type ServerState = 'starting' | 'running' | 'stopped';

export interface StatusView {
  text: string;
  tooltip: string;
  tone: 'normal' | 'warning' | 'error';
  /** The command the item runs when clicked. */
  command: string;
}

export const RESTART_COMMAND = 'lambdaVpcLint.restartServer';
const PROBLEMS_COMMAND = 'workbench.actions.view.problems';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The item's content, or undefined when it should be hidden (no template in the active editor). */
export function statusView(status: StatusParams | undefined, server: ServerState): StatusView | undefined {
  if (server === 'stopped') {
    return { text: '$(debug-disconnect) VPC Lint', tooltip: 'The lambda-vpc-lint server stopped. Click to restart it.', tone: 'error', command: RESTART_COMMAND };
  }
  if (!status || status.state === 'not-template' || status.state === 'closed') return undefined;
  if (server === 'starting') return { text: '$(sync~spin) VPC Lint', tooltip: 'lambda-vpc-lint is starting', tone: 'normal', command: PROBLEMS_COMMAND };
  const kind = status.dialect === 'sam' ? 'SAM template' : status.dialect === 'serverless' ? 'Serverless file' : 'CloudFormation template';
  switch (status.state) {
    case 'pending':
      return { text: '$(sync~spin) VPC Lint', tooltip: `lambda-vpc-lint: analysing this ${kind}…`, tone: 'normal', command: PROBLEMS_COMMAND };
    case 'failed':
      return { text: '$(alert) VPC Lint', tooltip: `lambda-vpc-lint could not analyse this file: ${status.reason ?? 'unknown error'}. See the output channel.`, tone: 'error', command: PROBLEMS_COMMAND };
    case 'skipped':
      return { text: '$(circle-slash) VPC Lint', tooltip: `lambda-vpc-lint skipped this file${status.reason ? `: ${status.reason}` : ''}.`, tone: 'normal', command: PROBLEMS_COMMAND };
    case 'done': {
      const c = status.counts ?? { error: 0, warning: 0, info: 0, problems: 0 };
      const took = status.durationMs !== undefined ? ` in ${status.durationMs} ms` : '';
      const summary = [plural(c.error, 'error'), plural(c.warning, 'warning'), `${c.info} info`].join(', ');
      const problems = c.problems ? `; ${plural(c.problems, 'problem')} reading the file` : '';
      const tooltip = `lambda-vpc-lint: ${kind} analysed${took}: ${summary}${problems}. Click to open the Problems view.`;
      if (c.error + c.warning + c.info + c.problems === 0) return { text: '$(pass) VPC Lint', tooltip, tone: 'normal', command: PROBLEMS_COMMAND };
      const parts: string[] = [];
      if (c.error || c.problems) parts.push(`$(error) ${c.error + c.problems}`);
      if (c.warning) parts.push(`$(warning) ${c.warning}`);
      if (c.info) parts.push(`$(info) ${c.info}`);
      return { text: `VPC Lint ${parts.join(' ')}`, tooltip, tone: c.error || c.problems ? 'error' : c.warning ? 'warning' : 'normal', command: PROBLEMS_COMMAND };
    }
  }
}

/**
 * The item's background: the normal one (VS Code's own problem counter already shows the colours),
 * the warning or error colour only when `lambdaVpcLint.statusBar.colorBySeverity` asks for it.
 */
export function backgroundColorId(tone: StatusView['tone'], colorBySeverity: boolean): string | undefined {
  if (!colorBySeverity || tone === 'normal') return undefined;
  return tone === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground';
}
