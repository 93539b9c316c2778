import { BatchGetBuildsCommand, CodeBuildClient, StartBuildCommand, StopBuildCommand, type Build } from '@aws-sdk/client-codebuild';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { virtualClock } from '../../../src/ops/clock.js';
import { buildEnvironment, runCodeBuild } from '../../../src/ops/codebuild.js';

const cb = mockClient(CodeBuildClient);
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => {
  cb.reset();
  logs.reset();
});

const ID = 'smpk-runner:0f0e';
const build = (status: string, extra: Partial<Build> = {}): Build => ({
  id: ID,
  buildStatus: status as never,
  logs: { groupName: '/aws/codebuild/smpk-runner', streamName: '0f0e' },
  ...extra,
});
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

function run(over: Partial<Parameters<typeof runCodeBuild>[0]> = {}) {
  const lines: string[] = [];
  const events: string[] = [];
  const promise = runCodeBuild(
    { projectName: 'smpk-runner', env: { STAGE: 'prod' }, ...over },
    {
      codebuild: new CodeBuildClient({}),
      logs: new CloudWatchLogsClient({}),
      clock: virtualClock(),
      random: () => 0.5,
      env: { GITHUB_SHA: 'abc', GITHUB_TOKEN: 'ghs_secret', AWS_SECRET_ACCESS_KEY: 'nope' },
      reporter: { log: (l) => lines.push(l), started: (b) => events.push(`started ${b.id}`), status: (s) => events.push(s) },
    },
  );
  return { promise, lines, events };
}

describe('runCodeBuild', () => {
  it('reports the build id at once, streams logs and drains them after the end', async () => {
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).resolvesOnce({ builds: [build('IN_PROGRESS')] }).resolves({ builds: [build('SUCCEEDED')] });
    logs
      .on(GetLogEventsCommand)
      .resolvesOnce({ events: [{ message: 'phase INSTALL\n' }], nextForwardToken: 'f1' })
      .resolvesOnce({ events: [{ message: 'smpk run ...\n' }], nextForwardToken: 'f2' })
      .resolvesOnce({ events: [{ message: 'late line\n' }], nextForwardToken: 'f3' })
      .resolves({ events: [], nextForwardToken: 'f3' });
    const { promise, lines, events } = run();
    const result = await promise;
    expect(result).toMatchObject({ outcome: 'succeeded', buildId: ID, status: 'SUCCEEDED', logLines: 3 });
    expect(events[0]).toBe(`started ${ID}`);
    expect(lines).toEqual(['phase INSTALL', 'smpk run ...', 'late line']);
    // Each page continues from the previous one.
    expect(logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'f1', 'f2', 'f3', 'f3']);
  });

  it('passes identity variables, never secrets, plus the explicit ones', async () => {
    expect(buildEnvironment({ GITHUB_SHA: 'abc', GITHUB_TOKEN: 'ghs_x', AWS_SECRET_ACCESS_KEY: 's' }, { STAGE: 'prod' })).toEqual([
      { name: 'GITHUB_SHA', value: 'abc', type: 'PLAINTEXT' },
      { name: 'STAGE', value: 'prod', type: 'PLAINTEXT' },
    ]);
  });

  it.each([
    ['FAILED', 'failed'],
    ['FAULT', 'failed'],
    ['TIMED_OUT', 'timed-out'],
    ['STOPPED', 'stopped'],
  ])('%s is terminal (%s) and names the failed phase', async (status, outcome) => {
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).resolves({
      builds: [build(status, { phases: [{ phaseType: 'BUILD', phaseStatus: status as never, contexts: [{ message: 'COMMAND_EXECUTION_ERROR: exit status 2' }] }] })],
    });
    logs.on(GetLogEventsCommand).resolves({ events: [] });
    const result = await run().promise;
    expect(result.outcome).toBe(outcome);
    expect(result.failure).toBe(`BUILD ${status}: COMMAND_EXECUTION_ERROR: exit status 2`);
  });

  it('keeps its settings through throttling (hidden logs stay hidden)', async () => {
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ builds: [build('SUCCEEDED')] });
    const { promise, lines } = run({ hideLogs: true });
    expect((await promise).outcome).toBe('succeeded');
    expect(lines).toEqual([]);
    expect(logs.commandCalls(GetLogEventsCommand)).toHaveLength(0);
  });

  it('stops the build when the job is cancelled', async () => {
    const controller = new AbortController();
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).callsFake(async () => {
      controller.abort();
      return { builds: [build('IN_PROGRESS')] };
    });
    cb.on(StopBuildCommand).resolves({});
    logs.on(GetLogEventsCommand).resolves({ events: [] });
    const result = await run({ signal: controller.signal }).promise;
    expect(result.outcome).toBe('cancelled');
    expect(cb.commandCalls(StopBuildCommand)[0]?.args[0].input).toEqual({ id: ID });
  });

  it('returns at the deadline without stopping the build', async () => {
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).resolves({ builds: [build('IN_PROGRESS')] });
    logs.on(GetLogEventsCommand).resolves({ events: [] });
    const result = await run({ deadline: 60_000 }).promise;
    expect(result.outcome).toBe('deadline');
    expect(cb.commandCalls(StopBuildCommand)).toHaveLength(0);
  });

  it('sends the buildspec override and source version', async () => {
    cb.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    cb.on(BatchGetBuildsCommand).resolves({ builds: [build('SUCCEEDED')] });
    logs.on(GetLogEventsCommand).resolves({ events: [] });
    await run({ sourceVersion: 'abc123', buildspec: 'version: 0.2\n' }).promise;
    expect(cb.commandCalls(StartBuildCommand)[0]?.args[0].input).toMatchObject({ projectName: 'smpk-runner', sourceVersion: 'abc123', buildspecOverride: 'version: 0.2\n' });
  });
});
