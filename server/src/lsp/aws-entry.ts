/**
 * The AWS half of the language server, bundled on its own as `dist/server-aws.js` (scripts/build.mjs
 * marks it external from `dist/server.js`). Everything that imports `@aws-sdk/*` is reached only through
 * this module, so the server parses the SDK the first time live lookups are on, never otherwise.
 */
export { EditorLiveFacts } from '../live/editor';
export { resolveDefaultRegion } from '../aws/ec2-client';
