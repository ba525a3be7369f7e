// Types for scripts/managed-policies.mjs, which the tests import.
import type { RawManagedPolicy } from '../server/src/core/model/managed-policies';

export interface ManagedPolicyDataSet {
  source: string;
  policies: Record<string, RawManagedPolicy>;
}
export const DATA_FILE: string;
export const COMMON_FILE: string;
export const COMMON: string[];
export function extractPolicy(name: string, document: unknown, serviceNames: Record<string, string>): RawManagedPolicy;
export function readDataSet(): ManagedPolicyDataSet;
export function commonModule(data: ManagedPolicyDataSet): string;
export function dataFileText(data: ManagedPolicyDataSet): string;
export function writeDataFile(outDir: string): ManagedPolicyDataSet;
