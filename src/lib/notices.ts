/**
 * Warnings of one request, answered in `extensions.warnings` beside the data: what the request asked that is
 * allowed but probably not what was meant (a filter code that nothing has). Each is said once.
 */
export interface Warning {
  code: string;
  message: string;
  [detail: string]: unknown;
}

export class Notices {
  private readonly pending: Promise<Warning[]>[] = [];

  add(warnings: Promise<Warning[]>): void {
    this.pending.push(warnings.catch(() => []));
  }

  /** Every warning found, once each; empty when there are none (and then costs nothing). */
  async collect(): Promise<Warning[]> {
    if (this.pending.length === 0) return [];
    const seen = new Set<string>();
    const all: Warning[] = [];
    for (const warnings of await Promise.all(this.pending)) {
      for (const warning of warnings) {
        const key = JSON.stringify(warning);
        if (!seen.has(key)) {
          seen.add(key);
          all.push(warning);
        }
      }
    }
    return all;
  }
}
