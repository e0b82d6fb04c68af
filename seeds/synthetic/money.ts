/**
 * Money of the synthetic portfolio: amounts as whole-unit decimal strings built from integers, never floats in the
 * database, and the synthetic exchange rates of the foreign currencies lenders lend in.
 */

import { int, type Rng } from './random';

/** An integer number of hundredths as a decimal string: 12345 → "123.45". */
export function hundredths(n: number): string {
  const whole = Math.floor(n / 100);
  const frac = n - whole * 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0')}`;
}
/** An integer number of ten-thousandths as a decimal string: 1712345 → "171.2345". */
function tenThousandths(n: number): string {
  const whole = Math.floor(n / 10000);
  return `${whole}.${String(n - whole * 10000).padStart(4, '0')}`;
}
/** A VND amount rounded to a plausible precision, as a string. */
export function roundVnd(value: number): string {
  const step = value >= 1e8 ? 1e6 : 1e3;
  return String(Math.max(step, Math.round(value / step) * step));
}

/** Synthetic exchange rates to VND: USD 24,000–26,000, JPY 165–180, EUR 26,000–28,000. */
export type ForeignCurrency = 'USD' | 'JPY' | 'EUR';
export function drawRate(rng: Rng, currency: ForeignCurrency) {
  const text =
    currency === 'USD'
      ? hundredths(int(rng, 2_400_000, 2_600_000))
      : currency === 'JPY'
        ? tenThousandths(int(rng, 1_650_000, 1_800_000))
        : hundredths(int(rng, 2_600_000, 2_800_000));
  return { text, value: Number(text) };
}
