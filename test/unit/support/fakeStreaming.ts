/**
 * An in-memory `StreamingApi` that behaves like ACR's data plane as recorded
 * (docs/acr-api-shapes.md): the conversion POST answers `{id, status: NotStarted}`; the last
 * operation of an image with none is "undefined" (ACR: 404 OPERATION_UNKNOWN); an unknown
 * operation id is a NOT_FOUND error; cancel turns the operation Canceled.
 *
 * Failure injection: `recorder.failNext(method, error)` makes a call fail before it reaches
 * the "server"; `loseNextReply(error)` makes a conversion POST land (the operation exists)
 * and then fail as if its reply was lost.
 *
 * Broken referrers: `ignoreArtifactTypeFilter` returns every referrer whatever the filter (a
 * registry that ignores `?artifactType=` behind a client that would not filter);
 * `pagingFault` fails `listReferrers` with the error the HTTP client raises for such paging.
 */
import type { RequestOptions, RetryHint, StreamingApi } from '../../../src/core/api';
import { AcrStreamingError } from '../../../src/core/errors';
import { foreignLinkError, repeatedPageError } from '../../../src/core/paging';
import { CONVERSION_FORMAT, CONVERSION_VERSION } from '../../../src/core/mediaTypes';
import { isOngoing } from '../../../src/core/models';
import type { Descriptor, RepositoryStreamingState, StreamingOperation } from '../../../src/core/models';
import { CallRecorder } from './callRecorder';
import { streamingDescriptor } from './fixtures';

export class FakeStreaming implements StreamingApi {
  readonly recorder = new CallRecorder();
  /** Retry-After attached to every `getOperation` reply while set. */
  retryAfterMs?: number;
  /** `listReferrers` leaves the artifact-type filter out. */
  ignoreArtifactTypeFilter = false;
  pagingFault?: 'repeat' | 'cycle' | 'foreign-origin' | 'foreign-path';
  /** Conversions the "server" actually started (reply lost or not). */
  startedCount = 0;
  private readonly states = new Map<string, RepositoryStreamingState>();
  private readonly operations = new Map<string, StreamingOperation>();
  private readonly lastByImage = new Map<string, string>();
  private readonly referrers = new Map<string, Descriptor[]>();
  private readonly lostReplies: unknown[] = [];
  private nextId = 1;

  constructor(readonly loginServer = 'fake.azurecr.io') {}

  // --- test controls ----------------------------------------------------------------------

  /** The next `times` conversion POSTs reach the server (and start a conversion), but throw `error`. */
  loseNextReply(error: unknown, times = 1): void {
    for (let i = 0; i < times; i++) {
      this.lostReplies.push(error);
    }
  }

  addReferrer(repository: string, subjectDigest: string, descriptor: Descriptor): void {
    const key = `${repository}@${subjectDigest}`;
    this.referrers.set(key, [...(this.referrers.get(key) ?? []), descriptor]);
  }

  /** An operation that exists already, made the image's last one. */
  addOperation(repository: string, digest: string, overrides: Partial<StreamingOperation> = {}): StreamingOperation {
    const op: StreamingOperation = {
      id: overrides.id ?? this.newId(),
      repository,
      digest,
      name: 'ArtifactStreamingConversion',
      status: 'Running',
      progress: 0,
      startTime: '2025-04-28T03:54:17Z',
      details: `Conversion started for resource ${repository}@${digest}`,
      ...overrides,
    };
    this.operations.set(`${repository}|${op.id}`, op);
    this.lastByImage.set(`${repository}@${digest}`, op.id);
    return { ...op };
  }

  setOperation(repository: string, id: string, patch: Partial<StreamingOperation>): void {
    const op = this.operations.get(`${repository}|${id}`);
    if (!op) {
      throw new Error(`no operation ${id}`);
    }
    Object.assign(op, patch);
  }

  /** Finishes a conversion the way ACR does: Succeeded, 100%, and a streaming referrer. */
  completeConversion(repository: string, id: string): Descriptor {
    this.setOperation(repository, id, { status: 'Succeeded', progress: 100 });
    const op = this.operations.get(`${repository}|${id}`) as StreamingOperation;
    const descriptor = streamingDescriptor(`artifact-of-${op.digest}`);
    this.addReferrer(repository, op.digest as string, descriptor);
    return descriptor;
  }

