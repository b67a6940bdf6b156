/** What every handler gets: the request, its parsed URL, and per-request fault settings. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principals';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** Decoded path, e.g. `/acr/v1/team/app/_tags`. */
  path: string;
  principal?: Principal;
  /** Set by a token-expiry fault: lifetime of access tokens issued for this request. */
  tokenLifetimeSeconds?: number;
}
