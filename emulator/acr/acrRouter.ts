/** Routes `/acr/v1/*` to its handlers. */
import { sendAcrError } from '../http/acrResponses';
import type { RequestContext } from '../http/requestContext';
import { deleteManifest, deleteRepository, deleteTag, type DeleteDeps } from './deleteRoutes';
import { handleCatalog, handleManifest, handleManifests, handleRepository, handleTag, handleTags, type ListingDeps } from './listingRoutes';
import {
  cancelOperation,
  getLastConversion,
  getOperation,
  getSettings,
  postConversion,
  postSettings,
  refusedForStreaming,
  type StreamingDeps,
} from './streamingRoutes';

export type AcrDeps = ListingDeps & DeleteDeps & StreamingDeps;

type Handler = (ctx: RequestContext, deps: AcrDeps, match: string[]) => Promise<void> | void;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
  /** An artifact-streaming route: a registry without the feature refuses it. */
  streaming?: true;
}

const ROUTES: Route[] = [
  { pattern: /^\/acr\/v1\/_catalog$/, methods: { GET: (ctx, deps) => handleCatalog(ctx, deps) } },
  {
    pattern: /^\/acr\/v1\/(.+?)\/_streaming$/,
    methods: { GET: (ctx, deps, m) => getSettings(ctx, deps, m[1]), POST: (ctx, deps, m) => postSettings(ctx, deps, m[1]) },
    streaming: true,
  },
  {
    pattern: /^\/acr\/v1\/(.+?)\/_streaming\/([^/]+)$/,
    methods: { GET: (ctx, deps, m) => getLastConversion(ctx, deps, m[1], m[2]), POST: (ctx, deps, m) => postConversion(ctx, deps, m[1], m[2]) },
    streaming: true,
  },
  { pattern: /^\/acr\/v1\/(.+?)\/_operations\/([^/:]+):cancel$/, methods: { POST: (ctx, deps, m) => cancelOperation(ctx, deps, m[1], m[2]) }, streaming: true },
  { pattern: /^\/acr\/v1\/(.+?)\/_operations\/([^/:]+)$/, methods: { GET: (ctx, deps, m) => getOperation(ctx, deps, m[1], m[2]) }, streaming: true },
  { pattern: /^\/acr\/v1\/(.+?)\/_tags$/, methods: { GET: (ctx, deps, m) => handleTags(ctx, deps, m[1]) } },
  {
    pattern: /^\/acr\/v1\/(.+?)\/_tags\/([^/]+)$/,
    methods: { GET: (ctx, deps, m) => handleTag(ctx, deps, m[1], m[2]), DELETE: (ctx, deps, m) => deleteTag(ctx, deps, m[1], m[2]) },
  },
  { pattern: /^\/acr\/v1\/(.+?)\/_manifests$/, methods: { GET: (ctx, deps, m) => handleManifests(ctx, deps, m[1]) } },
  {
    pattern: /^\/acr\/v1\/(.+?)\/_manifests\/([^/]+)$/,
    methods: { GET: (ctx, deps, m) => handleManifest(ctx, deps, m[1], m[2]), DELETE: (ctx, deps, m) => deleteManifest(ctx, deps, m[1], m[2]) },
  },
  {
    pattern: /^\/acr\/v1\/([^_].*)$/,
    methods: { GET: (ctx, deps, m) => handleRepository(ctx, deps, m[1]), DELETE: (ctx, deps, m) => deleteRepository(ctx, deps, m[1]) },
  },
];

export async function routeAcr(ctx: RequestContext, deps: AcrDeps): Promise<void> {
  for (const route of ROUTES) {
    const match = route.pattern.exec(ctx.path);
    if (!match) {
      continue;
    }
    const handler = route.methods[ctx.method === 'HEAD' ? 'GET' : ctx.method];
    if (!handler) {
      // Changing attributes (PATCH) and anything else is not emulated.
      sendAcrError(ctx.res, 405, 'UNSUPPORTED', `${ctx.method} ${ctx.path} is not supported by the emulator`);
      return;
    }
    if (route.streaming && refusedForStreaming(ctx, deps)) {
      return;
    }
    await handler(ctx, deps, match);
    return;
  }
  sendAcrError(ctx.res, 404, 'NOT_FOUND', `no ACR API at ${ctx.path}`);
}
