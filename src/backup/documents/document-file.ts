// A document of the yearly archive written piece by piece (a school's summary sheet grows class by class),
// hashed as it is written so the manifest needs no second read.
import { createHash } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { durableWriteStream } from '../durable.js';
import type { ManifestFile } from '../manifest.js';

export class DocumentFile {
  private readonly out: WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private rows = 0;
  /** The stream's error (a full medium), kept until the next write or close throws it. */
  private failed: Error | undefined;

  /** `named`: the error as the operator should read it — which destination (ENOSPC alone names no medium). */
  constructor(private readonly abs: string, private readonly rel: string, private readonly name: string, private readonly named: (e: unknown) => Error = (e) => e as Error) {
    // fsynced on close: the archive set's copy is verified and recorded only once its bytes are on the medium.
    this.out = durableWriteStream(abs);
    // An error while no write waits (a file system filling up between writes) would otherwise be an unhandled event.
    this.out.on('error', (e) => { this.failed ??= e; });
  }

  private check(): void {
    if (this.failed) throw this.named(this.failed);
  }

  async write(text: string, rows = 0): Promise<void> {
    this.check();
    const buf = Buffer.from(text, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    this.rows += rows;
    try {
      if (!this.out.write(buf)) await once(this.out, 'drain');
    } catch (e) {
      throw this.named(e);
    }
  }

  async close(): Promise<ManifestFile> {
    this.check();
    this.out.end();
    try {
      await once(this.out, 'finish');
    } catch (e) {
      throw this.named(e);
    }
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
