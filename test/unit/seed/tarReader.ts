/** Test helper: gunzips a layer and reads every tar entry back with tar-stream. */
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';

export interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  mtime: number;
  uid: number;
  gid: number;
  content: Buffer;
}

export async function readTar(tarBytes: Buffer): Promise<ReadEntry[]> {
  const extract = tar.extract();
  const entries: ReadEntry[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry) {
        chunks.push(chunk as Uint8Array);
      }
      const header = entry.header;
      entries.push({
        name: header.name,
        type: String(header.type),
        mode: header.mode ?? -1,
        mtime: header.mtime?.getTime() ?? -1,
        uid: header.uid ?? -1,
        gid: header.gid ?? -1,
        content: Buffer.concat(chunks),
      });
    }
  })();
  extract.end(tarBytes);
  await done;
  return entries;
}

export function readLayer(gzipped: Buffer): Promise<ReadEntry[]> {
  return readTar(gunzipSync(gzipped));
}
