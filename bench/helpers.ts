/**
 * Small helpers every part of the bench uses: the error that ends a run with its message alone, an error's message,
 * a pause, and rounding for the figures it prints and writes.
 */

/** An error that ends the run with its message alone (no stack). */
export class BenchError extends Error {}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
