/**
 * Clean-up: everything the run creates is undone in reverse order, on success, on failure and on SIGINT/SIGTERM.
 * Each part of the bench registers what undoes it as it creates it (a database, a directory, a child process).
 */

import { errorMessage } from './helpers';

const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
let cleaning: Promise<void> | null = null;
/** Set by SIGINT/SIGTERM: what fails afterwards fails because of the clean-up, and is not reported. */
let interrupted = false;

export function onCleanup(name: string, run: () => Promise<void> | void) {
  cleanups.push({ name, run });
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const step = cleanups.pop()!;
      try {
        await step.run();
      } catch (error) {
        console.error(`Clean-up: could not ${step.name}: ${errorMessage(error)}`);
      }
    }
  })();
  return cleaning;
}

/** True once SIGINT or SIGTERM has arrived. */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** On SIGINT or SIGTERM: cleans up, then exits with 128 + the signal's number. */
export function cleanUpOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (cleaning) return;
      interrupted = true;
      console.error(`\n${signal} received: stopping and cleaning up`);
      void cleanup().finally(() => process.exit(code));
    });
  }
}
