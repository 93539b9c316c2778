/** AddTags / ListTags, and the tag bookkeeping of every Create* call that accepts Tags. */
import { paginate } from '../pagination.js';
import { requireString, ServiceError, validation } from '../service-error.js';
import { Collections, type Input, type Operation, type SageMakerContext } from './context.js';

export interface Tag {
  Key: string;
  Value: string;
}

function asTags(value: unknown): Tag[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw validation('Tags must be a list');
  return value.map((t: unknown) => {
    const tag = t as Partial<Tag>;
    if (typeof tag.Key !== 'string' || tag.Key === '') throw validation('Tag keys must be non-empty strings');
    return { Key: tag.Key, Value: typeof tag.Value === 'string' ? tag.Value : '' };
  });
}

/** Merges tags into a resource's tag set (same key → new value), as AddTags does. */
export function addTags(context: SageMakerContext, arn: string, tags: unknown): Tag[] {
  const current = context.records.get<Tag[]>(Collections.tags, arn) ?? [];
  for (const tag of asTags(tags)) {
    const at = current.findIndex((t) => t.Key === tag.Key);
    if (at >= 0) current[at] = tag;
    else current.push(tag);
  }
  // SageMaker's per-resource tag limit.
  if (current.length > 50) throw new ServiceError('ResourceLimitExceeded', `Resource ${arn} would have more than 50 tags`);
  context.records.put(Collections.tags, arn, current);
  return current;
}

/** Forgets a deleted resource's tags. */
export function dropTags(context: SageMakerContext, arn: string): void {
  context.records.delete(Collections.tags, arn);
}

export const tagOperations: Record<string, Operation> = {
  AddTags(input: Input, context) {
    const arn = requireString(input, 'ResourceArn');
    return { Tags: addTags(context, arn, input['Tags'] ?? []) };
  },
  ListTags(input: Input, context) {
    const arn = requireString(input, 'ResourceArn');
    const tags = context.records.get<Tag[]>(Collections.tags, arn) ?? [];
    const page = paginate(tags, input['NextToken'], input['MaxResults'], 50, 1000);
    return { Tags: page.items, ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }) };
  },
};
