/**
 * The header the emulator puts in front of each converted layer: a fixed 4 KiB block with a
 * magic and a JSON description of the source. It is *overlaybd-like*, not overlaybd: what
 * matters for the emulator is that each derived blob really comes from the source bytes.
 */
export const OVERLAYBD_EMULATED_MAGIC = 'ACREMU-OVERLAYBD';
export const HEADER_SIZE = 4096;

export function overlaybdHeader(source: { digest: string; mediaType: string }): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(OVERLAYBD_EMULATED_MAGIC, 0, 'ascii');
  const description = JSON.stringify({ format: 'overlaybd', version: 'v1', emulated: true, sourceDigest: source.digest, sourceMediaType: source.mediaType });
  header.writeUInt32BE(Buffer.byteLength(description), 16);
  header.write(description, 20, 'utf8');
  return header;
}
