export type ChartsErrorCode =
  'NO_RUNS' | 'DUPLICATE_RUN' | 'EMPTY_HISTORY' | 'NO_METRICS' | 'BAD_CONFUSION' | 'REMOTE_DATA' | 'NO_SWEEP' | 'NO_SCHEDULE' | 'NO_MISCLASSIFIED' | 'NO_FEATURES';

/** A chart cannot be drawn from what it was given; `code` is stable, the message says what to fix. */
export class ChartsError extends Error {
  override readonly name = 'ChartsError';
  constructor(
    readonly code: ChartsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
