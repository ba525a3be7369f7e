/** The command line's view of the outside world, so commands can be tested in-process too. */
import { readFileSync } from 'node:fs';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (text output is coloured then). */
  isTty: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
  readFile(path: string): string;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: !!process.stdout.isTTY && !process.env.NO_COLOR,
    cwd: process.cwd(),
    env: process.env,
    readFile: (path) => readFileSync(path, 'utf8'),
  };
}
