/**
 * The core's modules form no import cycle (type-only imports included): each layer (parse, model,
 * engine, rules, analyze) can be read, tested and changed knowing only what is below it. The graph is
 * read from the sources' relative import specifiers. Also: the extension (client/) imports nothing from
 * the core (ESLint says so too); it reaches the engine only through the language server.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '..', '..');
const CORE = join(ROOT, 'server', 'src', 'core');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The files under `within` a source file imports (static `import`/`export ... from`, types included). */
export function importsOf(file: string, text: string, within = CORE): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    const base = resolve(dirname(file), m[1]!);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (target && target.startsWith(within)) out.push(target);
  }
  return out;
}

/** Every cycle of the graph, each once, as the list of files from its first file back to it. */
export function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join('|');
        if (!found.has(key)) found.set(key, [...cycle, next]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}

describe('core import graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
    assert.deepEqual(cycles(new Map([['a', ['b']], ['b', []]])), []);
    const file = join(CORE, 'analyze.ts');
    assert.deepEqual(importsOf(file, "import type { Model } from './model/types';\nexport { x } from './tree';\nimport { readFileSync } from 'node:fs';\n"), [join(CORE, 'model', 'types.ts'), join(CORE, 'tree.ts')]);
  });

  it('server/src/core has no import cycle', () => {
    const graph = new Map(sources(CORE).map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
    assert.ok(graph.size > 50, 'the core was read');
    const found = cycles(graph).map((c) => c.map((f) => relative(CORE, f)).join(' -> '));
    assert.deepEqual(found, []);
  });

  it('client/src imports nothing from server/src/core', () => {
    const files = sources(join(ROOT, 'client', 'src'));
    assert.ok(files.length > 5, 'the client was read');
    const found = files.flatMap((file) => importsOf(file, readFileSync(file, 'utf8'), CORE).map((target) => `${relative(ROOT, file)} -> ${relative(ROOT, target)}`));
    assert.deepEqual(found, []);
  });
});
