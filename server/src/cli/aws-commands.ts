/** The command-line commands that load the AWS SDK, bundled apart so that the others start fast. */
export { runEnis } from './enis';
export * from './live-commands';
