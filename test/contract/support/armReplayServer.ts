/**
 * Serves the recorded Azure Resource Manager replies (test/fixtures/arm-registry.recording.json)
 * on 127.0.0.1. A request is matched on method + path (case-insensitive, query ignored), the
 * recorded replies of one key in recorded order (the last one repeats). The recording's
 * api-version (2025-03-01-preview) is not the SDK's, so it is not matched on: each request's
 * api-version is kept, with its path and headers, so tests can assert what the client sent.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface RecordedArmInteraction {
  command: { name: string; parameterSetName: string };
  request: { method: string; path: string; host: string; headers: Record<string, string>; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface ArmRecording {
  source: string;
  notes: string[];
  interactions: RecordedArmInteraction[];
}

export interface ReceivedArmRequest {
  method: string;
  /** Path without the query. */
  path: string;
  apiVersion: string | null;
  authorization?: string;
  body: string;
}

export interface ArmReplayServer {
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  received: ReceivedArmRequest[];
  recording: ArmRecording;
  close(): Promise<void>;
}

export function loadArmRecording(): ArmRecording {
  const file = path.join(__dirname, '..', '..', 'fixtures', 'arm-registry.recording.json');
  return JSON.parse(readFileSync(file, 'utf8')) as ArmRecording;
}

const keyOf = (method: string, pathAndQuery: string): string => `${method.toUpperCase()} ${pathAndQuery.split('?')[0].toLowerCase()}`;

export async function startArmReplayServer(): Promise<ArmReplayServer> {
  const recording = loadArmRecording();
  const queues = new Map<string, RecordedArmInteraction[]>();
  for (const interaction of recording.interactions) {
    const key = keyOf(interaction.request.method, interaction.request.path);
    queues.set(key, [...(queues.get(key) ?? []), interaction]);
  }
  const received: ReceivedArmRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      received.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const key = keyOf(req.method ?? 'GET', url.pathname);
      const queue = queues.get(key) ?? [];
      const interaction = queue.length > 1 ? queue.shift() : queue[0];
      if (!interaction) {
        // Not an ARM reply: a test that reaches this has sent a request the recording lacks.
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end(`No recorded interaction for ${key}`);
        return;
      }
      const { status, headers, body } = interaction.response;
      res.writeHead(status, headers);
      res.end(body === null || body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    recording,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
