import { EARLIEST_DATE, isCalendarDate, isRegistryDate, isRegistryInstant, LATEST_DATE } from '../../src/lib/dates';
import { fitsMoney, MONEY, RATE, scaled } from '../../src/lib/money';
import { encodeCursor, pageRequest, type Ordering } from '../../src/lib/pagination';
import { sql } from 'drizzle-orm';

describe('money', () => {
  it('scales exact decimals to integers without floating point', () => {
    expect(scaled('12.5', 2)).toBe(1250n);
    expect(scaled('0.000001', 6)).toBe(1n);
    expect(scaled('9999999999999999999999.99', 2)).toBe(999999999999999999999999n);
  });

  it('knows when an amount times a rate no longer fits 22 digits', () => {
    expect(fitsMoney('1000000000', '25000')).toBe(true);
    expect(fitsMoney('9999999999999999999999', '1')).toBe(true);
    expect(fitsMoney('9999999999999999999999', '1.000001')).toBe(false);
  });

  it('accepts the decimal shapes the columns hold and no others', () => {
    for (const ok of ['0', '12', '12.5', '12.50']) expect(MONEY.test(ok)).toBe(true);
    for (const bad of ['-1', '1.234', '1e9', '', '1.', '12,5']) expect(MONEY.test(bad)).toBe(false);
    expect(RATE.test('24577.123456')).toBe(true);
    expect(RATE.test('24577.1234567')).toBe(false);
  });
});

describe('dates', () => {
  it('keeps to 1900-2200 and to days that exist', () => {
    expect([EARLIEST_DATE, LATEST_DATE]).toEqual(['1900-01-01', '2200-12-31']);
    expect(isRegistryDate('2024-02-29')).toBe(true);
    for (const day of ['2025-02-29', '2025-02-30', '0000-01-01', '1899-12-31', '2201-01-01', '2025-1-01'])
      expect(isRegistryDate(day)).toBe(false);
    expect(isCalendarDate('0001-01-01')).toBe(true);
  });

  it('takes instants as ISO 8601 and as PostgreSQL prints them, with a zone', () => {
    for (const ok of ['2025-07-01T08:30:00Z', '2025-07-01T08:30:00.123456+07:00', '2025-07-01 08:30:00.123456+00'])
      expect(isRegistryInstant(ok)).toBe(true);
    for (const bad of ['2025-07-01T08:30:00', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '2025-07-01'])
      expect(isRegistryInstant(bad)).toBe(false);
  });
});

describe('cursors', () => {
  const ordering: Ordering<{ id: number; day: string | null }> = {
    tag: 'Thing:DAY.ASC',
    keys: [
      { expr: sql`day`, direction: 'ASC', type: 'date', nullable: true, value: (row) => row.day },
      { expr: sql`id`, direction: 'ASC', type: 'int', value: (row) => row.id },
    ],
  };
  const code = (run: () => unknown) => {
    try {
      run();
      return null;
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code;
    }
  };

  it('decode what they encode', () => {
    expect(pageRequest({ first: 5, after: encodeCursor(ordering.tag, ['2025-01-01', 7]) }, ordering)).toEqual({
      limit: 5,
      backward: false,
      cursor: ['2025-01-01', 7],
    });
    expect(pageRequest({ last: 2, before: encodeCursor(ordering.tag, [null, 3]) }, ordering).cursor).toEqual([null, 3]);
  });

  it('refuse another ordering, malformed values and days outside the range, as BAD_USER_INPUT', () => {
    expect(code(() => pageRequest({ after: encodeCursor('Thing:ID.ASC', ['2025-01-01', 7]) }, ordering))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(() => pageRequest({ after: encodeCursor(ordering.tag, ['0000-01-01', 7]) }, ordering))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(() => pageRequest({ after: encodeCursor(ordering.tag, ['2025-01-01', 2 ** 31]) }, ordering))).toBe(
      'BAD_USER_INPUT',
    );
    expect(code(() => pageRequest({ after: '%%%' }, ordering))).toBe('BAD_USER_INPUT');
    expect(code(() => pageRequest({ first: 101 }, ordering))).toBe('BAD_USER_INPUT');
  });
});
