import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RingBuffer, tailFile, tailLines } from './log-tail.ts';

describe('tailLines', () => {
  it('keeps the last lines and drops a trailing newline', () => {
    expect(tailLines('a\nb\nc\nd\n', 2)).toBe('c\nd');
    expect(tailLines('only', 5)).toBe('only');
  });
});

describe('RingBuffer', () => {
  it('keeps only the most recent characters', () => {
    const buffer = new RingBuffer(8);
    buffer.push('0123456789');
    buffer.push(Buffer.from('\nend'));
    expect(buffer.tail(10)).toBe('6789\nend');
  });
});

describe('tailFile', () => {
  it('names the file it read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tail-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'x.log');
    await writeFile(path, 'one\ntwo\nthree\n');
    expect(await tailFile(path, 2)).toBe(`--- last lines of ${path} ---\ntwo\nthree`);
  });

  it('says why when there is no log', async () => {
    expect(await tailFile('/nonexistent/x.log', 2)).toMatch(/^\(no log at \/nonexistent\/x\.log: ENOENT/);
  });
});
