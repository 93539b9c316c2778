/**
 * The baseline lifecycle flags of check steps: the top-level keys SageMaker reads to decide which
 * baseline a QualityCheck or ClarifyCheck step compares against and whether it registers a new one
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines-quality-clarify-baseline-lifecycle.html).
 */
import { childPointer } from '../../spec/source-map.js';
import type { EmitContext, JsonObject, Pointer } from '../types.js';

type Value = unknown;

export interface CheckFlagsSpec {
  modelPackageGroup?: Value;
  skipCheck?: Value;
  failOnViolation?: Value;
  registerNewBaseline?: Value;
  suppliedBaselineStatistics?: Value;
  suppliedBaselineConstraints?: Value;
}

/**
 * The flags in the order of the SDK's `to_request`. Unset optional members are written as `null`,
 * exactly as the SDK serializes its `None` defaults; SageMaker reads null as "not supplied".
 * `withStatistics` is false for clarify checks, which have no statistics baseline.
 */
export function checkFlags(spec: CheckFlagsSpec, ctx: EmitContext, pointer: Pointer, withStatistics: boolean): JsonObject {
  const value = (key: keyof CheckFlagsSpec, fallback: boolean | null) =>
    spec[key] === undefined ? fallback : ctx.expr(spec[key], childPointer(pointer, key));
  const flags: JsonObject = {
    ModelPackageGroupName: value('modelPackageGroup', null),
    SkipCheck: value('skipCheck', false),
    FailOnViolation: value('failOnViolation', true),
    RegisterNewBaseline: value('registerNewBaseline', false),
  };
  if (withStatistics) flags.SuppliedBaselineStatistics = value('suppliedBaselineStatistics', null);
  flags.SuppliedBaselineConstraints = value('suppliedBaselineConstraints', null);
  return flags;
}
