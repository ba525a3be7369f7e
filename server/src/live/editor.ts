/**
 * Live facts for the language server, whose analysis is synchronous: a document is analysed at once
 * with whatever is cached for its account view; the lookups its model still needs then run in the
 * background, and when they bring something `onChange` is called so the server analyses again (the
 * `version` belongs in its cache key). The failures of a view's last lookup travel with its facts as
 * notices, which the engine reports as one warning problem. The server must create this only when
 * `lambdaVpcLint.live.enabled` is on (a user setting) and the workspace is trusted.
 */
import type { LiveFacts } from '../core/live';
import { unresolvedIds, isEmptyRequest } from '../core/live';
import type { Model } from '../core/model/types';
import { LiveSessions, describeLiveFailures } from './analyze';
import type { LiveSessionOptions } from './session';
import type { StackChoice } from './stacks';

/** Which account and region facts are read from. */
export interface LiveView {
  region: string;
  profile?: string;
  endpoint?: string;
  /** The stack the document is deployed as (`lambdaVpcLint.live.stackName`, samconfig, Serverless). */
  stackName?: string;
}

export class EditorLiveFacts {
  private readonly sessions: LiveSessions;
  private readonly notices = new Map<string, string[]>();
  private readonly running = new Set<Promise<unknown>>();
  private changed = false;
  private current = 0;
  private disposed = false;

  constructor(
    private readonly onChange: () => void,
    defaults: Omit<LiveSessionOptions, 'region'> = {},
    private readonly log: (message: string) => void = () => {},
  ) {
    this.sessions = new LiveSessions(defaults);
  }

  /** Bumped whenever lookups bring facts or the cache is refreshed. */
  get version(): number {
    return this.current;
  }

  /** The facts to analyse with now, without any call. */
  facts(view: LiveView): LiveFacts {
    const facts = this.session(view).facts();
    if (view.stackName) facts.stackName = view.stackName;
    const notices = this.notices.get(key(view));
    if (notices?.length) facts.notices = notices;
    return facts;
  }

  /** Starts the lookups the model still needs, in the background; `onChange` once they brought anything. */
  lookup(view: LiveView, model: Model | undefined): void {
    if (!model || this.disposed) return;
    const session = this.session(view);
    const need = session.pending(unresolvedIds(model));
    if (isEmptyRequest(need)) return;
    const run = session.fetch(need).then((result) => {
      if (this.disposed) return;
      const lines = describeLiveFailures(view.region, result.failures);
      for (const line of lines) this.log(`lambda-vpc-lint: ${line}`);
      const before = this.notices.get(key(view)) ?? [];
      if (lines.length > 0 || before.length > 0) this.notices.set(key(view), lines);
      if (result.calls > 0 || lines.join() !== before.join()) this.schedule();
    });
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** The account's stacks the template's logical ids match, most recent first, and a line per failure. */
  async listStacks(view: LiveView, logicalIds: string[]): Promise<{ stacks: StackChoice[]; notices: string[] }> {
    const listing = await this.session(view).listStacks(logicalIds);
    const notices = describeLiveFailures(view.region, listing.failures);
    for (const line of notices) this.log(`lambda-vpc-lint: ${line}`);
    return { stacks: listing.stacks, notices };
  }

  /** Forgets every fact: the next analyses look everything up again. */
  refresh(): void {
    this.sessions.refresh();
    this.notices.clear();
    this.schedule();
  }

  /** Resolves when the lookups started so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  dispose(): void {
    this.disposed = true;
    this.sessions.dispose();
  }

  private session(view: LiveView) {
    return this.sessions.get({ region: view.region, ...(view.profile ? { profile: view.profile } : {}), ...(view.endpoint ? { endpoint: view.endpoint } : {}) });
  }

  /** One `onChange` for the lookups that end together. */
  private schedule(): void {
    this.current++;
    if (this.changed) return;
    this.changed = true;
    queueMicrotask(() => {
      this.changed = false;
      if (!this.disposed) this.onChange();
    });
  }
}

function key(view: LiveView): string {
  return JSON.stringify([view.region, view.profile ?? '', view.endpoint ?? '', view.stackName ?? '']);
}
