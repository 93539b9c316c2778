/**
 * Runs one job process through the spawn port: output to the log port, a tail kept for the
 * FailureReason, killed on stop or when the job's MaxRuntimeInSeconds elapses.
 */
import type { ClockPort, LogPort, SpawnPort } from './ports.js';

/** What to run, where its output goes, and what ends it early. */
export interface JobProcessRequest {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  spawn: SpawnPort;
  clock: ClockPort;
  logs: LogPort;
  logGroup: string;
  logStream: string;
  /** Aborted when the execution is stopped. */
  signal: AbortSignal;
  /** Sees every output line (e.g. to match metric regexes). */
  onLine?: (line: string) => void;
  /** StoppingCondition.MaxRuntimeInSeconds, in ms. */
  maxRuntimeMs?: number;
}

/** How the process ended. */
export interface JobProcessResult {
  code: number | null;
  signal: string | null;
  /** Last output lines (stdout and stderr interleaved), oldest first. */
  tail: string[];
  stopped: boolean;
  timedOut: boolean;
}

const TAIL_LINES = 15;

/** Runs the process to its end; never rejects. */
export async function runJobProcess(request: JobProcessRequest): Promise<JobProcessResult> {
  const tail: string[] = [];
  let stopped = false;
  let timedOut = false;
  const child = request.spawn.spawn({
    command: request.command,
    args: request.args,
    cwd: request.cwd,
    env: request.env,
    onLine: (_stream, line) => {
      request.logs.append(request.logGroup, request.logStream, { timestamp: request.clock.now(), message: line });
      request.onLine?.(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    },
  });
  const onAbort = (): void => {
    stopped = true;
    child.kill();
  };
  if (request.signal.aborted) onAbort();
  else request.signal.addEventListener('abort', onAbort, { once: true });
  const timer = new AbortController();
  if (request.maxRuntimeMs !== undefined) {
    void request.clock.sleep(request.maxRuntimeMs, timer.signal).then(() => {
      if (timer.signal.aborted) return;
      timedOut = true;
      child.kill();
    });
  }
  try {
    const exit = await child.exited;
    return { ...exit, tail, stopped, timedOut };
  } finally {
    timer.abort();
    request.signal.removeEventListener('abort', onAbort);
  }
}
