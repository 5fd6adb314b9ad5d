// The model card's preprocessing, by data: shared by the page and the tests, in plain JavaScript so the
// browser loads it as it is. Every step stores its result as float32, as the data stage does, so the
// model sees the same numbers it was evaluated on.

/**
 * One image's raw values (Uint8Array, rows then columns then channels, as model.json's
 * `preprocessing.source` says) through the card's steps: a Float32Array, channels first, the model's
 * input for that image.
 */
export function preprocess(raw, card) {
  const [c, h, w] = card.preprocessing.source.shape;
  if (raw.length !== c * h * w) throw new Error(`an image of ${raw.length} values; model.json's source is ${c}x${h}x${w}`);
  let x = new Float32Array(c * h * w);
  for (let y = 0; y < h; y++) for (let col = 0; col < w; col++) for (let ch = 0; ch < c; ch++) x[(ch * h + y) * w + col] = raw[(y * w + col) * c + ch];
  let [height, width] = [h, w];
  for (const step of card.preprocessing.steps) {
    if (step.type === 'scale') {
      for (let i = 0; i < x.length; i++) x[i] = x[i] / step.divide;
    } else if (step.type === 'normalize') {
      for (let i = 0; i < x.length; i++) x[i] = (x[i] - step.mean) / step.std;
    } else if (step.type === 'pad') {
      const [H, W] = [height + step.top + step.bottom, width + step.left + step.right];
      const out = new Float32Array(c * H * W).fill(step.value);
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < height; y++) out.set(x.subarray((ch * height + y) * width, (ch * height + y + 1) * width), (ch * H + y + step.top) * W + step.left);
      [x, height, width] = [out, H, W];
    } else {
      throw new Error(`model.json: unknown preprocessing step '${step.type}'`);
    }
  }
  const expected = card.input.shape.slice(1).reduce((a, b) => a * b, 1);
  if (x.length !== expected) throw new Error(`the steps give ${x.length} values per image; the model reads [${card.input.shape.join(', ')}]`);
  return x;
}

/** Softmax of one row of logits: the class probabilities. */
export function softmax(logits) {
  const max = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
