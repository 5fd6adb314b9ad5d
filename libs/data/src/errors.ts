/** A dataset that cannot be found, read or used: the message names the file or setting, what is wrong and what to do. */
export class DataError extends Error {
  readonly code = 'TY_DATA';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataError';
  }
}
