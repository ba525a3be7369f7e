/**
 * Analysis with live facts, for the command line and the language server alike: analyse, ask the
 * model what it cannot resolve (`unresolvedIds`), read that from the account, analyse again with the
 * facts; a few rounds at most, because resolved exports and SSM values may name ids of their own.
 * Failures never stop the analysis: the facts stay unknown and the caller gets the failures to tell the
 * user once.
 */
import { describeFailure } from '../aws/aws-error';
import type { AwsFailure } from '../aws/types';
import type { AnalysisResult } from '../core/analyze';
import type { LiveFacts } from '../core/live';
import { isEmptyRequest, unresolvedIds } from '../core/live';
import type { LiveSessionOptions } from './session';
import { LiveSession } from './session';

export interface LiveAnalysis {
  result: AnalysisResult;
  failures: AwsFailure[];
  /** Lookups made (0 when everything was cached or nothing was needed). */
  fetches: number;
}

/** A deployed stack's values come first, then what they name, then what resolved exports and SSM values name. */
export const MAX_LIVE_ROUNDS = 4;

/**
 * `stackName`: the stack the template is deployed as (given or discovered); its parameters and outputs,
 * and its nested stacks' outputs, are read with the rest.
 */
export async function analyzeWithLive(run: (live: LiveFacts) => AnalysisResult, session: LiveSession, maxRounds = MAX_LIVE_ROUNDS, stackName?: string): Promise<LiveAnalysis> {
  const failures: AwsFailure[] = [];
  let fetches = 0;
  for (let round = 0; ; round++) {
    const facts = session.facts();
    if (stackName) facts.stackName = stackName;
    const result = run(facts);
    if (!result.model || round >= maxRounds) return { result, failures, fetches };
    const need = session.pending(unresolvedIds(result.model));
    if (isEmptyRequest(need)) return { result, failures, fetches };
    const fetched = await session.fetch(need);
    fetches++;
    failures.push(...fetched.failures);
  }
}

/** One line per distinct failure: `live lookups in us-east-1 failed (ECONNREFUSED: ... (DescribeSubnets)); ...`. */
export function describeLiveFailures(region: string, failures: AwsFailure[]): string[] {
  const seen = new Map<string, AwsFailure>();
  for (const f of failures) if (!seen.has(f.code)) seen.set(f.code, f);
  return [...seen.values()].map((f) => `live lookups in ${region} failed (${describeFailure(f)}); the facts they would have given stay unknown`);
}

/** Live sessions by account view (region, profile, endpoint), so each is read and cached once. */
export class LiveSessions {
  private readonly sessions = new Map<string, LiveSession>();

  constructor(private readonly defaults: Omit<LiveSessionOptions, 'region'> = {}) {}

  get(options: LiveSessionOptions): LiveSession {
    const merged = { ...this.defaults, ...options };
    const key = JSON.stringify([merged.region, merged.profile ?? '', merged.endpoint ?? '']);
    let session = this.sessions.get(key);
    if (!session) this.sessions.set(key, (session = new LiveSession(merged)));
    return session;
  }

  /** Forgets every cached fact (the editor's refresh command). */
  refresh(): void {
    for (const s of this.sessions.values()) s.refresh();
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }
}
