/**
 * GitLab CI I/O: the dotenv report that hands values (execution ARN, status) to later jobs.
 * GitLab's limits are enforced here, so a job never fails later on an unreadable report:
 * one KEY=value per line, no multi-line values, at most 5,120 bytes.
 */

export const DOTENV_MAX_BYTES = 5120;

/** Renders a dotenv report; throws when a key or value cannot be represented. */
export function renderDotenv(values: Readonly<Record<string, string>>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`dotenv key ${JSON.stringify(key)} is not a valid variable name`);
    if (/[\r\n]/.test(value)) throw new Error(`dotenv value of ${key} has a line break; GitLab dotenv reports take one line per variable`);
    lines.push(`${key}=${value}`);
  }
  const text = lines.length ? `${lines.join('\n')}\n` : '';
  if (Buffer.byteLength(text) > DOTENV_MAX_BYTES) throw new Error(`dotenv report is ${Buffer.byteLength(text)} bytes; GitLab accepts at most ${DOTENV_MAX_BYTES}`);
  return text;
}

/** Accumulates values and rewrites the report each time one is set (so it is current if the job dies). */
export function dotenvWriter(write: (text: string) => void): (values: Record<string, string>) => void {
  const all: Record<string, string> = {};
  return (values) => {
    Object.assign(all, values);
    write(renderDotenv(all));
  };
}
