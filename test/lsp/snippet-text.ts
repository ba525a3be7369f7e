/** VS Code snippet syntax to the text it inserts when every tab stop keeps its default. */

/** A snippet's plain text: tab stops and placeholders replaced by their default text. */
export function snippetToText(snippet: string): string {
  let i = 0;
  const parse = (stopAtBrace: boolean): string => {
    let s = '';
    while (i < snippet.length) {
      const c = snippet[i]!;
      if (c === '\\' && i + 1 < snippet.length && '$}\\,|'.includes(snippet[i + 1]!)) {
        s += snippet[i + 1];
        i += 2;
      } else if (c === '}' && stopAtBrace) {
        i++;
        return s;
      } else if (c === '$' && /[0-9]/.test(snippet[i + 1] ?? '')) {
        i++;
        while (/[0-9]/.test(snippet[i] ?? '')) i++;
      } else if (c === '$' && snippet[i + 1] === '{') {
        i += 2;
        const m = /^([0-9]+|[A-Z_a-z]+)/.exec(snippet.slice(i));
        if (!m) {
          s += '${';
          continue;
        }
        i += m[0].length;
        if (snippet[i] === ':') {
          i++;
          s += parse(true);
        } else if (snippet[i] === '|') {
          const close = snippet.indexOf('|}', i + 1);
          s += snippet.slice(i + 1, close).split(',')[0];
          i = close + 2;
        } else if (snippet[i] === '}') i++;
      } else {
        s += c;
        i++;
      }
    }
    return s;
  };
  return parse(false);
}

