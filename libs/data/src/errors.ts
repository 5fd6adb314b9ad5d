/** A dataset that cannot be found, read or used: the message names the file or setting, what is wrong and what to do. */
export class DataError extends Error {
  readonly code = 'TY_DATA';
  /** For a transform that cannot apply: which one, and what is wrong without its name (for messages that place it themselves). */
  readonly transform?: { index: number; detail: string };
  constructor(message: string, options?: { cause?: unknown; transform?: { index: number; detail: string } }) {
    super(message, options);
    this.name = 'DataError';
    if (options?.transform) this.transform = options.transform;
  }
}
