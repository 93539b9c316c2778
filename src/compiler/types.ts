/**
 * Types shared by the compiler's phases and its step emitters. The compiler is pure: everything
 * it may read (file bytes of code assets, the region, the bucket, the role) arrives through
 * `CompileInput`; nothing here touches the clock, randomness, the network or absolute paths.
 */
import type { Diagnostic } from '../spec/diagnostics.js';
import type { SourceMap } from '../spec/source-map.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One step as it appears in the definition's `Steps` array (or inside a condition's branches). */
export interface StepDefinition {
  Name: string;
  Type: string;
  Arguments: JsonObject;
  DependsOn?: string[];
  DisplayName?: string;
  Description?: string;
  CacheConfig?: { Enabled: boolean; ExpireAfter?: string };
  RetryPolicies?: JsonObject[];
  PropertyFiles?: { PropertyFileName: string; OutputName: string; FilePath: string }[];
  /** Step types with extra top-level keys (Callback `SqsQueueUrl`/`OutputParameters`, Lambda `FunctionArn`/`OutputParameters`, checks…). */
  [extra: string]: JsonValue | undefined;
}

/** Read-only view of the repository's files, rooted at the repository; paths are POSIX, relative. */
export interface SourceFiles {
  /** Bytes of a file, or undefined when it does not exist or is not a regular file. */
  readFile(relativePath: string): Uint8Array | undefined;
  /** Entries of a directory (names only, unsorted), or undefined when it is not a directory. */
  listDirectory(relativePath: string): { name: string; kind: 'file' | 'directory' }[] | undefined;
}

/** A local file or directory the pipeline needs in S3 before it starts. */
export interface Asset {
  /** Repository-relative POSIX path of the source file or directory. */
  source: string;
  /** `file` uploads the bytes as-is; `directory` uploads a deterministic `sourcedir.tar.gz`. */
  kind: 'file' | 'directory';
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: string;
  bucket: string;
  key: string;
  /** `s3://bucket/key`, as written into the definition. */
  s3Uri: string;
  /** Size of the uploaded bytes. */
  size: number;
  /** The bytes to upload (kept so staging does not re-read or re-pack). */
  body: Uint8Array;
}

export interface CompileOptions {
  /** AWS region the definition is for (image URIs depend on it). */
  region: string;
  /** Overrides the spec's `pipeline.bucket`. */
  bucket?: string;
  /** Overrides the spec's `pipeline.roleArn`. */
  roleArn?: string;
  /** Parameter default overrides (`--param K=V`), checked against the parameter's type. */
  parameterDefaults?: Record<string, string>;
  /**
   * Overrides the spec's `pipeline.name` (`--pipeline-name`), e.g. a PR-scoped copy
   * `abalone-pr-42` that must not touch the production pipeline; `{name}` stands for the spec's
   * name (`{name}-pr-42`). Checked like the spec's.
   */
  pipelineName?: string;
}

export interface CompileResult {
  /** The definition object; undefined when compilation failed. */
  definition?: JsonObject;
  /** Canonical JSON text of the definition (what is sent to SageMaker). */
  definitionJson?: string;
  /** Code and data the definition points at, to be uploaded before the pipeline is upserted. */
  assets: Asset[];
  /** True when the definition exceeds the inline limit and must go through PipelineDefinitionS3Location. */
  requiresS3Upload: boolean;
  /** Resolved pipeline-level settings the lifecycle commands need. */
  pipeline?: {
    name: string;
    displayName?: string;
    description?: string;
    roleArn: string;
    bucket: string;
    bucketPrefix?: string;
    tags: Record<string, string>;
    parallelism?: number;
  };
  diagnostics: Diagnostic[];
}

/** Where a value in the spec sits: a JSON pointer, mapped back to file positions by the source map. */
export type Pointer = string;

/**
 * What a step emitter may use. Emitters never build `Get`/`Join` JSON by hand for user values:
 * `expr` converts spec values (literals or expressions) and records the references it saw.
 */
export interface EmitContext {
  readonly pipelineName: string;
  readonly region: string;
  readonly bucket: string;
  readonly bucketPrefix: string | undefined;
  readonly roleArn: string;
  readonly sourceMap: SourceMap;
  /** Converts a spec value (literal, `get`, `output`, `jsonGet`, `join`, `topModel`) to definition JSON. */
  expr(value: unknown, pointer: Pointer): JsonValue;
  /** Registers a local file or directory (relative to the spec file) as an asset; returns its S3 URI. */
  asset(path: string, pointer: Pointer, options: { kind: 'file' | 'directory'; prefix: string; fileName?: string; archive?: boolean; contains?: string }): string | undefined;
  /** Registers bytes the compiler generated (clarify's analysis_config.json) as a content-hashed asset `<prefix>/<hash>/<fileName>`; returns its S3 URI. */
  generatedAsset(fileName: string, body: Uint8Array, options: { prefix: string }): string;
  /** Resolves an `image` value (URI string, expression or framework/version object). */
  image(value: unknown, pointer: Pointer, hints: { instanceType: unknown; scope: 'training' | 'inference' }): JsonValue | undefined;
  /** Declared type of a pipeline parameter (`String`, `Integer`, `Float`, `Boolean`); the SDK's `to_string()` depends on it. */
  parameterType?(name: string): string | undefined;
  /** Name the definition uses for a spec step (step collections rename: `Register` → `Register-RegisterModel`). */
  definitionStepName(specStepName: string): string;
  /** Reports a problem at a spec location; `code` is the diagnostic's stable code (default `step`). */
  error(pointer: Pointer, message: string, hint?: string, code?: string): void;
  warning(pointer: Pointer, message: string, hint?: string, code?: string): void;
}

/** Compiles one spec step (of one `type`) into one or more definition steps. */
export interface StepEmitter<TStep = Record<string, unknown>> {
  /** The spec's `type` value this emitter handles. */
  readonly type: string;
  /** The definition `Type` string(s) it produces, for documentation and property checks. */
  readonly definitionType: string;
  /** botocore shape whose members are this step's properties (e.g. `DescribeProcessingJobResponse`). */
  readonly propertiesShape: string | undefined;
  /**
   * Definition name of the step that represents `specName` for references and DependsOn; step
   * collections return the name of their last step, as the SDK does. Default: `specName`.
   */
  definitionName?(specName: string, step: TStep): string;
  /** Builds the step(s). Common fields (DependsOn, DisplayName, cache, retry) are added by the caller. */
  emit(step: TStep, ctx: EmitContext, pointer: Pointer): StepDefinition[];
}
