import { readFile } from 'node:fs/promises';

/** The last `lines` lines of a text, for error messages. */
export function tailLines(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** The last lines of a log file, or a note saying why there are none. */
export async function tailFile(path: string, lines: number): Promise<string> {
  try {
    return `--- last lines of ${path} ---\n${tailLines(await readFile(path, 'utf8'), lines)}`;
  } catch (err) {
    return `(no log at ${path}: ${(err as Error).message})`;
  }
}

/** Keeps the most recent output of a stream, bounded in size. */
export class RingBuffer {
  readonly #max: number;
  #text = '';

  constructor(maxChars = 16_384) {
    this.#max = maxChars;
  }

  push(chunk: string | Buffer): void {
    this.#text = (this.#text + chunk.toString()).slice(-this.#max);
  }

  tail(lines: number): string {
    return tailLines(this.#text, lines);
  }
}
