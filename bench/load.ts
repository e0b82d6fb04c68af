/**
 * Load: autocannon runs and what every response adds to a run's figures (count, latency percentiles, body bytes,
 * SQL statements per request, errors, version conflicts), averaged over the good responses.
 */

import autocannon from 'autocannon';
import { round } from './helpers';

/** Longest autocannon waits for one response before it counts a timeout. */
export const REQUEST_TIMEOUT_S = 120;

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) {
      const value = headers[key];
      return Array.isArray(value) ? value[0] : value;
    }
  }
  return undefined;
}

/** The first GraphQL error of a response body, or null. Bodies without the word are not parsed. */
export function graphqlError(body: string): string | null {
  if (!body.includes('"errors"')) return null;
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) {
      const first = parsed.errors[0];
      return `${first.extensions?.code ?? 'ERROR'}: ${first.message ?? 'GraphQL error'}`;
    }
    return null;
  } catch {
    return 'the response is not JSON';
  }
}

/** Sums of a set of responses: their count, body bytes and X-SQL-Statements. */
class Sums {
  responses = 0;
  bytes = 0;
  statements = 0;
  statementResponses = 0;

  add(bytes: number, statements: number | null) {
    this.responses += 1;
    this.bytes += bytes;
    if (statements !== null) {
      this.statements += statements;
      this.statementResponses += 1;
    }
  }
}

/**
 * What a run's responses add up to. Bytes and statements per request are averaged over the good responses (2xx
 * without GraphQL errors), so that a few short error answers do not pass for lighter requests; over all responses
 * when none was good.
 */
export class Collector {
  all = new Sums();
  good = new Sums();
  errors = 0;
  conflicts = 0;
  latencies: number[] = [];
  firstError: string | null = null;

  get responses() {
    return this.all.responses;
  }

  error(message: string) {
    this.errors += 1;
    this.firstError ??= message;
  }

  /** Counts a response; true when it is a 2xx without GraphQL errors. */
  record(status: number, body: string, headers: Record<string, string | string[] | undefined> | undefined): boolean {
    const length = Number(header(headers, 'content-length'));
    const bytes = Number.isFinite(length) ? length : Buffer.byteLength(body);
    const statementsText = header(headers, 'x-sql-statements');
    const statements =
      statementsText !== undefined && Number.isFinite(Number(statementsText)) ? Number(statementsText) : null;
    this.all.add(bytes, statements);
    const problem =
      status < 200 || status >= 300
        ? `HTTP ${status}${graphqlError(body) ? `: ${graphqlError(body)}` : ''}`
        : graphqlError(body);
    if (problem) {
      this.error(problem);
      return false;
    }
    this.good.add(bytes, statements);
    return true;
  }

  /** Mean bytes and statements per response. */
  means(): { bytes: number | null; statements: number | null } {
    const sums = this.good.responses > 0 ? this.good : this.all;
    return {
      bytes: sums.responses > 0 ? Math.round(sums.bytes / sums.responses) : null,
      statements: sums.statementResponses > 0 ? round(sums.statements / sums.statementResponses, 2) : null,
    };
  }
}

export interface Measured {
  requests: number;
  seconds: number;
  rps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  statementsPerRequest: number | null;
  bytes: number | null;
  errors: number;
  conflicts: number;
  firstError: string | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))], 1);
}

/** One autocannon run; `collector` receives the responses (its requests' onResponse must feed it). */
export function cannon(
  port: number,
  requests: autocannon.Request[],
  seconds: number,
  connections: number,
  collector: Collector,
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: REQUEST_TIMEOUT_S,
        requests,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const sorted = collector.latencies.sort((a, b) => a - b);
        const socketErrors = result.errors ?? 0;
        if (socketErrors > 0) collector.firstError ??= `${socketErrors} connection error(s) or timeout(s)`;
        const means = collector.means();
        resolve({
          requests: collector.responses,
          seconds: result.duration,
          rps: result.duration > 0 ? round(collector.responses / result.duration, 2) : 0,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          statementsPerRequest: means.statements,
          bytes: means.bytes,
          errors: collector.errors + socketErrors,
          conflicts: collector.conflicts,
          firstError: collector.firstError,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => collector.latencies.push(responseTime));
  });
}
