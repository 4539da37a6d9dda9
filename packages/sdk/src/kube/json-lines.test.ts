import { describe, expect, it } from 'vitest';
import { jsonLines } from './json-lines.ts';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function all<T>(lines: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('jsonLines', () => {
  it('yields one value per line, across chunk boundaries, skipping blank lines', async () => {
    const values = await all(jsonLines<{ n: number }>(chunks('{"n":1}\n{"n"', ':2}\n\n  \n{"n":3}\n')));
    expect(values).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('decodes a character split over two chunks', async () => {
    const bytes = new TextEncoder().encode('{"name":"café"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(await all(jsonLines(chunks(bytes.slice(0, cut), bytes.slice(cut))))).toEqual([{ name: 'café' }]);
  });

  it("calls onChunk once per chunk, before that chunk's lines", async () => {
    const seen: string[] = [];
    for await (const value of jsonLines<number>(chunks('1\n2\n', '3\n'), () => seen.push('chunk'))) seen.push(String(value));
    expect(seen).toEqual(['chunk', '1', '2', 'chunk', '3']);
  });

  it('leaves an unterminated last line unread', async () => {
    expect(await all(jsonLines(chunks('1\n{"partial"')))).toEqual([1]);
  });
});
