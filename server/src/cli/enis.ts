/** `lambda-vpc-lint enis`: placeholder until the ENI listing lands. */
import type { Io } from './io';

export async function runEnis(_argv: string[], io: Io): Promise<number> {
  io.stderr('lambda-vpc-lint enis: not available yet\n');
  return 2;
}
