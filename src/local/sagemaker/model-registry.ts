/**
 * Model Registry: model package groups and versioned model packages. Records are shared with
 * the engine (its RegisterModel steps write packages through the record port), keyed as
 * ports.ts says: groups by name, packages by ARN.
 */
import { nameFromArn, sagemakerArn } from '../arns.js';
import { paginate } from '../pagination.js';
import { requireString, ServiceError, validation } from '../service-error.js';
import { inputSeconds } from '../wire.js';
import { Collections, findByName, nowSeconds, type Input, type Operation, type SageMakerContext } from './context.js';
import { addTags } from './tags.js';

type Json = Record<string, unknown>;

const GROUPS = Collections.resource('ModelPackageGroup');
const PACKAGES = Collections.resource('ModelPackage');
const APPROVAL = new Set(['Approved', 'Rejected', 'PendingManualApproval']);

function getGroup(context: SageMakerContext, nameOrArn: string): Json {
  const name = nameFromArn(nameOrArn, 'model-package-group');
  // ARNs carry the name lowercased, so a group named by ARN is found case-insensitively.
  const group = findByName<Json>(context, GROUPS, name, 'ModelPackageGroupName');
  // DescribeModelPackageGroup models no ResourceNotFound: SageMaker answers ValidationException.
  if (group === undefined) throw validation(`ModelPackageGroup ${name} does not exist.`);
  return group;
}

function getPackage(context: SageMakerContext, nameOrArn: string): Json {
  const found =
    context.records.get<Json>(PACKAGES, nameOrArn) ??
    context.records.list<Json>(PACKAGES).find((p) => p['ModelPackageName'] === nameOrArn && p['ModelPackageVersion'] === undefined);
  if (found === undefined) throw validation(`ModelPackage ${nameOrArn} does not exist.`);
  return found;
}

function approvalOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !APPROVAL.has(value)) {
    throw validation(`1 validation error detected: Value '${String(value)}' at 'modelApprovalStatus' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected, PendingManualApproval]`);
  }
  return value;
}

function sortAndPage(items: Json[], input: Input, nameKey: string): { items: Json[]; nextToken?: string } {
  const byName = input['SortBy'] === 'Name';
  const descending = input['SortOrder'] === 'Descending';
  items.sort((a, b) => {
    const order = byName
      ? String(a[nameKey]).localeCompare(String(b[nameKey])) || Number(a['ModelPackageVersion'] ?? 0) - Number(b['ModelPackageVersion'] ?? 0)
      : Number(a['CreationTime']) - Number(b['CreationTime']) || Number(a['ModelPackageVersion'] ?? 0) - Number(b['ModelPackageVersion'] ?? 0);
    return descending ? -order : order;
  });
  return paginate(items, input['NextToken'], input['MaxResults'], 10);
}

function createdBetween(input: Input): (item: Json) => boolean {
  const after = inputSeconds(input['CreationTimeAfter']);
  const before = inputSeconds(input['CreationTimeBefore']);
  return (item) => (after === undefined || Number(item['CreationTime']) > after) && (before === undefined || Number(item['CreationTime']) < before);
}

