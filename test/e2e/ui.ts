import type { Ec2TestServer } from '../support/ec2-server';
import type { Setup } from './harness';
export async function runUiChecks(_setup: Setup, _ec2: Ec2TestServer, _vsix: string): Promise<{ name: string; ok: boolean; detail?: string; ms: number }[]> {
  return [];
}
