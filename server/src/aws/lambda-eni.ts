/**
 * Recognising Lambda's network interfaces and reading the function name out of their description
 * (`AWS Lambda VPC ENI-<function-name>-<uuid>`). Function names may contain dashes, so the name is
 * whatever lies between the prefix and a trailing 8-4-4-4-12 uuid, never "up to the first dash".
 */

export const LAMBDA_DESCRIPTION_PREFIX = 'AWS Lambda VPC ENI-';

const TRAILING_UUID = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The function name in a Lambda ENI description, or undefined when the description is not Lambda's.
 * Without a trailing uuid (some emulators), everything after the prefix is taken as the name.
 */
export function parseFunctionName(description: string | undefined): string | undefined {
  if (!description?.startsWith(LAMBDA_DESCRIPTION_PREFIX)) return undefined;
  const rest = description.slice(LAMBDA_DESCRIPTION_PREFIX.length).trim();
  const name = rest.replace(TRAILING_UUID, '');
  return name.length > 0 ? name : undefined;
}

export function isLambdaEni(interfaceType: string | undefined, description: string | undefined): boolean {
  return interfaceType === 'lambda' || (description ?? '').startsWith(LAMBDA_DESCRIPTION_PREFIX);
}

export function isOrphanStatus(status: string | undefined): boolean {
  return status === 'available';
}
