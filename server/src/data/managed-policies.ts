/**
 * The AWS managed policy data set the build writes beside the bundles (dist/managed-policies.json, see
 * scripts/managed-policies.mjs), read once, the first time a template names a policy the engine does not
 * bundle. A missing or unreadable file leaves those policies unknown, as they were without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManagedPolicyLookup, RawManagedPolicy } from '../core/model/managed-policies';

export function lazyManagedPolicies(file: string): ManagedPolicyLookup {
  let policies: Record<string, RawManagedPolicy> | null | undefined;
  return (name) => {
    if (policies === undefined) {
      try {
        const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
        const table = data && typeof data === 'object' ? (data as { policies?: unknown }).policies : undefined;
        policies = table && typeof table === 'object' ? (table as Record<string, RawManagedPolicy>) : null;
      } catch {
        policies = null;
      }
    }
    return policies && Object.hasOwn(policies, name) ? policies[name] : undefined;
  };
}

/** The data set beside the running bundle (`dist/`). */
export const bundledManagedPolicies: ManagedPolicyLookup = lazyManagedPolicies(join(__dirname, 'managed-policies.json'));
