/**
 * The part of Azure Resource Manager the extension reads: tenants, subscriptions (those of the
 * caller's tenant), and `Microsoft.ContainerRegistry/registries` (list and get). Path
 * segments such as `resourceGroups` and the provider namespace match case-insensitively, and
 * names compare case-insensitively, as in ARM.
 */
import type { JwtVerification } from '../auth/jwt';
import type { RequestContext } from '../http/requestContext';
import type { AzureFixture, AzureRegistryFixture, AzureSubscriptionFixture } from '../types';
import { parseApiVersion, type ApiVersion } from './apiVersion';
import { authenticateArm, sendInvalidToken, sendWrongTenant, type ArmCaller } from './armAuth';
import { armPage } from './armPaging';
import { sendArmError, sendArmJson } from './armResponses';
import { registryResource, type RegistryResourceSettings } from './registryResource';

export interface ArmDeps {
  /** `http(s)://127.0.0.1:PORT`, for next links. */
  armUrl: string;
  fixture: AzureFixture;
  verifyEntraToken: (token: string) => JwtVerification;
  /** `aud` values ARM accepts. */
  audiences: readonly string[];
  pageSize?: number;
  registrySettings: RegistryResourceSettings;
}

const REGISTRIES = '/providers/microsoft\\.containerregistry/registries';
const ROUTES = {
  tenants: /^\/tenants\/?$/i,
  subscriptions: /^\/subscriptions\/?$/i,
  subscription: /^\/subscriptions\/([^/]+)\/?$/i,
  registriesOfSubscription: new RegExp(`^/subscriptions/([^/]+)${REGISTRIES}/?$`, 'i'),
  registriesOfGroup: new RegExp(`^/subscriptions/([^/]+)/resourcegroups/([^/]+)${REGISTRIES}/?$`, 'i'),
  registry: new RegExp(`^/subscriptions/([^/]+)/resourcegroups/([^/]+)${REGISTRIES}/([^/]+)/?$`, 'i'),
};

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

interface Call {
  ctx: RequestContext;
  deps: ArmDeps;
  caller: ArmCaller;
  version: ApiVersion;
}

