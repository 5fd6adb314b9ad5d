/* Generated from libs/artifacts/model-card.schema.json by scripts/generate.ts: edit the schema, then `npm run generate`. */

/**
 * 'batch' first (any size), then the fixed dimensions.
 *
 * @minItems 2
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "BatchShape".
 */
export type BatchShape = ['batch', ...number[]];
/**
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "PreprocessingStep".
 */
export type PreprocessingStep = ScaleStep | GrayscaleStep | ResizeStep | CenterCropStep | PadStep | NormalizeStep;

/**
 * model.json beside a trained model.onnx: what the model reads and outputs, how to prepare an image for it, where it comes from and how it did on the test split. The ONNX file carries the same JSON in its metadata under the key 'trainyard.card'.
 */
export interface ModelCard {
  /**
   * Version of this format.
   */
  card: 1;
  /**
   * The pipeline file's name (pipelines/<pipeline>.yaml).
   */
  pipeline: string;
  /**
   * The run's id in the pipeline ('default' for a pipeline of one run).
   */
  run: string;
  /**
   * In a pipeline of several runs: what sets this run apart, as text.
   */
  label?: string;
  /**
   * In a pipeline of several runs: the variant, swept keys and seed of this run.
   */
  values?: {
    [k: string]: unknown;
  };
  /**
   * Fingerprint of the train stage: the same fingerprint, the same training.
   */
  fingerprint: string;
  /**
   * Present when the run trained with values merged over the pipeline file (a profile such as quick, or TRAINYARD_OVERRIDES): a reduced run, whose metrics are not those of the file as written.
   */
  overrides?: {
    /**
     * What was merged over every run, as a pipeline file's keys.
     */
    values: {
      [k: string]: unknown;
    };
    /**
     * The profile the values come from, if any.
     */
    profile?: string;
  };
  model: {
    name: string;
    /**
     * Trainable parameters.
     */
    parameters: number;
  };
  /**
   * The ONNX opset of the file.
   */
  opset: number;
  input: {
    /**
     * Name of the graph input to feed.
     */
    name: string;
    /**
     * Batch, channels, rows, columns.
     */
    layout: 'NCHW';
    shape: BatchShape;
    dtype: 'float32';
  };
  output: {
    /**
     * Name of the graph output.
     */
    name: string;
    /**
     * One score per class, before softmax: apply softmax for probabilities, argmax for the class.
     */
    holds: 'logits';
    shape: BatchShape;
    dtype: 'float32';
  };
  /**
   * Class names, in the order of the output's scores.
   *
   * @minItems 2
   */
  classes: string[];
  preprocessing: {
    /**
     * One image as the dataset's files store it, before any step.
     */
    source: {
      /**
       * [channels, rows, columns]; rows and columns are null when the images differ in size (a resize step then comes first). Files with other channel counts are converted: one to three by repeating it, three to one as the grayscale step does (on the scaled values, so the result is not rounded to a byte), alpha dropped.
       *
       * @minItems 3
       * @maxItems 3
       */
      shape: (number | null)[];
      /**
       * Rows, then columns, then channels (one byte per value).
       */
      layout: 'HWC';
      dtype: 'uint8';
    };
    /**
     * Applied in order to every value of the image; the result, channels first, is the input.
     *
     * @minItems 1
     */
    steps: PreprocessingStep[];
  };
  metrics: {
    /**
     * This file run on the dataset's test split.
     */
    test: {
      accuracy: number;
      /**
       * Mean cross-entropy, in nats.
       */
      loss: number;
      samples: number;
      /**
       * What ran the file.
       */
      runtime: string;
    };
  };
}
/**
 * x = x / divide (255: bytes to [0, 1]).
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "ScaleStep".
 */
export interface ScaleStep {
  type: 'scale';
  divide: number;
}
/**
 * Three channels to one: x = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601 luma, as OpenCV's and Pillow's conversions).
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "GrayscaleStep".
 */
export interface GrayscaleStep {
  type: 'grayscale';
}
/**
 * Bilinear resampling of an h x w image, pixel centres at half-integers and edges clamped, without antialiasing (OpenCV's INTER_LINEAR on float values). stretch: to height x width. contain: scaled by min(height/h, width/w): the side that limits becomes height (or width) exactly and the other round(w * height / h) (or round(h * width / w)), rounded half up in exact arithmetic, at least 1; then centred on a height x width canvas of value (an odd margin puts the extra pixel bottom/right). cover: scaled by max(height/h, width/w), each side rounded the same way, then cropped to height x width as center-crop does.
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "ResizeStep".
 */
export interface ResizeStep {
  type: 'resize';
  height: number;
  width: number;
  fit: 'stretch' | 'contain' | 'cover';
  value: number;
}
/**
 * Keeps height rows from row floor((h - height) / 2) and width columns from column floor((w - width) / 2).
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "CenterCropStep".
 */
export interface CenterCropStep {
  type: 'center-crop';
  height: number;
  width: number;
}
/**
 * Adds rows above and below and columns left and right, each filled with value.
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "PadStep".
 */
export interface PadStep {
  type: 'pad';
  top: number;
  bottom: number;
  left: number;
  right: number;
  value: number;
}
/**
 * x = (x - mean) / std.
 *
 * This interface was referenced by `ModelCard`'s JSON-Schema
 * via the `definition` "NormalizeStep".
 */
export interface NormalizeStep {
  type: 'normalize';
  mean: number;
  std: number;
}
