/**
 * Create/Update/Describe/Delete/ListMonitoringSchedules. Schedules are recorded, not run: a
 * new or updated schedule is Pending, then Scheduled after the transition delay (settled
 * lazily, like endpoints).
 */
import { sagemakerArn } from '../arns.js';
import { paginate } from '../pagination.js';
import { requireString, resourceNotFound, ServiceError, validation } from '../service-error.js';
import { inputSeconds } from '../wire.js';
import { Collections, nowSeconds, type Input, type Operation, type SageMakerContext } from './context.js';
import { addTags, dropTags } from './tags.js';

type Json = Record<string, unknown>;

interface ScheduleRecord extends Json {
  MonitoringScheduleName: string;
  MonitoringScheduleArn: string;
  MonitoringScheduleStatus: string;
  MonitoringScheduleConfig: Json;
  CreationTime: number;
  LastModifiedTime: number;
  _scheduledAt?: number;
}

function scheduleFacts(config: Json): Json {
  const definition = config['MonitoringJobDefinition'] as Json | undefined;
  const inputs = (definition?.['MonitoringInputs'] as Json[] | undefined) ?? [];
  const endpointName = (inputs[0]?.['EndpointInput'] as Json | undefined)?.['EndpointName'];
  return {
    MonitoringType: config['MonitoringType'] ?? 'DataQuality',
    ...(typeof endpointName === 'string' ? { EndpointName: endpointName } : {}),
    ...(typeof config['MonitoringJobDefinitionName'] === 'string' ? { MonitoringJobDefinitionName: config['MonitoringJobDefinitionName'] } : {}),
  };
}

function configOf(input: Input): Json {
  const config = input['MonitoringScheduleConfig'];
  if (config === null || typeof config !== 'object') throw validation('MonitoringScheduleConfig is required.');
  const c = config as Json;
  if (c['MonitoringJobDefinition'] === undefined && c['MonitoringJobDefinitionName'] === undefined) {
    throw validation('MonitoringScheduleConfig needs either MonitoringJobDefinition or MonitoringJobDefinitionName.');
  }
  return c;
}

function settled(context: SageMakerContext, name: string): ScheduleRecord | undefined {
  const schedule = context.records.get<ScheduleRecord>(Collections.monitoringSchedules, name);
  if (schedule?._scheduledAt !== undefined && context.clock.now() >= schedule._scheduledAt) {
    schedule.MonitoringScheduleStatus = 'Scheduled';
    delete schedule._scheduledAt;
    context.records.put(Collections.monitoringSchedules, name, schedule);
  }
  return schedule;
}

function getSchedule(context: SageMakerContext, name: string): ScheduleRecord {
  const schedule = settled(context, name);
  if (schedule === undefined) throw resourceNotFound(`Monitoring schedule ${sagemakerArn(context.region, 'monitoring-schedule', name)} does not exist.`);
  return schedule;
}

function body(schedule: ScheduleRecord): Json {
  const { _scheduledAt: _at, ...rest } = schedule;
  return rest;
}

