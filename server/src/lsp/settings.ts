/**
 * The `lambdaVpcLint.*` settings as the server uses them, and their validation: whatever a client sends,
 * a wrong type or an unknown severity falls back to the default instead of reaching the engine.
 */
import { DEFAULT_MAX_FILE_SIZE } from '../core/analyze';
import { STACK_NAME_PATTERN } from '../core/live';
import type { SeveritySetting } from '../core/types';

export interface Settings {
  enable: boolean;
  /** Severity per rule id. */
  rules: Record<string, SeveritySetting>;
  debounceMs: number;
  /** Empty: the template's own region (Serverless `provider.region`), else us-east-1. */
  region: string | undefined;
  /** Path of a parameter values file, absolute or relative to the workspace folder. */
  parameterFile: string | undefined;
  /** Serverless stage for `${sls:stage}` / `${opt:stage}`; empty: `environment`. */
  stage: string | undefined;
  /** The samconfig environment (SAM's `--config-env`), and the Serverless stage when `stage` is empty. */
  environment: string | undefined;
  /** In bytes. */
  maxFileSize: number;
  /** Live lookups (`live.enabled`, a machine setting), used only in a trusted workspace. */
  live: { enabled: boolean; cacheSeconds: number; stackName?: string };
  /** `eni.profile`: the credentials of live lookups; empty: the SDK's default chain. */
  profile: string | undefined;
  /** `aws.endpoint`: one endpoint for every AWS call (emulators); the client sends the user's value only. */
  endpoint: string | undefined;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  debounceMs: 200,
  region: undefined,
  parameterFile: undefined,
  stage: undefined,
  environment: undefined,
  maxFileSize: DEFAULT_MAX_FILE_SIZE,
  live: { enabled: false, cacheSeconds: 300 },
  profile: undefined,
  endpoint: undefined,
};

const SEVERITIES = new Set<string>(['off', 'info', 'warning', 'error']);

export function normalizeSettings(raw: unknown): Settings {
  const s = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, SeveritySetting> = {};
  if (s.rules !== null && typeof s.rules === 'object' && !Array.isArray(s.rules)) {
    for (const [id, value] of Object.entries(s.rules as Record<string, unknown>)) {
      if (typeof value === 'string' && SEVERITIES.has(value)) rules[id] = value as SeveritySetting;
    }
  }
  const number = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const group = (value: unknown) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const live = group(s.live);
  return {
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    rules,
    debounceMs: number(s.debounceMs, DEFAULT_SETTINGS.debounceMs, 0, 10_000),
    region: text(s.region),
    parameterFile: text(s.parameterFile),
    stage: text(s.stage),
    environment: text(s.environment),
    maxFileSize: number(s.maxFileSize, DEFAULT_SETTINGS.maxFileSize, 1, Number.MAX_SAFE_INTEGER),
    live: {
      enabled: live.enabled === true,
      cacheSeconds: number(live.cacheSeconds, DEFAULT_SETTINGS.live.cacheSeconds, 30, 86_400),
      // `live.stackName`, per folder: the deployed stack its templates are read from; not a stack name, not used.
      ...(text(live.stackName) && STACK_NAME_PATTERN.test(text(live.stackName)!) ? { stackName: text(live.stackName)! } : {}),
    },
    profile: text(group(s.eni).profile),
    endpoint: text(group(s.aws).endpoint),
  };
}

/** The Serverless stage: the setting, else the environment. */
export function stageOf(settings: Settings): string | undefined {
  return settings.stage ?? settings.environment;
}

/**
 * A key that changes when anything the analysis depends on changes (used to validate the cache): the
 * settings, the parameter values and what could not be used of them, and the live facts (their account
 * view and the version of what has been read).
 */
export function analysisKey(
  settings: Settings,
  params: Record<string, string> | undefined,
  extra: { region?: string; notices?: string[]; live?: { view: unknown; version: number } } = {},
): string {
  return JSON.stringify([
    settings.rules, settings.region, settings.stage, settings.environment, settings.maxFileSize, params ?? null,
    extra.region ?? null, extra.notices ?? [], extra.live ?? null,
  ]);
}
