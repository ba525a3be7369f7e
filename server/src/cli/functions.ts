/**
 * The `functions[]` of a file in `check --format json` and the counts behind `summary.functions` and the
 * text format's last line: read from the model's coverage (core/model/coverage.ts), the one computation
 * every output shares. Only the names of where values came from are the command line's own.
 */
import type { Model } from '../core/model/types';
import type { FactSource } from '../core/model/coverage';
import { coverageOf } from '../core/model/coverage';
import type { NetworkState } from '../core/model/coverage';

export interface FunctionReport {
  name: string;
  resource: string;
  vpc: boolean;
  network?: NetworkState;
  missing: string[];
  factSources: string[];
}

export interface FunctionCounts {
  total: number;
  vpc: number;
  checked: number;
  partial: number;
  unknown: number;
}

/**
 * Every function of the model. `params:<file>` names the parameter files (as given or found) when the
 * function's network rests on a parameter they gave a value; `params:--param` the command line's values.
 */
export function functionReports(model: Model | undefined, paramFiles: string[], fileParams: Record<string, string>, commandLine: Record<string, string>): FunctionReport[] {
  if (!model) return [];
  return coverageOf(model).map((c) => {
    const out: FunctionReport = { name: c.fn.name ?? c.fn.id, resource: c.fn.id, vpc: c.vpc, missing: c.missing.map((m) => m.text), factSources: [] };
    if (c.network) out.network = c.network;
    for (const source of c.sources) out.factSources.push(...sourceNames(source, paramFiles, fileParams, commandLine));
    out.factSources = [...new Set(out.factSources)];
    return out;
  });
}

function sourceNames(source: FactSource, paramFiles: string[], fileParams: Record<string, string>, commandLine: Record<string, string>): string[] {
  switch (source.kind) {
    case 'template':
      return ['template'];
    case 'live':
      return ['live'];
    case 'workspace':
      return [`workspace:${source.file}`];
    case 'params': {
      const out: string[] = [];
      if (source.names.some((n) => n in commandLine)) out.push('params:--param');
      if (source.names.some((n) => n in fileParams && !(n in commandLine))) out.push(...paramFiles.map((f) => `params:${f}`));
      return out;
    }
  }
}

export function countFunctions(functions: FunctionReport[]): FunctionCounts {
  const out: FunctionCounts = { total: functions.length, vpc: 0, checked: 0, partial: 0, unknown: 0 };
  for (const f of functions) {
    if (!f.vpc || !f.network) continue;
    out.vpc++;
    out[f.network]++;
  }
  return out;
}
