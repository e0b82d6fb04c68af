/**
 * Decimal strings as PostgreSQL prints `numeric`, tidied for the API: no trailing fractional zeros, no
 * exponent. Arithmetic on money happens in SQL; JavaScript only formats.
 */
export function formatDecimal(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'number' ? String(value) : value.trim();
  // One pass over the characters (every amount and share of an answer comes through here): `-?digits(.digits)?`.
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  let dot = -1;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && dot === -1 && i > start && i < text.length - 1) dot = i;
    else if (c < 48 || c > 57) throw new TypeError(`Not a decimal: ${text}`);
  }
  if (start === text.length) throw new TypeError(`Not a decimal: ${text}`);
  if (dot === -1) return text === '-0' ? '0' : text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end -= 1;
  if (end - 1 === dot) end -= 1;
  const trimmed = text.slice(0, end);
  return trimmed === '-0' ? '0' : trimmed;
}

/** True for a plain decimal string such as `12`, `-3.50`, `0.000001`. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && /^-?\d{1,30}(\.\d{1,12})?$/.test(value);
}