export const registryOperations: Record<string, Operation> = {
  CreateModelPackageGroup(input, context) {
    const name = requireString(input, 'ModelPackageGroupName');
    if (findByName(context, GROUPS, name, 'ModelPackageGroupName') !== undefined) {
      throw validation(`Model Package Group already exists: ${sagemakerArn(context.region, 'model-package-group', name)}`);
    }
    const group: Json = {
      ModelPackageGroupName: name,
      ModelPackageGroupArn: sagemakerArn(context.region, 'model-package-group', name),
      ModelPackageGroupDescription: input['ModelPackageGroupDescription'],
      CreationTime: nowSeconds(context),
      CreatedBy: {},
      ModelPackageGroupStatus: 'Completed',
    };
    context.records.put(GROUPS, name, group);
    if (input['Tags'] !== undefined) addTags(context, String(group['ModelPackageGroupArn']), input['Tags']);
    return { ModelPackageGroupArn: group['ModelPackageGroupArn'] };
  },

  DescribeModelPackageGroup: (input, context) => getGroup(context, requireString(input, 'ModelPackageGroupName')),

  ListModelPackageGroups(input, context) {
    const contains = typeof input['NameContains'] === 'string' ? input['NameContains'] : '';
    const groups = context.records
      .list<Json>(GROUPS)
      .filter((g) => String(g['ModelPackageGroupName']).includes(contains))
      .filter(createdBetween(input));
    const page = sortAndPage(groups, input, 'ModelPackageGroupName');
    return { ModelPackageGroupSummaryList: page.items, NextToken: page.nextToken };
  },

  CreateModelPackage(input, context) {
    const groupInput = input['ModelPackageGroupName'];
    const approval = approvalOf(input['ModelApprovalStatus']);
    const now = nowSeconds(context);
    let pkg: Json;
    if (typeof groupInput === 'string' && groupInput !== '') {
      const group = getGroup(context, groupInput);
      const groupName = String(group['ModelPackageGroupName']);
      const versions = context.records.list<Json>(PACKAGES).filter((p) => p['ModelPackageGroupName'] === groupName);
      const version = versions.reduce((max, p) => Math.max(max, Number(p['ModelPackageVersion'] ?? 0)), 0) + 1;
      pkg = {
        ModelPackageName: groupName,
        ModelPackageGroupName: groupName,
        ModelPackageVersion: version,
        ModelPackageArn: sagemakerArn(context.region, 'model-package', `${groupName}/${version}`),
        // A versioned package needs an approval status; SageMaker defaults it to PendingManualApproval.
        ModelApprovalStatus: approval ?? 'PendingManualApproval',
      };
    } else {
      const name = requireString(input, 'ModelPackageName');
      pkg = { ModelPackageName: name, ModelPackageArn: sagemakerArn(context.region, 'model-package', name), ModelApprovalStatus: approval };
      if (context.records.get(PACKAGES, String(pkg['ModelPackageArn'])) !== undefined) {
        throw new ServiceError('ConflictException', `Model package ${name} already exists.`);
      }
    }
    for (const member of [
      'ModelPackageDescription',
      'InferenceSpecification',
      'ValidationSpecification',
      'SourceAlgorithmSpecification',
      'CertifyForMarketplace',
      'MetadataProperties',
      'ModelMetrics',
      'Domain',
      'Task',
      'SamplePayloadUrl',
      'CustomerMetadataProperties',
      'DriftCheckBaselines',
      'AdditionalInferenceSpecifications',
      'SkipModelValidation',
      'SourceUri',
    ]) {
      if (input[member] !== undefined) pkg[member] = input[member];
    }
    Object.assign(pkg, {
      CreationTime: now,
      LastModifiedTime: now,
      ModelPackageStatus: 'Completed',
      ModelPackageStatusDetails: { ValidationStatuses: [], ImageScanStatuses: [] },
      CreatedBy: {},
    });
    context.records.put(PACKAGES, String(pkg['ModelPackageArn']), pkg);
    if (input['Tags'] !== undefined) addTags(context, String(pkg['ModelPackageArn']), input['Tags']);
    return { ModelPackageArn: pkg['ModelPackageArn'] };
  },

  DescribeModelPackage: (input, context) => getPackage(context, requireString(input, 'ModelPackageName')),

  ListModelPackages(input, context) {
    const groupInput = typeof input['ModelPackageGroupName'] === 'string' ? input['ModelPackageGroupName'] : undefined;
    const group = groupInput === undefined ? undefined : nameFromArn(groupInput, 'model-package-group').toLowerCase();
    const approval = approvalOf(input['ModelApprovalStatus']);
    const contains = typeof input['NameContains'] === 'string' ? input['NameContains'] : '';
    // SageMaker's default type is Unversioned, but a group filter asks for that group's versions.
    const type = typeof input['ModelPackageType'] === 'string' ? input['ModelPackageType'] : group !== undefined ? 'Versioned' : 'Unversioned';
    const packages = context.records
      .list<Json>(PACKAGES)
      .filter((p) => group === undefined || String(p['ModelPackageGroupName']).toLowerCase() === group)
      .filter((p) => approval === undefined || p['ModelApprovalStatus'] === approval)
      .filter((p) => String(p['ModelPackageName'] ?? '').includes(contains))
      .filter((p) => type === 'Both' || (type === 'Versioned') === (p['ModelPackageVersion'] !== undefined))
      .filter(createdBetween(input));
    const page = sortAndPage(packages, input, 'ModelPackageName');
    return {
      ModelPackageSummaryList: page.items.map((p) => ({
        ModelPackageName: p['ModelPackageName'],
        ModelPackageGroupName: p['ModelPackageGroupName'],
        ModelPackageVersion: p['ModelPackageVersion'],
        ModelPackageArn: p['ModelPackageArn'],
        ModelPackageDescription: p['ModelPackageDescription'],
        CreationTime: p['CreationTime'],
        ModelPackageStatus: p['ModelPackageStatus'],
        ModelApprovalStatus: p['ModelApprovalStatus'],
      })),
      NextToken: page.nextToken,
    };
  },

  UpdateModelPackage(input, context) {
    const arn = requireString(input, 'ModelPackageArn');
    const pkg = getPackage(context, arn);
    const approval = approvalOf(input['ModelApprovalStatus']);
    if (approval !== undefined) pkg['ModelApprovalStatus'] = approval;
    if (typeof input['ApprovalDescription'] === 'string') pkg['ApprovalDescription'] = input['ApprovalDescription'];
    const metadata = { ...((pkg['CustomerMetadataProperties'] as Json | undefined) ?? {}), ...((input['CustomerMetadataProperties'] as Json | undefined) ?? {}) };
    for (const key of (input['CustomerMetadataPropertiesToRemove'] as string[] | undefined) ?? []) delete metadata[key];
    if (Object.keys(metadata).length > 0) pkg['CustomerMetadataProperties'] = metadata;
    else delete pkg['CustomerMetadataProperties'];
    if (input['InferenceSpecification'] !== undefined) pkg['InferenceSpecification'] = input['InferenceSpecification'];
    if (input['SourceUri'] !== undefined) pkg['SourceUri'] = input['SourceUri'];
    pkg['LastModifiedTime'] = nowSeconds(context);
    pkg['LastModifiedBy'] = {};
    context.records.put(PACKAGES, String(pkg['ModelPackageArn']), pkg);
    return { ModelPackageArn: pkg['ModelPackageArn'] };
  },
};
