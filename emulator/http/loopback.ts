/** `/_emulator/*` is for local tests only: it answers loopback peers and nobody else. */
import type { IncomingMessage } from 'node:http';

export function isLoopbackPeer(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
