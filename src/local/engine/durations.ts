/** ISO-8601 durations as CacheConfig.ExpireAfter uses them (`P30D`, `PT1H`, `P1Y2M`, and the SDK's `T12H` shorthand). */

/** Milliseconds in `text`; throws on anything that is not a duration. */
export function parseDuration(text: string): number {
  const match = /^P?(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    text.trim(),
  );
  if (!match || text.trim().replace(/^P/, '') === '' || text.trim() === 'PT' || text.trim() === 'T') {
    throw new Error(`'${text}' is not an ISO-8601 duration`);
  }
  const n = (i: number): number => Number(match[i] ?? 0);
  const day = 86_400_000;
  // Years and months have no fixed length; 365 and 30 days are the usual convention for expiry.
  return n(1) * 365 * day + n(2) * 30 * day + n(3) * 7 * day + n(4) * day + n(5) * 3_600_000 + n(6) * 60_000 + n(7) * 1000;
}
