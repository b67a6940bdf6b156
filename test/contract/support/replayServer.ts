/**
 * Serves the recorded ACR traffic back. Data-plane replies are the recorded ones, per
 * method + path in recorded order (the last one repeats). A request without a bearer token gets
 * the recorded 401 challenge, as the real registry answers; token requests get the recorded
 * token replies. Every request is kept, so tests can assert what the client sent.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

interface RecordedInteraction {
  request: { method: string; path: string; body: string | null };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

interface Recording {
  interactions: RecordedInteraction[];
}

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

export interface ReplayServer {
  baseUrl: string;
  loginServer: string;
  received: ReceivedRequest[];
  recording: Recording;
  close(): Promise<void>;
}

export function loadRecording(): Recording {
  const file = path.join(__dirname, '..', '..', 'fixtures', 'acr-artifact-streaming.recording.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Recording;
}

export async function startReplayServer(): Promise<ReplayServer> {
  const recording = loadRecording();
  const queues = new Map<string, RecordedInteraction[]>();
  let challenge: RecordedInteraction | undefined;
  for (const interaction of recording.interactions) {
    const { method, path: p } = interaction.request;
    if (method === 'GET' && p === '/v2/' && interaction.response.status === 401) {
      challenge ??= interaction;
      continue;
    }
    const key = `${method} ${p}`;
    queues.set(key, [...(queues.get(key) ?? []), interaction]);
  }
  if (!challenge) {
    throw new Error('The recording has no 401 challenge.');
  }
  const received: ReceivedRequest[] = [];
  let baseUrl = '';
  let loginServer = '';
  const substitute = (text: string): string => text.replaceAll('https://{host}', baseUrl).replaceAll('{host}', loginServer);

  const send = (res: http.ServerResponse, interaction: RecordedInteraction): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(interaction.response.headers)) {
      headers[name] = substitute(String(value));
    }
    const body = interaction.response.body;
    const text = body === null || body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(interaction.response.status, headers);
    res.end(substitute(text));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const isTokenRequest = request.path.startsWith('/oauth2/');
      if (!isTokenRequest && !request.authorization?.startsWith('Bearer ')) {
        send(res, challenge!);
        return;
      }
      const key = `${request.method} ${request.path.split('?')[0] === '/oauth2/token' ? '/oauth2/token' : substituteBack(request.path, loginServer)}`;
      const queue = queues.get(key) ?? [];
      const interaction = queue.length > 1 ? queue.shift() : queue[0];
      if (!interaction) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'NOT_RECORDED', message: `No recorded interaction for ${key}` }] }));
        return;
      }
      send(res, interaction);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;
  loginServer = `127.0.0.1:${port}`;
  return {
    baseUrl,
    loginServer,
    received,
    recording,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function substituteBack(requestPath: string, loginServer: string): string {
  return requestPath.replaceAll(encodeURIComponent(loginServer), '{host}').replaceAll(loginServer, '{host}');
}
