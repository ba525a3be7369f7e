/**
 * The VS Code adapter of the ENI explorer: owns the listing state (which regions are loading, what each
 * returned), starts the first listing when the view first asks for its children, and maps the pure
 * `tree-model` nodes onto TreeItems. Every AWS failure arrives as data and becomes an error node; nothing
 * here lets a rejection escape.
 */
import * as vscode from 'vscode';
import { toAwsFailure } from '../../../server/src/aws/aws-error';
import { functionNames } from '../../../server/src/aws/group-enis';
import type { EniFilter, RegionResult } from '../../../server/src/aws/types';
import type { AwsModule } from './aws-loader';
import { COMMANDS, VIEW_ID, buildTree, failureDetail, viewDescription, welcomeState } from './tree-model';
import type { ExplorerSnapshot, RegionState, TreeNode, WelcomeState } from './tree-model';

export interface ExplorerConfig {
  profile: string | undefined;
  /** Empty: the SDK's configured region. */
  regions: string[];
  endpoint: string | undefined;
}

export interface ProviderDeps {
  isTrusted(): boolean;
  config(): ExplorerConfig;
  filter(): EniFilter;
  loadAws(): AwsModule;
  /** The output channel: failures in full (never a credential), details at debug level. */
  log?(level: 'error' | 'warn' | 'debug', message: string): void;
}

const COLLAPSIBLE: Record<TreeNode['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class EniTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private regions: RegionState[] = [];
  private problem: ExplorerSnapshot['problem'];
  private started = false;
  private listingToken = 0;
  /** Per region, so a retry or a newer listing supersedes a slower, older answer. */
  private readonly regionTokens = new Map<string, number>();

  constructor(private readonly deps: ProviderDeps) {}

  /** Whether the view has asked for data at least once (auto-refresh waits for that). */
  get hasStarted(): boolean {
    return this.started;
  }

  snapshot(): ExplorerSnapshot {
    return {
      trusted: this.deps.isTrusted(),
      ...(this.problem ? { problem: this.problem } : {}),
      regions: this.regions,
      profile: this.deps.config().profile,
      filter: this.deps.filter(),
    };
  }

  description(): string | undefined {
    return viewDescription(this.snapshot());
  }

  /** The welcome state the view shows instead of nodes, if any. */
  welcome(): WelcomeState | undefined {
    return welcomeState(this.snapshot());
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
    item.id = node.id;
    if (node.description) item.description = node.description;
    if (node.tooltip) item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    if (node.command) item.command = node.command;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.children;
    const snapshot = this.snapshot();
    // The first time the view is shown is the first time the SDK is needed.
    if (snapshot.trusted && !this.started) {
      this.started = true;
      void this.startListing();
    }
    return buildTree(this.snapshot());
  }

  /** Lists every configured region again. In an untrusted workspace only redraws (the trust node). */
  refresh(): void {
    if (!this.deps.isTrusted()) {
      this.changed.fire(undefined);
      return;
    }
    this.started = true;
    void this.startListing();
  }

  /** Redraws from the data already fetched (after a filter change). */
  redraw(): void {
    this.changed.fire(undefined);
  }

  retryRegion(region: string): void {
    if (!this.deps.isTrusted() || !this.regions.some((r) => r.region === region)) return;
    void this.withViewProgress(this.loadRegions([region]));
  }

  functionNames(): string[] {
    return functionNames(this.regions.flatMap((r) => (r.status === 'done' ? [r.result] : [])));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private withViewProgress<T>(work: Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: { viewId: VIEW_ID }, title: 'Listing Lambda network interfaces' }, () => work);
  }

  private setProblem(problem: NonNullable<ExplorerSnapshot['problem']>): void {
    this.deps.log?.(problem.kind ? 'warn' : 'error', `${problem.message}${problem.detail ? `: ${problem.detail}` : ''}`);
    this.problem = problem;
    this.regions = [];
    this.changed.fire(undefined);
  }

  private async startListing(): Promise<void> {
    const token = ++this.listingToken;
    this.problem = undefined;
    this.regions = [];
    this.changed.fire(undefined);
    await this.withViewProgress(
      (async () => {
        let aws: AwsModule;
        try {
          aws = this.deps.loadAws();
        } catch (err) {
          this.setProblem({ message: 'The AWS SDK could not be loaded', detail: err instanceof Error ? err.message : String(err) });
          return;
        }
        const config = this.deps.config();
        const endpointProblem = config.endpoint ? aws.validateEndpoint(config.endpoint) : undefined;
        if (endpointProblem) {
          this.setProblem({
            message: `lambdaVpcLint.aws.endpoint: ${endpointProblem}`,
            command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['lambdaVpcLint.aws.endpoint'] },
          });
          return;
        }
        let regions = config.regions;
        if (regions.length === 0) {
          const region = await aws.resolveDefaultRegion(config.profile);
          if (token !== this.listingToken) return;
          if (!region) {
            this.setProblem({
              kind: 'noRegion',
              message: 'No region selected: click to choose regions',
              detail: `Neither lambdaVpcLint.eni.regions nor the ${config.profile ? `profile '${config.profile}'` : 'default profile'} names a region.`,
              command: { command: COMMANDS.selectRegions, title: 'Select Regions' },
            });
            return;
          }
          regions = [region];
        }
        if (token !== this.listingToken) return;
        this.regions = regions.map((region) => ({ region, status: 'loading' }));
        await this.loadRegions(regions, aws, config);
      })(),
    );
  }

  private async loadRegions(regions: string[], aws?: AwsModule, config: ExplorerConfig = this.deps.config()): Promise<void> {
    let sdk: AwsModule;
    try {
      sdk = aws ?? this.deps.loadAws();
    } catch (err) {
      this.setProblem({ message: 'The AWS SDK could not be loaded', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    const tokens = new Map(regions.map((region) => [region, (this.regionTokens.get(region) ?? 0) + 1]));
    for (const [region, token] of tokens) this.regionTokens.set(region, token);
    this.regions = this.regions.map((r) => (tokens.has(r.region) ? { region: r.region, status: 'loading' } : r));
    this.changed.fire(undefined);

    await Promise.all(
      regions.map(async (region) => {
        let result: RegionResult;
        try {
          [result = { region, ok: false, error: toAwsFailure(new Error('no result')) }] = await sdk.listLambdaEnis({
            regions: [region],
            profile: config.profile,
            endpoint: config.endpoint,
          });
        } catch (err) {
          result = { region, ok: false, error: toAwsFailure(err) };
        }
        if (this.regionTokens.get(region) !== tokens.get(region)) return;
        if (!result.ok) this.deps.log?.('error', `Listing Lambda network interfaces failed. ${failureDetail(region, result.error, config.profile)}`);
        else this.deps.log?.('debug', `${region}: ${result.enis.length} Lambda network interfaces listed.`);
        this.regions = this.regions.map((r) => (r.region === region ? { region, status: 'done', result } : r));
        this.changed.fire(undefined);
      }),
    );
  }
}
