/**
 * The AWS managed policy data set the build writes beside the bundles (dist/managed-policies.ndjson, see
 * scripts/managed-policies.mjs): a header line, then one line `["<name>", {...}]` per policy. The file is
 * read the first time a template names a policy the engine does not bundle, and a lookup parses only that
 * policy's line. A missing or unreadable file leaves those policies unknown, as they were without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedPolicyLookup, RawManagedPolicy } from '../core/model/managed-policies';

export function lazyManagedPolicies(file: string): ManagedPolicyLookup {
  let text: string | undefined;
  const found = new Map<string, RawManagedPolicy | undefined>();
  return (name) => {
    if (found.has(name)) return found.get(name);
    if (text === undefined) {
      try {
        text = `\n${readFileSync(file, 'utf8')}`;
      } catch {
        text = '';
      }
    }
    // The name encoded as the file encodes it, after a line break: only ever the start of that policy's line.
    const at = text.indexOf(`\n[${JSON.stringify(name)},`);
    let policy: RawManagedPolicy | undefined;
    if (at >= 0) {
      const end = text.indexOf('\n', at + 1);
      try {
        const entry: unknown = JSON.parse(text.slice(at + 1, end < 0 ? undefined : end));
        if (Array.isArray(entry) && entry[1] && typeof entry[1] === 'object') policy = entry[1] as RawManagedPolicy;
      } catch {
        policy = undefined;
      }
    }
    found.set(name, policy);
    return policy;
  };
}

/** The data set beside the running bundle (`dist/`). */
export const bundledManagedPolicies: ManagedPolicyLookup = lazyManagedPolicies(join(__dirname, 'managed-policies.ndjson'));