  forgetOperation(repository: string, id: string): void {
    this.operations.delete(`${repository}|${id}`);
  }

  operation(repository: string, id: string): StreamingOperation | undefined {
    const op = this.operations.get(`${repository}|${id}`);
    return op ? { ...op } : undefined;
  }

  // --- StreamingApi -----------------------------------------------------------------------

  getRepositoryState(repository: string, options: RequestOptions = {}): Promise<RepositoryStreamingState> {
    return this.recorder.run('getRepositoryState', [repository], options.signal, () => ({
      ...(this.states.get(repository) ?? { repository, convertPushedImages: false }),
    }));
  }

  setAutoConversion(repository: string, enabled: boolean, options: RequestOptions = {}): Promise<RepositoryStreamingState> {
    return this.recorder.run('setAutoConversion', [repository, enabled], options.signal, () => {
      const state = { repository, convertPushedImages: enabled, conversionFormat: CONVERSION_FORMAT, conversionVersion: CONVERSION_VERSION };
      this.states.set(repository, state);
      return { ...state };
    });
  }

  startConversion(repository: string, digest: string, options: RequestOptions = {}): Promise<StreamingOperation> {
    return this.recorder.run('startConversion', [repository, digest], options.signal, () => {
      const op = this.addOperation(repository, digest, { status: 'NotStarted', progress: 0 });
      this.startedCount += 1;
      const lost = this.lostReplies.shift();
      if (lost !== undefined) {
        throw lost;
      }
      // The recorded 202 body carries only id and status.
      return { id: op.id, repository, digest, status: 'NotStarted', progress: 0 };
    });
  }

  getLastOperation(repository: string, digest: string, options: RequestOptions = {}): Promise<StreamingOperation | undefined> {
    return this.recorder.run('getLastOperation', [repository, digest], options.signal, () => {
      const id = this.lastByImage.get(`${repository}@${digest}`);
      const op = id === undefined ? undefined : this.operations.get(`${repository}|${id}`);
      return op ? { ...op } : undefined;
    });
  }

  getOperation(repository: string, operationId: string, options: RequestOptions = {}): Promise<StreamingOperation & RetryHint> {
    return this.recorder.run('getOperation', [repository, operationId], options.signal, () => {
      const op = this.operations.get(`${repository}|${operationId}`);
      if (!op) {
        throw new AcrStreamingError('NOT_FOUND', 'The specified operation does not exist', { status: 404 });
      }
      return this.retryAfterMs === undefined ? { ...op } : { ...op, retryAfterMs: this.retryAfterMs };
    });
  }

  cancelOperation(repository: string, operationId: string, options: RequestOptions = {}): Promise<StreamingOperation> {
    return this.recorder.run('cancelOperation', [repository, operationId], options.signal, () => {
      const op = this.operations.get(`${repository}|${operationId}`);
      if (!op) {
        throw new AcrStreamingError('NOT_FOUND', 'The specified operation does not exist', { status: 404 });
      }
      if (isOngoing(op.status)) {
        op.status = 'Canceled';
      }
      return { ...op, name: 'Cancel: ArtifactStreamingConversion' };
    });
  }

  listReferrers(repository: string, digest: string, options: RequestOptions & { artifactType?: string } = {}): Promise<Descriptor[]> {
    return this.recorder.run('listReferrers', [repository, digest, options.artifactType], options.signal, () => {
      const listing = { host: this.loginServer, what: `the referrers of ${repository}@${digest}` };
      switch (this.pagingFault) {
        case 'repeat':
        case 'cycle':
          throw repeatedPageError(listing, this.pagingFault === 'repeat' ? 1 : 2);
        case 'foreign-origin':
          throw foreignLinkError(listing, 'https://elsewhere.example');
        case 'foreign-path':
          throw foreignLinkError(listing, `/v2/${repository}/referrers/sha256:${'0'.repeat(64)}`);
      }
      const filter = this.ignoreArtifactTypeFilter ? undefined : options.artifactType;
      return (this.referrers.get(`${repository}@${digest}`) ?? [])
        .filter((descriptor) => filter === undefined || descriptor.artifactType === filter)
        .map((descriptor) => structuredClone(descriptor));
    });
  }

  private newId(): string {
    // Operation ids are GUIDs in ACR.
    return `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
  }
}
