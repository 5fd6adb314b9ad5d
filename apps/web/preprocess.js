// The model card's preprocessing, by data: shared by the page and the tests, in plain JavaScript so the
// browser loads it as it is. Every step stores its result as float32, as the data stage does, so the
// model sees the numbers it was evaluated on.

/**
 * An image's bytes (rows, then columns, then `from` channels: 1 gray, 2 gray and alpha, 3 RGB, 4 RGBA) with
 * `to` channels, as the data stage converts files: alpha dropped, one channel repeated to three, three
 * made one as the grayscale step does (a float, not rounded to a byte).
 */
export function toChannels(pixels, from, to) {
  if (to !== 1 && to !== 3) throw new Error(`model.json's source has ${to} channels; only 1 or 3 are images`);
  const count = pixels.length / from;
  const out = new Float32Array(count * to);
  const colour = from >= 3;
  for (let p = 0; p < count; p++) {
    const at = p * from;
    if (to === 3) for (let ch = 0; ch < 3; ch++) out[p * 3 + ch] = pixels[at + (colour ? ch : 0)];
    else out[p] = colour ? luma(pixels[at], pixels[at + 1], pixels[at + 2]) : pixels[at];
  }
  return out;
}

/** ITU-R BT.601 luma, the grayscale step's weights. */
const luma = (r, g, b) => 0.299 * r + 0.587 * g + 0.114 * b;

/**
 * One image's raw values (bytes, or toChannels' values; rows then columns then channels, as model.json's
 * `preprocessing.source` says) through the card's steps: a Float32Array, channels first, the model's
 * input for that image. `size` is the image's [rows, columns], needed when the source's vary (null).
 */
export function preprocess(raw, card, size) {
  const [c, h, w] = card.preprocessing.source.shape;
  const [rows, columns] = size ?? [h, w];
  if (rows == null || columns == null) throw new Error("model.json's source images vary in size: give this image's rows and columns");
  if (h != null && (rows !== h || columns !== w)) throw new Error(`an image of ${rows}x${columns}; model.json's source is ${h}x${w}`);
  if (raw.length !== c * rows * columns) throw new Error(`an image of ${raw.length} values; model.json's source is ${c}x${rows}x${columns}`);
  let x = { values: new Float32Array(c * rows * columns), channels: c, rows, columns };
  for (let y = 0; y < rows; y++) for (let col = 0; col < columns; col++) for (let ch = 0; ch < c; ch++) x.values[(ch * rows + y) * columns + col] = raw[(y * columns + col) * c + ch];
  for (const step of card.preprocessing.steps) {
    const apply = STEPS[step.type];
    if (!apply) throw new Error(`model.json: unknown preprocessing step '${step.type}'`);
    x = apply(x, step);
  }
  const wanted = card.input.shape.slice(1);
  if (String([x.channels, x.rows, x.columns]) !== String(wanted)) throw new Error(`the steps give ${x.channels}x${x.rows}x${x.columns} per image; the model reads [${card.input.shape.join(', ')}]`);
  return x.values;
}

// Each step of the card on an image { values: Float32Array [channels, rows, columns], channels, rows, columns }.
const STEPS = {
  scale: (x, step) => map(x, (v) => v / step.divide),
  normalize: (x, step) => map(x, (v) => (v - step.mean) / step.std),
  grayscale(x) {
    if (x.channels !== 3) throw new Error(`model.json: grayscale of an image of ${x.channels} channel(s), not 3`);
    const plane = x.rows * x.columns;
    const values = new Float32Array(plane);
    for (let i = 0; i < plane; i++) values[i] = luma(x.values[i], x.values[plane + i], x.values[2 * plane + i]);
    return { ...x, values, channels: 1 };
  },
  resize(x, { height, width, fit, value }) {
    if (fit === 'stretch') return resample(x, height, width);
    // Scaled by the smaller ratio (contain) or the larger (cover); the other side rounded to the nearest
    // integer, halves up. Compared as products, so that equal ratios are equal.
    const byRows = height * x.columns <= width * x.rows === (fit === 'contain');
    const [rows, columns] = byRows ? [height, Math.max(1, Math.round((x.columns * height) / x.rows))] : [Math.max(1, Math.round((x.rows * width) / x.columns)), width];
    const scaled = resample(x, rows, columns);
    return fit === 'contain' ? place(scaled, height, width, (height - rows) >> 1, (width - columns) >> 1, value) : centerCrop(scaled, height, width);
  },
  'center-crop': (x, step) => centerCrop(x, step.height, step.width),
  pad: (x, step) => place(x, x.rows + step.top + step.bottom, x.columns + step.left + step.right, step.top, step.left, step.value),
};

