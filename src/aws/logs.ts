/** CloudWatch Logs reads: the last lines of a SageMaker job's log, for failed steps. */
import { DescribeLogStreamsCommand, GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeProcessingJobCommand, DescribeTrainingJobCommand, DescribeTransformJobCommand } from '@aws-sdk/client-sagemaker';
import type { SageMakerPort } from './sagemaker.js';

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

/** A CloudWatch console link to a job's log streams (pass the real job name where known: the filter is case-sensitive). */
export function jobLogUrl(region: string, jobKind: string, jobArnOrName: string): string | undefined {
  const group = jobLogGroup(jobKind);
  if (!group) return undefined;
  // The console's fragment encoding: '/' → $252F, '?' → $3F, '=' → $3D.
  const enc = (s: string) => encodeURIComponent(s).replace(/%/g, '$25');
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${enc(group)}$3FlogStreamNameFilter$3D${enc(jobNameFromArn(jobArnOrName))}`;
}

/**
 * The job's real name. SageMaker lowercases names in ARNs, but log streams keep the name's case
 * and CloudWatch prefixes are case-sensitive; the job's describe call accepts either spelling and
 * answers with the real one. Falls back to the ARN's spelling when the describe fails.
 */
export async function jobName(sagemaker: SageMakerPort, jobKind: string, jobArn: string): Promise<string> {
  const name = jobNameFromArn(jobArn);
  try {
    switch (jobKind) {
      case 'TrainingJob':
        return (await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))).TrainingJobName ?? name;
      case 'TransformJob':
        return (await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: name }))).TransformJobName ?? name;
      case 'ProcessingJob':
      case 'QualityCheck':
      case 'ClarifyCheck':
        return (await sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }))).ProcessingJobName ?? name;
      default:
        return name;
    }
  } catch {
    return name;
  }
}

/**
 * The last `lines` log lines of a job (across its streams, newest stream last), or undefined when
 * they can't be read (no permission, no logs yet) — a missing tail never fails the command.
 */
export async function jobLogTail(logs: LogsPort, jobKind: string, realJobName: string, lines = 20): Promise<string[] | undefined> {
  const group = jobLogGroup(jobKind);
  if (!group) return undefined;
  try {
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${realJobName}/`, limit: 10 }));
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
