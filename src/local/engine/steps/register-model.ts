/**
 * RegisterModel steps (CreateModelPackage arguments): a versioned model package in its group,
 * the group created when missing, approval status as given (PendingManualApproval by default).
 */
import { obj } from '../json.js';
import { sagemakerArn } from '../names.js';
import type { JsonObject, RecordPort } from '../ports.js';
import { epochSeconds, type StepRunner } from './context.js';

/** Runs a RegisterModel step. */
export const runRegisterModel: StepRunner = async (context) => {
  const { args, ports } = context;
  const rawGroup = String(args['ModelPackageGroupName'] ?? '');
  // The SDK accepts a group ARN as well as a name; packages are keyed by the name.
  const group = rawGroup.includes(':model-package-group/') ? (rawGroup.split('/').pop() ?? rawGroup) : rawGroup;
  const now = epochSeconds(ports.clock.now());
  if (group === '') {
    // An unversioned package: keyed by its own name, like CreateModelPackage with ModelPackageName.
    const name = String(args['ModelPackageName'] ?? context.jobName);
    const arn = sagemakerArn(context.region, context.accountId, 'model-package', name);
    const describe = packageBody(args, { ModelPackageName: name, ModelPackageArn: arn }, now);
    await ports.records.putResource('ModelPackage', arn, describe);
    return { properties: describe, metadata: { RegisterModel: { Arn: arn } } };
  }
  // Numbering reads then writes; two registrations into one group (parallel steps, concurrent
  // executions on the same store) must not both take the same version.
  return withGroupLock(ports.records, group, async () => {
    if ((await ports.records.getResource('ModelPackageGroup', group)) === undefined) {
      await ports.records.putResource('ModelPackageGroup', group, {
        ModelPackageGroupName: group,
        ModelPackageGroupArn: sagemakerArn(context.region, context.accountId, 'model-package-group', group),
        ModelPackageGroupDescription: '',
        CreationTime: now,
        ModelPackageGroupStatus: 'Completed',
      });
    }
    const versions = (await ports.records.listResources('ModelPackage'))
      .filter((p) => p['ModelPackageGroupName'] === group)
      .map((p) => Number(p['ModelPackageVersion'] ?? 0));
    const version = Math.max(0, ...versions) + 1;
    const arn = `${sagemakerArn(context.region, context.accountId, 'model-package', group)}/${version}`;
    const describe = packageBody(args, { ModelPackageName: group, ModelPackageGroupName: group, ModelPackageVersion: version, ModelPackageArn: arn }, now);
    await ports.records.putResource('ModelPackage', arn, describe);
    return { properties: describe, metadata: { RegisterModel: { Arn: arn } } };
  });
};

const locks = new WeakMap<RecordPort, Map<string, Promise<unknown>>>();

/** Runs `action` after every earlier action for the same group on the same record store. */
function withGroupLock<T>(records: RecordPort, group: string, action: () => Promise<T>): Promise<T> {
  let byGroup = locks.get(records);
  if (byGroup === undefined) locks.set(records, (byGroup = new Map()));
  const previous = byGroup.get(group) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(action);
  byGroup.set(group, next);
  return next;
}

function packageBody(args: JsonObject, identity: JsonObject, now: number): JsonObject {
  const { ClientToken: _token, Tags: _tags, ...rest } = args;
  return {
    ...rest,
    ...identity,
    ModelPackageStatus: 'Completed',
    ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
    ModelApprovalStatus: args['ModelApprovalStatus'] ?? 'PendingManualApproval',
    CertifyForMarketplace: args['CertifyForMarketplace'] ?? false,
    CreationTime: now,
    LastModifiedTime: now,
    ...(Object.keys(obj(args['InferenceSpecification'])).length > 0 ? { InferenceSpecification: args['InferenceSpecification'] } : {}),
  };
}
