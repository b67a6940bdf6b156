/** The conversion throttle (bytes of source read per second, per conversion), settable at run time. */
export const DEFAULT_CONVERSION_BYTES_PER_SECOND = 4 * 1024 * 1024;

export class ConversionSpeed {
  constructor(private bytesPerSecond = DEFAULT_CONVERSION_BYTES_PER_SECOND) {}

  /** <= 0 means unlimited. */
  get(): number {
    return this.bytesPerSecond;
  }

  set(bytesPerSecond: number): void {
    if (!Number.isFinite(bytesPerSecond)) {
      throw new Error('bytesPerSecond must be a finite number');
    }
    this.bytesPerSecond = bytesPerSecond;
  }
}
