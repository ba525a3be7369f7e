/**
 * The AWS side of the ENI explorer and `lambda-vpc-lint enis`. This is the only folder that imports the
 * AWS SDK; the VS Code client reaches it through `client/src/aws-entry.ts`, loaded lazily as its own bundle.
 */
export { describeFailure, toAwsFailure } from './aws-error';
export { createEc2Client, resolveDefaultRegion, validateEndpoint, DEFAULT_REQUEST_TIMEOUT_MS } from './ec2-client';
export type { Ec2ClientOptions, StaticCredentials } from './ec2-client';
export { fetchRegion, listLambdaEnis } from './fetch-enis';
export type { FetchOptions, ListOptions } from './fetch-enis';
export { functionNames, groupRegion, groupRegions, isFilterActive, matchesFilter } from './group-enis';
export { isLambdaEni, parseFunctionName, LAMBDA_DESCRIPTION_PREFIX } from './lambda-eni';
export type * from './types';
