/**
 * InvokeEndpoint's bridge to the engine's model server (engine/model-server.ts): finds the
 * model behind the endpoint's variant (TargetVariant, else the first) and runs the request
 * through the model's entry script under the same contract as Transform steps.
 */
import type { ModelServer } from './engine/model-server.js';
import type { JsonObject } from './engine/ports.js';
import type { RecordStore } from './record-store.js';
import type { InferenceHarness } from './runtime-service.js';
import { Collections } from './sagemaker/context.js';

/** An InferenceHarness that serves endpoints with the engine's model server. */
export function createEngineInference(records: RecordStore, server: ModelServer): InferenceHarness {
  return async (request) => {
    const configName = String(request.endpoint['EndpointConfigName'] ?? '');
    const config = records.get<JsonObject>(Collections.endpointConfigs, configName);
    const variants = (config?.['ProductionVariants'] as JsonObject[] | undefined) ?? [];
    const variant = variants.find((v) => v['VariantName'] === request.targetVariant) ?? variants[0];
    const modelName = String(variant?.['ModelName'] ?? '');
    const lower = modelName.toLowerCase();
    const model =
      records.get<JsonObject>(Collections.resource('Model'), modelName) ??
      records.list<JsonObject>(Collections.resource('Model')).find((m) => String(m['ModelName']).toLowerCase() === lower);
    if (model === undefined) {
      return { statusCode: 500, contentType: 'text/plain', body: `Model ${modelName} behind variant ${String(variant?.['VariantName'])} no longer exists.` };
    }
    const result = await server.invoke({
      endpointName: request.endpointName,
      model,
      body: request.body,
      ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
      ...(request.accept === undefined ? {} : { accept: request.accept }),
    });
    return {
      body: Buffer.from(result.body),
      contentType: result.contentType,
      variantName: String(variant?.['VariantName'] ?? 'AllTraffic'),
      ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    };
  };
}
