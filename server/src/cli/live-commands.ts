/**
 * What `check --live` and `explain --live` need from the AWS SDK, reached through `aws-commands` (a
 * bundle of its own) so that the commands load the SDK only when live lookups are asked for.
 */
export { MAX_LIVE_ROUNDS, LiveSessions, analyzeWithLive, describeLiveFailures } from '../live';
export { resolveDefaultRegion } from '../aws/ec2-client';
