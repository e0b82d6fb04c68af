import { parseArgs } from 'node:util';

/** A command-line mistake: the command prints it with its usage and exits 1. */
export class UsageError extends Error {}

/**
 * The command's options (`--name value`, `--name=value`, flags), each at most once, or 'help' for `--help`/`-h`.
 * Node's own parser does the reading; this adds the one-use rule and says mistakes as `UsageError`s.
 */
export function readOptions<Names extends string>(
  argv: string[],
  spec: Record<Names, 'string' | 'boolean'>,
): Partial<Record<Names, string | true>> | 'help' {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.entries(spec).map(([name, type]) => [name, { type }])),
        help: { type: 'boolean', short: 'h' },
      } as never,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) return 'help';
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
  }
  return parsed.values as Partial<Record<Names, string | true>>;
}

/** `text` as a whole number from `min` to `max`, or a `UsageError` naming the option. */
export function integerOption(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/**
 * The arguments `parse` reads from the command line, or the exit code once the command has answered for itself:
 * 0 after printing `usage` for `--help`, 1 after printing a usage mistake and `usage` on stderr. Other errors pass.
 */
export function argumentsOrExitCode<Args extends object>(parse: () => Args | 'help', usage: string): Args | number {
  let args: Args | 'help';
  try {
    args = parse();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 1;
  }
  if (args === 'help') {
    console.log(usage);
    return 0;
  }
  return args;
}
