import { timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from '../config';
import { databaseWork } from '../lib/batch-scheduler';
import type { Metrics } from '../observability/metrics';
import { graphqlError, headerValue, sendJson } from './responses';

type MetricsConfig = Pick<Config, 'nodeEnv'> & {
  operations: Pick<Config['operations'], 'metricsToken' | 'metricsPort' | 'poolSize'>;
};

/**
 * Whether `/metrics` is served on the API port: not when METRICS_PORT gives it a port of its own, and in production
 * only behind METRICS_TOKEN (metrics tell a stranger more than a public API should).
 */
export function metricsOnApiPort(config: MetricsConfig): boolean {
  return (
    config.operations.metricsPort === null &&
    (config.nodeEnv !== 'production' || config.operations.metricsToken !== null)
  );
}

/** Prometheus metrics; with METRICS_TOKEN, only for a caller presenting it. */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  config: MetricsConfig,
  metrics: Metrics,
): Promise<void> {
  const token = config.operations.metricsToken;
  if (token !== null && !sameSecret(headerValue(req, 'authorization') ?? '', `Bearer ${token}`)) {
    return sendJson(res, 401, graphqlError('/metrics needs its bearer token (METRICS_TOKEN).', 'UNAUTHENTICATED'), {
      'WWW-Authenticate': 'Bearer',
    });
  }
  metrics.dbInUse.set(Math.min(databaseWork.inFlight, config.operations.poolSize));
  metrics.dbWaiting.set(Math.max(0, databaseWork.inFlight - config.operations.poolSize));
  res.statusCode = 200;
  res.setHeader('Content-Type', metrics.registry.contentType);
  res.end(await metrics.registry.metrics());
}

/** METRICS_PORT: `/metrics` on a port of its own (and nowhere else), for a network that lets only the scraper reach it.
 * */
export function metricsServer(config: MetricsConfig, metrics: Metrics): http.Server | null {
  if (config.operations.metricsPort === null) return null;
  return http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/metrics') {
      return sendJson(res, 404, graphqlError('Only /metrics is served on this port.', 'NOT_FOUND'));
    }
    serveMetrics(req, res, config, metrics).catch(() => res.end());
  });
}

/** Compares two strings in time independent of where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
