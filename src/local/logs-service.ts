/**
 * CloudWatch Logs (JSON 1.1, `Logs_20140328.<Op>`) over the job logs the engine recorded:
 * GetLogEvents, FilterLogEvents and DescribeLogStreams, enough for the watch command to print
 * the tail of a failed job's log.
 */
import type { LogStore, LogStream } from './log-store.js';
import { ServiceError } from './service-error.js';

type Input = Record<string, unknown>;

function notFound(what: 'group' | 'stream'): ServiceError {
  return new ServiceError('ResourceNotFoundException', `The specified log ${what} does not exist.`);
}

function groupName(input: Input): string {
  const name = input['logGroupName'] ?? input['logGroupIdentifier'];
  if (typeof name !== 'string' || name === '') throw new ServiceError('InvalidParameterException', 'logGroupName is required');
  return name;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Matches CloudWatch's simple filter patterns: space-separated terms (optionally quoted) that must all occur. */
function matches(pattern: unknown, message: string): boolean {
  if (typeof pattern !== 'string' || pattern.trim() === '') return true;
  const terms = [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  return terms.every((term) => (term.startsWith('-') ? !message.includes(term.slice(1)) : message.includes(term)));
}

function getLogEvents(logs: LogStore, input: Input): unknown {
  const group = groupName(input);
  if (!logs.groupExists(group)) throw notFound('group');
  const stream = logs.stream(group, String(input['logStreamName'] ?? ''));
  if (stream === undefined) throw notFound('stream');
  const start = num(input['startTime']);
  const end = num(input['endTime']);
  const limit = Math.min(num(input['limit']) ?? 10000, 10000);
  // Indices into the time-filtered list; tokens carry the index so paging is stable.
  const events = stream.events.filter((e) => (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp < end));
  const token = typeof input['nextToken'] === 'string' ? input['nextToken'] : undefined;
  let from: number;
  let to: number;
  if (token?.startsWith('f/')) {
    from = Number(token.slice(2));
    to = Math.min(events.length, from + limit);
  } else if (token?.startsWith('b/')) {
    to = Number(token.slice(2));
    from = Math.max(0, to - limit);
  } else if (input['startFromHead'] === true) {
    from = 0;
    to = Math.min(events.length, limit);
  } else {
    to = events.length;
    from = Math.max(0, to - limit);
  }
  return {
    events: events.slice(from, to),
    nextForwardToken: `f/${to}`,
    nextBackwardToken: `b/${from}`,
  };
}

function filterLogEvents(logs: LogStore, input: Input): unknown {
  const group = groupName(input);
  if (!logs.groupExists(group)) throw notFound('group');
  const names = Array.isArray(input['logStreamNames']) ? (input['logStreamNames'] as string[]) : undefined;
  const prefix = typeof input['logStreamNamePrefix'] === 'string' ? input['logStreamNamePrefix'] : '';
  const streams: LogStream[] = logs.streams(group).filter((s) => (names === undefined || names.includes(s.stream)) && s.stream.startsWith(prefix));
  const start = num(input['startTime']);
  const end = num(input['endTime']);
  const limit = Math.min(num(input['limit']) ?? 10000, 10000);
  const all = streams
    .flatMap((s) =>
      s.events.map((e, index) => ({ logStreamName: s.stream, timestamp: e.timestamp, ingestionTime: e.ingestionTime, message: e.message, eventId: `${s.stream}/${index}` })),
    )
    .filter((e) => (start === undefined || e.timestamp >= start) && (end === undefined || e.timestamp <= end) && matches(input['filterPattern'], e.message))
    // Stable by time; ties keep stream order, then line order.
    .sort((a, b) => a.timestamp - b.timestamp);
  const offset = typeof input['nextToken'] === 'string' ? Number(input['nextToken'].replace(/^o\//, '')) || 0 : 0;
  const page = all.slice(offset, offset + limit);
  const next = offset + page.length < all.length ? { nextToken: `o/${offset + page.length}` } : {};
  return {
    events: page,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.stream, searchedCompletely: true })),
    ...next,
  };
}

function describeLogStreams(logs: LogStore, input: Input): unknown {
  const group = groupName(input);
  if (!logs.groupExists(group)) throw notFound('group');
  const prefix = typeof input['logStreamNamePrefix'] === 'string' ? input['logStreamNamePrefix'] : '';
  if (input['orderBy'] === 'LastEventTime' && prefix !== '') {
    // CloudWatch refuses this combination; accepting it locally would hide a call that fails on AWS.
    throw new ServiceError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  // Prefix matching is case-sensitive, as in CloudWatch: stream names keep the job name's case
  // even though job ARNs carry it lowercased.
  let streams = logs.streams(group).filter((s) => s.stream.startsWith(prefix));
  if (input['orderBy'] === 'LastEventTime') {
    const last = (s: LogStream): number => s.events[s.events.length - 1]?.timestamp ?? 0;
    streams = streams.sort((a, b) => last(a) - last(b));
  }
  if (input['descending'] === true) streams = streams.reverse();
  const offset = typeof input['nextToken'] === 'string' ? Number(input['nextToken'].replace(/^o\//, '')) || 0 : 0;
  const limit = Math.min(num(input['limit']) ?? 50, 50);
  const page = streams.slice(offset, offset + limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.stream,
      creationTime: s.events[0]?.ingestionTime ?? 0,
      firstEventTimestamp: s.events[0]?.timestamp,
      lastEventTimestamp: s.events[s.events.length - 1]?.timestamp,
      lastIngestionTime: s.events[s.events.length - 1]?.ingestionTime,
      arn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:${s.stream}`,
    })),
    ...(offset + page.length < streams.length ? { nextToken: `o/${offset + page.length}` } : {}),
  };
}

/** Runs one CloudWatch Logs operation; unknown operations are rejected as the service does. */
export function handleLogs(logs: LogStore, operation: string, input: Input): unknown {
  switch (operation) {
    case 'GetLogEvents':
      return getLogEvents(logs, input);
    case 'FilterLogEvents':
      return filterLogEvents(logs, input);
    case 'DescribeLogStreams':
      return describeLogStreams(logs, input);
    default:
      throw new ServiceError('UnknownOperationException', `The local backend does not implement Logs ${operation}`);
  }
}
