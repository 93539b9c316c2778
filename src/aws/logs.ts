/** CloudWatch Logs reads: the last lines of a SageMaker job's log, for failed steps. */
import { DescribeLogStreamsCommand, GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export type LogsPort = Pick<CloudWatchLogsClient, 'send'>;

/** The log group SageMaker writes a job kind's logs to. */
export function jobLogGroup(jobKind: string): string | undefined {
  const groups: Record<string, string> = {
    ProcessingJob: '/aws/sagemaker/ProcessingJobs',
    TrainingJob: '/aws/sagemaker/TrainingJobs',
    TransformJob: '/aws/sagemaker/TransformJobs',
    QualityCheck: '/aws/sagemaker/ProcessingJobs',
    ClarifyCheck: '/aws/sagemaker/ProcessingJobs',
  };
  return groups[jobKind];
}

/** The job name from a job ARN (`arn:…:training-job/<name>`). */
export function jobNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** A CloudWatch console link to a job's log streams. */
export function jobLogUrl(region: string, jobKind: string, jobArn: string): string | undefined {
  const group = jobLogGroup(jobKind);
  if (!group) return undefined;
  // The console's fragment encoding: '/' → $252F, '?' → $3F, '=' → $3D.
  const enc = (s: string) => encodeURIComponent(s).replace(/%/g, '$25');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}$3FlogStreamNameFilter$3D${enc(jobNameFromArn(jobArn))}`;
}

/**
 * The last `lines` log lines of a job (across its streams, newest stream last), or undefined when
 * they can't be read (no permission, no logs yet) — a missing tail never fails the command.
 */
export async function jobLogTail(logs: LogsPort, jobKind: string, jobArn: string, lines = 20): Promise<string[] | undefined> {
  const group = jobLogGroup(jobKind);
  if (!group) return undefined;
  try {
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${jobNameFromArn(jobArn)}/`, limit: 10 }));
    const names = (streams.logStreams ?? []).map((s) => s.logStreamName).filter((n): n is string => Boolean(n));
    const out: string[] = [];
    for (const name of names) {
      const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: name, startFromHead: false, limit: lines }));
      for (const e of events.events ?? []) if (e.message !== undefined) out.push(e.message.replace(/\n$/, ''));
    }
    return out.slice(-lines);
  } catch {
    return undefined;
  }
}
