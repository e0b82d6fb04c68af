import type { Db } from '../db/client';
import type { BatchScheduler } from '../lib/batch-scheduler';
import type { Notices } from '../lib/notices';
import type { Written } from '../modules/audit/audit.writer';
import { agencyLoaders } from '../modules/agency/agency.loaders';
import { auditLoaders } from '../modules/audit/audit.loaders';
import { AuditRepository } from '../modules/audit/audit.repository';
import { AgencyRepository } from '../modules/agency/agency.repository';
import { fundingLoaders } from '../modules/funding/funding.loaders';
import { FundingRepository } from '../modules/funding/funding.repository';
import { oc4idsLoaders } from '../modules/oc4ids/oc4ids.loaders';
import { Oc4idsRepository } from '../modules/oc4ids/oc4ids.repository';
import { planLoaders } from '../modules/plan/plan.loaders';
import { PlanRepository } from '../modules/plan/plan.repository';
import { ProjectListRepository } from '../modules/project/list/list.repository';
import { projectLoaders } from '../modules/project/project.loaders';
import { ProjectRepository } from '../modules/project/project.repository';
import { sourceLoaders } from '../modules/source/source.loaders';
import { SourceRepository } from '../modules/source/source.repository';

/** Every module's reads over one database (a request's view of it). */
export function createRepositories(db: Db) {
  return {
    plans: new PlanRepository(db),
    agencies: new AgencyRepository(db),
    projects: new ProjectRepository(db),
    lists: new ProjectListRepository(db),
    funding: new FundingRepository(db),
    sources: new SourceRepository(db),
    oc4ids: new Oc4idsRepository(db),
    audit: new AuditRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * One set per request, each module's own: every relation the schema exposes is read in batches, never once per
 * parent row. Every loader sends its batches through the request's scheduler.
 */
export function createLoaders(
  repos: Repositories,
  scheduler: BatchScheduler,
  notices: Notices,
  options: { oc4idsPrefix: string },
) {
  const loaders = {
    ...planLoaders(scheduler, repos.plans),
    ...agencyLoaders(scheduler, repos.agencies),
    ...projectLoaders(scheduler, repos, notices),
    ...fundingLoaders(scheduler, repos.funding),
    ...sourceLoaders(scheduler, repos.sources),
    ...oc4idsLoaders(scheduler, repos.oc4ids, options.oc4idsPrefix),
    ...auditLoaders(scheduler, repos.audit),
  };
  return {
    ...loaders,
    /** After a write: forgets what it wrote (the records its audit entries name), so the payload reads them anew. */
    forget(written: Written) {
      for (const { entityType, entityId } of written) {
        if (entityType === 'Project') {
          loaders.forgetProject(entityId);
          loaders.forgetFunding(entityId);
          loaders.oc4idsByProject.clearAll();
        } else if (entityType === 'Plan') loaders.forgetPlan(entityId);
        else if (entityType === 'Agency' || entityType === 'AgencySuccession') loaders.forgetAgencies();
      }
      if (written.length > 0) loaders.forgetCitations();
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The repositories as resolvers reach them: each call runs through the scheduler (so the loaders' batches wait for
 * it), which a resolver cannot forget to do.
 */
export function scheduledRepositories(repos: Repositories, scheduler: BatchScheduler): Repositories {
  const wrap = <T extends object>(repository: T): T =>
    new Proxy(repository, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function'
          ? (...args: unknown[]) => scheduler.track(() => value.apply(target, args))
          : value;
      },
    });
  return Object.fromEntries(
    Object.entries(repos).map(([name, repository]) => [name, wrap(repository)]),
  ) as Repositories;
}
