/**
 * Imported first by tests of code that imports `vscode`: makes `require('vscode')` resolve to
 * `fake-vscode.ts`, since the real module exists only inside the VS Code extension host.
 */
import Module from 'node:module';

const fakePath = require.resolve('./fake-vscode');
const patched = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = patched._resolveFilename;
patched._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakePath : original.call(this, request, ...rest);
};
