/**
 * LeNet-5's squashing function (LeCun et al. 1998, appendix A): f(a) = A tanh(S a) with A = 1.7159 and S = 2/3,
 * chosen so that f(1) = 1 and f(-1) = -1. The trainer and the ONNX exporter both read these.
 */
export const SCALED_TANH = { A: 1.7159, S: 2 / 3 } as const;
