/** Every SageMaker operation the local backend implements, by `X-Amz-Target` operation name. */
import type { Operation } from './context.js';
import { endpointOperations } from './endpoints.js';
import { jobOperations } from './jobs.js';
import { modelOperations } from './models.js';
import { registryOperations } from './model-registry.js';
import { monitoringOperations } from './monitoring.js';
import { monitoringJobDefinitionOperations } from './monitoring-job-definitions.js';
import { executionOperations } from './pipeline-executions.js';
import { pipelineOperations } from './pipelines.js';
import { tagOperations } from './tags.js';

export const sagemakerOperations: Readonly<Record<string, Operation>> = {
  ...pipelineOperations,
  ...executionOperations,
  ...jobOperations,
  ...registryOperations,
  ...modelOperations,
  ...endpointOperations,
  ...monitoringOperations,
  ...monitoringJobDefinitionOperations,
  ...tagOperations,
};
