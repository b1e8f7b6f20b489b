// Records raw frames as `<recv_epoch_ns> <frame>` lines into rotating gzip files (the hftbacktest format), and the
// REST depth snapshots fetched for book sync between them, so a replay syncs its books as the live run did.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createGzip, type Gzip } from 'node:zlib';
import path from 'node:path';

export class FrameRecorder {
  private gzip: Gzip | undefined;
  private file: WriteStream | undefined;
  private written = 0;
  private seq = 0;
  readonly files: string[] = [];
  private readonly closing: Array<Promise<void>> = [];

  constructor(
    private readonly dir: string,
    private readonly venue: string,
    private readonly rotateBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(tsRecvNs: number, frame: string): void {
    if (!this.gzip || this.written >= this.rotateBytes) this.rotate();
    const line = `${BigInt(Math.round(tsRecvNs))} ${frame}\n`;
    this.written += line.length;
    this.gzip!.write(line);
  }

  /** A REST depth snapshot, as `<url> -> <recv_epoch_s>: <body>` (the cryptofeed convention), between the frames. */
  writeSnapshot(url: string, tsRecvNs: number, body: string): void {
    if (!this.gzip || this.written >= this.rotateBytes) this.rotate();
    const ns = BigInt(Math.round(tsRecvNs));
    const line = `${url} -> ${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}: ${body}\n`;
    this.written += line.length;
    this.gzip!.write(line);
  }

  private rotate(): void {
    this.closing.push(this.closeCurrent());
    const stamp = new Date().toISOString().replace(/[:.]/g, '').replace('Z', 'Z');
    const name = path.join(this.dir, `${this.venue}-${stamp}-${String(this.seq++).padStart(4, '0')}.log.gz`);
    this.gzip = createGzip({ level: 4 });
    this.file = createWriteStream(name);
    this.gzip.pipe(this.file);
    this.files.push(name);
    this.written = 0;
  }

  private closeCurrent(): Promise<void> {
    const gz = this.gzip,
      file = this.file;
    this.gzip = undefined;
    this.file = undefined;
    if (!gz || !file) return Promise.resolve();
    return new Promise((resolve) => {
      file.once('close', () => resolve());
      gz.end();
    });
  }

  /** Closes the current file and waits for every rotated one to be fully written. */
  async close(): Promise<void> {
    await Promise.all([...this.closing, this.closeCurrent()]);
  }
}
