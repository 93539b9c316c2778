// Watch-loop benchmark: replays execution timelines (status and step transitions over time)
// against watchExecution with a virtual clock, and measures API calls per minute of watching and
// the delay between the execution ending and the kit reporting it. Prints one JSON line per case.
// The timelines are modelled on the seed pipelines (step counts and durations), not recorded from
// AWS; their end times deliberately fall between polls so the reporting delay is real.
import { DescribePipelineExecutionCommand, type PipelineExecutionStep } from '@aws-sdk/client-sagemaker';
import type { SageMakerPort } from '../src/aws/sagemaker.js';
import { virtualClock } from '../src/ops/clock.js';
import { watchExecution } from '../src/ops/watch.js';

interface Timeline {
  name: string;
  /** [startMinute, endMinute] per step, run in the order given. */
  steps: [string, number, number][];
  endStatus: 'Succeeded' | 'Failed' | 'Stopped';
  /** Minutes during which every call is throttled. */
  throttledMinutes?: [number, number];
  /** Pages the step listing takes (50 steps → 1 page at MaxResults 100; more for huge pipelines). */
  pageSize?: number;
}

const MIN = 60_000;

function replay(t: Timeline): SageMakerPort & { calls: number } {
  const end = Math.max(...t.steps.map((s) => s[2])) * MIN;
  const clock = { now: 0 };
  const port = {
    calls: 0,
    clock,
    async send(command: { input: { NextToken?: string } }) {
      port.calls += 1;
      const now = clock.now;
      if (t.throttledMinutes && now >= t.throttledMinutes[0] * MIN && now < t.throttledMinutes[1] * MIN) {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
      }
      const done = now >= end;
      const started = t.steps.filter((s) => s[1] * MIN <= now);
      const lastChange = Math.max(0, ...t.steps.flatMap((s) => [s[1] * MIN, s[2] * MIN]).filter((x) => x <= now));
      // instanceof, not constructor names: bundlers rename classes.
      if (command instanceof DescribePipelineExecutionCommand) {
        return { PipelineExecutionStatus: done ? t.endStatus : 'Executing', LastModifiedTime: new Date(lastChange) };
      }
      const all: PipelineExecutionStep[] = started.map(([name, s, e]) => ({
        StepName: name,
        StepStatus: e * MIN <= now ? (done && name === t.steps[t.steps.length - 1]?.[0] && t.endStatus !== 'Succeeded' ? t.endStatus : 'Succeeded') : 'Executing',
        StartTime: new Date(s * MIN),
        ...(e * MIN <= now ? { EndTime: new Date(e * MIN) } : {}),
      }));
      const size = t.pageSize ?? 100;
      const from = Number(command.input.NextToken ?? 0);
      const page = all.slice(from, from + size);
      return { PipelineExecutionSteps: page, ...(from + size < all.length ? { NextToken: String(from + size) } : {}) };
    },
  };
  return port as unknown as SageMakerPort & { calls: number };
}

const chain = (n: number, minutes: number): [string, number, number][] =>
  Array.from({ length: n }, (_, i) => [`Step${i}`, (i * minutes) / n, ((i + 1) * minutes) / n] as [string, number, number]);

const timelines: Timeline[] = [
  { name: 'abalone-like, 8 steps, 25 min', steps: chain(8, 25.3), endStatus: 'Succeeded' },
  { name: 'kg-extraction-like, 11 steps, 3 h', steps: chain(11, 180.7), endStatus: 'Succeeded' },
  { name: 'hpo-like, 6 steps, 8 h, tuning 6 h', steps: [['Pre', 0, 20], ['Tune', 20, 380], ['Eval', 380, 400], ['Cond', 400, 401], ['Reg', 401, 402], ['Model', 402, 404.55]], endStatus: 'Succeeded' },
  { name: 'failure after 47 min', steps: chain(5, 47.45), endStatus: 'Failed' },
  { name: '2 h with 10 min of throttling', steps: chain(10, 120.2), endStatus: 'Succeeded', throttledMinutes: [30, 40] },
  { name: '250 steps (3 pages), 5 h', steps: chain(250, 300.9), endStatus: 'Succeeded', pageSize: 100 },
];

for (const t of timelines) {
  for (const intervalSeconds of [30]) {
    const port = replay(t);
    const clock = virtualClock(0);
    (port as unknown as { clock: { now: number } }).clock.now = 0;
    // Keep the replay's notion of time in step with the virtual clock.
    const syncing: SageMakerPort = {
      send: ((command: never) => {
        (port as unknown as { clock: { now: number } }).clock.now = clock.now();
        return port.send(command);
      }) as SageMakerPort['send'],
    };
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const end = Math.max(...t.steps.map((s) => s[2])) * MIN;
    // A deadline far past the timeline's end keeps a broken replay from spinning forever.
    const result = await watchExecution(
      { executionArn: 'arn:aws:sagemaker:us-east-1:111122223333:pipeline/b/execution/x', intervalMs: intervalSeconds * 1000, deadline: end + 60 * MIN },
      { sagemaker: syncing, clock, random },
    );
    const watchedMinutes = clock.now() / MIN;
    process.stdout.write(
      `${JSON.stringify({
        name: t.name,
        intervalSeconds,
        outcome: result.outcome,
        apiCalls: result.apiCalls,
        watchedMinutes: Number(watchedMinutes.toFixed(2)),
        callsPerMinute: Number((result.apiCalls / watchedMinutes).toFixed(3)),
        callsPerHour: Number(((result.apiCalls / watchedMinutes) * 60).toFixed(1)),
        reportDelaySeconds: Math.round((clock.now() - end) / 1000),
      })}\n`,
    );
  }
}
