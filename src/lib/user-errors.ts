import type { UserErrorCode } from '../__generated__/graphql';
import { fromGlobalId, type NodeType } from './global-id';

export interface UserError {
  field: string[];
  message: string;
  code: UserErrorCode;
}

/** Errors in a write's input, gathered so the caller sees them all at once. */
export class UserErrors {
  readonly list: UserError[] = [];

  add(field: (string | number)[], message: string, code: UserErrorCode = 'INVALID_VALUE'): void {
    this.list.push({ field: field.map(String), message, code });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** Decodes a global ID of `type`; records an error and answers null when it is not one. */
  id(value: string, type: NodeType, field: (string | number)[]): number | null {
    const decoded = fromGlobalId(value);
    if (!decoded || decoded.type !== type) {
      this.add(
        field,
        decoded ? `This is the ID of a ${decoded.type}, not a ${type}.` : `This is not a valid ${type} ID.`,
        'INVALID_VALUE',
      );
      return null;
    }
    return decoded.id;
  }

  text(
    value: string | null | undefined,
    field: (string | number)[],
    options: { max: number; required?: boolean; pattern?: RegExp; patternMessage?: string },
  ): void {
    if (value === null || value === undefined) {
      if (options.required) this.add(field, 'A value is required.');
      return;
    }
    if (options.required && value.trim() === '') this.add(field, 'May not be blank.');
    else if (value.length > options.max) this.add(field, `At most ${options.max} characters.`);
    else if (value.includes('\u0000') || !value.isWellFormed())
      this.add(field, 'Contains characters that are not text.');
    else if (options.pattern && !options.pattern.test(value)) this.add(field, options.patternMessage ?? 'Malformed.');
  }
}

/** Thrown inside a write's transaction to roll it back and answer these user errors. */
export class UserInputFailure extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

/** Rolls back the current write with one user error. */
export function fail(field: (string | number)[], message: string, code: UserErrorCode): never {
  throw new UserInputFailure([{ field: field.map(String), message, code }]);
}
