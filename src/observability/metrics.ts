import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server (its own registry, so tests can run several servers in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'registry_graphql_requests_total',
      help: 'GraphQL requests by operation name and outcome (ok, user_error, client_error, error).',
      labelNames: ['operation', 'outcome'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'registry_graphql_request_duration_seconds',
      help: 'Time to answer a GraphQL request, by operation name.',
      labelNames: ['operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    statements: new Histogram({
      name: 'registry_sql_statements_per_request',
      help: 'SQL statements sent to answer one GraphQL request.',
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
      registers: [registry],
    }),
    dbInUse: new Gauge({
      name: 'registry_db_pool_in_use',
      help: 'Database work in flight (statements or transactions holding a connection).',
      registers: [registry],
    }),
    dbWaiting: new Gauge({
      name: 'registry_db_pool_waiting',
      help: 'Database work waiting for a connection (in flight beyond the pool size).',
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'registry_http_requests_in_flight',
      help: 'HTTP requests being answered.',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
