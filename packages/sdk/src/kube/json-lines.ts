/**
 * The JSON values of a newline-delimited stream, such as a watch response's body, one per
 * non-empty line. A line may arrive split over chunks, and a character over two; `onChunk` runs as
 * each chunk arrives, before its lines are yielded (a watch resets its inactivity timer there).
 */
export async function* jsonLines<T>(body: AsyncIterable<Uint8Array>, onChunk?: () => void): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    onChunk?.();
    buffer += decoder.decode(chunk, { stream: true });
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
}
