// The page: pick an exported model (or drop a .onnx with its model.json), draw or drop an image, see the
// class probabilities. onnxruntime-web runs the model in the page; nothing leaves it.
import { preprocess, softmax, toChannels } from './preprocess.js';

const ort = window.ort;
// The wasm files sit beside ort.min.js, served from our node_modules; one thread needs no cross-origin isolation.
ort.env.wasm.wasmPaths = new URL('../ort/', location.href).href;
ort.env.wasm.numThreads = 1;

const $ = (id) => document.getElementById(id);
const canvas = $('canvas');
const pen = canvas.getContext('2d', { willReadFrequently: true });
let model; // { card, session, name }
// A dropped image, RGBA at its own size, that a model whose source images vary in size reads as it is.
let picture; // { rgba, rows, columns }

function clearCanvas() {
  picture = undefined;
  pen.fillStyle = 'black';
  pen.fillRect(0, 0, canvas.width, canvas.height);
  showProbabilities(undefined);
}

function status(text, isError = false) {
  $('status').textContent = text;
  $('status').className = isError ? 'error' : '';
}

async function useModel(bytes, card, name) {
  const session = await ort.InferenceSession.create(bytes);
  model = { card, session, name };
  const test = card.metrics?.test;
  // A run of several: its label in full (the settings that set it apart, however long), then the model.
  const run = document.createElement('span');
  run.className = 'run';
  run.textContent = `${card.pipeline}, run ${card.run}: ${card.label}`;
  const about = `${card.model.name} · ${card.model.parameters.toLocaleString('en')} parameters · input [${card.input.shape.join(', ')}]` + (test ? ` · test accuracy ${(100 * test.accuracy).toFixed(2)}% on ${test.samples.toLocaleString('en')} images` : '');
  $('model-info').replaceChildren(...(card.label ? [run] : []), about);
  status(`${name} loaded`);
  showProbabilities(undefined);
  if (hasInk()) update();
}

/**
 * Predicted class index and probabilities of `count` images, raw values as model.json's source describes
 * them; `size`, their [rows, columns], where the source's vary.
 */
async function classify(raw, count = 1, size) {
  const [c, h, w] = model.card.preprocessing.source.shape;
  const [rows, columns] = size ?? [h, w];
  const values = c * rows * columns;
  const per = model.card.input.shape.slice(1).reduce((a, b) => a * b, 1);
  const input = new Float32Array(per * count);
  for (let i = 0; i < count; i++) input.set(preprocess(raw.subarray(i * values, (i + 1) * values), model.card, [rows, columns]), i * per);
  const result = await model.session.run({ [model.card.input.name]: new ort.Tensor('float32', input, [count, ...model.card.input.shape.slice(1)]) });
  const logits = result[model.card.output.name].data;
  const k = model.card.classes.length;
  return Array.from({ length: count }, (_, i) => {
    const p = softmax(logits.subarray(i * k, (i + 1) * k));
    return { predicted: p.indexOf(Math.max(...p)), probabilities: p };
  });
}

function hasInk() {
  const d = pen.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < d.length; i += 4) if (d[i] > 0) return true;
  return false;
}

/** Whether the model's source images vary in size (rows and columns null): it reads a dropped image as it is. */
const anySize = () => model.card.preprocessing.source.shape[1] == null;

/**
 * The drawing as the dataset stores an image: the ink's bounding box scaled to fit 20/28 of the image
 * (MNIST's digits sit in a 20x20 box of a 28x28 image), centred, light on dark. Where the source's images
 * vary in size, the image is as large as the first resize step makes it.
 */
function canvasToSource() {
  const c = model.card.preprocessing.source.shape[0];
  const [h, w] = anySize() ? drawingSize(model.card) : model.card.preprocessing.source.shape.slice(1);
  const { data } = pen.getImageData(0, 0, canvas.width, canvas.height);
  let [top, left, bottom, right] = [canvas.height, canvas.width, -1, -1];
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < canvas.width; x++) {
      if (data[(y * canvas.width + x) * 4] > 0) [top, left, bottom, right] = [Math.min(top, y), Math.min(left, x), Math.max(bottom, y), Math.max(right, x)];
    }
  }
  const small = document.createElement('canvas');
  [small.width, small.height] = [w, h];
  const out = small.getContext('2d', { willReadFrequently: true });
  out.fillStyle = 'black';
  out.fillRect(0, 0, w, h);
  if (bottom >= 0) {
    const [bw, bh] = [right - left + 1, bottom - top + 1];
    const scale = Math.min((w * 20) / 28 / bw, (h * 20) / 28 / bh);
    out.imageSmoothingQuality = 'high';
    out.drawImage(canvas, left, top, bw, bh, (w - bw * scale) / 2, (h - bh * scale) / 2, bw * scale, bh * scale);
  }
  return { raw: toChannels(out.getImageData(0, 0, w, h).data, 4, c), size: [h, w] };
}

/** The size the card's first resize step makes, else the model's input's. */
function drawingSize(card) {
  const resize = card.preprocessing.steps.find((s) => s.type === 'resize');
  return resize ? [resize.height, resize.width] : card.input.shape.slice(2);
}

