/**
 * The shapes of the exact decimals the registry stores (`numeric` columns): money with at most 22 digits and two
 * decimals, exchange rates with six, lengths in km with three. Arithmetic on them happens in SQL.
 */
export const MONEY = /^\d{1,22}(\.\d{1,2})?$/;
export const RATE = /^\d{1,14}(\.\d{1,6})?$/;
export const LENGTH = /^\d{1,7}(\.\d{1,3})?$/;

/** The largest amount a money column holds: 22 digits before the decimal point. */
export const MONEY_LIMIT = 10n ** 22n;

/** An exact decimal string as an integer of its hundredths (places 2) or millionths (places 6). */
export function scaled(value: string, places: number): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole + fraction.padEnd(places, '0').slice(0, places));
}

/** True when `amount × rate` fits a money column (checked exactly, without floating point). */
export function fitsMoney(amount: string, rate: string): boolean {
  return scaled(amount, 2) * scaled(rate, 6) < MONEY_LIMIT * 10n ** 8n;
}