export function handleArm(ctx: RequestContext, deps: ArmDeps): void {
  const { req, res } = ctx;
  ctx.req.resume();
  const auth = authenticateArm(req.headers.authorization, deps.verifyEntraToken, deps.audiences);
  if (!auth.ok) {
    sendInvalidToken(req, res, auth.description, auth.tenantHint);
    return;
  }
  const rawVersion = ctx.url.searchParams.get('api-version');
  if (!rawVersion) {
    sendArmError(req, res, 400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    return;
  }
  const version = parseApiVersion(rawVersion);
  if (!version) {
    sendArmError(req, res, 400, 'InvalidApiVersionParameter', `The api-version '${rawVersion}' is invalid. The supported versions look like '2022-12-01' or '2025-03-01-preview'.`);
    return;
  }
  if (ctx.method !== 'GET') {
    // Only reads are emulated (ours: ARM would create, update or delete).
    sendArmError(req, res, 405, 'MethodNotAllowed', `The emulator's Azure Resource Manager answers GET only, not ${ctx.method}.`);
    return;
  }
  route({ ctx, deps, caller: auth.caller, version });
}

function route(call: Call): void {
  const { path } = call.ctx;
  let m: RegExpExecArray | null;
  if (ROUTES.tenants.test(path)) {
    listTenants(call);
  } else if (ROUTES.subscriptions.test(path)) {
    listSubscriptions(call);
  } else if ((m = ROUTES.subscription.exec(path))) {
    const subscription = subscriptionFor(call, m[1]);
    if (subscription) {
      sendArmJson(call.ctx.req, call.ctx.res, 200, subscriptionView(subscription));
    }
  } else if ((m = ROUTES.registriesOfSubscription.exec(path))) {
    listRegistries(call, m[1]);
  } else if ((m = ROUTES.registriesOfGroup.exec(path))) {
    listRegistries(call, m[1], m[2]);
  } else if ((m = ROUTES.registry.exec(path))) {
    getRegistry(call, m[1], m[2], m[3]);
  } else {
    sendArmError(call.ctx.req, call.ctx.res, 404, 'NotFound', `The emulator's Azure Resource Manager has no API at '${path}'.`);
  }
}

function listTenants({ ctx, deps }: Call): void {
  // A user's token lists every tenant the user belongs to, whichever tenant it was issued by.
  const tenants = deps.fixture.tenants.map((t) => ({
    id: `/tenants/${t.tenantId}`,
    tenantId: t.tenantId,
    countryCode: 'US',
    displayName: t.displayName,
    domains: [t.defaultDomain],
    tenantCategory: 'Home',
    defaultDomain: t.defaultDomain,
    tenantType: 'AAD',
  }));
  sendArmJson(ctx.req, ctx.res, 200, armPage(tenants, ctx.url, deps.armUrl, deps.pageSize));
}

function subscriptionView(s: AzureSubscriptionFixture): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

function listSubscriptions({ ctx, deps, caller }: Call): void {
  // A token lists the subscriptions of its own tenant only.
  const mine = deps.fixture.subscriptions.filter((s) => same(s.tenantId, caller.tenantId)).map(subscriptionView);
  sendArmJson(ctx.req, ctx.res, 200, armPage(mine, ctx.url, deps.armUrl, deps.pageSize));
}

/** The subscription, or undefined once ARM's 404 / wrong-tenant 401 has been sent. */
function subscriptionFor({ ctx, deps, caller }: Call, subscriptionId: string): AzureSubscriptionFixture | undefined {
  const subscription = deps.fixture.subscriptions.find((s) => same(s.subscriptionId, subscriptionId));
  if (!subscription) {
    sendArmError(ctx.req, ctx.res, 404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    return undefined;
  }
  if (!same(subscription.tenantId, caller.tenantId)) {
    sendWrongTenant(ctx.req, ctx.res, caller.tenantId, subscription.tenantId);
    return undefined;
  }
  return subscription;
}

function view(call: Call, registry: AzureRegistryFixture): Record<string, unknown> {
  return registryResource(registry, call.version, call.deps.registrySettings);
}

function listRegistries(call: Call, subscriptionId: string, resourceGroup?: string): void {
  const subscription = subscriptionFor(call, subscriptionId);
  if (!subscription) {
    return;
  }
  const { ctx, deps } = call;
  const inScope = deps.fixture.registries.filter((r) => same(r.subscriptionId, subscription.subscriptionId));
  if (resourceGroup !== undefined && !inScope.some((r) => same(r.resourceGroup, resourceGroup))) {
    sendArmError(ctx.req, ctx.res, 404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
    return;
  }
  const registries = inScope.filter((r) => resourceGroup === undefined || same(r.resourceGroup, resourceGroup)).map((r) => view(call, r));
  sendArmJson(ctx.req, ctx.res, 200, armPage(registries, ctx.url, deps.armUrl, deps.pageSize));
}

function getRegistry(call: Call, subscriptionId: string, resourceGroup: string, name: string): void {
  const subscription = subscriptionFor(call, subscriptionId);
  if (!subscription) {
    return;
  }
  const { ctx, deps } = call;
  const inGroup = deps.fixture.registries.filter((r) => same(r.subscriptionId, subscription.subscriptionId) && same(r.resourceGroup, resourceGroup));
  // A resource group exists here when it holds a registry (the fixture has no empty ones).
  if (inGroup.length === 0) {
    sendArmError(ctx.req, ctx.res, 404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
    return;
  }
  const registry = inGroup.find((r) => same(r.name, name));
  if (!registry) {
    sendArmError(
      ctx.req,
      ctx.res,
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ContainerRegistry/registries/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
    return;
  }
  sendArmJson(ctx.req, ctx.res, 200, view(call, registry));
}
