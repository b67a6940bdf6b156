/**
 * The one message protocol between the panel host (src/panel) and its webview (webview/).
 * Both bundles import this module, so it must not import `vscode`, and everything in it is
 * plain data. Every message is validated at both ends: the webview renders registry strings
 * (annotations are attacker text) and the host acts on what the page asks for.
 */
// zod/mini: the full build would add ~450 KB to the webview bundle.
import * as z from 'zod/mini';
import { TRACKED_STATUSES, type TrackedStatus } from '../core/models';
import { isValidDigest, isValidRepository } from '../core/reference';

/** Bounds on what a message may carry; the view-model mapping truncates to fit them. */
export const LIMITS = {
  /** Codes, keys, image names, media types, timestamps. */
  shortText: 512,
  /** Details, hints, error messages, annotation values, copied text. */
  longText: 4096,
  annotationKey: 256,
  annotationsPerReferrer: 64,
  operations: 500,
  referrers: 500,
  requestId: 64,
} as const;

// ---------------------------------------------------------------------------------------------
// View models: what the page shows, already mapped from the core's types.

/** One tracked conversion as the panel shows it. */
export interface OperationView {
  /** The tracker's key for the operation; the handle for cancel and openError. */
  key: string;
  loginServer: string;
  repository: string;
  /** Display name: `repo:tag` when known, else `repo@sha256:…`. */
  image: string;
  digest?: string;
  status: TrackedStatus;
  /** 0–100. */
  progress: number;
  /** ISO time ACR gave as the start, else when tracking began. */
  startTime?: string;
  /** ISO time of the last change the tracker saw. */
  updatedAt: string;
  details?: string;
  errorCode?: string;
  /** What to do about `errorCode`, in words. */
  errorHint?: string;
  /** The last error met while polling (the operation itself may still be fine). */
  lastError?: string;
}

/** One OCI referrer of an image. */
export interface ReferrerView {
  artifactType?: string;
  digest: string;
  mediaType: string;
  size: number;
  /** From the `org.opencontainers.image.created` annotation, when present. */
  created?: string;
  annotations: Record<string, string>;
}

/** Which image's referrers to show. */
export interface ReferrersRequest {
  loginServer: string;
  repository: string;
  digest: string;
  /** Display name, e.g. `repo:tag`. */
  image?: string;
}

export type ReferrersStatus = 'loading' | 'loaded' | 'error';

export interface MessageError {
  code: string;
  message: string;
}

/** The referrers section as it stands; also carried by `init` so a reloaded page catches up. */
export interface ReferrersState {
  request: ReferrersRequest;
  status: ReferrersStatus;
  referrers?: ReferrerView[];
  error?: MessageError;
}

export interface InitState {
  operations: OperationView[];
  referrers?: ReferrersState;
  /** Set when the host was asked to show a tab (e.g. opened on an image's referrers). */
  tab?: PanelTab;
}

// ---------------------------------------------------------------------------------------------
// Messages.

export type HostMessage =
  | { type: 'init'; state: InitState }
  | { type: 'operations'; operations: OperationView[] }
  /** `reveal`: the user asked for these referrers, so the page switches to their tab. */
  | ({ type: 'referrers'; reveal?: boolean } & ReferrersState)
  | { type: 'reply'; requestId: string; ok: boolean; error?: MessageError };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'cancelOperation'; requestId: string; key: string }
  | ({ type: 'showReferrers'; requestId: string } & ReferrersRequest)
  | { type: 'copy'; text: string }
  | { type: 'openError'; key: string };

export type PanelTab = 'operations' | 'referrers';

/** What the page keeps through getState/setState; the serializer reads it back on revive. */
export interface PanelState {
  version: 1;
  tab: PanelTab;
  referrers?: ReferrersRequest;
}

// ---------------------------------------------------------------------------------------------
// Schemas. Built on first use: zod decides whether to compile parsers with `new Function` when
// a schema is created, and the webview must switch that off (its CSP forbids eval) first.

const LOGIN_SERVER_RE = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
const REQUEST_ID_RE = /^[A-Za-z0-9_-]+$/;

/** A host with an optional port, as the protocol accepts it. */
export function isValidLoginServer(value: string): boolean {
  return value.length <= 261 && LOGIN_SERVER_RE.test(value);
}

