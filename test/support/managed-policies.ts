/** The AWS managed policy data set as the build extracts it, read from the installed package on first use. */
import type { ManagedPolicyDataSet } from '../../scripts/managed-policies.mjs';
import { readDataSet } from '../../scripts/managed-policies.mjs';
import type { ManagedPolicyLookup } from '../../server/src/core/model/managed-policies';

let data: ManagedPolicyDataSet | undefined;

export function managedPolicyData(): ManagedPolicyDataSet {
  return (data ??= readDataSet());
}

export const managedPolicies: ManagedPolicyLookup = (name) => managedPolicyData().policies[name];
