/**
 * The AWS half of the extension client, bundled on its own as `dist/client-aws.js` (scripts/build.mjs marks it
 * external from `dist/client.js`). Everything that imports `@aws-sdk/*` is reached only through this module, so
 * the SDK is parsed the first time the ENI explorer is shown, not when the extension activates.
 */
export { listLambdaEnis } from '../../server/src/aws/fetch-enis';
export { resolveDefaultRegion, validateEndpoint } from '../../server/src/aws/ec2-client';
