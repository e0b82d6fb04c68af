/**
 * Decimal strings as PostgreSQL prints `numeric`, tidied for the API: no trailing fractional zeros, no
 * exponent. Arithmetic on money happens in SQL; JavaScript only formats.
 */
export function formatDecimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new TypeError(`Not a decimal: ${text}`);
  if (!text.includes('.')) return text === '-0' ? '0' : text;
  const trimmed = text.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** True for a plain decimal string such as `12`, `-3.50`, `0.000001`. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && /^-?\d{1,30}(\.\d{1,12})?$/.test(value);
}
