/**
 * The items of the deployed-stack picker, without VS Code: one per stack the server listed (most
 * recent first, as it sent them), the current one marked, and an item that clears the choice. Pure, so
 * it is tested on its own.
 */
import type { DeployedStacksResult } from '../../server/src/lsp/protocol';

export interface StackPick {
  label: string;
  description?: string;
  detail?: string;
  /** The stack name to remember; null clears the setting. */
  stack: string | null;
}

export function stackPicks(result: DeployedStacksResult): StackPick[] {
  const picks: StackPick[] = result.stacks.map((s) => {
    const parts = [s.status];
    if (s.updated) parts.push(`updated ${s.updated.slice(0, 16).replace('T', ' ')} UTC`);
    const pick: StackPick = { label: s.name, description: parts.join(', '), stack: s.name };
    if (s.of > 0) pick.detail = `${s.matched} of the template's ${s.of} resources are in this stack`;
    if (s.name === result.current) pick.label = `$(check) ${s.name}`;
    return pick;
  });
  picks.push({ label: 'None', description: 'use the samconfig or Serverless stack name, if any', stack: null });
  return picks;
}
