/** Thin typed calls to CodeBuild and the log reads that stream a build's output. */
import { BatchGetBuildsCommand, StartBuildCommand, StopBuildCommand, type Build, type CodeBuildClient, type StartBuildCommandInput } from '@aws-sdk/client-codebuild';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsPort } from './logs.js';

export type CodeBuildPort = Pick<CodeBuildClient, 'send'>;

/** StartBuild; returns the build as CodeBuild first reports it (its id is known at once). */
export async function startBuild(client: CodeBuildPort, input: StartBuildCommandInput): Promise<Build> {
  const out = await client.send(new StartBuildCommand(input));
  if (!out.build?.id) throw new Error('StartBuild returned no build id');
  return out.build;
}

/** BatchGetBuilds for one id. */
export async function describeBuild(client: CodeBuildPort, id: string): Promise<Build> {
  const out = await client.send(new BatchGetBuildsCommand({ ids: [id] }));
  const build = out.builds?.[0];
  if (!build) throw new Error(`CodeBuild does not know build ${id}`);
  return build;
}

/** StopBuild. */
export async function stopBuild(client: CodeBuildPort, id: string): Promise<void> {
  await client.send(new StopBuildCommand({ id }));
}

/** One forward page of a log stream; `token` continues where the last page ended. */
export async function readLogPage(
  logs: LogsPort,
  group: string,
  stream: string,
  token: string | undefined,
): Promise<{ lines: string[]; token: string | undefined }> {
  const out = await logs.send(
    new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, ...(token ? { nextToken: token } : {}) }),
  );
  return { lines: (out.events ?? []).map((e) => (e.message ?? '').replace(/\n$/, '')), token: out.nextForwardToken ?? token };
}
