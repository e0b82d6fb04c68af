import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * True when the field being resolved selects the path of fields `names` (`selects(info, 'aggregate', 'byYear')`),
 * through fragments too. Conditions (`@skip`, `@include`) are not evaluated: a conditional selection counts.
 */
export function selects(info: GraphQLResolveInfo, ...names: string[]): boolean {
  return selectedFieldNames(info, ...names.slice(0, -1)).has(names[names.length - 1]);
}

/**
 * The names of the fields selected at the end of `path` below the field being resolved (through fragments), or
 * an empty set when the path is not selected.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, ...path: string[]): Set<string> {
  const names = new Set<string>();
  const collect = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>) => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (depth === path.length) names.add(selection.name.value);
        else if (selection.name.value === path[depth]) collect(selection.selectionSet, depth + 1, new Set());
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet, depth, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        collect(info.fragments[selection.name.value]?.selectionSet, depth, seen);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet, 0, new Set());
  return names;
}
