/**
 * Clarify's analysis configuration (analysis_config.json) for a clarify-check step, built the way
 * the SDK's ClarifyCheckStep `_generate_processing_job_analysis_config` builds it from DataConfig,
 * BiasConfig, ModelConfig, ModelPredictedLabelConfig and SHAPConfig/PDPConfig, key for key and in
 * the same order, so the uploaded file has the SDK's bytes.
 */
import type {
  ClarifyBiasConfig,
  ClarifyCheckStep,
  ClarifyDataConfig,
  ClarifyModelConfig,
  ClarifyPredictedLabelConfig,
} from '../../spec/types.generated.js';
import type { JsonObject, JsonValue } from '../types.js';

/** Builds the analysis configuration; the model name is left out, as the SDK pops it. */
export function analysisConfig(step: ClarifyCheckStep): JsonObject {
  const config = dataConfig(step.dataConfig);
  if (step.checkType === 'data-bias') {
    Object.assign(config, biasConfig(step.biasConfig));
    config.methods = { pre_training_bias: { methods: methodsValue(step.methods) } };
  } else if (step.checkType === 'model-bias') {
    Object.assign(config, biasConfig(step.biasConfig));
    const labels = predictedLabelConfig(step.predictedLabelConfig);
    config.methods = { post_training_bias: { methods: methodsValue(step.methods) } };
    config.predictor = { ...labels.predictor, ...predictorConfig(step.modelConfig) };
    set(config, 'probability_threshold', labels.probabilityThreshold);
  } else {
    const predictor = predictorConfig(step.modelConfig);
    const scores = step.modelScores;
    if (typeof scores === 'object') {
      const labels = predictedLabelConfig(scores);
      set(config, 'probability_threshold', labels.probabilityThreshold);
      Object.assign(predictor, labels.predictor);
    } else {
      set(predictor, 'label', scores);
    }
    config.methods = explainabilityMethods(step);
    config.predictor = predictor;
  }
  // ClarifyCheckStep always asks for the report.
  (config.methods as JsonObject).report = { name: 'report', title: 'Analysis Report' };
  return config;
}

/** DataConfig.get_config(). */
function dataConfig(data: ClarifyDataConfig): JsonObject {
  const config: JsonObject = { dataset_type: data.datasetType ?? 'text/csv' };
  set(config, 'features', data.features);
  set(config, 'headers', data.headers);
  set(config, 'label', data.label);
  set(config, 'joinsource_name_or_index', data.joinsource);
  set(config, 'facet_dataset_uri', data.facetDatasetUri);
  set(config, 'facet_headers', data.facetHeaders);
  set(config, 'predicted_label_dataset_uri', data.predictedLabelDatasetUri);
  set(config, 'predicted_label_headers', data.predictedLabelHeaders);
  set(config, 'predicted_label', data.predictedLabel);
  set(config, 'excluded_columns', data.excludedColumns);
  return config;
}

/** BiasConfig.get_config(): one facet entry per facet name. */
function biasConfig(bias: ClarifyBiasConfig | undefined): JsonObject {
  if (bias === undefined) return {};
  const names = Array.isArray(bias.facetName) ? bias.facetName : [bias.facetName];
  const values = bias.facetValuesOrThreshold as JsonValue[] | undefined;
  const facets = names.map((name, i) => {
    const facet: JsonObject = { name_or_index: name };
    // A single facet takes the whole list; a list of facets takes one entry each.
    set(facet, 'value_or_threshold', Array.isArray(bias.facetName) ? values?.[i] : values);
    return facet;
  });
  const config: JsonObject = { label_values_or_threshold: bias.labelValuesOrThreshold, facet: facets };
  set(config, 'group_variable', bias.groupName);
  return config;
}

/** ModelConfig.get_predictor_config() without `model_name`. */
function predictorConfig(model: ClarifyModelConfig | undefined): JsonObject {
  if (model === undefined) return {};
  const config: JsonObject = { instance_type: model.instanceType, initial_instance_count: model.instanceCount };
  set(config, 'endpoint_name_prefix', model.endpointNamePrefix);
  set(config, 'accept_type', model.acceptType);
  set(config, 'content_type', model.contentType);
  set(config, 'content_template', model.contentTemplate);
  set(config, 'record_template', model.recordTemplate);
  set(config, 'custom_attributes', model.customAttributes);
  set(config, 'accelerator_type', model.acceleratorType);
  set(config, 'target_model', model.targetModel);
  return config;
}

/** ModelPredictedLabelConfig.get_predictor_config(). */
function predictedLabelConfig(labels: ClarifyPredictedLabelConfig | undefined): { probabilityThreshold: number | undefined; predictor: JsonObject } {
  const predictor: JsonObject = {};
  set(predictor, 'label', labels?.label);
  set(predictor, 'probability', labels?.probability);
  set(predictor, 'label_headers', labels?.labelHeaders);
  return { probabilityThreshold: labels?.probabilityThreshold, predictor };
}

/** SHAPConfig or PDPConfig `get_explainability_config()`. */
function explainabilityMethods(step: ClarifyCheckStep): JsonObject {
  if (step.pdpConfig !== undefined) {
    const pdp: JsonObject = { grid_resolution: step.pdpConfig.gridResolution ?? 15, top_k_features: step.pdpConfig.topKFeatures ?? 10 };
    set(pdp, 'features', step.pdpConfig.features);
    return { pdp };
  }
  const shap = step.shapConfig ?? {};
  const config: JsonObject = { use_logit: shap.useLogit ?? false, save_local_shap_values: shap.saveLocalShapValues ?? true };
  set(config, 'baseline', shap.baseline as JsonValue | undefined);
  set(config, 'num_samples', shap.numSamples);
  set(config, 'agg_method', shap.aggMethod);
  set(config, 'seed', shap.seed);
  set(config, 'num_clusters', shap.numClusters);
  set(config, 'features_to_explain', shap.featuresToExplain);
  return { shap: config };
}

function methodsValue(methods: ClarifyCheckStep['methods']): JsonValue {
  return methods ?? 'all';
}

/** The SDK's `_set`: only values that are set become members. */
function set(target: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value !== undefined) target[key] = value;
}
