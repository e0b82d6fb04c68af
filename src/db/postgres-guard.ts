import type { Sql } from 'postgres';

/**
 * postgres.js with two guards around what Drizzle asks of it.
 *
 * 1. A transaction must not write to a connection that has closed. postgres.js 3.4.9 keeps running a transaction's
 *    callback after its connection closed (a database restart, say): the callback's next statement, or the
 *    ROLLBACK/COMMIT postgres.js sends when the callback settles, goes to `connection.execute`, which schedules a
 *    write on a socket that is now null, and the process dies with "Cannot read properties of null (reading
 *    'write')" from a timer (porsager/postgres#1154, open). On a connection that has reconnected meanwhile, the
 *    statement would run outside the transaction. So when any connection of the pool has closed since a
 *    transaction last looked (postgres.js reports closes synchronously through `onclose`), the transaction waits
 *    one turn of the event loop for the news to arrive, and if its own connection is the one that closed, it
 *    sends nothing more: its callback never settles (the transaction's promise has already failed with
 *    CONNECTION_CLOSED, which the caller sees). Nothing here runs while no connection closes.
 *
 * 2. A request's statements can be cancelled: each one sent for the request is tracked until it settles, and
 *    when the request is abandoned (its client went away, or it ran past the request timeout) the statements still
 *    running are cancelled (PostgreSQL's cancel request) and no further one is sent.
 */
export interface GuardState {
  /** Connections of the pool closed so far. */
  closes: number;
}

/** A request's hold on its statements: aborting the signal cancels those still running. */
export interface StatementScope {
  signal: AbortSignal;
  pending: Set<object>;
}

interface Transaction {
  /** This transaction's connection has closed. */
  closed: boolean;
  /** `GuardState.closes` when the transaction last looked. */
  seen: number;
}

const NEVER = new Promise<never>(() => {});
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function connectionClosed(): Error {
  return Object.assign(new Error('write CONNECTION_CLOSED (the transaction lost its connection)'), {
    code: 'CONNECTION_CLOSED',
  });
}

/** The error a statement of an abandoned request fails with. */
export class RequestAbandoned extends Error {
  readonly code = 'REQUEST_ABANDONED';
  constructor() {
    super('The request was abandoned; its statements were cancelled.');
  }
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('CONNECTION_') || code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('57P0'))
  );
}

/** On a guarded client: the same client (a transaction's too) with a request's statements tracked in a scope. */
export const WITH_SCOPE = Symbol('withScope');