function buildSchemas() {
  const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
  const short = text(0, LIMITS.shortText);
  const long = text(0, LIMITS.longText);
  const nonEmptyShort = text(1, LIMITS.shortText);
  const isoTime = z.string().check(
    z.maxLength(64),
    z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp'),
  );
  const loginServer = z.string().check(z.refine(isValidLoginServer, 'not a login server'));
  const repository = z.string().check(z.refine(isValidRepository, 'not a repository name'));
  const digest = z.string().check(z.maxLength(200), z.refine(isValidDigest, 'not a digest'));
  const requestId = z.string().check(z.minLength(1), z.maxLength(LIMITS.requestId), z.regex(REQUEST_ID_RE));
  const error: z.ZodMiniType<MessageError> = z.strictObject({ code: nonEmptyShort, message: long });

  const operation: z.ZodMiniType<OperationView> = z.strictObject({
    key: nonEmptyShort,
    loginServer,
    repository,
    image: nonEmptyShort,
    digest: z.optional(digest),
    status: z.enum(TRACKED_STATUSES as [TrackedStatus, ...TrackedStatus[]]),
    progress: z.number().check(z.minimum(0), z.maximum(100)),
    startTime: z.optional(isoTime),
    updatedAt: isoTime,
    details: z.optional(long),
    errorCode: z.optional(nonEmptyShort),
    errorHint: z.optional(long),
    lastError: z.optional(long),
  });

  const annotations = z
    .record(text(1, LIMITS.annotationKey), long)
    .check(z.refine((a) => Object.keys(a).length <= LIMITS.annotationsPerReferrer, 'too many annotations'));

  const referrer: z.ZodMiniType<ReferrerView> = z.strictObject({
    artifactType: z.optional(nonEmptyShort),
    digest,
    mediaType: short,
    size: z.int().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
    created: z.optional(short),
    annotations,
  });

  const referrersRequestShape = { loginServer, repository, digest, image: z.optional(nonEmptyShort) };
  const referrersRequest: z.ZodMiniType<ReferrersRequest> = z.strictObject(referrersRequestShape);
  const referrersStateShape = {
    request: referrersRequest,
    status: z.enum(['loading', 'loaded', 'error']),
    referrers: z.optional(z.array(referrer).check(z.maxLength(LIMITS.referrers))),
    error: z.optional(error),
  };
  const operations = z.array(operation).check(z.maxLength(LIMITS.operations));
  const tab = z.enum(['operations', 'referrers']);

  const host: z.ZodMiniType<HostMessage> = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('init'),
      state: z.strictObject({ operations, referrers: z.optional(z.strictObject(referrersStateShape)), tab: z.optional(tab) }),
    }),
    z.strictObject({ type: z.literal('operations'), operations }),
    z.strictObject({ type: z.literal('referrers'), reveal: z.optional(z.boolean()), ...referrersStateShape }),
    z.strictObject({ type: z.literal('reply'), requestId, ok: z.boolean(), error: z.optional(error) }),
  ]);

  const webview: z.ZodMiniType<WebviewMessage> = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('ready') }),
    z.strictObject({ type: z.literal('cancelOperation'), requestId, key: nonEmptyShort }),
    z.strictObject({ type: z.literal('showReferrers'), requestId, ...referrersRequestShape }),
    z.strictObject({ type: z.literal('copy'), text: text(1, LIMITS.longText) }),
    z.strictObject({ type: z.literal('openError'), key: nonEmptyShort }),
  ]);

  // Page state is not strict: a newer page may add fields an older host ignores.
  const state: z.ZodMiniType<PanelState> = z.object({
    version: z.literal(1),
    tab,
    referrers: z.optional(referrersRequest),
  });

  return { host, webview, state, referrersRequest };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;
function getSchemas(): ReturnType<typeof buildSchemas> {
  schemas ??= buildSchemas();
  return schemas;
}

/** A valid host → webview message, or undefined (unknown type, wrong shape, too long). */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  const result = getSchemas().host.safeParse(value);
  return result.success ? result.data : undefined;
}

/** A valid webview → host message, or undefined. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const result = getSchemas().webview.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Saved page state, or undefined when missing or not ours (the serializer gets it raw). */
export function parsePanelState(value: unknown): PanelState | undefined {
  const result = getSchemas().state.safeParse(value);
  return result.success ? result.data : undefined;
}

/** A valid referrers request, or undefined (used for requests that come from outside the page). */
export function parseReferrersRequest(value: unknown): ReferrersRequest | undefined {
  const result = getSchemas().referrersRequest.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Whether two requests name the same image (the display name does not count). */
export function sameReferrersRequest(a: ReferrersRequest | undefined, b: ReferrersRequest | undefined): boolean {
  return a !== undefined && b !== undefined && a.loginServer === b.loginServer && a.repository === b.repository && a.digest === b.digest;
}
