/**
 * The container that serves a model (DescribeModel body): its PrimaryContainer or first of
 * Containers, and for a model made from a model package (`ModelPackageName`), the package's
 * first inference container with the model container's Environment on top.
 */
import { list, obj } from './json.js';
import type { JsonObject, RecordPort } from './ports.js';

/** The serving container of `model`, or a reason it cannot be found. */
export async function servingContainer(model: JsonObject, records: RecordPort | undefined): Promise<{ container: JsonObject } | { problem: string }> {
  const primary = obj(model['PrimaryContainer']);
  const container = Object.keys(primary).length > 0 ? primary : (list(model['Containers'])[0] ?? {});
  const packageRef = container['ModelPackageName'];
  if (typeof packageRef !== 'string' || packageRef === '') return { container };
  if (records === undefined) return { problem: `model '${String(model['ModelName'])}' comes from model package ${packageRef}, and no record store was given to look it up` };
  const pkg = await findPackage(records, packageRef);
  if (pkg === undefined) return { problem: `model package ${packageRef} of model '${String(model['ModelName'])}' does not exist` };
  const inner = list(obj(pkg['InferenceSpecification'])['Containers'])[0] ?? {};
  return { container: { ...inner, Environment: { ...obj(inner['Environment']), ...obj(container['Environment']) } } };
}

async function findPackage(records: RecordPort, ref: string): Promise<JsonObject | undefined> {
  const direct = await records.getResource('ModelPackage', ref);
  if (direct !== undefined) return direct;
  // An unversioned name (or the group name): the latest version, as CreateModel resolves it.
  const candidates = (await records.listResources('ModelPackage')).filter((p) => p['ModelPackageName'] === ref || p['ModelPackageGroupName'] === ref);
  return candidates.sort((a, b) => Number(b['ModelPackageVersion'] ?? 0) - Number(a['ModelPackageVersion'] ?? 0))[0];
}
