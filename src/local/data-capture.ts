/**
 * Endpoint data capture: what SageMaker writes to DataCaptureConfig.DestinationS3Uri for each
 * sampled invocation — JSON Lines records under <dest>/<endpoint>/<variant>/yyyy/mm/dd/hh/ —
 * so the monitoring flow (data-quality baselines and schedules) has real captured traffic to
 * read locally.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { header } from './http-types.js';
import type { ObjectStore } from './object-store.js';
import type { RecordStore } from './record-store.js';
import type { InvocationObserver } from './runtime-service.js';
import { Collections } from './sagemaker/context.js';

export interface CaptureConfig {
  EnableCapture?: boolean;
  InitialSamplingPercentage?: number;
  DestinationS3Uri?: string;
  CaptureOptions?: { CaptureMode?: string }[];
  CaptureContentTypeHeader?: { CsvContentTypes?: string[]; JsonContentTypes?: string[] };
}

export interface CapturedInvocation {
  endpointName: string;
  variantName: string;
  inputContentType: string;
  input: Buffer;
  outputContentType: string;
  output: Buffer;
  /** Epoch milliseconds. */
  at: number;
}

function encodingOf(contentType: string, headers: CaptureConfig['CaptureContentTypeHeader']): 'CSV' | 'JSON' | 'BASE64' {
  const type = contentType.split(';')[0]?.trim() ?? '';
  if ((headers?.CsvContentTypes ?? ['text/csv']).includes(type)) return 'CSV';
  if ((headers?.JsonContentTypes ?? ['application/json']).includes(type)) return 'JSON';
  return 'BASE64';
}

function side(contentType: string, data: Buffer, mode: 'INPUT' | 'OUTPUT', headers: CaptureConfig['CaptureContentTypeHeader']): Record<string, string> {
  const encoding = encodingOf(contentType, headers);
  return { observedContentType: contentType, mode, data: encoding === 'BASE64' ? data.toString('base64') : data.toString('utf8'), encoding };
}

/**
 * Decides sampling deterministically: invocation n (0-based) is captured when the running
 * count of percentage crosses a whole number, so 20 % captures exactly every fifth call.
 */
export function sampled(invocationIndex: number, percentage: number): boolean {
  return Math.floor(((invocationIndex + 1) * percentage) / 100) > Math.floor((invocationIndex * percentage) / 100);
}

/** Writes the capture record of one invocation; returns the S3 key written, or undefined when not captured. */
export function captureInvocation(objects: ObjectStore, config: CaptureConfig | undefined, invocationIndex: number, call: CapturedInvocation): string | undefined {
  if (config === undefined || config.EnableCapture === false || config.DestinationS3Uri === undefined) return undefined;
  if (!sampled(invocationIndex, config.InitialSamplingPercentage ?? 100)) return undefined;
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(config.DestinationS3Uri);
  if (match?.[1] === undefined) return undefined;
  const modes = new Set((config.CaptureOptions ?? [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }]).map((o) => o.CaptureMode));
  const captureData: Record<string, unknown> = {};
  if (modes.has('Input')) captureData['endpointInput'] = side(call.inputContentType, call.input, 'INPUT', config.CaptureContentTypeHeader);
  if (modes.has('Output')) captureData['endpointOutput'] = side(call.outputContentType, call.output, 'OUTPUT', config.CaptureContentTypeHeader);
  const eventId = randomUUID();
  const time = new Date(call.at);
  const iso = time.toISOString();
  const record = { captureData, eventMetadata: { eventId, inferenceTime: `${iso.slice(0, 19)}Z` }, eventVersion: '0' };
  const prefix = match[2]?.replace(/\/$/, '') ?? '';
  const hourPath = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}`;
  const file = `${iso.slice(14, 16)}-${iso.slice(17, 19)}-${iso.slice(20, 23)}-${eventId}.jsonl`;
  const key = [prefix, call.endpointName, call.variantName, hourPath, file].filter((p) => p !== '').join('/');
  const bucket = match[1];
  if (!objects.bucketExists(bucket)) objects.createBucket(bucket);
  objects.putObject(bucket, key, Buffer.from(`${JSON.stringify(record)}\n`), { contentType: 'application/jsonlines' });
  return key;
}

/** The InvokeEndpoint observer that captures sampled traffic per the endpoint's current config. */
export function createCaptureObserver(records: RecordStore, objects: ObjectStore, clock: Clock): InvocationObserver {
  // Per-endpoint invocation counts drive the sampling; in memory, so a restart only restarts
  // the sampling pattern.
  const invocationCounts = new Map<string, number>();
  return (endpoint, variant, request, result) => {
    const name = String(endpoint['EndpointName']);
    const index = invocationCounts.get(name) ?? 0;
    invocationCounts.set(name, index + 1);
    const config = records.get<{ DataCaptureConfig?: CaptureConfig }>(Collections.endpointConfigs, String(endpoint['EndpointConfigName']));
    captureInvocation(objects, config?.DataCaptureConfig, index, {
      endpointName: name,
      variantName: variant,
      inputContentType: header(request, 'content-type') ?? 'application/octet-stream',
      input: request.body,
      outputContentType: result.contentType,
      output: Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body),
      at: clock.now(),
    });
  };
}
