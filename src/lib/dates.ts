/**
 * The calendar the registry keeps: dates from 1900-01-01 to 2200-12-31. Plans, decisions and projects of public
 * infrastructure fall well inside; the bounds keep every date one that both databases, JavaScript and OC4IDS
 * tools read the same way (PostgreSQL takes year 0 as 1 BC and refuses some of what `Date` accepts).
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2200-12-31';

/** `YYYY-MM-DD` naming a day that exists (no 30 February, no 29 February 2025), at any year. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** A calendar date within the registry's range. */
export function isRegistryDate(text: string): boolean {
  return isCalendarDate(text) && text >= EARLIEST_DATE && text <= LATEST_DATE;
}

/** Today in UTC, `YYYY-MM-DD`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * An instant as ISO 8601 or as PostgreSQL prints a `timestamptz` (`2025-07-01 08:30:00.123456+00`), with a zone,
 * on a day within the registry's range.
 */
export function isRegistryInstant(text: string): boolean {
  const match =
    /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)$/.exec(
      text,
    );
  return match !== null && isRegistryDate(match[1]);
}
