/**
 * The names the language server and the VS Code client share: the custom status notification, the
 * commands, the trust notification, the environments request, the settings section. Kept free of imports so the client
 * bundle can take it without pulling in the server.
 */

export const SETTINGS_SECTION = 'lambdaVpcLint';
export const DIAGNOSTIC_SOURCE = 'lambda-vpc-lint';

/** Opens a rule's documentation; arguments: the rule id, then its URL. */
export const SHOW_DOCS_COMMAND = 'lambdaVpcLint.showRuleDocumentation';

/** Forgets the live facts read so far and analyses the open templates again (a server command). */
export const LIVE_REFRESH_COMMAND = 'lambdaVpcLint.live.refresh';

/** The client's picker of the deployed stack a folder's templates are checked against (`lambdaVpcLint.live.stackName`). */
export const PICK_STACK_COMMAND = 'lambdaVpcLint.live.pickStack';

/** Client -> server: the account's deployed stacks that match a template, for the stack picker. */
export const DEPLOYED_STACKS_REQUEST = 'lambdaVpcLint/deployedStacks';

export interface DeployedStacksParams {
  /** The template the stack is picked for. */
  uri: string;
}

export interface DeployedStacksResult {
  /** False when live lookups are off (the setting, or an untrusted workspace): no call was made. */
  enabled: boolean;
  /** Why nothing is listed: lookups off, or the calls that failed. */
  message?: string;
  /** Most recently updated first; `matched` of `of` of the template's logical ids are resources of the stack. */
  stacks: { name: string; status: string; updated?: string; matched: number; of: number }[];
  /** The stack the template is checked against now, if any. */
  current?: string;
}

/** The client's picker of the environment (`lambdaVpcLint.environment`). */
export const SELECT_ENVIRONMENT_COMMAND = 'lambdaVpcLint.selectEnvironment';

/** The code action kind of "fix all safe problems" (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.lambdaVpcLint';

/** Server -> client, after each change of a document's analysis state. */
export const STATUS_NOTIFICATION = 'lambdaVpcLint/status';

export type AnalysisState =
  /** An edit arrived; the analysis waits for the debounce. */
  | 'pending'
  /** Analysed; `counts` holds the findings by severity. */
  | 'done'
  /** The analysis threw; one diagnostic says so. */
  | 'failed'
  /** Not analysed: too large, or the server is disabled. */
  | 'skipped'
  /** The document is not a CloudFormation, SAM or Serverless template. */
  | 'not-template'
  /** The document was closed. */
  | 'closed';

export interface StatusParams {
  uri: string;
  version: number | null;
  state: AnalysisState;
  dialect?: string;
  counts?: { error: number; warning: number; info: number; problems: number };
  /** How long the analysis took. */
  durationMs?: number;
  /** Why it was skipped or failed. */
  reason?: string;
  /** An environment changes the document's values: a Serverless stage, a parameter file, a samconfig beside it. */
  environments?: boolean;
  /** What of the template's VPC functions could be checked (state `done`). */
  coverage?: CoverageStatus;
}

/** The VPC functions of a document and what of each one's network could be checked. */
export interface CoverageStatus {
  vpc: number;
  checked: number;
  /** The VPC functions whose network is not fully checked. */
  unchecked: {
    resource: string;
    network: 'partial' | 'unknown';
    /** What is missing, in the words of `network-unknown`. */
    missing: string[];
    /** The function's logical id or key, 0-based. */
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[];
}

/** Shows the VPC functions of the active template that were not checked, and what they miss (a client command). */
export const SHOW_COVERAGE_COMMAND = 'lambdaVpcLint.showCoverage';

/** Turns on `lambdaVpcLint.live.enabled` in the user settings (the client's; other clients are told how). */
export const LIVE_ENABLE_COMMAND = 'lambdaVpcLint.live.enable';

/** `initializationOptions` a client may send. */
export interface InitializationOptions {
  /** Commands the client runs itself: the server then leaves them out of `executeCommandProvider`. */
  clientCommands?: string[];
  /** `false`: the workspace is not trusted, and the server makes no live lookup until told otherwise. */
  workspaceTrusted?: boolean;
}

/** Client -> server, when the trust of the workspace changes (VS Code: trust granted). */
export const TRUST_NOTIFICATION = 'lambdaVpcLint/workspaceTrust';

export interface TrustParams {
  trusted: boolean;
}

/** Client -> server: the environments the picker offers, from samconfig files and open Serverless files. */
export const ENVIRONMENTS_REQUEST = 'lambdaVpcLint/environments';

export interface EnvironmentsParams {
  /** `file:` URIs of samconfig files the client found in the workspace. */
  samconfigs: string[];
}

export interface EnvironmentChoice {
  name: string;
  /** Where it was found, as file names (`samconfig.toml`, `serverless.yml params`). */
  sources: string[];
}

export interface EnvironmentsResult {
  environments: EnvironmentChoice[];
}

/** Client -> server: the network of a template, per function, for a tree view (any editor may ask). */
export const NETWORK_VIEW_REQUEST = 'lambdaVpcLint/networkView';

export interface NetworkViewParams {
  textDocument: { uri: string };
}

export interface NetworkViewItem {
  kind: 'function' | 'subnet' | 'route-table' | 'route-target' | 'endpoint' | 'security-group' | 'finding' | 'note';
  label: string;
  description?: string;
  tooltip?: string;
  state: 'ok' | 'finding' | 'unknown';
  severity?: 'error' | 'warning' | 'info';
  /** The definition (a finding: where it is reported), in the document. */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  resource?: string;
  ruleId?: string;
  children: NetworkViewItem[];
}

/** Null when the document is not a template. */
export interface NetworkViewResult {
  uri: string;
  version: number;
  functions: NetworkViewItem[];
}

/**
 * The Node / V8 flags the VS Code client starts the server with. The server's heap after a full collection
 * is small (about 40-55 MB with a 5000-resource template open), but V8 lets a heap that allocates as fast as
 * an analysis does grow to several times that before collecting, and keeps the pages: 250-400 MB of RSS. A
 * young generation of 4 MB semi-spaces and an old generation allowed 20% over what survived the last full
 * collection keep it near what is live, for more collector work per edit (BENCHMARKS.md has the figures:
 * with the incremental analysis, 2 MB semi-spaces cost a fifth more per edit at 5000 resources than 4 MB).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=4', '--heap-growing-percent=20'];

/**
 * Client -> server, for diagnosis and the benchmark: what the server holds. One analysis per open
 * document (the latest version's), none for a closed one; and the process's memory.
 */
export const SERVER_STATE_REQUEST = 'lambdaVpcLint/serverState';

export interface ServerStateParams {
  /** A full garbage collection first, when the server was started with `--expose-gc` (else ignored). */
  collect?: boolean;
}

export interface ServerStateResult {
  /** The cached analyses: one per document, of the version it was made for. */
  analyses: { uri: string; version: number }[];
  /**
   * After a collection (`collected`): of the last analyses the server dropped (replaced by a newer
   * version's, or closed), how many still have their entry, tree or model reachable; 0 unless something keeps them.
   */
  retainedDropped?: number;
  /** Whether a full garbage collection ran before the figures were read. */
  collected: boolean;
  /** Documents whose last diagnostics the server keeps. */
  diagnosedDocuments: number;
  /** The process's memory (`process.memoryUsage()`): the heap V8 has reserved (total) and what of it is in use. */
  memory: { rssBytes: number; heapUsedBytes: number; heapTotalBytes?: number };
}
