/**
 * Lists the named profiles of the shared AWS config and credentials files, for the explorer's profile
 * picker. It reads section names only, never keys, and imports no SDK so the VS Code client can call it
 * before the SDK bundle is loaded. The files are found the way the SDK finds them: AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/config and ~/.aws/credentials.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ProfileSources {
  configFile: string;
  credentialsFile: string;
}

export function profileFiles(env: Record<string, string | undefined>, home: string = homedir()): ProfileSources {
  return {
    configFile: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

function sectionNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line);
    if (m) names.push(m[1]!.trim());
  }
  return names;
}

/**
 * Profile names from the two files' text. In the config file a profile is `[default]` or `[profile name]`;
 * other sections (`[sso-session x]`, `[services x]`) are not profiles. In the credentials file every section
 * is a profile.
 */
export function parseProfileNames(configText: string, credentialsText: string): string[] {
  const names = new Set<string>();
  for (const section of sectionNames(configText)) {
    if (section === 'default') names.add('default');
    else {
      const m = /^profile\s+(\S.*)$/.exec(section);
      if (m) names.add(m[1]!.trim());
    }
  }
  for (const section of sectionNames(credentialsText)) {
    // `[profile x]` is tolerated in the credentials file by some tools; the SDK reads it as `profile x`.
    if (section.length > 0) names.add(section);
  }
  return [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function listProfiles(env: Record<string, string | undefined>, home?: string): string[] {
  const files = profileFiles(env, home);
  return parseProfileNames(readOrEmpty(files.configFile), readOrEmpty(files.credentialsFile));
}
