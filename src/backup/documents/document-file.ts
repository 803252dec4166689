// A document of the yearly archive written piece by piece (a school's summary sheet grows class by class),
// hashed as it is written so the manifest needs no second read.
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ManifestFile } from '../manifest.js';

export class DocumentFile {
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private rows = 0;

  constructor(private readonly abs: string, private readonly rel: string, private readonly name: string) {
    this.out = createWriteStream(abs, { flags: 'wx' });
  }

  async write(text: string, rows = 0): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    this.rows += rows;
    if (!this.out.write(buf)) await once(this.out, 'drain');
  }

  async close(): Promise<ManifestFile> {
    this.out.end();
    await once(this.out, 'finish');
    return { path: this.rel, kind: 'document', name: this.name, lines: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** For a failed archive run: close without caring about the content. */
  destroy(): void {
    this.out.destroy();
  }

  get file(): string {
    return this.abs;
  }
}
