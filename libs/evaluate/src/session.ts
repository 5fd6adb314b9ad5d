import * as ort from 'onnxruntime-node';
import { EvaluateError } from './errors';

export const INTRA_OP_THREADS = 2;

/** Values in a tensor of this shape (an image's pixels). */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function runtimeName(): string {
  return `onnxruntime-node ${ort.env.versions.node} (cpu, ${INTRA_OP_THREADS} intra-op threads)`;
}

/** An ONNX classifier: one float32 input [batch, ...imageShape], one output of logits [batch, classes]. */
export class Classifier {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    private readonly outputName: string,
    private readonly imageShape: readonly number[],
    private readonly extra?: string,
  ) {}

  /**
   * `model` is a path, or the file's bytes with `name` its path for messages. `extra` names a second output
   * to fetch beside the logits (an intermediate tensor made a graph output, see withFeatureOutput).
   */
  static async open(model: string | { bytes: Uint8Array; name: string }, imageShape: readonly number[], extra?: string): Promise<Classifier> {
    const modelPath = typeof model === 'string' ? model : model.name;
    let session: ort.InferenceSession;
    try {
      const options: ort.InferenceSession.SessionOptions = {
        executionProviders: ['cpu'],
        intraOpNumThreads: INTRA_OP_THREADS,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      };
      session = typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model.bytes, options);
    } catch (e) {
      throw new EvaluateError(`cannot load ${modelPath}: ${(e as Error).message}`);
    }
    const input = session.inputMetadata[0];
    if (session.inputNames.length !== 1 || !input?.isTensor) {
      await session.release();
      throw new EvaluateError(`${modelPath}: expected one tensor input, got ${session.inputNames.length} inputs`);
    }
    // Symbolic dims (the batch) are strings; every fixed dim after the batch must match the test images.
    const fixed = input.shape.slice(1);
    if (fixed.length !== imageShape.length || fixed.some((d, i) => typeof d === 'number' && d !== imageShape[i])) {
      await session.release();
      throw new EvaluateError(`${modelPath}: the model reads input [${input.shape.join(', ')}], the test images are [${imageShape.join(', ')}]`);
    }
    const outputName = session.outputNames.includes('logits') ? 'logits' : session.outputNames[0];
    return new Classifier(session, session.inputNames[0], outputName, imageShape, extra);
  }

  /** Logits [batch][classes], row-major; and the extra output's values, when one was asked for. */
  async run(images: Float32Array, batch: number): Promise<{ data: Float32Array; classes: number; extra?: Float32Array }> {
    const feeds = { [this.inputName]: new ort.Tensor('float32', images, [batch, ...this.imageShape]) };
    const result = this.extra === undefined ? await this.session.run(feeds) : await this.session.run(feeds, [this.outputName, this.extra]);
    const logits = result[this.outputName] as ort.Tensor;
    if (logits.dims.length !== 2 || logits.dims[0] !== batch) {
      throw new EvaluateError(`the model's output '${this.outputName}' has shape [${logits.dims.join(', ')}], expected [${batch}, classes]`);
    }
    return { data: logits.data as Float32Array, classes: logits.dims[1], ...(this.extra !== undefined && { extra: result[this.extra].data as Float32Array }) };
  }

  /** Runs the first `count` of `images` (channels first) in batches of `batchSize`, handing `take` each batch's result and where it starts. */
  async runBatches(images: Float32Array, count: number, batchSize: number, take: (result: Awaited<ReturnType<Classifier['run']>>, start: number, n: number) => void): Promise<void> {
    const pixels = size(this.imageShape);
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      take(await this.run(images.subarray(start * pixels, (start + n) * pixels), n), start, n);
    }
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
