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


/**
 * Small random YAML documents built to hit the places where the readers could disagree: nested maps and
 * sequences (compact ones too), comment lines at every indentation after every kind of value, empty
 * values, block scalars with every header, multi-line plain and quoted scalars, flow collections, tags.
 */
export function randomDocuments(seed: number, count: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const spaces = (n: number) => ' '.repeat(Math.max(0, n));
  const comment = (indent: number) => (next() < 0.5 ? '' : `${spaces(indent + Math.floor(next() * 7) - 3)}# c${Math.floor(next() * 9)}\n`);
  const trail = () => (next() < 0.2 ? ' # t' : next() < 0.1 ? '  ' : '');

  const blockScalar = (indent: number): string => {
    const header = pick(['|', '>', '|-', '>-', '|+', '>+', '|2', '>1-']);
    const digit = /\d/.exec(header);
    const content = indent + (digit ? Number(digit[0]) : 2);
    let out = `${header}${trail()}`;
    for (let i = 1 + Math.floor(next() * 3); i > 0; i--) {
      out += next() < 0.2 ? `\n${spaces(Math.floor(next() * (content + 2)))}` : `\n${spaces(content + (next() < 0.15 ? 2 : 0))}${pick(['x', 'y z', '# not', 'w '])}`;
    }
    return out;
  };
  const multiPlain = (indent: number) => `p1\n${spaces(indent + 1 + Math.floor(next() * 3))}p2${next() < 0.3 ? `\n\n${spaces(indent + 2)}p3` : ''}`;
  const multiQuoted = (indent: number) => {
    const q = pick(["'", '"']);
    return `${q}m1 \n${spaces(indent + 1 + Math.floor(next() * 2))}m2\n\n${spaces(indent + 2)}m3${q}`;
  };
  const SCALARS = [
    'a', 'b c', '1', '0x1F', '~', 'null', 'true', '-1', '.5', '1e3', "'q'", "'it''s'", '"d\\tq"', 'a#b', 'http://x', '!Ref X', '!Ref 1',
    '!GetAZs', "!GetAZs ''", '!Sub "${A}"', '[a, b]', '{ k: v }', '[!Ref A, [1, 2]]', '{a: [x], b: {c: d}}', '[]', '{}', '[k: v]', '',
  ];

  const value = (indent: number, depth: number, inSeq: boolean): string => {
    const r = next();
    if (depth < 4 && r < 0.25) return `\n${comment(indent + 2)}${map(indent + 2 + (next() < 0.1 ? 1 : 0), depth + 1)}`;
    if (depth < 4 && r < 0.4) {
      const tag = next() < 0.2 ? ` ${pick(['!If', '!Sub', '!Join'])}` : '';
      return `${tag}\n${comment(indent)}${seq(inSeq ? indent + 2 : indent + pick([0, 2]), depth + 1)}`;
    }
    if (r < 0.47) return ` ${blockScalar(indent)}`;
    if (r < 0.52) return ` ${multiPlain(indent)}`;
    if (r < 0.57) return ` ${multiQuoted(indent)}`;
    const scalar = pick(SCALARS);
    return `${scalar ? ` ${scalar}` : ''}${trail()}`;
  };
  const map = (indent: number, depth: number): string => {
    let out = '';
    for (let i = 0, n = 1 + Math.floor(next() * 3); i < n; i++) {
      const key = `${pick(['k', 'Key', '"q k"', "'s'", '1', 'true', 'a b'])}${i}`;
      out += `${spaces(indent)}${key}:${value(indent, depth, false)}\n${comment(indent)}${next() < 0.1 ? '\n' : ''}`;
    }
    return out;
  };
  const seq = (indent: number, depth: number): string => {
    let out = '';
    for (let i = 0, n = 1 + Math.floor(next() * 3); i < n; i++) {
      const r = next();
      if (depth < 4 && r < 0.3) out += `${spaces(indent)}- ${map(indent + 2, depth + 1).slice(indent + 2)}`;
      else if (depth < 4 && r < 0.4) out += `${spaces(indent)}- ${seq(indent + 2, depth + 1).slice(indent + 2)}`;
      else out += `${spaces(indent)}-${value(indent, depth, true)}\n`;
      out += comment(indent);
    }
    return out;
  };

  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${next() < 0.2 ? '---\n' : ''}${map(0, 0)}`;
    out.push(next() < 0.3 ? text.replace(/\n$/, '') : text);
  }
  return out;
}
