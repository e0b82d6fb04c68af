/**
 * Dates of the synthetic world as day numbers (days since 1970-01-01, UTC), formatted YYYY-MM-DD, and the day that
 * is "today" in it. Day numbers make gaps between status changes plain arithmetic.
 */

import { int, type Rng } from './random';

/** "Today" of the synthetic world: no status change happens after it. */
export const REFERENCE_DAY = '2026-06-30';

const DAY_MS = 86_400_000;
export const toDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
export const yearOf = (day: number) => new Date(day * DAY_MS).getUTCFullYear();
export const REF = toDay(REFERENCE_DAY);
export const dayBetween = (rng: Rng, from: string | number, to: string | number) =>
  int(rng, typeof from === 'number' ? from : toDay(from), typeof to === 'number' ? to : toDay(to));
