/** Templates to mutate in the fuzz tests: the bundled examples and a sample of the shared corpus. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');

/** The YAML and JSON files under a folder, in name order; none when it does not exist. */
export function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

export interface Seed {
  name: string;
  text: string;
}

/** The examples, plus every `step`-th corpus file (all of them with step 1), smallest first. */
export function seeds(step = 4, maxBytes = 60_000): Seed[] {
  const paths = [...files(join(ROOT, 'examples')), ...files(CORPUS).filter((_, i) => i % step === 0)];
  return paths
    .map((path) => ({ name: path.slice(ROOT.length - 4), text: readFileSync(path, 'utf8') }))
    .filter((s) => s.text.length <= maxBytes)
    .sort((a, b) => a.text.length - b.text.length);
}
