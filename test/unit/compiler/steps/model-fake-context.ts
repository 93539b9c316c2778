/**
 * A small EmitContext for unit tests of the transform, model, register-model, condition, fail,
 * lambda and callback emitters: expressions convert the way the definition spells them (Get, Join,
 * JsonGet on a property file), images pass through, assets get predictable URIs, and diagnostics
 * are collected.
 */
import { SourceMap } from '../../../../src/spec/source-map.js';
import type { EmitContext, JsonValue } from '../../../../src/compiler/types.js';

export interface Collected {
  readonly errors: { pointer: string; message: string }[];
  readonly warnings: { pointer: string; message: string }[];
  readonly assets: { path: string; kind: string; prefix: string }[];
  readonly generated: { fileName: string; body: Uint8Array; prefix: string }[];
  /** Pointers `expr` was called with, in order, to check that values are located precisely. */
  readonly exprPointers: string[];
}

/** Converts spec expressions the way the compiler spells them in the definition. */
function expr(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(expr);
  if (value !== null && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.get === 'string') return { Get: v.get };
    if (v.join !== undefined) {
      const join = v.join as { on?: string; values: unknown[] };
      return { 'Std:Join': { On: join.on ?? '', Values: join.values.map(expr) } };
    }
    if (v.jsonGet !== undefined) {
      const j = v.jsonGet as { propertyFile: string; path: string };
      const [step, file] = j.propertyFile.split('.');
      return { 'Std:JsonGet': { PropertyFile: { Get: `Steps.${step}.PropertyFiles.${file}` }, Path: j.path } };
    }
    return Object.fromEntries(Object.entries(v).map(([key, member]) => [key, expr(member)]));
  }
  return value as JsonValue;
}

/** A context for region us-west-2, bucket `my-bucket`, pipeline `MyPipeline`. */
export function fakeContext(overrides: Partial<Pick<EmitContext, 'region' | 'bucketPrefix'>> = {}): EmitContext & Collected {
  const collected: Collected = { errors: [], warnings: [], assets: [], generated: [], exprPointers: [] };
  return {
    ...collected,
    pipelineName: 'MyPipeline',
    region: overrides.region ?? 'us-west-2',
    bucket: 'my-bucket',
    bucketPrefix: overrides.bucketPrefix,
    roleArn: 'arn:aws:iam::123456789012:role/PipelineRole',
    sourceMap: new SourceMap('spec.yaml'),
    expr(value, pointer) {
      collected.exprPointers.push(pointer);
      return expr(value);
    },
    asset(path, _pointer, options) {
      collected.assets.push({ path, kind: options.kind, prefix: options.prefix });
      return `s3://my-bucket/${options.prefix}/HASH/${options.fileName ?? 'sourcedir.tar.gz'}`;
    },
    generatedAsset(fileName, body, options) {
      collected.generated.push({ fileName, body, prefix: options.prefix });
      return `s3://my-bucket/${options.prefix}/GENERATED/${fileName}`;
    },
    image(value) {
      if (value !== null && typeof value === 'object' && 'framework' in value) return 'resolved-image';
      return expr(value) ?? null;
    },
    definitionStepName: (name) => name,
    error(pointer, message) {
      collected.errors.push({ pointer, message });
    },
    warning(pointer, message) {
      collected.warnings.push({ pointer, message });
    },
  };
}
