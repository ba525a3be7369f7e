/**
 * The account's deployed stacks a template may be, for the editor's "Check against a deployed stack"
 * picker: `ListStacks` (live stacks only, nested ones left out), the most recently updated first; then
 * `ListStackResources` of each of the most recent ones, kept when at least half of the template's
 * logical ids are among its resources. Bounded: a few pages of stacks, a few dozen candidates.
 */
import { ListStackResourcesCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import type { CloudFormationClient, StackStatus, StackSummary } from '@aws-sdk/client-cloudformation';
import { toAwsFailure } from '../aws/aws-error';
import type { AwsFailure } from '../aws/types';

/** Stack states in which a stack is deployed (not deleted, not mid-creation). */
const DEPLOYED: StackStatus[] = [
  'CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE',
  'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED',
];
const MAX_LIST_PAGES = 10;
export const MAX_STACK_CANDIDATES = 25;
const MAX_RESOURCE_PAGES = 5;

export interface StackChoice {
  name: string;
  status: string;
  /** ISO time of the last update, else of the creation. */
  updated?: string;
  /** How many of the template's logical ids the stack has. */
  matched: number;
  of: number;
}

export interface StackListing {
  stacks: StackChoice[];
  failures: AwsFailure[];
}

export async function listMatchingStacks(cloudformation: Pick<CloudFormationClient, 'send'>, logicalIds: string[]): Promise<StackListing> {
  const failures: AwsFailure[] = [];
  const summaries: StackSummary[] = [];
  try {
    let token: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const out = await cloudformation.send(new ListStacksCommand({ StackStatusFilter: DEPLOYED, NextToken: token }));
      summaries.push(...(out.StackSummaries ?? []));
      token = out.NextToken || undefined;
      if (!token) break;
    }
  } catch (err) {
    failures.push(toAwsFailure(err, 'ListStacks'));
    return { stacks: [], failures };
  }
  const when = (s: StackSummary) => (s.LastUpdatedTime ?? s.CreationTime)?.getTime() ?? 0;
  const candidates = summaries
    .filter((s) => s.StackName && !s.ParentId && !s.RootId)
    .sort((a, b) => when(b) - when(a))
    .slice(0, MAX_STACK_CANDIDATES);
  const wanted = new Set(logicalIds);
  const stacks: StackChoice[] = [];
  await Promise.all(candidates.map(async (s) => {
    let matched = 0;
    if (wanted.size > 0) {
      const found = new Set<string>();
      try {
        let token: string | undefined;
        for (let page = 0; page < MAX_RESOURCE_PAGES; page++) {
          const out = await cloudformation.send(new ListStackResourcesCommand({ StackName: s.StackName, NextToken: token }));
          for (const r of out.StackResourceSummaries ?? []) if (r.LogicalResourceId && wanted.has(r.LogicalResourceId)) found.add(r.LogicalResourceId);
          token = out.NextToken || undefined;
          if (!token) break;
        }
      } catch (err) {
        failures.push(toAwsFailure(err, 'ListStackResources'));
        return;
      }
      matched = found.size;
      if (matched === 0 || matched * 2 < wanted.size) return;
    }
    const choice: StackChoice = { name: s.StackName!, status: s.StackStatus ?? 'unknown', matched, of: wanted.size };
    const at = s.LastUpdatedTime ?? s.CreationTime;
    if (at) choice.updated = at.toISOString();
    stacks.push(choice);
  }));
  stacks.sort((a, b) => (b.updated ?? '').localeCompare(a.updated ?? '') || a.name.localeCompare(b.name));
  return { stacks, failures };
}
