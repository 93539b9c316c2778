/**
 * CreateModel / DescribeModel / DeleteModel and CreateEndpointConfig / DescribeEndpointConfig /
 * DeleteEndpointConfig. SageMaker signals "not found" for these only through a
 * ValidationException whose message says "Could not find …"; the same is done here so the
 * kit's classifier is exercised exactly as against AWS.
 */
import { sagemakerArn } from '../arns.js';
import { requireString, validation } from '../service-error.js';
import { Collections, findByName, nowSeconds, type Operation, type SageMakerContext } from './context.js';
import { addTags, dropTags } from './tags.js';

type Json = Record<string, unknown>;

const MODELS = Collections.resource('Model');

/** A model by name, or SageMaker's ValidationException "Could not find model". */
export function getModel(context: SageMakerContext, name: string): Json {
  const model = findByName<Json>(context, MODELS, name, 'ModelName');
  if (model === undefined) throw validation(`Could not find model "${sagemakerArn(context.region, 'model', name)}".`);
  return model;
}

/** An endpoint config by name, or SageMaker's ValidationException "Could not find endpoint configuration". */
export function getEndpointConfig(context: SageMakerContext, name: string): Json {
  const config = findByName<Json>(context, Collections.endpointConfigs, name, 'EndpointConfigName');
  if (config === undefined) throw validation(`Could not find endpoint configuration "${sagemakerArn(context.region, 'endpoint-config', name)}".`);
  return config;
}

function copyMembers(input: Json, target: Json, members: string[]): void {
  for (const member of members) if (input[member] !== undefined) target[member] = input[member];
}

export const modelOperations: Record<string, Operation> = {
  CreateModel(input, context) {
    const name = requireString(input, 'ModelName');
    const arn = sagemakerArn(context.region, 'model', name);
    if (findByName(context, MODELS, name, 'ModelName') !== undefined) throw validation(`Cannot create already existing model "${arn}".`);
    if (input['PrimaryContainer'] === undefined && input['Containers'] === undefined) {
      throw validation('Either PrimaryContainer or Containers must be specified.');
    }
    const model: Json = { ModelName: name, ModelArn: arn, CreationTime: nowSeconds(context) };
    copyMembers(input, model, ['PrimaryContainer', 'Containers', 'InferenceExecutionConfig', 'ExecutionRoleArn', 'VpcConfig', 'EnableNetworkIsolation']);
    context.records.put(MODELS, name, model);
    if (input['Tags'] !== undefined) addTags(context, arn, input['Tags']);
    return { ModelArn: arn };
  },

  DescribeModel: (input, context) => getModel(context, requireString(input, 'ModelName')),

  DeleteModel(input, context) {
    const model = getModel(context, requireString(input, 'ModelName'));
    context.records.delete(MODELS, String(model['ModelName']));
    dropTags(context, String(model['ModelArn']));
    return {};
  },

  CreateEndpointConfig(input, context) {
    const name = requireString(input, 'EndpointConfigName');
    const arn = sagemakerArn(context.region, 'endpoint-config', name);
    if (findByName(context, Collections.endpointConfigs, name, 'EndpointConfigName') !== undefined) {
      throw validation(`Cannot create already existing endpoint configuration "${arn}".`);
    }
    const variants = input['ProductionVariants'];
    if (!Array.isArray(variants) || variants.length === 0) throw validation('ProductionVariants must contain at least one variant.');
    for (const variant of variants as Json[]) {
      if (typeof variant['VariantName'] !== 'string') throw validation('Every production variant needs a VariantName.');
      // SageMaker checks the models exist when the config is created, not when it is deployed.
      if (typeof variant['ModelName'] === 'string') getModel(context, variant['ModelName']);
    }
    const capture = input['DataCaptureConfig'] as Json | undefined;
    if (capture !== undefined && typeof capture['DestinationS3Uri'] !== 'string') {
      throw validation('DataCaptureConfig.DestinationS3Uri is required.');
    }
    const config: Json = { EndpointConfigName: name, EndpointConfigArn: arn, ProductionVariants: variants, CreationTime: nowSeconds(context) };
    copyMembers(input, config, [
      'DataCaptureConfig',
      'KmsKeyId',
      'AsyncInferenceConfig',
      'ExplainerConfig',
      'ShadowProductionVariants',
      'ExecutionRoleArn',
      'VpcConfig',
      'EnableNetworkIsolation',
    ]);
    context.records.put(Collections.endpointConfigs, name, config);
    if (input['Tags'] !== undefined) addTags(context, arn, input['Tags']);
    return { EndpointConfigArn: arn };
  },

  DescribeEndpointConfig: (input, context) => getEndpointConfig(context, requireString(input, 'EndpointConfigName')),

  DeleteEndpointConfig(input, context) {
    const config = getEndpointConfig(context, requireString(input, 'EndpointConfigName'));
    context.records.delete(Collections.endpointConfigs, String(config['EndpointConfigName']));
    dropTags(context, String(config['EndpointConfigArn']));
    return {};
  },
};
