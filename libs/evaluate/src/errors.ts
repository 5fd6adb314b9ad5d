/** Inputs evaluation cannot work with: a model that does not fit the data, a label or probe index out of range. */
export class EvaluateError extends Error {
  readonly code = 'TY_EVALUATE';
  constructor(message: string) {
    super(message);
    this.name = 'EvaluateError';
  }
}

/** The ONNX file computes other logits than TensorFlow.js did after training. */
export class ParityError extends Error {
  readonly code = 'TY_PARITY';
  constructor(message: string) {
    super(message);
    this.name = 'ParityError';
  }
}
