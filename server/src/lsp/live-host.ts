/**
 * Live lookups as the language server runs them: one `EditorLiveFacts`, created on first use when
 * `lambdaVpcLint.live.enabled` is on and the client has not said the workspace is untrusted, from the
 * SDK bundle (`dist/server-aws.js`) loaded at that moment; the SDK's default region per profile, resolved
 * once; the refresh command. Settings off or trust withheld: no instance, no SDK, no call.
 */
import type { EditorLiveFacts, LiveView } from '../live/editor';
import type * as AwsEntry from './aws-entry';
import type { Settings } from './settings';

export type ServerAwsModule = typeof AwsEntry;

export class LiveHost {
  /** False while the client says the workspace is not trusted. */
  trusted = true;
  private aws: ServerAwsModule | undefined;
  private loadFailed = false;
  private instance: EditorLiveFacts | undefined;
  private ttlMs = 0;
  private readonly regions = new Map<string, string | undefined>();
  private readonly resolving = new Map<string, Promise<void>>();

  constructor(
    private readonly onChange: () => void,
    private readonly log: (message: string) => void,
    // A plain `require` of a sibling file: esbuild leaves it alone because `./server-aws` is external.
    private readonly load: () => ServerAwsModule = () => require('./server-aws') as ServerAwsModule,
  ) {}

  /** Whether these settings allow lookups: the (machine) setting, in a trusted workspace. */
  active(settings: Settings): boolean {
    return this.trusted && settings.live.enabled && !this.loadFailed;
  }

  /** The facts for these settings, created on first use; undefined when lookups are off. */
  facts(settings: Settings): EditorLiveFacts | undefined {
    if (!this.active(settings)) return undefined;
    const ttlMs = settings.live.cacheSeconds * 1000;
    if (this.instance && this.ttlMs !== ttlMs) {
      this.instance.dispose();
      this.instance = undefined;
    }
    if (!this.instance) {
      const aws = this.module();
      if (!aws) return undefined;
      this.instance = new aws.EditorLiveFacts(this.onChange, { ttlMs }, this.log);
      this.ttlMs = ttlMs;
    }
    return this.instance;
  }

  /** The account view of a document: its region, and the user's profile and endpoint. */
  view(settings: Settings, region: string): LiveView {
    return { region, ...(settings.profile ? { profile: settings.profile } : {}), ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) };
  }

  /** The SDK's region for a profile (`AWS_REGION`, the profile's `region`), once `resolveRegion` has run. */
  defaultRegion(profile: string | undefined): string | undefined {
    return this.regions.get(profile ?? '');
  }

  /** Resolves the SDK's region for a profile, once per profile (and again after a refresh). */
  resolveRegion(profile: string | undefined): Promise<void> {
    const key = profile ?? '';
    let pending = this.resolving.get(key);
    if (!pending) {
      const aws = this.module();
      pending = aws
        ? aws.resolveDefaultRegion(profile).then((region) => {
          this.regions.set(key, region);
        }, () => {
          this.regions.set(key, undefined);
        })
        : Promise.resolve();
      this.resolving.set(key, pending);
    }
    return pending;
  }

  /** Forgets the facts read so far; false when lookups never started. */
  refresh(): boolean {
    this.regions.clear();
    this.resolving.clear();
    if (!this.instance) return false;
    this.instance.refresh();
    return true;
  }

  dispose(): void {
    this.instance?.dispose();
    this.instance = undefined;
  }

  private module(): ServerAwsModule | undefined {
    if (this.aws || this.loadFailed) return this.aws;
    try {
      this.aws = this.load();
    } catch (err) {
      this.loadFailed = true;
      this.log(`lambda-vpc-lint: live lookups are off: the AWS part of the server (server-aws.js) could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.aws;
  }
}
