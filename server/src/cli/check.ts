/** `lambda-vpc-lint check`: placeholder replaced below. */
import type { Io } from './io';
export async function runCheck(_argv: string[], _io: Io): Promise<number> {
  return 2;
}