/** `sql` as Drizzle should see it: with the transaction guard, and with `scope`'s statements tracked when given. */
export function guardedSql(
  sql: Sql,
  state: GuardState,
  scope: StatementScope | null = null,
  tx: Transaction | null = null,
): Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      switch (property) {
        case WITH_SCOPE:
          return (next: StatementScope) => guardedSql(target, state, next, tx);
        case 'unsafe':
          return (...args: Parameters<Sql['unsafe']>) => unsafe(target, state, scope, tx, args);
        case 'begin':
          return (...args: unknown[]) => begin(target, state, scope, args);
        case 'savepoint':
          if (tx) return (...args: unknown[]) => savepoint(target, state, scope, tx, args);
          break;
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

function unsafe(
  target: Sql,
  state: GuardState,
  scope: StatementScope | null,
  tx: Transaction | null,
  args: Parameters<Sql['unsafe']>,
) {
  if (scope?.signal.aborted) throw new RequestAbandoned();
  if (tx && (tx.closed || tx.seen !== state.closes)) return deferred(target, state, scope, tx, args);
  return track(target.unsafe(...args), scope);
}

/**
 * A statement of a transaction while some connection has closed: sent after a turn of the event loop, once it is
 * known whether the transaction's own connection is the one (then it fails instead of being sent).
 */
function deferred(
  target: Sql,
  state: GuardState,
  scope: StatementScope | null,
  tx: Transaction,
  args: Parameters<Sql['unsafe']>,
) {
  let values = false;
  const run = async () => {
    await look(state, tx);
    if (tx.closed) throw connectionClosed();
    const query = unsafe(target, state, scope, tx, args) as ReturnType<Sql['unsafe']>;
    return values ? query.values() : query;
  };
  let promise: Promise<unknown> | null = null;
  const thenable = {
    values() {
      values = true;
      return thenable;
    },
    then(onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) {
      return (promise ??= run()).then(onFulfilled, onRejected);
    },
  };
  return thenable as unknown as ReturnType<Sql['unsafe']>;
}

/** Tracks a statement in the request's scope until it settles. */
function track<Q extends { then: PromiseLike<unknown>['then'] }>(query: Q, scope: StatementScope | null): Q {
  if (!scope) return query;
  scope.pending.add(query);
  const then = query.then;
  const settled = () => scope.pending.delete(query);
  // postgres.js sends a query when it is awaited; its own `then` stays in charge, it just reports back here.
  (query as { then: PromiseLike<unknown>['then'] }).then = function (this: Q, onFulfilled, onRejected) {
    return then.call(
      this,
      (value) => (settled(), onFulfilled ? onFulfilled(value) : value),
      (reason) => {
        settled();
        if (onRejected) return onRejected(reason);
        throw reason;
      },
    ) as never;
  };
  return query;
}

/** After a connection closed: one turn of the event loop, so that a close of this transaction's connection is known. */
async function look(state: GuardState, tx: Transaction): Promise<void> {
  if (tx.seen === state.closes) return;
  await nextTurn();
  tx.seen = state.closes;
}

/** Runs a transaction's callback; when its connection has closed, the callback's outcome is held back for good. */
async function settle<T>(state: GuardState, tx: Transaction, work: () => Promise<T>): Promise<T> {
  let result: T | undefined;
  let failure: unknown;
  let failed = false;
  try {
    result = await work();
  } catch (error) {
    failure = error;
    failed = true;
  }
  await look(state, tx);
  if (tx.closed) return NEVER;
  if (failed) throw failure;
  return result as T;
}

function begin(target: Sql, state: GuardState, scope: StatementScope | null, args: unknown[]) {
  const fn = (typeof args[0] === 'function' ? args[0] : args[1]) as (sql: Sql) => Promise<unknown>;
  const options = typeof args[0] === 'string' ? args[0] : undefined;
  const tx: Transaction = { closed: false, seen: state.closes };
  const run = (inner: Sql) => settle(state, tx, () => fn(guardedSql(inner, state, scope, tx)));
  const promise = options === undefined ? target.begin(run as never) : target.begin(options, run as never);
  promise.catch((error: unknown) => {
    if (isConnectionLoss(error)) tx.closed = true;
  });
  return promise;
}

function savepoint(target: Sql, state: GuardState, scope: StatementScope | null, tx: Transaction, args: unknown[]) {
  const fn = (typeof args[0] === 'function' ? args[0] : args[1]) as (sql: Sql) => Promise<unknown>;
  const name = typeof args[0] === 'string' ? args[0] : undefined;
  const run = (inner: Sql) => settle(state, tx, () => fn(guardedSql(inner, state, scope, tx)));
  const savepointOf = (target as unknown as { savepoint: (...a: unknown[]) => Promise<unknown> }).savepoint;
  return name === undefined ? savepointOf(run) : savepointOf(name, run);
}

/**
 * Cancels what a scope still has running. postgres.js's own `query.cancel()` drops the promise of its cancel request,
 * so when that request fails (PostgreSQL restarting: ECONNRESET) the rejection goes unhandled and ends the process;
 * its canceller is called here instead, and a failed cancel request is of no interest (the statement's connection
 * is gone with it).
 */
export function cancelPending(scope: StatementScope): void {
  for (const query of scope.pending) {
    const cancellable = query as { canceller?: ((query: unknown) => Promise<unknown>) | null };
    const canceller = cancellable.canceller;
    if (typeof canceller !== 'function') continue;
    cancellable.canceller = null;
    try {
      Promise.resolve(canceller(query)).catch(() => {});
    } catch {
      /* the query finished meanwhile */
    }
  }
  scope.pending.clear();
}
