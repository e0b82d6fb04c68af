import { readFileSync } from 'node:fs';
import path from 'node:path';

/** ISO 4217 codes, from the OC4IDS currency codelist shipped in standards/ (less XTS, testing, and XXX, no currency).
 * */
export const CURRENCY_CODES: ReadonlySet<string> = new Set(
  readFileSync(path.resolve(__dirname, '../../standards/oc4ids/codelists/currency.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0].trim())
    .filter((code) => /^[A-Z]{3}$/.test(code) && code !== 'XTS' && code !== 'XXX'),
);
