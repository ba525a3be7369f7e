/**
 * Seeded, deterministic edits of YAML text for the fast YAML reader's differential test: characters,
 * lines, indentation, quotes, tags, comment lines and the tokens YAML gives meaning to.
 */

/** A small seeded generator (mulberry32), so every run mutates the same way. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  ' ', '  ', '\n', '#', ' # c', ':', ': ', '- ', '-', "'", '"', '!Ref ', '!GetAZs', '!Foo ', '!!str ', '[', ']', '{', '}',
  ', ', ',', '|', '>', '|-', '>+', '|2', '\\', '\\n', '\\x4', '&a ', '*a', '<<: ', '? ', '---\n', '...\n', '%', '@', '`',
  '\t', '\r\n', '\uFEFF', 'null', '~', '0x1F', '1e3', '.inf', "''", '""', 'k: v', 'k:v', '\n  # note\n', '\n\n', '  \n',
];

function mutate(text: string, next: () => number): string {
  const pick = (n: number) => Math.floor(next() * n);
  const lines = text.split('\n');
  const at = pick(text.length + 1);
  const line = pick(lines.length);
  switch (pick(11)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + pick(3));
    case 1:
      return text.slice(0, at) + TOKENS[pick(TOKENS.length)] + text.slice(at);
    case 2:
      lines.splice(line, 0, lines[line]!);
      return lines.join('\n');
    case 3:
      lines.splice(line, 1);
      return lines.join('\n');
    case 4: {
      const delta = pick(9) - 4;
      lines[line] = delta >= 0 ? ' '.repeat(delta) + lines[line] : lines[line]!.replace(new RegExp(`^ {0,${-delta}}`), '');
      return lines.join('\n');
    }
    case 5: {
      const quote = text.slice(at).search(/['"]/);
      if (quote < 0) return text;
      const i = at + quote;
      return text.slice(0, i) + (text[i] === '"' ? "'" : '"') + text.slice(i + 1);
    }
    case 6:
      lines.splice(line, 0, `${' '.repeat(pick(12))}# comment ${pick(100)}`);
      return lines.join('\n');
    case 7:
      lines.splice(line, 0, ' '.repeat(pick(10)));
      return lines.join('\n');
    case 8: {
      const nl = text.indexOf('\n', at);
      return nl < 0 ? text : text.slice(0, nl) + text.slice(nl + 1);
    }
    case 9: {
      const tag = text.slice(at).search(/![A-Za-z]+/);
      const tags = ['!Ref', '!Sub', '!If', '!GetAZs', '!Select', '!Foo'];
      if (tag < 0) return text;
      const i = at + tag;
      const end = i + /^![A-Za-z]+/.exec(text.slice(i))![0].length;
      return text.slice(0, i) + tags[pick(tags.length)] + text.slice(end);
    }
    default:
      return text.slice(0, at);
  }
}

export function variants(text: string, seed: number, count: number): string[] {
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let variant = text;
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) variant = mutate(variant, next);
    out.push(variant);
  }
  return out;
}

