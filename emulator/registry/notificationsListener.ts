/**
 * A loopback-only HTTP listener for docker-registry's notifications (kept apart from the
 * front server so it works the same with TLS on). Its path carries a random secret, so only
 * the registry this emulator configured can post to it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readBody } from '../http/requestBody';

export interface NotificationsListener {
  url: string;
  close(): Promise<void>;
}

export async function startNotificationsListener(onEvents: (body: unknown) => Promise<void>, log: (line: string) => void): Promise<NotificationsListener> {
  const path = `/events/${randomBytes(16).toString('hex')}`;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    readBody(req, 4 * 1024 * 1024)
      .then((body) => onEvents(JSON.parse(body.toString('utf8')) as unknown))
      .then(
        () => res.writeHead(200).end(),
        (error: unknown) => {
          log(`registry notification not handled: ${error instanceof Error ? error.message : String(error)}`);
          // 200 all the same: a retry would not fare better.
          res.writeHead(200).end();
        },
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
