/**
 * README's sample outputs are the command line's real output: each block between
 * `<!-- sample: <command> <args> -->` and `<!-- sample:end -->` holds `$ lambda-vpc-lint <command> <args>`
 * and what that command prints, run from the repository root. `npm run docs` rewrites the blocks; a test
 * checks that they match, so they cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../server/src/cli/main';
import type { Io } from '../server/src/cli/io';

export const ROOT = resolve(__dirname, '..');
const SAMPLE = /(<!-- sample: ([^>]*?) -->\n)[\s\S]*?(<!-- sample:end -->)/g;

/** What `lambda-vpc-lint <args>` prints on stdout, in-process, without colour. */
export async function output(args: string[]): Promise<string> {
  let out = '';
  const io: Io = {
    stdout: (text) => {
      out += text;
    },
    stderr: () => {},
    isTty: false,
    cwd: ROOT,
    env: {},
    readFile: (path) => readFileSync(resolve(ROOT, path), 'utf8'),
  };
  await main(args, io);
  return out;
}

/** The README with every sample block regenerated. */
export async function withSamples(readme: string): Promise<string> {
  const blocks = [...readme.matchAll(SAMPLE)];
  let out = '';
  let last = 0;
  for (const m of blocks) {
    const command = m[2]!.trim();
    const text = await output(command.split(/\s+/));
    out += readme.slice(last, m.index) + `${m[1]}\`\`\`\n$ lambda-vpc-lint ${command}\n${text.trimEnd()}\n\`\`\`\n${m[3]}`;
    last = m.index! + m[0].length;
  }
  return out + readme.slice(last);
}

if (require.main === module) {
  const path = join(ROOT, 'README.md');
  void withSamples(readFileSync(path, 'utf8')).then((text) => {
    writeFileSync(path, text);
    console.log('wrote the sample outputs in README.md');
  });
}
