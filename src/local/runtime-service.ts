/**
 * sagemaker-runtime InvokeEndpoint (POST /endpoints/<name>/invocations). Inference runs
 * through a harness (by default the engine's model server, see inference.ts). When a backend
 * is started without one, the endpoint answers a ModelError that says inference is not
 * wired, rather than a made-up prediction a smoke test could mistake for a healthy model.
 */
import type { LocalRequest, LocalResponse } from './http-types.js';
import { header } from './http-types.js';
import { LOCAL_ACCOUNT_ID } from './arns.js';
import { ServiceError } from './service-error.js';

export interface InferenceRequest {
  endpointName: string;
  /** The endpoint's Describe body (InService, with its config name and variants). */
  endpoint: Record<string, unknown>;
  body: Buffer;
  contentType: string | undefined;
  accept: string | undefined;
  /** The TargetVariant header, when the caller chose a variant. */
  targetVariant: string | undefined;
}

export interface InferenceResult {
  body: Buffer | string;
  contentType: string;
  /** A 4xx/5xx from the model becomes ModelError with this original status, as SageMaker reports it. */
  statusCode?: number;
  /** The variant that answered (x-Amzn-Invoked-Production-Variant). */
  variantName?: string;
}

/** Serves predictions for an InService endpoint. */
export type InferenceHarness = (request: InferenceRequest) => Promise<InferenceResult>;

export const INFERENCE_NOT_WIRED =
  'Received server error (501) from primary with message "The local backend cannot run inference yet: no local inference harness is wired into it, so this endpoint has no model server.".';

/** The endpoint name of a runtime path, or undefined when the path is not an invocation. */
export function invocationTarget(pathname: string): string | undefined {
  const match = /^\/endpoints\/([^/]+)\/invocations$/.exec(pathname);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Told about each successful invocation (data capture). */
export type InvocationObserver = (endpoint: Record<string, unknown>, variant: string, request: LocalRequest, result: InferenceResult) => void;

/** Handles InvokeEndpoint for `name` against the endpoint lookup and the optional harness. */
export async function handleInvocation(
  request: LocalRequest,
  name: string,
  lookup: (name: string) => Record<string, unknown> | undefined,
  harness: InferenceHarness | undefined,
  observe?: InvocationObserver,
): Promise<LocalResponse> {
  const endpoint = lookup(name);
  if (endpoint === undefined) throw new ServiceError('ValidationError', `Endpoint ${name} of account ${LOCAL_ACCOUNT_ID} not found.`);
  if (endpoint['EndpointStatus'] !== 'InService') {
    throw new ServiceError('ValidationError', `Endpoint ${name} of account ${LOCAL_ACCOUNT_ID} is not in service (status ${String(endpoint['EndpointStatus'])}).`);
  }
  if (harness === undefined) throw new ServiceError('ModelError', INFERENCE_NOT_WIRED, 424);
  const result = await harness({
    endpointName: name,
    endpoint,
    body: request.body,
    contentType: header(request, 'content-type'),
    accept: header(request, 'accept'),
    targetVariant: header(request, 'x-amzn-sagemaker-target-variant'),
  });
  const variants = endpoint['ProductionVariants'] as { VariantName?: string }[] | undefined;
  const variant = result.variantName ?? variants?.[0]?.VariantName ?? 'AllTraffic';
  if (result.statusCode !== undefined && result.statusCode >= 400) {
    // SageMaker's wording: the model container's own status is reported inside a 424 ModelError.
    const kind = result.statusCode >= 500 ? 'server' : 'client';
    throw new ServiceError('ModelError', `Received ${kind} error (${result.statusCode}) from ${variant} with message "${String(result.body)}".`, 424);
  }
  observe?.(endpoint, variant, request, result);
  return {
    status: 200,
    headers: { 'content-type': result.contentType, 'x-amzn-invoked-production-variant': variant },
    body: result.body,
  };
}
