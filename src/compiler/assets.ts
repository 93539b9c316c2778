/**
 * The asset plan: local files and directories a definition points at, each read through
 * `SourceFiles`, content-hashed, and given an S3 key that changes exactly when the code changes
 * (so SageMaker step caching survives re-compiles on other machines).
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { gzipStored } from './gzip.js';
import type { Reporter } from './reporter.js';
import { tar, TarPathTooLongError, type TarEntry } from './tar.js';
import type { Asset, SourceFiles } from './types.js';

export interface AssetRequest {
  /** `file`: upload the file as-is; `directory`: upload a tar.gz of the directory. */
  kind: 'file' | 'directory';
  /** Key prefix below the bucket prefix, e.g. `<pipeline>/code`. */
  prefix: string;
  /** Object name after the hash; default: the file's base name, or `sourcedir.tar.gz`. */
  fileName?: string;
  /** For `file`: upload a tar.gz holding just this file (script-mode training without a source dir). */
  archive?: boolean;
  /** For `directory`: a file that must exist inside it (the SDK's validate_source_dir for the entry point). */
  contains?: string;
}

export interface AssetRegistry {
  /** Registers `path` (relative to the spec file); returns its S3 URI, or undefined after reporting. */
  add(path: string, pointer: string, request: AssetRequest): Asset | undefined;
  /** Registers bytes the compiler generated; `source` is `<generated>/<fileName>`. */
  addGenerated(fileName: string, body: Uint8Array, prefix: string): Asset;
  readonly assets: readonly Asset[];
}

export interface AssetSettings {
  files: SourceFiles;
  /** Repository-relative POSIX path of the spec file. */
  specPath: string;
  bucket: string;
  bucketPrefix: string | undefined;
  reporter: Reporter;
}

/** Resolves a spec-relative path to a repository-relative one; undefined when it escapes. */
export function resolveRepositoryPath(specPath: string, path: string): string | undefined {
  // Absolute paths and Windows separators would mean different files on different machines.
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(specPath), path));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

/** A registry that dedupes identical requests and keeps first-registration order. */
export function createAssetRegistry(settings: AssetSettings): AssetRegistry {
  const assets: Asset[] = [];
  const byKey = new Map<string, Asset>();
  return {
    assets,
    add(path, pointer, request) {
      const source = resolveRepositoryPath(settings.specPath, path);
      if (source === undefined || source === '') {
        settings.reporter.report('error', 'asset-path', pointer, `Local path ${path} points outside the repository.`, 'Code paths are relative to the spec file and must stay inside the repository.');
        return undefined;
      }
      const body = readBody(settings.files, source, request);
      if (body === 'missing') {
        const what = request.kind === 'directory' ? 'directory' : 'file';
        settings.reporter.report('error', 'asset-missing', pointer, `No ${what} ${source} in the repository (from ${path}).`, 'Paths are relative to the spec file.');
        return undefined;
      }
      if (request.kind === 'directory' && request.contains !== undefined) {
        const inner = resolveRepositoryPath(`${source}/x`, request.contains);
        if (inner === undefined || !inner.startsWith(`${source}/`) || !settings.files.readFile(inner)) {
          settings.reporter.report('error', 'asset-missing', pointer, `${source} has no file ${request.contains}.`, 'The entry point is relative to the source directory.');
          return undefined;
        }
      }
      if (body instanceof TarPathTooLongError) {
        settings.reporter.report('error', 'asset-path', pointer, `A file name in ${source} is too long to pack: ${body.path}.`);
        return undefined;
      }
      const fileName =
        request.fileName ?? (request.kind === 'directory' || request.archive ? 'sourcedir.tar.gz' : posix.basename(source));
      return record(source, request.kind, body, request.prefix, fileName);
    },
    addGenerated(fileName, body, prefix) {
      return record(`<generated>/${fileName}`, 'file', body, prefix, fileName);
    },
  };

  function record(source: string, kind: Asset['kind'], body: Uint8Array, prefix: string, fileName: string): Asset {
    const hash = codeHash(source, body);
    const key = [settings.bucketPrefix, prefix, hash, fileName].filter((p) => p).join('/');
    const existing = byKey.get(key);
    if (existing) return existing;
    const asset: Asset = {
      source,
      kind,
      sha256: createHash('sha256').update(body).digest('hex'),
      bucket: settings.bucket,
      key,
      s3Uri: `s3://${settings.bucket}/${key}`,
      size: body.length,
      body,
    };
    byKey.set(key, asset);
    assets.push(asset);
    return asset;
  }
}

/**
 * The hash in the key. Like the SDK's `get_code_hash` it covers the path and the bytes, but the
 * path is repository-relative (the SDK hashes the local path as given, which differs between
 * machines and checkouts, so its cache keys do too).
 */
export function codeHash(source: string, body: Uint8Array): string {
  return createHash('sha256').update(source).update('\0').update(body).digest('hex');
}

function readBody(
  files: SourceFiles,
  source: string,
  request: AssetRequest,
): Uint8Array | 'missing' | TarPathTooLongError {
  if (request.kind === 'file') {
    const bytes = files.readFile(source);
    if (!bytes) return 'missing';
    if (!request.archive) return bytes;
    return pack([{ path: posix.basename(source), body: bytes }]);
  }
  if (!files.listDirectory(source)) return 'missing';
  return pack(listTree(files, source, ''));
}

function pack(entries: TarEntry[]): Uint8Array | TarPathTooLongError {
  try {
    return gzipStored(tar(entries));
  } catch (error) {
    if (error instanceof TarPathTooLongError) return error;
    throw error;
  }
}

/** Every regular file under `root`, as archive paths relative to it, sorted by byte order. */
export function listTree(files: SourceFiles, root: string, relative: string): TarEntry[] {
  const directory = relative ? `${root}/${relative}` : root;
  const entries = [...(files.listDirectory(directory) ?? [])].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const out: TarEntry[] = [];
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.kind === 'directory') out.push(...listTree(files, root, path));
    else {
      const body = files.readFile(`${root}/${path}`);
      if (body) out.push({ path, body });
    }
  }
  return out;
}
