/**
 * Live facts: read-only lookups of what a template refers to but does not define (subnets, route
 * tables, NAT gateways, endpoints, security groups, VPCs, network ACLs, CloudFormation exports, SSM
 * parameters), cached per account view, merged into the analysis as known facts. Host side: calls AWS.
 */
export { MAX_LIVE_ROUNDS, LiveSessions, analyzeWithLive, describeLiveFailures } from './analyze';
export type { LiveAnalysis } from './analyze';
export { createLiveClients } from './clients';
export { EditorLiveFacts } from './editor';
export type { LiveView } from './editor';
export type { LiveClientOptions, LiveClients } from './clients';
export { DEFAULT_FAILURE_RETRY_MS, DEFAULT_LIVE_TTL_MS, LiveSession, isReadableSsmName } from './session';
export type { LiveFetchResult, LiveSessionOptions } from './session';
export { discoverStackName, parseStackNameArgument } from './stack-name';
export type { StackName, StackNameOptions } from './stack-name';
export { listMatchingStacks } from './stacks';
export type { StackChoice, StackListing } from './stacks';
