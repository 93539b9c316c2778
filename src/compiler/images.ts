/**
 * Image URIs: framework + version (+ python version, processor) → ECR URI for a region, from the
 * table generated out of the SageMaker Python SDK's image_uri_config.
 * TEMPORARY STUB; the images work replaces the body, not the signature.
 */

export interface ImageRequest {
  framework: string;
  version: string;
  region: string;
  pythonVersion?: string;
  /** cpu | gpu | inf | trn; when absent it is derived from `instanceType` as the SDK does. */
  processor?: string;
  instanceType?: string;
  scope?: 'training' | 'inference';
}

export type ImageResult = { uri: string } | { error: string; hint?: string };

/** Resolves an image the way `sagemaker.image_uris.retrieve` does. */
export function resolveImage(request: ImageRequest): ImageResult {
  return { error: `image resolution is not implemented yet (${request.framework} ${request.version})` };
}
