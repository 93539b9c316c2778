/** Command-line usage errors and the shared flag parser of every `smpk` command. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: exit code 2, printed with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const globalOptions = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
  format: { type: 'string' },
} as const satisfies Options;

/** Parses a command's arguments strictly; unknown flags become a UsageError naming the flag. */
export function parseCommand<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options: { ...globalOptions, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util reports unknown or malformed flags with a TypeError whose code says so.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** `--format`: text (default) or json. */
export function parseFormat(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--format must be text or json, not ${JSON.stringify(value)}`);
}

/** `--param K=V` values into a record; the value may contain '='. */
export function parseKeyValues(flag: string, values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values ?? []) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`${flag} takes KEY=VALUE, got ${JSON.stringify(item)}`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}
