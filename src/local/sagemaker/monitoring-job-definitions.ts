/**
 * Model Monitor job definitions (Create/Describe/Delete for DataQuality, ModelQuality,
 * ModelBias, ModelExplainability): the release flow creates them before the monitoring
 * schedule that names them. They are recorded, not run. The four kinds share one shape, with
 * the kind as member prefix (DataQualityJobInput, ModelQualityAppSpecification, …).
 */
import { sagemakerArn } from '../arns.js';
import { requireString, resourceNotFound, ServiceError } from '../service-error.js';
import { Collections, findByName, nowSeconds, type Operation } from './context.js';
import { addTags, dropTags } from './tags.js';

type Json = Record<string, unknown>;

const KINDS = {
  DataQuality: 'data-quality-job-definition',
  ModelQuality: 'model-quality-job-definition',
  ModelBias: 'model-bias-job-definition',
  ModelExplainability: 'model-explainability-job-definition',
} as const;

type Kind = keyof typeof KINDS;

function operationsFor(kind: Kind): Record<string, Operation> {
  const collection = Collections.resource(`${kind}JobDefinition`);
  const members = [`${kind}BaselineConfig`, `${kind}AppSpecification`, `${kind}JobInput`, `${kind}JobOutputConfig`, 'JobResources', 'NetworkConfig', 'RoleArn', 'StoppingCondition'];
  return {
    [`Create${kind}JobDefinition`](input, context) {
      const name = requireString(input, 'JobDefinitionName');
      const arn = sagemakerArn(context.region, KINDS[kind], name);
      if (findByName(context, collection, name, 'JobDefinitionName') !== undefined) {
        throw new ServiceError('ResourceInUse', `Job definition with name ${name} already exists.`);
      }
      const definition: Json = { JobDefinitionArn: arn, JobDefinitionName: name, CreationTime: nowSeconds(context) };
      for (const member of members) if (input[member] !== undefined) definition[member] = input[member];
      context.records.put(collection, name, definition);
      if (input['Tags'] !== undefined) addTags(context, arn, input['Tags']);
      return { JobDefinitionArn: arn };
    },
    [`Describe${kind}JobDefinition`](input, context) {
      const name = requireString(input, 'JobDefinitionName');
      const definition = findByName<Json>(context, collection, name, 'JobDefinitionName');
      if (definition === undefined) throw resourceNotFound(`Job definition ${sagemakerArn(context.region, KINDS[kind], name)} does not exist.`);
      return definition;
    },
    [`Delete${kind}JobDefinition`](input, context) {
      const name = requireString(input, 'JobDefinitionName');
      const definition = findByName<Json>(context, collection, name, 'JobDefinitionName');
      if (definition === undefined) throw resourceNotFound(`Job definition ${sagemakerArn(context.region, KINDS[kind], name)} does not exist.`);
      context.records.delete(collection, String(definition['JobDefinitionName']));
      dropTags(context, String(definition['JobDefinitionArn']));
      return {};
    },
  };
}

export const monitoringJobDefinitionOperations: Record<string, Operation> = Object.assign(
  {},
  ...(Object.keys(KINDS) as Kind[]).map((kind) => operationsFor(kind)),
) as Record<string, Operation>;
