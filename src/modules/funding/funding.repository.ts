import { asc, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { fundingAllocations, fundingSources, planTasks, projects, projectTasks } from '../../db/schema';

export interface FundingMixRow {
  parentId: number;
  sourceId: number;
  /** Sum of known VND amounts of this source. */
  amount: string;
  share: string | null;
  allocationCount: number;
  unknownCount: number;
  /** Sum of known VND amounts of all sources of the parent. */
  total: string;
}

/** All SQL of funding sources, allocations and funding mixes. */
export class FundingRepository {
  constructor(private readonly db: Db) {}

  fundingSources() {
    return this.db.select().from(fundingSources).orderBy(asc(fundingSources.position));
  }

  allocationsByProjectIds(projectIds: readonly number[]) {
    return this.db
      .select()
      .from(fundingAllocations)
      .where(inArray(fundingAllocations.projectId, [...projectIds]))
      .orderBy(asc(fundingAllocations.projectId), asc(fundingAllocations.position), asc(fundingAllocations.id));
  }

  allocationsByIds(ids: readonly number[]) {
    return this.db.select().from(fundingAllocations).where(inArray(fundingAllocations.id, [...ids]));
  }

  /**
   * Funding mixes of many parents in one statement. `members` yields (parent_id, project_id) pairs: the projects
   * whose allocations make up each parent's mix. Sums and shares are exact `numeric` arithmetic in PostgreSQL.
   */
  private async mixes(members: SQL): Promise<FundingMixRow[]> {
    const rows = await queryRows<{
      parent_id: number;
      source_id: number;
      amount: string;
      share: string | null;
      allocation_count: number;
      unknown_count: number;
      total: string;
    }>(
      this.db,
      sql`with members as (${members}),
          grouped as (
            select m.parent_id, fa.source_id,
                   sum(fa.amount_vnd) as amount,
                   count(*) as allocation_count,
                   count(*) filter (where fa.amount_vnd is null) as unknown_count
            from members m
            join ${fundingAllocations} fa on fa.project_id = m.project_id
            group by m.parent_id, fa.source_id
          ),
          totals as (
            select parent_id, coalesce(sum(amount), 0) as total from grouped group by parent_id
          )
          select g.parent_id::int as parent_id, g.source_id::int as source_id,
                 coalesce(g.amount, 0)::text as amount,
                 case when t.total > 0 then round(coalesce(g.amount, 0) / t.total, 6)::text end as share,
                 g.allocation_count::int as allocation_count, g.unknown_count::int as unknown_count,
                 t.total::text as total
          from grouped g join totals t using (parent_id)
          join ${fundingSources} fs on fs.id = g.source_id
          order by g.parent_id, coalesce(g.amount, 0) desc, fs.position`,
    );
    return rows.map((row) => ({
      parentId: Number(row.parent_id),
      sourceId: Number(row.source_id),
      amount: row.amount,
      share: row.share,
      allocationCount: Number(row.allocation_count),
      unknownCount: Number(row.unknown_count),
      total: row.total,
    }));
  }

  fundingMixesByProjectIds(projectIds: readonly number[]) {
    return this.mixes(sql`select p.id as parent_id, p.id as project_id from ${projects} p where p.id in (${idList(projectIds)})`);
  }

  /** A project serving several tasks counts in full for each. Archived projects are left out. */
  fundingMixesByTaskIds(taskIds: readonly number[]) {
    return this.mixes(
      sql`select pt.task_id as parent_id, pt.project_id from ${projectTasks} pt
          join ${projects} p on p.id = pt.project_id and p.archived_at is null
          where pt.task_id in (${idList(taskIds)})`,
    );
  }

  /** Each project once per plan, however many of the plan's tasks it serves. */
  fundingMixesByPlanIds(planIds: readonly number[]) {
    return this.mixes(
      sql`select distinct t.plan_id as parent_id, pt.project_id from ${projectTasks} pt
          join ${planTasks} t on t.id = pt.task_id
          join ${projects} p on p.id = pt.project_id and p.archived_at is null
          where t.plan_id in (${idList(planIds)})`,
    );
  }
}

function idList(ids: readonly number[]): SQL {
  return sql.join(ids.map((id) => sql`${id}`), sql`, `);
}
