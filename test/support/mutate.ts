/**
 * Random edits of template text for property-based tests: deletions, insertions of YAML/JSON tokens,
 * truncations, tag swaps and indentation changes, the kinds of half-typed states an editor sends.
 */
import fc from 'fast-check';

const TOKENS = ['!Ref ', '!GetAtt ', '!Sub ', '!If [', '!Select [0, !GetAZs ""]', ': ', '- ', '{', '}', '[', ']', '"', "'", '\n', '  ', '\t', '#', '&a ', '*a', '<<: ', ',', '${', '}', 'Fn::If', 'Ref', '0.0.0.0/0', 'VpcConfig:', 'SubnetIds: [', '\u0000', '\r\n', '\uFEFF', '${self:', '${file(./x.yml)}'];
const TAGS = ['!Ref', '!GetAtt', '!Sub', '!If', '!Select', '!Join', '!Split', '!ImportValue', '!Base64', '!Foo'];

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'tag'; which: number; tag: string }
  | { kind: 'indent'; line: number; delta: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('tag' as const), which: fc.nat(), tag: fc.constantFrom(...TAGS) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }) }),
);

export function applyMutation(text: string, m: Mutation): string {
  if (text.length === 0) return m.kind === 'insert' ? m.text : text;
  switch (m.kind) {
    case 'delete': {
      const at = m.at % text.length;
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'truncate':
      return text.slice(0, m.at % text.length);
    case 'tag': {
      const tags = [...text.matchAll(/![A-Za-z]+/g)];
      if (tags.length === 0) return text;
      const hit = tags[m.which % tags.length]!;
      return text.slice(0, hit.index) + m.tag + text.slice(hit.index! + hit[0].length);
    }
    case 'indent': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      const line = lines[i]!;
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + line : line.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
  }
}
