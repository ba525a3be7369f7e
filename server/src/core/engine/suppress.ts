/**
 * Comment suppressions in YAML: `# lambda-vpc-lint-disable-next-line id[, id]` silences those rules on
 * the next line; `# lambda-vpc-lint-disable id[, id]` silences them for the whole file. Without ids, all rules.
 */

const COMMENT = /#\s*lambda-vpc-lint-disable(-next-line)?\b([^\n\r]*)/g;

export interface CommentSuppressions {
  file: Set<string>;
  suppressedAt(offset: number, ruleId: string): boolean;
}

export function commentSuppressions(text: string): CommentSuppressions | undefined {
  if (!text.includes('lambda-vpc-lint-disable')) return undefined;
  const file = new Set<string>();
  /** Line-start offset of the suppressed line -> rule ids. */
  const lines = new Map<number, Set<string>>();
  for (const match of text.matchAll(COMMENT)) {
    const ids = match[2]!.split(/[\s,]+/).filter((s) => /^[a-z0-9-]+$/.test(s));
    if (ids.length === 0) ids.push('*');
    if (!match[1]) {
      for (const id of ids) file.add(id);
      continue;
    }
    const eol = text.indexOf('\n', match.index!);
    if (eol < 0) continue;
    const next = eol + 1;
    const set = lines.get(next) ?? new Set<string>();
    for (const id of ids) set.add(id);
    lines.set(next, set);
  }
  return {
    file,
    suppressedAt(offset, ruleId) {
      if (lines.size === 0) return false;
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const set = lines.get(lineStart);
      return !!set && (set.has(ruleId) || set.has('*'));
    },
  };
}
