/**
 * The local ACR-compatible emulator: a real docker-registry underneath, ACR's data-plane API
 * (auth, `/acr/v1` metadata, artifact streaming, referrers) in front. See README.md.
 */
export { startEmulator } from './startEmulator';
export type { EmulatorHandle, EmulatorOptions, EntraTestTokenOptions, FaultKind, FaultRule, ScopedTokenOption } from './types';
export { parseFaultRules } from './faults/faultRule';
export { DEFAULT_TENANT_ID } from './auth/tokenService';
export { DEFAULT_CONVERSION_BYTES_PER_SECOND } from './conversion/conversionSpeed';
