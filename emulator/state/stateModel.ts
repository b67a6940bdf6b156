/** The shape of `<dataDir>/state.json`, validated on load. */
import { z } from 'zod';
import type { OperationRecord } from '../operations/operation';
import type { TagTimeRecord } from '../registry/metadataCache';

export interface RepositorySettings {
  convertPushedImages: boolean;
  conversionFormat?: string;
  conversionVersion?: string;
  updatedTime: string;
}

export interface EmulatorState {
  version: 1;
  repositories: Record<string, RepositorySettings>;
  operations: OperationRecord[];
  /** repository → tag → when the emulator saw it pushed. */
  tagTimes: Record<string, Record<string, TagTimeRecord>>;
}

export function emptyState(): EmulatorState {
  return { version: 1, repositories: {}, operations: [], tagTimes: {} };
}

const operationSchema = z.object({
  id: z.string(),
  kind: z.enum(['conversion', 'settings']),
  repository: z.string(),
  digest: z.string().optional(),
  status: z.enum(['NotStarted', 'Running', 'Succeeded', 'Failed', 'Canceled']),
  progress: z.number(),
  startTime: z.string(),
  details: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  artifactDigest: z.string().optional(),
  automatic: z.boolean().optional(),
  updatedTime: z.string(),
});

export const stateSchema = z.object({
  version: z.literal(1),
  repositories: z.record(
    z.string(),
    z.object({
      convertPushedImages: z.boolean(),
      conversionFormat: z.string().optional(),
      conversionVersion: z.string().optional(),
      updatedTime: z.string(),
    }),
  ),
  operations: z.array(operationSchema),
  tagTimes: z.record(z.string(), z.record(z.string(), z.object({ digest: z.string(), createdTime: z.string(), lastUpdateTime: z.string() }))),
});