function map(x, f) {
  const values = new Float32Array(x.values.length);
  for (let i = 0; i < values.length; i++) values[i] = f(x.values[i]);
  return { ...x, values };
}

/** Bilinear resampling to rows x columns: OpenCV's INTER_LINEAR (pixel centres at half-integers, edges clamped, no antialiasing). */
function resample(x, rows, columns) {
  const [ys, xs] = [taps(x.rows, rows), taps(x.columns, columns)];
  const values = new Float32Array(x.channels * rows * columns);
  for (let ch = 0; ch < x.channels; ch++) {
    const plane = x.values.subarray(ch * x.rows * x.columns, (ch + 1) * x.rows * x.columns);
    for (let y = 0; y < rows; y++) {
      const [y0, y1, fy] = ys[y];
      for (let col = 0; col < columns; col++) {
        const [x0, x1, fx] = xs[col];
        const top = (1 - fx) * plane[y0 * x.columns + x0] + fx * plane[y0 * x.columns + x1];
        const bottom = (1 - fx) * plane[y1 * x.columns + x0] + fx * plane[y1 * x.columns + x1];
        values[(ch * rows + y) * columns + col] = (1 - fy) * top + fy * bottom;
      }
    }
  }
  return { values, channels: x.channels, rows, columns };
}

/** For each of `to` samples along an axis of `from` pixels: the two pixels it falls between and the weight of the second. */
function taps(from, to) {
  return Array.from({ length: to }, (_, i) => {
    const at = ((i + 0.5) * from) / to - 0.5;
    const first = Math.floor(at);
    if (first < 0) return [0, 0, 0];
    if (first >= from - 1) return [from - 1, from - 1, 0];
    return [first, first + 1, at - first];
  });
}

/** The image on a rows x columns canvas of `value`, its top-left corner at (top, left). */
function place(x, rows, columns, top, left, value) {
  const values = new Float32Array(x.channels * rows * columns).fill(value);
  for (let ch = 0; ch < x.channels; ch++) {
    for (let y = 0; y < x.rows; y++) values.set(x.values.subarray((ch * x.rows + y) * x.columns, (ch * x.rows + y + 1) * x.columns), (ch * rows + y + top) * columns + left);
  }
  return { values, channels: x.channels, rows, columns };
}

/** The middle rows x columns, from row floor((h - rows) / 2) and column floor((w - columns) / 2). */
function centerCrop(x, rows, columns) {
  if (rows > x.rows || columns > x.columns) throw new Error(`model.json: center-crop to ${rows}x${columns} of an image of ${x.rows}x${x.columns}`);
  const [top, left] = [(x.rows - rows) >> 1, (x.columns - columns) >> 1];
  const values = new Float32Array(x.channels * rows * columns);
  for (let ch = 0; ch < x.channels; ch++) {
    for (let y = 0; y < rows; y++) {
      const from = (ch * x.rows + y + top) * x.columns + left;
      values.set(x.values.subarray(from, from + columns), (ch * rows + y) * columns);
    }
  }
  return { values, channels: x.channels, rows, columns };
}

/** Softmax of one row of logits: the class probabilities. */
export function softmax(logits) {
  const max = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}
