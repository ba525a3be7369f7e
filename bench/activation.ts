/**
 * Extension activation outside VS Code: loads the built client bundle with a no-op stand-in for the
 * `vscode` module (every property, call and construction returns the stand-in) and times `require` +
 * `activate()`, in a fresh Node process per run. It also checks that activation loads no AWS SDK
 * code. The in-editor figure comes from the e2e run, where the extension reports its own activate() time.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CHILD = `
const Module = require('module');
const realLoad = Module._load;
const handler = {
  get(target, prop) {
    if (prop === 'then') return undefined;
    if (prop === Symbol.toPrimitive) return () => '';
    if (prop === Symbol.iterator) return function* () {};
    return stub;
  },
  apply() { return stub; },
  // esbuild's ESM interop copies a module onto an object whose prototype is the module's prototype.
  getPrototypeOf() { return stub; },
  construct() { return stub; },
};
const stub = new Proxy(function () {}, handler);
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return stub;
  return realLoad.apply(this, arguments);
};
const context = { subscriptions: [], asAbsolutePath: (p) => require('path').join(process.argv[1], p), globalState: stub, workspaceState: stub, extensionUri: stub, extensionPath: process.argv[1] };
const t0 = performance.now();
const ext = require(require('path').join(process.argv[1], 'dist', 'client.js'));
const t1 = performance.now();
let api;
try { api = ext.activate(context); } catch (e) { console.log(JSON.stringify({ error: String(e) })); process.exit(0); }
const t2 = performance.now();
const loaded = Object.keys(require.cache);
const aws = loaded.filter((f) => f.includes('@aws-sdk') || f.endsWith('client-aws.js')).length;
console.log(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, awsModulesLoaded: aws }));
process.exit(0);
`;

export async function benchActivation(options: { smoke: boolean }): Promise<Record<string, unknown>> {
  const root = join(__dirname, '..');
  const runs = options.smoke ? 1 : 15;
  const samples: { requireMs: number; activateMs: number; awsModulesLoaded: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', CHILD, root], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      const parsed = JSON.parse(line) as { error?: string; requireMs: number; activateMs: number; awsModulesLoaded: number };
      if (parsed.error) return { error: parsed.error };
      samples.push(parsed);
    } catch {
      return { error: `activation probe printed no result: ${r.stderr.slice(0, 300)}` };
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const result = {
    runs,
    requireMedianMs: med(samples.map((s) => s.requireMs)),
    activateMedianMs: med(samples.map((s) => s.activateMs)),
    totalMedianMs: med(samples.map((s) => s.requireMs + s.activateMs)),
    awsModulesLoadedOnActivate: Math.max(...samples.map((s) => s.awsModulesLoaded)),
  };
  console.log(`Activation (Node, vscode stand-in, median of ${runs}): require ${result.requireMedianMs.toFixed(1)} ms + activate() ${result.activateMedianMs.toFixed(1)} ms; AWS SDK modules loaded: ${result.awsModulesLoadedOnActivate}`);
  return result;
}

if (require.main === module) {
  void benchActivation({ smoke: process.argv.includes('--smoke') });
}
