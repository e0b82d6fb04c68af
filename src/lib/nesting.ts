/** How deep text or values nest, measured without recursion and stopping just past a limit. */

/**
 * The deepest nesting of `{`, `[` and `(` in a GraphQL document, outside strings and comments, up to `max + 1`:
 * checked before parsing, so that a document nested thousands of levels deep never reaches a recursive parser.
 */
export function documentNesting(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23 /* # comment to the end of the line */) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x22 && text.startsWith('"""', i) /* block string; \""" inside it is escaped */) {
      i += 3;
      while (i < text.length && !(text.startsWith('"""', i) && text.charCodeAt(i - 1) !== 0x5c)) i++;
      i += 2;
    } else if (c === 0x22 /* string, to its closing quote or the end of the line */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22 && text.charCodeAt(i) !== 0x0a)
        i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    } else if (c === 0x7b || c === 0x5b || c === 0x28) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x7d || c === 0x5d || c === 0x29) {
      depth -= 1;
    }
  }
  return deepest;
}

/** The deepest nesting of arrays and objects in a JSON text, outside strings, up to `max + 1`. */
export function jsonNesting(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return deepest;
}

/** The deepest nesting of arrays and objects in a parsed value, up to `max + 1` (without recursion). */
export function valueNesting(value: unknown, max: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > deepest && (deepest = depth) > max) return deepest;
    for (const inner of Array.isArray(current) ? current : Object.values(current)) {
      if (inner !== null && typeof inner === 'object') stack.push([inner, depth + 1]);
    }
  }
  return deepest;
}
