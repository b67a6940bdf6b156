/**
 * Shapes of registry replies, validated before anything reads them. Bounded where a hostile or
 * broken server could otherwise hand us unbounded text. Fields follow the recorded ACR traffic
 * (docs/acr-api-shapes.md); unknown fields are tolerated.
 */
import { z } from 'zod';
import { OPERATION_STATUSES, type OperationStatus } from './models';

const text = (max = 4096) => z.string().max(max);
const digest = z.string().regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/).max(200);
const annotations = z.record(z.string().max(256), z.string().max(8192));
const status = z.enum(OPERATION_STATUSES as [OperationStatus, ...OperationStatus[]]);

export const streamingSettingsSchema = z
  .object({
    convertPushedImages: z.boolean(),
    conversionFormat: text(64).optional(),
    conversionVersion: text(64).optional(),
  })
  .passthrough();

/** The reply to a conversion POST and to "last operation of an image": only id and status. */
export const operationRefSchema = z.object({ id: text(200).min(1), status }).passthrough();

export const operationSchema = z
  .object({
    id: text(200).optional(),
    name: text(200).optional(),
    resource: text(1024).optional(),
    status,
    startTime: text(64).optional().nullable(),
    progress: z.union([text(16), z.number()]).optional().nullable(),
    details: text(8192).optional().nullable(),
    error: z.object({ code: text(200), message: text(4096).optional().nullable() }).passthrough().optional().nullable(),
  })
  .passthrough();

export const platformSchema = z
  .object({ os: text(64), architecture: text(64), variant: text(64).optional() })
  .passthrough();

export const descriptorSchema = z
  .object({
    mediaType: text(256),
    digest,
    size: z.number().int().nonnegative(),
    artifactType: text(256).optional(),
    annotations: annotations.optional(),
    platform: platformSchema.optional(),
  })
  .passthrough();

export const manifestSchema = z
  .object({
    schemaVersion: z.number().optional(),
    mediaType: text(256).optional(),
    artifactType: text(256).optional(),
    config: descriptorSchema.optional(),
    layers: z.array(descriptorSchema).max(10_000).optional(),
    manifests: z.array(descriptorSchema).max(10_000).optional(),
    subject: descriptorSchema.optional(),
    annotations: annotations.optional(),
  })
  .passthrough();

export const imageConfigSchema = z.object({ os: text(64), architecture: text(64), variant: text(64).optional() }).passthrough();

export const referrersIndexSchema = z.object({ manifests: z.array(descriptorSchema).max(10_000) }).passthrough();

const changeable = z.object({}).passthrough().optional();

export const tagSchema = z
  .object({
    name: text(128),
    digest,
    createdTime: text(64).optional(),
    lastUpdateTime: text(64).optional(),
    changeableAttributes: changeable,
  })
  .passthrough();

export const tagListSchema = z.object({ tags: z.array(tagSchema).max(100_000).optional().nullable() }).passthrough();
export const singleTagSchema = z.object({ tag: tagSchema }).passthrough();

export const manifestAttributesSchema = z
  .object({
    manifest: z
      .object({
        digest,
        architecture: text(64).optional().nullable(),
        os: text(64).optional().nullable(),
        mediaType: text(256).optional().nullable(),
        configMediaType: text(256).optional().nullable(),
        imageSize: z.number().optional().nullable(),
      })
      .passthrough(),
  })
  .passthrough();
