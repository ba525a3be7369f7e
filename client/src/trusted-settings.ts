/**
 * Which settings the language server may take from an untrusted workspace. `parameterFile` makes the
 * server read a file, `eni.profile` / `aws.endpoint` pick the credentials and the endpoint of live
 * lookups, and `live.stackName` the deployed stack they read, so in restricted mode they come from the user's own settings only; live lookups are off
 * altogether (the server also makes none when told the workspace is untrusted). Pure: the client passes
 * in the trust state and a reader of user values.
 */

/** Settings (without the `lambdaVpcLint.` prefix) the server takes from user settings only when untrusted. */
export const RESTRICTED_SETTINGS = ['parameterFile', 'eni.profile', 'aws.endpoint', 'live.stackName'] as const;

/** Settings forced to a value when untrusted, whatever any settings file says. */
export const UNTRUSTED_VALUES: Readonly<Record<string, unknown>> = { 'live.enabled': false };

export interface ConfigurationItem {
  section?: string;
  scopeUri?: string;
}

/**
 * The answer to the server's `workspace/configuration` request with the restricted settings of each
 * `lambdaVpcLint` item replaced by the user's value (or empty) when the workspace is not trusted.
 * Dotted keys are nested objects in the answer (`live.enabled` is `{ live: { enabled } }`).
 */
export function restrictUntrusted(
  items: readonly ConfigurationItem[],
  values: readonly unknown[],
  trusted: boolean,
  userValue: (key: string, scopeUri: string | undefined) => unknown,
  section = 'lambdaVpcLint',
): unknown[] {
  if (trusted) return [...values];
  return values.map((value, i) => {
    const item = items[i];
    if (item?.section !== section || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    let out = value as Record<string, unknown>;
    for (const key of RESTRICTED_SETTINGS) out = withValue(out, key, userValue(key, item.scopeUri) ?? '');
    for (const [key, forced] of Object.entries(UNTRUSTED_VALUES)) out = withValue(out, key, forced);
    return out;
  });
}

/** A copy of `obj` with the dotted `key` set, copying the objects on the way (the input is left alone). */
function withValue(obj: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (head === undefined) return obj;
  if (rest.length === 0) return { ...obj, [head]: value };
  const inner = obj[head];
  const child = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...obj, [head]: withValue(child, rest.join('.'), value) };
}
