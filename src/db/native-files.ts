/**
 * The files native DuckDB reads for Aisle, all in one scratch folder that locked-down SQL may read: the user's files
 * known by their paths (read where they are until `lockDown`), uploads and bytes written there, and the database's own
 * copies of loaded files (`Database.keepFile`). Node's file system only; the database adapter is duckdb-native.ts.
 */
import { constants, createWriteStream, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FileSource } from '../engine/ports.ts';

/** A folder path with one trailing separator, as `allowed_directories` matches prefixes. */
export function folder(path: string): string {
  const absolute = resolve(path);
  return absolute.endsWith(sep) ? absolute : `${absolute}${sep}`;
}

export class ScratchFiles {
  /** Files handed out by `source` → the path DuckDB reads them by. */
  private readonly paths = new WeakMap<Blob, string>();

  constructor(readonly directory: string) {}

  /** A file on disk as a FileSource the importer can read the head of (lazily, not into memory); `register` gives its path back. */
  async source(path: string): Promise<FileSource> {
    const file = await openAsBlob(path);
    this.paths.set(file, resolve(path));
    return { kind: 'handle', file };
  }

  /** `Database.registerFile`: a file known by its path is read where it is; anything else is written here. */
  async register(fileName: string, source: FileSource): Promise<string> {
    if (source.kind === 'handle') {
      const path = this.paths.get(source.file);
      if (path !== undefined) return path;
      // A Blob from elsewhere is streamed to disk: never held whole in memory.
      return this.receive(fileName, Readable.fromWeb(source.file.stream() as NodeReadableStream<Uint8Array>));
    }
    // Bytes (a rewritten text file, a page's upload) go to a scratch file DuckDB may read, even once locked down.
    const path = this.path(fileName);
    writeFileSync(path, source.bytes);
    return path;
  }

  /**
   * `Database.keepFile`: a file known by its path is copied (a reflink where the file system has them), so a change to
   * the user's file later does not reach the data loaded from it, and locked-down SQL still reads it. Bytes and blobs
   * from elsewhere land here as `register` writes them.
   */
  async keep(fileName: string, source: FileSource): Promise<string> {
    const known = source.kind === 'handle' ? this.paths.get(source.file) : undefined;
    if (known === undefined) return this.register(fileName, source);
    const path = this.path(fileName);
    try {
      await copyFile(known, path, constants.COPYFILE_FICLONE);
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return path;
  }

  /** A file arriving in pieces (a request body) written here as it comes, so a file of any size costs one piece of memory. */
  async receive(fileName: string, pieces: AsyncIterable<Uint8Array>): Promise<string> {
    const path = this.path(fileName);
    try {
      await pipeline(pieces, createWriteStream(path));
    } catch (error) {
      rmSync(path, { force: true });
      throw error;
    }
    return path;
  }

  /** `Database.dropFile`: the user's own files are left alone; only our scratch copies are removed. */
  drop(path: string): void {
    if (path.startsWith(folder(this.directory))) rmSync(path, { force: true });
  }

  /** A fresh path here for `fileName` (made safe for a file name). */
  path(fileName: string): string {
    return join(this.directory, `${crypto.randomUUID()}-${fileName.replace(/[^\w.-]+/g, '_')}`);
  }
}