function showProbabilities(result) {
  const list = $('probabilities');
  list.replaceChildren();
  $('prediction').textContent = result ? model.card.classes[result.predicted] : '–';
  if (!model) return;
  model.card.classes.forEach((name, i) => {
    const p = result ? result.probabilities[i] : 0;
    const row = document.createElement('li');
    row.className = result && i === result.predicted ? 'top' : '';
    row.innerHTML = `<span class="name"></span><span class="bar"><span style="width:${(100 * p).toFixed(1)}%"></span></span><span class="value">${result ? (100 * p).toFixed(1) + '%' : ''}</span>`;
    row.querySelector('.name').textContent = name;
    list.append(row);
  });
}

let pending = false;
function update() {
  if (!model || pending) return;
  pending = true;
  requestAnimationFrame(async () => {
    try {
      const { raw, size } = picture && anySize() ? { raw: toChannels(picture.rgba, 4, model.card.preprocessing.source.shape[0]), size: [picture.rows, picture.columns] } : canvasToSource();
      const [result] = await classify(raw, 1, size);
      showProbabilities(result);
    } catch (e) {
      status(String(e.message ?? e), true);
    } finally {
      pending = false;
    }
  });
}

// Drawing: white strokes on black, as the datasets store their images.
let last;
canvas.addEventListener('pointerdown', (e) => {
  canvas.setPointerCapture(e.pointerId);
  if (picture) clearCanvas(); // drawing starts anew over a picture read as it is
  last = [e.offsetX, e.offsetY];
  stroke(last);
});
canvas.addEventListener('pointermove', (e) => {
  if (!last) return;
  stroke([e.offsetX, e.offsetY]);
});
canvas.addEventListener('pointerup', () => (last = undefined));
function stroke(to) {
  pen.strokeStyle = 'white';
  pen.lineWidth = 20;
  pen.lineCap = 'round';
  pen.lineJoin = 'round';
  pen.beginPath();
  pen.moveTo(...last);
  pen.lineTo(...to);
  pen.stroke();
  last = to;
  update();
}
$('clear').addEventListener('click', clearCanvas);

// A dropped image is drawn on the canvas (dark ink on light paper turned light on dark), or, for a model
// whose source images vary in size, shown there and read at its own size, colours and all; a dropped
// .onnx with its model.json becomes the model.
async function dropped(files) {
  const onnx = files.find((f) => f.name.endsWith('.onnx'));
  const json = files.find((f) => f.name.endsWith('.json'));
  const image = files.find((f) => f.type.startsWith('image/'));
  try {
    if (onnx || json) {
      if (!onnx || !json) throw new Error('drop the .onnx file together with its model.json');
      await useModel(new Uint8Array(await onnx.arrayBuffer()), JSON.parse(await json.text()), onnx.name);
    }
    if (image) await drawImage(image);
  } catch (e) {
    status(String(e.message ?? e), true);
  }
}
async function drawImage(file) {
  // The file's own values: no colour management, no premultiplied alpha.
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  clearCanvas();
  const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
  pen.drawImage(bitmap, (canvas.width - bitmap.width * scale) / 2, (canvas.height - bitmap.height * scale) / 2, bitmap.width * scale, bitmap.height * scale);
  if (model && anySize()) {
    const full = document.createElement('canvas');
    [full.width, full.height] = [bitmap.width, bitmap.height];
    const context = full.getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    picture = { rgba: context.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: 'srgb' }).data, rows: bitmap.height, columns: bitmap.width };
    update();
    return;
  }
  const img = pen.getImageData(0, 0, canvas.width, canvas.height);
  const d = img.data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4) sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
  const invert = sum / (d.length / 4) > 127;
  for (let i = 0; i < d.length; i += 4) {
    const g = (d[i] + d[i + 1] + d[i + 2]) / 3;
    d[i] = d[i + 1] = d[i + 2] = invert ? 255 - g : g;
  }
  pen.putImageData(img, 0, 0);
  update();
}
for (const type of ['dragover', 'drop']) {
  document.addEventListener(type, (e) => {
    e.preventDefault();
    if (type === 'drop') dropped([...e.dataTransfer.files]);
  });
}
$('files').addEventListener('change', (e) => dropped([...e.target.files]));

// The exported models `npm run web` found.
async function loadList() {
  const response = await fetch('../models.json');
  const models = await response.json();
  const select = $('models');
  // Each option in full: the select is as wide as the longest (style.css), and its title repeats it on hover.
  for (const [i, m] of models.entries()) {
    const option = new Option(`${m.pipeline}${m.run === 'default' ? '' : ` · ${m.label}`} (${(100 * m.accuracy).toFixed(2)}%)`, String(i));
    option.title = option.text;
    select.add(option);
  }
  select.addEventListener('change', () => pick(models, Number(select.value)));
  if (models.length === 0) status('No exported model yet: run npx nx run pipeline:lenet-l2, then npm run web again; or drop a .onnx with its model.json here.', true);
  else await pick(models, 0);
  return models;
}
async function pick(models, i) {
  const m = models[i];
  $('models').value = String(i);
  $('models').title = $('models').selectedOptions[0]?.text ?? '';
  status(`loading ${m.pipeline} ${m.run}…`);
  const [bytes, card] = await Promise.all([fetch(`../${m.onnx}`).then((r) => r.arrayBuffer()), fetch(`../${m.card}`).then((r) => r.json())]);
  await useModel(new Uint8Array(bytes), card, `${m.pipeline} ${m.run}`);
}

clearCanvas();
// For tests and the console: the same paths the page uses.
window.trainyard = {
  ready: loadList(),
  classify: async (raw, count, size) => (await classify(raw, count, size)).map((r) => r.predicted),
  pick: async (i) => pick(await window.trainyard.ready, i),
};
