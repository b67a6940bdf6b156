/** Reading registry replies as JSON of a known shape. */
import type { z } from 'zod';
import { AcrStreamingError } from '../errors';
import { parseJson, type HttpReply } from './transport';

/** The reply as `schema` says, or INVALID_RESPONSE naming what was being read and where it broke. */
export function validateReply<T extends z.ZodTypeAny>(schema: T, reply: HttpReply, what: string, loginServer: string): z.infer<T> {
  const parsed = schema.safeParse(parseJson(reply, what, loginServer));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AcrStreamingError('INVALID_RESPONSE', `${what}: the registry's reply has an unexpected shape (${issue?.path.join('.') || 'root'}: ${issue?.message}).`, {
      hint: 'The registry may not support this API, or the API changed. See the log for details.',
    });
  }
  return parsed.data;
}

/** JSON of an optional reply body; undefined when it is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
