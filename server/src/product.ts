/**
 * The product's name, version and where its rule docs live: shared by the command line, SARIF, the
 * language server and the extension. Not part of the analysis core, which knows nothing of them.
 */
export const TOOL_NAME = 'lambda-vpc-lint';
export const TOOL_VERSION = '0.1.0';
export const REPOSITORY_URL = 'https://github.com/lambda-vpc-lint/lambda-vpc-lint';

export function ruleDocUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}
