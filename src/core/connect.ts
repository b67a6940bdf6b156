/** Builds a `RegistryConnection`: one transport, one authenticator, both clients. */
import { AcrAuthenticator } from './auth/acrAuthPolicy';
import type { ConnectFunction } from './connection';
import { HttpTransport, type TransportOptions } from './http/transport';
import { redactingLogger, silentLogger } from './logger';
import { RegistryClient } from './registryClient';
import { StreamingClient } from './streamingClient';

export const connect: ConnectFunction = (endpoint, credentials, options = {}) => {
  const transport: TransportOptions = {
    logger: redactingLogger(options.logger ?? silentLogger),
    userAgent: options.userAgent ?? 'acr-artifact-streaming',
    timeoutMs: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 4,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs,
  };
  const authenticator = new AcrAuthenticator(endpoint, credentials, HttpTransport.tokenSender(transport), transport.logger);
  const auth = authenticator.policy();
  const http = new HttpTransport(endpoint, transport, auth);
  return {
    endpoint,
    registry: new RegistryClient(endpoint, http, { transport, auth }),
    streaming: new StreamingClient(endpoint, http),
    clearTokens: () => authenticator.clear(),
  };
};
