/** A model or its weights that cannot be written as ONNX: the message names the parameter or option at fault. */
export class OnnxExportError extends Error {
  readonly code = 'TY_EXPORT';
  constructor(message: string) {
    super(message);
    this.name = 'OnnxExportError';
  }
}
