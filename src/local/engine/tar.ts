/**
 * Minimal tar.gz packing and unpacking for model.tar.gz, output.tar.gz and sourcedir.tar.gz:
 * regular files and directories (ustar, pax `path` and GNU long names). Links and devices are
 * skipped, never created: archives come from user storage and must not write outside the target.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const BLOCK = 512;

/** Extracts a tar.gz (or plain tar) into `dest`; returns the relative paths of the files written. */
export async function unpackTarGz(bytes: Uint8Array, dest: string): Promise<string[]> {
  const data = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : Buffer.from(bytes);
  const root = path.resolve(dest);
  await mkdir(root, { recursive: true });
  const written: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = data.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (match) longName = match[1];
      continue;
    }
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const prefix = text(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0' && type !== '5' && type !== '7') continue;
    const target = path.resolve(root, name.replace(/^\/+/, ''));
    // Security: an entry like ../../x or /etc/x must not escape the extraction directory.
    if (target !== root && !target.startsWith(root + path.sep)) continue;
    if (type === '5') {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
    written.push(path.relative(root, target).split(path.sep).join('/'));
  }
  return written;
}

/** Packs the files under `dir` (sorted, fixed mtime and owner, so equal trees give equal bytes) into a tar.gz. */
export async function packTarGz(dir: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for (const rel of await listFiles(dir)) {
    const body = await readFile(path.join(dir, rel));
    if (Buffer.byteLength(rel) > 100) {
      const record = paxRecord('path', rel);
      chunks.push(header(`PaxHeader/${rel.slice(0, 80)}`, record.length, 'x'), pad(record));
    }
    chunks.push(header(rel.slice(0, 100), body.length, '0'), pad(body));
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(chunks));
}

/** Relative POSIX paths of every regular file under `dir`, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  await walk('');
  return out.sort();
}

function text(buf: Buffer, start: number, length: number): string {
  return buf.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
}

function paxRecord(key: string, value: string): Buffer {
  const payload = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(payload) + 1;
  while (String(len).length + Buffer.byteLength(payload) !== len) len = String(len).length + Buffer.byteLength(payload);
  return Buffer.from(`${len}${payload}`);
}

function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

function pad(body: Buffer): Buffer {
  const rest = body.length % BLOCK;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(BLOCK - rest)]);
}
