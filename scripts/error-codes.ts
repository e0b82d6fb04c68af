/**
 * Writes `enum ErrorCode` in schema/base.graphql from the table in src/lib/errors.ts, so that the codes clients read
 * in the schema are the codes the server sends. `npm run error-codes`, then `npm run codegen`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../src/lib/errors';

export function errorCodeDescription(code: keyof typeof ERROR_CODES): string {
  const { description, status } = ERROR_CODES[code];
  return `${description} (HTTP ${status}.)`;
}

export function errorCodeEnum(): string {
  const values = (Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]).map(
    (code) => `  ${JSON.stringify(errorCodeDescription(code))}\n  ${code}`,
  );
  return `enum ErrorCode {\n${values.join('\n')}\n}`;
}

if (require.main === module) {
  const file = join(__dirname, '..', 'schema', 'base.graphql');
  const before = readFileSync(file, 'utf8');
  const after = before.replace(/enum ErrorCode \{[\s\S]*?\n\}/, errorCodeEnum());
  if (after === before) console.log('schema/base.graphql: ErrorCode is current');
  else {
    writeFileSync(file, after);
    console.log('schema/base.graphql: ErrorCode rewritten; run `npm run codegen`');
  }
}