export const monitoringOperations: Record<string, Operation> = {
  CreateMonitoringSchedule(input, context) {
    const name = requireString(input, 'MonitoringScheduleName');
    const arn = sagemakerArn(context.region, 'monitoring-schedule', name);
    if (context.records.get(Collections.monitoringSchedules, name) !== undefined) {
      throw new ServiceError('ResourceInUse', `Monitoring schedule ${arn} already exists.`);
    }
    const config = configOf(input);
    const now = nowSeconds(context);
    const schedule: ScheduleRecord = {
      MonitoringScheduleArn: arn,
      MonitoringScheduleName: name,
      MonitoringScheduleStatus: 'Pending',
      ...scheduleFacts(config),
      CreationTime: now,
      LastModifiedTime: now,
      MonitoringScheduleConfig: config,
      _scheduledAt: context.clock.now() + context.endpointTransitionMs,
    };
    context.records.put(Collections.monitoringSchedules, name, schedule);
    if (input['Tags'] !== undefined) addTags(context, arn, input['Tags']);
    return { MonitoringScheduleArn: arn };
  },

  UpdateMonitoringSchedule(input, context) {
    const schedule = getSchedule(context, requireString(input, 'MonitoringScheduleName'));
    const config = configOf(input);
    const updated: ScheduleRecord = {
      ...schedule,
      ...scheduleFacts(config),
      MonitoringScheduleConfig: config,
      MonitoringScheduleStatus: 'Pending',
      LastModifiedTime: nowSeconds(context),
      _scheduledAt: context.clock.now() + context.endpointTransitionMs,
    };
    context.records.put(Collections.monitoringSchedules, schedule.MonitoringScheduleName, updated);
    return { MonitoringScheduleArn: schedule.MonitoringScheduleArn };
  },

  DescribeMonitoringSchedule: (input, context) => body(getSchedule(context, requireString(input, 'MonitoringScheduleName'))),

  DeleteMonitoringSchedule(input, context) {
    const schedule = getSchedule(context, requireString(input, 'MonitoringScheduleName'));
    context.records.delete(Collections.monitoringSchedules, schedule.MonitoringScheduleName);
    dropTags(context, schedule.MonitoringScheduleArn);
    return {};
  },

  ListMonitoringSchedules(input, context) {
    const str = (member: string): string | undefined => (typeof input[member] === 'string' ? (input[member] as string) : undefined);
    const endpoint = str('EndpointName');
    const contains = str('NameContains') ?? '';
    const status = str('StatusEquals');
    const type = str('MonitoringTypeEquals');
    const definition = str('MonitoringJobDefinitionName');
    const createdAfter = inputSeconds(input['CreationTimeAfter']);
    const createdBefore = inputSeconds(input['CreationTimeBefore']);
    const modifiedAfter = inputSeconds(input['LastModifiedTimeAfter']);
    const modifiedBefore = inputSeconds(input['LastModifiedTimeBefore']);
    const schedules = context.records
      .list<ScheduleRecord>(Collections.monitoringSchedules)
      .map((s) => settled(context, s.MonitoringScheduleName) ?? s)
      .filter((s) => endpoint === undefined || s['EndpointName'] === endpoint)
      .filter((s) => s.MonitoringScheduleName.includes(contains))
      .filter((s) => status === undefined || s.MonitoringScheduleStatus === status)
      .filter((s) => type === undefined || s['MonitoringType'] === type)
      .filter((s) => definition === undefined || s['MonitoringJobDefinitionName'] === definition)
      .filter((s) => (createdAfter === undefined || s.CreationTime > createdAfter) && (createdBefore === undefined || s.CreationTime < createdBefore))
      .filter((s) => (modifiedAfter === undefined || s.LastModifiedTime > modifiedAfter) && (modifiedBefore === undefined || s.LastModifiedTime < modifiedBefore));
    const sortBy = str('SortBy') ?? 'CreationTime';
    // SageMaker's default order here is Descending.
    const ascending = input['SortOrder'] === 'Ascending';
    schedules.sort((a, b) => {
      const order =
        sortBy === 'Name'
          ? a.MonitoringScheduleName.localeCompare(b.MonitoringScheduleName)
          : sortBy === 'Status'
            ? a.MonitoringScheduleStatus.localeCompare(b.MonitoringScheduleStatus)
            : a.CreationTime - b.CreationTime || a.MonitoringScheduleName.localeCompare(b.MonitoringScheduleName);
      return ascending ? order : -order;
    });
    const page = paginate(schedules, input['NextToken'], input['MaxResults'], 10);
    return {
      MonitoringScheduleSummaries: page.items.map((s) => ({
        MonitoringScheduleName: s.MonitoringScheduleName,
        MonitoringScheduleArn: s.MonitoringScheduleArn,
        CreationTime: s.CreationTime,
        LastModifiedTime: s.LastModifiedTime,
        MonitoringScheduleStatus: s.MonitoringScheduleStatus,
        EndpointName: s['EndpointName'],
        MonitoringJobDefinitionName: s['MonitoringJobDefinitionName'],
        MonitoringType: s['MonitoringType'],
      })),
      NextToken: page.nextToken,
    };
  },
};
