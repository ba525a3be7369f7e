/**
 * Which settings the language server may take from an untrusted workspace. `parameterFile` makes the
 * server read a file, so in restricted mode it comes from the user's own settings only. Pure: the
 * client passes in the trust state and a reader of user values.
 */

/** Settings (without the `lambdaVpcLint.` prefix) the server takes from user settings only when untrusted. */
export const RESTRICTED_SETTINGS = ['parameterFile'] as const;

export interface ConfigurationItem {
  section?: string;
  scopeUri?: string;
}

/**
 * The answer to the server's `workspace/configuration` request with the restricted settings of each
 * `lambdaVpcLint` item replaced by the user's value (or empty) when the workspace is not trusted.
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
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of RESTRICTED_SETTINGS) out[key] = userValue(key, item.scopeUri) ?? '';
    return out;
  });
}
