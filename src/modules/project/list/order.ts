import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { ProjectOrder } from '../../../__generated__/graphql';
import { projects, projectStatus, type ProjectRow } from '../../../db/schema';
import { badUserInput } from '../../../lib/errors';
import type { OrderKey, Ordering } from '../../../lib/pagination';

/** A project row, with its search relevance when the list is searched. */
export type RankedProjectRow = ProjectRow & { rank?: number };

export const MAX_ORDER_KEYS = 6;
const ORDER_KEYS: Record<ProjectOrder['field'], Omit<OrderKey<RankedProjectRow>, 'direction'>> = {
  CODE: { expr: sql`${projects.code}`, type: 'text', value: (row) => row.code },
  NAME: { expr: sql`${projects.name}`, type: 'text', value: (row) => row.name },
  TOTAL_INVESTMENT: {
    expr: sql`${projects.totalInvestmentVnd}`,
    type: 'numeric',
    nullable: true,
    value: (row) => row.totalInvestmentVnd,
  },
  STATUS: {
    expr: sql`${projects.status}`,
    type: 'project_status',
    values: projectStatus.enumValues,
    value: (row) => row.status,
  },
  PLANNED_COMPLETION: {
    expr: sql`${projects.plannedCompletion}`,
    type: 'date',
    nullable: true,
    value: (row) => row.plannedCompletion,
  },
  STATUS_CHANGED_AT: {
    expr: sql`${projects.statusChangedOn}`,
    type: 'date',
    nullable: true,
    value: (row) => row.statusChangedOn,
  },
};

const idKey: OrderKey<RankedProjectRow> = {
  expr: sql`${projects.id}`,
  direction: 'ASC',
  type: 'int',
  value: (row) => row.id,
};

export function projectOrdering(
  orderBy: ProjectOrder[] | null | undefined,
  rank: SQL | undefined,
  search: string[],
): Ordering<RankedProjectRow> {
  if (orderBy && orderBy.length > MAX_ORDER_KEYS) {
    throw badUserInput(`"orderBy" has ${orderBy.length} keys; at most ${MAX_ORDER_KEYS} are allowed.`, {
      argument: 'orderBy',
      maximum: MAX_ORDER_KEYS,
    });
  }
  if (orderBy && orderBy.length > 0) {
    const fields = orderBy.map((o) => o.field);
    if (new Set(fields).size !== fields.length)
      throw badUserInput('"orderBy" names a field twice.', { argument: 'orderBy' });
    return {
      tag: `Project:${orderBy.map((o) => `${o.field}.${o.direction}`).join(',')}`,
      keys: [...orderBy.map((o) => ({ ...ORDER_KEYS[o.field], direction: o.direction })), idKey],
    };
  }
  if (rank) {
    // Relevance depends on the words: a cursor is good only for the same search.
    const digest = createHash('sha1').update(search.join(' ')).digest('base64url').slice(0, 10);
    return {
      tag: `Project:RELEVANCE.${digest}`,
      keys: [{ expr: rank, direction: 'DESC', type: 'float8', value: (row) => row.rank ?? 0 }, idKey],
    };
  }
  return { tag: 'Project:CODE.ASC', keys: [{ ...ORDER_KEYS.CODE, direction: 'ASC' }, idKey] };
}
