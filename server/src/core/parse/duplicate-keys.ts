/**
 * Duplicate mapping keys: CloudFormation (and the Serverless Framework's loader) reject a template in
 * which one mapping names a key twice, a resource defined twice being the usual case. The parsers keep
 * both pairs; this reports the second at its key instead of letting the last one silently win.
 */
import type { Node } from '../tree';
import type { Problem } from './problems';

/** How many duplicate keys a file reports before the rest are summed up in one. */
const MAX_REPORTED = 10;

/** `shared`: whether nodes may be shared (YAML anchors): then each is looked at once. */
export function duplicateKeyProblems(root: Node | undefined, shared = true): Problem[] {
  const problems: Problem[] = [];
  let more = 0;
  const seen = shared ? new Set<Node>() : undefined;
  const stack: Node[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === 'scalar') continue;
    if (seen) {
      if (seen.has(node)) continue;
      seen.add(node);
    }
    if (node.kind === 'map') {
      const keys = new Set<string>();
      for (const pair of node.pairs) {
        const key = String(pair.key.value);
        if (keys.has(key)) {
          if (problems.length < MAX_REPORTED) {
            problems.push({
              message: `Duplicate key '${key}': it is already defined in this mapping, and CloudFormation rejects a template with a key defined twice.`,
              span: { start: pair.key.start, end: pair.key.end },
              severity: 'error',
            });
          } else more++;
        }
        keys.add(key);
        stack.push(pair.value);
      }
    } else if (node.kind === 'seq') {
      for (const item of node.items) stack.push(item);
    }
  }
  problems.sort((a, b) => a.span.start - b.span.start);
  if (more > 0) problems.push({ message: `${more} more duplicate keys.`, span: problems[problems.length - 1]!.span, severity: 'error' });
  return problems;
}
