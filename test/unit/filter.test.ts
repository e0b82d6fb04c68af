import { PgDialect } from 'drizzle-orm/pg-core';
import { DEFAULT_LIMITS } from '../../src/config';
import {
  checkProjectFilter,
  filterCodes,
  normalizeFilter,
  projectFilterSql,
} from '../../src/modules/project/list/filter';

/** The project filter's pure parts: its bounds and terms, the codes it names, its normal form and its SQL. */

const dialect = new PgDialect();
const sqlOf = (filter: Parameters<typeof projectFilterSql>[0]) => {
  const { where } = projectFilterSql(filter);
  return where ? dialect.sqlToQuery(where) : null;
};
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  throw new Error('not refused');
};

describe('checkProjectFilter', () => {
  it('counts each list value, search word and condition as a term, at every depth', () => {
    expect(checkProjectFilter(null, DEFAULT_LIMITS)).toBe(0);
    expect(
      checkProjectFilter({ status: ['PLANNED', 'APPROVED'], search: 'đường sắt', minInvestment: '1' }, DEFAULT_LIMITS),
    ).toBe(5);
    expect(
      checkProjectFilter({ or: [{ sector: ['HEALTH'] }, { not: { financier: ['A', 'B'] } }] }, DEFAULT_LIMITS),
    ).toBe(3);
    // An empty list selects nothing and still counts once.
    expect(checkProjectFilter({ status: [], and: [] }, DEFAULT_LIMITS)).toBe(2);
  });

  it('refuses each bound with its setting and value', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      maxFilterTerms: 3,
      maxFilterDepth: 1,
      maxFilterValues: 2,
      maxSearchWords: 2,
      maxSearchLength: 10,
    };
    expect(
      refusal(() =>
        checkProjectFilter({ status: ['PLANNED', 'APPROVED'], type: ['EXPANSION', 'REPLACEMENT'] }, limits),
      ),
    ).toMatchObject({ setting: 'MAX_FILTER_TERMS', limit: 3 });
    expect(refusal(() => checkProjectFilter({ not: { not: { status: ['PLANNED'] } } }, limits))).toMatchObject({
      setting: 'MAX_FILTER_DEPTH',
      limit: 1,
    });
    expect(refusal(() => checkProjectFilter({ planCode: ['A', 'B', 'C'] }, limits))).toMatchObject({
      setting: 'MAX_FILTER_VALUES',
      limit: 2,
      argument: 'filter.planCode',
    });
    expect(refusal(() => checkProjectFilter({ search: 'a b c' }, limits))).toMatchObject({
      setting: 'MAX_SEARCH_WORDS',
      limit: 2,
    });
    expect(refusal(() => checkProjectFilter({ search: 'x'.repeat(11) }, limits))).toMatchObject({
      setting: 'MAX_SEARCH_LENGTH',
      limit: 10,
    });
    expect(refusal(() => checkProjectFilter({ includeSuccessors: true }, DEFAULT_LIMITS))).toMatchObject({
      argument: 'filter.includeSuccessors',
    });
  });

  it('stops at the depth limit however deep the filter goes', () => {
    let deep: Record<string, unknown> = { status: ['PLANNED'] };
    for (let i = 0; i < 50_000; i++) deep = { not: deep };
    expect(refusal(() => checkProjectFilter(deep, DEFAULT_LIMITS))).toMatchObject({ setting: 'MAX_FILTER_DEPTH' });
  });
});

describe('filterCodes', () => {
  it('collects the codes of every depth once, sorted, task codes in NFC', () => {
    const decomposed = 'II.4.đ'.normalize('NFD');
    expect(
      filterCodes({
        agency: ['B', 'A'],
        or: [{ agency: ['A'] }, { not: { taskCode: [decomposed] } }],
        fundingSource: ['ODA'],
      }),
    ).toEqual({
      fundingSource: ['ODA'],
      agency: ['A', 'B'],
      planCode: [],
      taskCode: ['II.4.đ'],
    });
  });
});

describe('normalizeFilter', () => {
  it('merges an or of one-field branches on one list field, and keeps the rest', () => {
    expect(
      normalizeFilter({
        or: [
          { financier: ['A'] },
          { financier: ['B', 'A'] },
          { status: ['PLANNED'] },
          { financier: ['C'], status: ['APPROVED'] },
        ],
      }),
    ).toEqual({
      or: [{ financier: ['A', 'B'] }, { status: ['PLANNED'] }, { financier: ['C'], status: ['APPROVED'] }],
    });
    expect(normalizeFilter({ status: ['PLANNED', 'PLANNED'] })).toEqual({ status: ['PLANNED'] });
  });
});

describe('projectFilterSql', () => {
  it('sends each list as one array parameter, whatever its length', () => {
    const query = sqlOf({
      financier: Array.from({ length: 100 }, (_, i) => `F${i}`),
      status: ['PLANNED', 'APPROVED'],
    })!;
    expect(query.params).toHaveLength(2);
    expect(query.sql).toMatch(/= any\(\$\d+::text\[\]\)/);
    expect(query.sql).toMatch(/"status" = any\(\$\d+::text\[\]::project_status\[\]\)/);
  });

  it('reads relations as uncorrelated subqueries, not one EXISTS per value', () => {
    const query = sqlOf({
      or: [{ fundingSource: ['ODA'] }, { agency: ['BD.SGTVT'], includeSuccessors: true }, { taskCode: ['II.4.b.2'] }],
    })!;
    expect(query.sql).not.toMatch(/exists/i);
    expect((query.sql.match(/"projects"\."id" in \(select/g) ?? []).length).toBe(3);
  });

  it('escapes LIKE wildcards after folding, and selects nothing for an empty list', () => {
    expect(sqlOf({ search: '％' })!.sql).toMatch(
      /replace\(replace\(replace\(registry_fold\(\$1\), '\\', '\\\\'\), '%', '\\%'\), '_', '\\_'\)/,
    );
    expect(sqlOf({ status: [] })!.sql).toBe('false');
    expect(sqlOf(null)).toBeNull();
  });
});
