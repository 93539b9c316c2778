import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { codeHash, createAssetRegistry, resolveRepositoryPath } from '../../../src/compiler/assets.js';
import { gzipStored } from '../../../src/compiler/gzip.js';
import { createReporter } from '../../../src/compiler/reporter.js';
import { tar } from '../../../src/compiler/tar.js';
import { memorySourceFiles } from '../../../src/platform/source-files.js';
import { SourceMap } from '../../../src/spec/source-map.js';

/** Reads a ustar archive back: [path, mode, mtime, uid, body] per entry. */
function untar(bytes: Uint8Array): [string, string, string, string, string][] {
  const entries: [string, string, string, string, string][] = [];
  const text = (from: number, length: number): string =>
    new TextDecoder().decode(bytes.subarray(from, from + length)).replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= bytes.length; ) {
    const name = text(offset, 100);
    if (name === '') break;
    const prefix = text(offset + 345, 155);
    const size = Number.parseInt(text(offset + 124, 12), 8);
    // The checksum covers the header with its own field read as spaces.
    const header = Uint8Array.from(bytes.subarray(offset, offset + 512));
    header.fill(0x20, 148, 156);
    expect(Number.parseInt(text(offset + 148, 8), 8)).toBe(header.reduce((a, b) => a + b, 0));
    const body = new TextDecoder().decode(bytes.subarray(offset + 512, offset + 512 + size));
    entries.push([prefix ? `${prefix}/${name}` : name, text(offset + 100, 8), text(offset + 136, 12), text(offset + 108, 8), body]);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

function registry(files: Record<string, string>, bucketPrefix?: string) {
  const reporter = createReporter(new SourceMap('p/spec.yaml'));
  return { reporter, assets: createAssetRegistry({ files: memorySourceFiles(files), specPath: 'p/spec.yaml', bucket: 'b', bucketPrefix, reporter }) };
}

describe('assets', () => {
  it('resolves spec-relative paths and refuses escapes', () => {
    expect(resolveRepositoryPath('p/spec.yaml', 'code/a.py')).toBe('p/code/a.py');
    expect(resolveRepositoryPath('p/spec.yaml', '../shared/a.py')).toBe('shared/a.py');
    expect(resolveRepositoryPath('p/spec.yaml', '../../a.py')).toBeUndefined();
    expect(resolveRepositoryPath('p/spec.yaml', '/etc/passwd')).toBeUndefined();
    expect(resolveRepositoryPath('p/spec.yaml', 'C:/x')).toBeUndefined();
    expect(resolveRepositoryPath('p/spec.yaml', 'a\\b.py')).toBeUndefined();
  });

  it('keys files by a hash of their repository path and bytes', () => {
    const { assets } = registry({ 'p/a.py': 'print(1)\n' }, 'team');
    const asset = assets.add('a.py', '/x', { kind: 'file', prefix: 'pipe/code' });
    expect(asset?.key).toBe(`team/pipe/code/${codeHash('p/a.py', new TextEncoder().encode('print(1)\n'))}/a.py`);
    expect(asset?.s3Uri).toBe(`s3://b/${asset?.key}`);
    // The same request twice is one asset.
    expect(assets.add('a.py', '/y', { kind: 'file', prefix: 'pipe/code' })).toBe(asset);
    expect(assets.assets).toHaveLength(1);
    // Different bytes, different key.
    const other = registry({ 'p/a.py': 'print(2)\n' }).assets.add('a.py', '/x', { kind: 'file', prefix: 'pipe/code' });
    expect(other?.key).not.toBe(asset?.key?.replace('team/', ''));
  });

  it('packs directories into a deterministic tar.gz with sorted entries and fixed metadata', () => {
    const files = { 'p/src/train.py': 'import util\n', 'p/src/util.py': 'x=1\n', 'p/src/lib/deep.py': 'y=2\n' };
    const one = registry(files).assets.add('src', '/x', { kind: 'directory', prefix: 'pipe/code' });
    const two = registry(Object.fromEntries(Object.entries(files).reverse())).assets.add('src', '/x', { kind: 'directory', prefix: 'pipe/code' });
    expect(one?.key).toMatch(/^pipe\/code\/[0-9a-f]{64}\/sourcedir\.tar\.gz$/);
    expect(Buffer.from(one?.body ?? []).equals(Buffer.from(two?.body ?? []))).toBe(true);
    expect(untar(gunzipSync(one?.body ?? new Uint8Array()))).toEqual([
      ['lib/deep.py', '0000644', '00000000000', '0000000', 'y=2\n'],
      ['train.py', '0000644', '00000000000', '0000000', 'import util\n'],
      ['util.py', '0000644', '00000000000', '0000000', 'x=1\n'],
    ]);
  });

  it('archives a lone entry point as sourcedir.tar.gz holding just the file', () => {
    const asset = registry({ 'p/train.py': 'print(1)\n' }).assets.add('train.py', '/x', { kind: 'file', prefix: 'c', archive: true });
    expect(asset?.key).toMatch(/\/sourcedir\.tar\.gz$/);
    expect(untar(gunzipSync(asset?.body ?? new Uint8Array())).map((e) => e[0])).toEqual(['train.py']);
  });

  it('reports missing files and escaping paths at the pointer', () => {
    const { reporter, assets } = registry({});
    expect(assets.add('nope.py', '/steps/0/code', { kind: 'file', prefix: 'c' })).toBeUndefined();
    expect(assets.add('../../x.py', '/steps/1/code', { kind: 'file', prefix: 'c' })).toBeUndefined();
    expect(reporter.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['asset-missing', '/steps/0/code'],
      ['asset-path', '/steps/1/code'],
    ]);
  });
});

describe('entry point inside the source directory', () => {
  it('is required when asked for, and may not climb out', () => {
    const { reporter, assets } = registry({ 'p/src/train.py': 'x' });
    expect(assets.add('src', '/a', { kind: 'directory', prefix: 'c', contains: 'train.py' })).toBeDefined();
    expect(assets.add('src', '/b', { kind: 'directory', prefix: 'c', contains: 'missing.py' })).toBeUndefined();
    expect(assets.add('src', '/c', { kind: 'directory', prefix: 'c', contains: '../spec.yaml' })).toBeUndefined();
    expect(reporter.diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['asset-missing', '/b'],
      ['asset-missing', '/c'],
    ]);
  });
});

describe('gzipStored', () => {
  it('round-trips through zlib, including data larger than one stored block', () => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);
    const packed = gzipStored(data);
    expect(Buffer.from(gunzipSync(packed)).equals(Buffer.from(data))).toBe(true);
    // mtime 0 and OS byte 255: nothing from the machine that packed it.
    expect([...packed.subarray(4, 10)]).toEqual([0, 0, 0, 0, 0, 0xff]);
    expect(Buffer.from(gunzipSync(gzipStored(new Uint8Array()))).length).toBe(0);
  });

  it('splits long paths into the ustar prefix field', () => {
    const path = `${'d'.repeat(120)}/file.py`;
    expect(untar(tar([{ path, body: new TextEncoder().encode('z') }]))[0]?.[0]).toBe(path);
  });
});
