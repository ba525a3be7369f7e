/**
 * What the environment picker and its status bar item show: the environments the server found
 * (samconfig files, Serverless `params` stages), what was typed, and a way back to the default. Pure, so it is tested without VS Code.
 */
import type { EnvironmentChoice, StatusParams } from '../../server/src/lsp/protocol';
import { SELECT_ENVIRONMENT_COMMAND } from '../../server/src/lsp/protocol';

export interface EnvironmentPick {
  label: string;
  description?: string;
  detail?: string;
  /** The value written to `lambdaVpcLint.environment`; '' clears it (the default). */
  value: string;
}

/** A valid environment or stage name: what SAM and the Serverless Framework accept. */
export function isEnvironmentName(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*$/.test(value);
}

export function environmentPicks(found: readonly EnvironmentChoice[], current: string | undefined): EnvironmentPick[] {
  const picks: EnvironmentPick[] = [];
  const mark = (name: string) => (name === current ? 'current' : undefined);
  for (const choice of found) {
    const description = mark(choice.name);
    picks.push({ label: choice.name, ...(description ? { description } : {}), detail: choice.sources.join(', '), value: choice.name });
  }
  if (current && !picks.some((p) => p.value === current)) picks.unshift({ label: current, description: 'current', detail: 'not found in any samconfig or Serverless file', value: current });
  picks.push({
    label: 'Default',
    ...(current ? {} : { description: 'current' }),
    detail: "samconfig environment 'default'; Serverless: provider.stage, else dev",
    value: '',
  });
  return picks;
}

/** The pick for what was typed in the picker, when it is a new name. */
export function typedPick(typed: string, picks: readonly EnvironmentPick[]): EnvironmentPick | undefined {
  const value = typed.trim();
  if (!value || !isEnvironmentName(value) || picks.some((p) => p.value === value)) return undefined;
  return { label: value, description: 'use this environment', value };
}

export interface EnvironmentView {
  text: string;
  tooltip: string;
  command: string;
}

/**
 * The environment item: shown beside the state item, for templates whose values an environment changes
 * (a samconfig beside them, a parameter file, a Serverless stage), or when one is chosen all the same.
 */
export function environmentView(status: StatusParams | undefined, environment: string | undefined): EnvironmentView | undefined {
  if (!status || status.state === 'not-template' || status.state === 'closed') return undefined;
  const name = environment?.trim() || undefined;
  if (!status.environments && !name) return undefined;
  const what = status.dialect === 'serverless' ? 'Serverless stage' : 'samconfig environment';
  return {
    text: `$(layers) ${name ?? 'default'}`,
    tooltip: name
      ? `lambda-vpc-lint: parameter values and stage of the environment '${name}' (${what}). Click to change.`
      : `lambda-vpc-lint: the default environment (${status.dialect === 'serverless' ? 'provider.stage, else dev' : "samconfig 'default'"}). Click to choose one.`,
    command: SELECT_ENVIRONMENT_COMMAND,
  };
}
