/** Database work in flight in this process (requests' statements and transactions), for the pool metrics. */
export const databaseWork = { inFlight: 0 };

/**
 * Decides when a request's DataLoaders send their batches. A batch waits until none of the request's statements
 * is still running, then every loader that has keys dispatches together. The tree is thus read level by level:
 * each level's statements depend only on the data, not on which reply happened to arrive first, so a query costs
 * the same number of statements every time, and as few as its depth allows.
 */
export class BatchScheduler {
  private inFlight = 0;
  private queued: (() => void)[] = [];
  private flushScheduled = false;

  /** DataLoader's `batchScheduleFn`. */
  readonly schedule = (dispatch: () => void): void => {
    this.queued.push(dispatch);
    this.scheduleFlush();
  };

  /** Runs database work for the request, holding back batches until it settles. */
  track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    databaseWork.inFlight += 1;
    let result: Promise<T>;
    try {
      result = work();
    } catch (error) {
      result = Promise.reject(error);
    }
    return result.finally(() => {
      this.inFlight -= 1;
      databaseWork.inFlight -= 1;
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After the current macrotask, every resolver continuation (a microtask) has run and queued its loads.
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.inFlight > 0 || this.queued.length === 0) return;
      const dispatches = this.queued;
      this.queued = [];
      for (const dispatch of dispatches) dispatch();
    });
  }
}
