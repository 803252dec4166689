// Streams NDJSON files line by line (flat memory) and writes records one a line.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface NdjsonLine {
  line: number;
  value?: unknown;
  error?: string;
}

export async function* readNdjson(file: string): AsyncGenerator<NdjsonLine> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch (e) {
      yield { line, error: notJson(e) };
    }
  }
}

/**
 * What a failed `JSON.parse` says, without its text: the parser's message quotes the text around the fault, which
 * may be a name, a SNILS or a birth date. Only where the fault is stays.
 */
export function notJson(e: unknown): string {
  const at = /position (\d+)/.exec((e as Error).message)?.[1];
  return `not JSON${at ? ` (at character ${Number(at) + 1})` : ''}`;
}

/**
 * Writes to a stream honouring back-pressure. A stream that failed (a full disk: EFBIG, ENOSPC) rejects instead of
 * waiting for a 'drain' that never comes.
 */
export function writeLine(out: NodeJS.WritableStream, text: string): Promise<void> | void {
  const failed = () => (out as { errored?: Error | null }).errored;
  if (failed()) throw failed();
  if (out.write(`${text}\n`)) return;
  return new Promise((resolve, reject) => {
    const onDrain = () => { out.off('error', onError); resolve(); };
    const onError = (e: Error) => { out.off('drain', onDrain); reject(e); };
    out.once('drain', onDrain);
    out.once('error', onError);
    // An error emitted before the listeners were added (the write failed at once).
    const early = failed();
    if (early) onError(early);
  });
}
