import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRecordStore } from '../../../src/local/record-store.js';
import { tempDir } from './helpers.js';

describe('record store', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('persists records under any id and reloads them, ignoring interrupted temp files', () => {
    const t = tempDir();
    dirs.push(t);
    const store = openRecordStore(t.dir);
    const id = 'arn:aws:sagemaker:us-east-1:000000000000:pipeline/x/execution/abc';
    store.put('executions', id, { status: 'Executing', n: 1 });
    store.put('executions', 'b', { status: 'Succeeded' });
    store.delete('executions', 'b');
    // A write torn by SIGKILL before its rename leaves only a temp file behind.
    writeFileSync(join(t.dir, 'executions', '.torn.json.123.tmp'), '{"id":"c","val');
    const reopened = openRecordStore(t.dir);
    expect(reopened.get('executions', id)).toEqual({ status: 'Executing', n: 1 });
    expect(reopened.get('executions', 'b')).toBeUndefined();
    expect(reopened.list('executions')).toHaveLength(1);
    expect(readdirSync(join(t.dir, 'executions')).filter((f) => !f.startsWith('.'))).toHaveLength(1);
  });

  it('hands out copies, so state changes only through put', () => {
    const t = tempDir();
    dirs.push(t);
    const store = openRecordStore(t.dir);
    store.put('c', 'k', { a: 1 });
    const copy = store.get<{ a: number }>('c', 'k');
    if (copy) copy.a = 2;
    expect(store.get('c', 'k')).toEqual({ a: 1 });
  });
});
