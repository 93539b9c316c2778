/**
 * A small EmitContext for unit tests of the check and EMR emitters: expressions convert the way
 * the definition spells them, assets get predictable URIs, and diagnostics are collected.
 */
import { SourceMap } from '../../../../src/spec/source-map.js';
import type { EmitContext, JsonObject, JsonValue } from '../../../../src/compiler/types.js';

export interface FakeContext extends EmitContext {
  readonly errors: { pointer: string; message: string }[];
  readonly assets: { path: string; prefix: string; fileName: string | undefined }[];
  readonly generated: { fileName: string; text: string; prefix: string }[];
}

/** A context for region us-west-2 (the SDK unit tests' region), bucket `my-bucket`. */
export function fakeContext(overrides: Partial<Pick<EmitContext, 'region' | 'bucketPrefix'>> = {}): FakeContext {
  const errors: FakeContext['errors'] = [];
  const assets: FakeContext['assets'] = [];
  const generated: FakeContext['generated'] = [];
  const expr = (value: unknown): JsonValue => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      if (typeof v.get === 'string') return { Get: v.get };
      if (v.join !== undefined) {
        const join = v.join as { on?: string; values: unknown[] };
        return { 'Std:Join': { On: join.on ?? '', Values: join.values.map(expr) } };
      }
      // Like the real converter: plain mappings convert member by member.
      return Object.fromEntries(Object.entries(v).map(([key, member]) => [key, expr(member)]));
    }
    if (Array.isArray(value)) return value.map(expr);
    return value as JsonValue;
  };
  return {
    pipelineName: 'MyPipeline',
    region: overrides.region ?? 'us-west-2',
    bucket: 'my-bucket',
    bucketPrefix: overrides.bucketPrefix,
    roleArn: 'arn:aws:iam::123456789012:role/PipelineRole',
    sourceMap: new SourceMap('spec.yaml'),
    errors,
    assets,
    generated,
    expr,
    asset(path, _pointer, options) {
      assets.push({ path, prefix: options.prefix, fileName: options.fileName });
      return `s3://my-bucket/${options.prefix}/HASH/${options.fileName ?? path.split('/').pop()}`;
    },
    generatedAsset(fileName, body, options) {
      generated.push({ fileName, text: new TextDecoder().decode(body), prefix: options.prefix });
      return `s3://my-bucket/${options.prefix}/HASH/${fileName}`;
    },
    image() {
      throw new Error('check emitters resolve their own images');
    },
    definitionStepName: (name) => name,
    error(pointer, message) {
      errors.push({ pointer, message });
    },
    warning() {},
  };
}

/** Deep copy without `undefined` members, so `toStrictEqual` compares what JSON would carry. */
export function json(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}
