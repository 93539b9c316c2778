/**
 * The inference container of a model (the SDK's `Model.prepare_container_def` → `container_def`):
 * Image, Environment (always present, `{}` when empty), ModelDataUrl. Shared by the `model` and
 * `register-model` steps, which both go through it in the SDK.
 */
import { posix } from 'node:path';
import { childPointer } from '../../spec/source-map.js';
import type { Model } from '../../spec/types.generated.js';
import type { EmitContext, JsonObject, JsonValue, Pointer } from '../types.js';
import { stringMap } from './common.js';

/** Where the repacked archive keeps the inference code, as `Model._script_mode_env_vars` says. */
export const REPACKED_CODE_DIR = '/opt/ml/model/code';

/** True when the model carries inference code that must be repacked into its archive. */
export function needsRepack(model: Model): boolean {
  return model.entryPoint !== undefined && model.sourceDir !== undefined;
}

/**
 * Builds the container definition. `repackedModelData` is the repack step's artifacts property
 * when the model has inference code; the env then gains the script-mode variables in the SDK's
 * order (SAGEMAKER_PROGRAM, SAGEMAKER_SUBMIT_DIRECTORY, SAGEMAKER_CONTAINER_LOG_LEVEL, SAGEMAKER_REGION).
 */
export function containerDefinition(
  model: Model,
  ctx: EmitContext,
  pointer: Pointer,
  options: { instanceType: unknown; repackedModelData?: JsonValue },
): JsonObject {
  const at = (key: string): Pointer => childPointer(pointer, key);
  const image = ctx.image(model.image, at('image'), { instanceType: options.instanceType, scope: 'inference' });
  const env = stringMap(model.env, ctx, at('env')) ?? {};
  if (model.entryPoint !== undefined && options.repackedModelData !== undefined) {
    env.SAGEMAKER_PROGRAM = posix.basename(model.entryPoint);
    env.SAGEMAKER_SUBMIT_DIRECTORY = REPACKED_CODE_DIR;
    // logging.INFO, the SDK's default container_log_level, written as a string.
    env.SAGEMAKER_CONTAINER_LOG_LEVEL = '20';
    env.SAGEMAKER_REGION = ctx.region;
  }
  const container: JsonObject = { Image: image ?? null, Environment: env };
  if (options.repackedModelData !== undefined) container.ModelDataUrl = options.repackedModelData;
  else if (model.modelData !== undefined) container.ModelDataUrl = ctx.expr(model.modelData, at('modelData'));
  return container;
}
