/**
 * CloudWatch-like log groups and streams for job output. Events are appended to one JSON-lines
 * file per stream: appends are cheap for chatty jobs, and a torn last line after a SIGKILL is
 * simply skipped on reload.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LogEvent {
  /** Epoch milliseconds, as CloudWatch Logs uses. */
  timestamp: number;
  ingestionTime: number;
  message: string;
}

export interface LogStream {
  group: string;
  stream: string;
  events: LogEvent[];
}

export interface LogStore {
  append(group: string, stream: string, event: { timestamp: Date | number; message: string }): void;
  groupExists(group: string): boolean;
  /** Streams of a group, ordered by name. */
  streams(group: string): LogStream[];
  stream(group: string, stream: string): LogStream | undefined;
}

/** Opens the log store rooted at `dir`. */
export function openLogStore(dir: string, now: () => number): LogStore {
  const groups = new Map<string, Map<string, LogStream>>();
  const file = (group: string, stream: string): string =>
    join(dir, `${createHash('sha256').update(`${group}\n${stream}`).digest('hex').slice(0, 40)}.jsonl`);
  const streamOf = (group: string, stream: string): LogStream => {
    let streams = groups.get(group);
    if (streams === undefined) {
      streams = new Map();
      groups.set(group, streams);
    }
    let found = streams.get(stream);
    if (found === undefined) {
      found = { group, stream, events: [] };
      streams.set(stream, found);
    }
    return found;
  };
  mkdirSync(dir, { recursive: true });
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.jsonl')) continue;
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (line === '') continue;
        try {
          const { g, s, t, i, m } = JSON.parse(line) as { g: string; s: string; t: number; i: number; m: string };
          streamOf(g, s).events.push({ timestamp: t, ingestionTime: i, message: m });
        } catch {
          // A line cut short by a crash mid-append: the event was never acknowledged to anyone.
        }
      }
    }
  }
  return {
    append(group, stream, event) {
      const timestamp = event.timestamp instanceof Date ? event.timestamp.getTime() : event.timestamp;
      const record: LogEvent = { timestamp, ingestionTime: now(), message: event.message };
      appendFileSync(file(group, stream), `${JSON.stringify({ g: group, s: stream, t: timestamp, i: record.ingestionTime, m: event.message })}\n`);
      streamOf(group, stream).events.push(record);
    },
    groupExists: (group) => groups.has(group),
    streams: (group) => [...(groups.get(group)?.values() ?? [])].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0)),
    stream: (group, stream) => groups.get(group)?.get(stream),
  };
}
