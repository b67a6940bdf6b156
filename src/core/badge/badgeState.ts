/** The streaming badge of one image: what the tree, the panel and the CLI show. */
import type { ConversionFailureCode } from '../errors';
import type { Descriptor, StreamingOperation } from '../models';

/** Why ACR would refuse to convert an image, found before anything is sent. */
export type UnsupportedReason = 'platform' | 'media-type' | 'streaming-artifact' | 'non-runnable';

export interface UnsupportedFinding {
  reason: UnsupportedReason;
  code: ConversionFailureCode;
  /** What is wrong with this image, one sentence; the hint for `code` says what to do. */
  message: string;
  /** The platforms the image does have (`linux/arm64`, …), for 'platform' findings. */
  platforms?: string[];
}

export type BadgeState =
  | { kind: 'streamed'; artifacts: Descriptor[] }
  | { kind: 'converting'; progress: number; operation: StreamingOperation }
  | { kind: 'failed'; code: string; message: string; hint: string; operation: StreamingOperation }
  /** Never converted, or the last conversion was cancelled (or succeeded but its artifact is gone). */
  | { kind: 'not-converted'; lastOperation?: StreamingOperation }
  | ({ kind: 'unsupported' } & UnsupportedFinding);

export type BadgeKind = BadgeState['kind'];
