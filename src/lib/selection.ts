import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * True when the field being resolved selects the path of fields `names` (`selects(info, 'aggregate', 'byYear')`),
 * through fragments too. Conditions (`@skip`, `@include`) are not evaluated: a conditional selection counts.
 */
export function selects(info: GraphQLResolveInfo, ...names: string[]): boolean {
  const fieldsNamed = (set: SelectionSetNode | undefined, name: string, out: FieldNode[], seen: Set<string>) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) out.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fieldsNamed(selection.selectionSet, name, out, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        fieldsNamed(info.fragments[selection.name.value]?.selectionSet, name, out, seen);
      }
    }
  };
  let level: readonly FieldNode[] = info.fieldNodes;
  for (const name of names) {
    const next: FieldNode[] = [];
    for (const node of level) fieldsNamed(node.selectionSet, name, next, new Set());
    if (next.length === 0) return false;
    level = next;
  }
  return true;
}
