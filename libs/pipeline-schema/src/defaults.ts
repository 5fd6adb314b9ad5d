import Ajv, { type ValidateFunction } from 'ajv';
import schema from '../schema.json';
import type { Activation, Augment, EarlyStopping, Training } from './config';
import { describeError, type SchemaRoot } from './messages';

/** Training settings with every default filled in; early stopping and augmentation stay optional (absent: off). */
export type ResolvedTraining = Required<Omit<Training, 'early-stopping' | 'augment'>> & { 'early-stopping'?: Required<EarlyStopping>; augment?: Required<Augment> };

export type SectionName = 'Dataset' | 'Model' | 'Training' | 'Export' | 'Evaluate' | 'Charts';

let ajv: Ajv | undefined;

/** The schema's validator, of the whole file or of one section; validating fills in the defaults. */
export function schemaValidator(section?: SectionName): ValidateFunction {
  ajv ??= new Ajv({ allErrors: true, useDefaults: true, discriminator: true, verbose: true, strict: true, strictRequired: false, schemas: [schema] });
  const ref = `${schema.$id}${section ? `#/definitions/${section}` : ''}`;
  return ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
}

/**
 * A section of a pipeline built in code (tests, benchmarks) with the schema's defaults filled in,
 * exactly as loading a pipeline file fills them: the schema is the one place defaults live.
 */
export function withDefaults<T extends object>(section: SectionName, value: T): T {
  const copy = structuredClone(value);
  const validate = schemaValidator(section);
  if (!validate(copy)) throw new Error((validate.errors ?? []).map((e) => `${section}${e.instancePath}: ${describeError(e, e.data, schema as SchemaRoot)}`).join('\n'));
  return copy;
}

const definitions = schema.definitions;

/**
 * Defaults of layer options. A loaded pipeline has them filled in already; these serve models built in
 * code (tests, benchmarks) that leave the options out.
 */
export const layerDefaults = {
  conv: {
    stride: definitions.ConvLayer.properties.stride.default,
    padding: definitions.ConvLayer.properties.padding.default as 'valid' | 'same',
    bias: definitions.ConvLayer.properties.bias.default,
  },
  pool: {
    size: definitions.PoolLayer.properties.size.default,
    padding: definitions.PoolLayer.properties.padding.default as 'valid' | 'same',
  },
  dense: { bias: definitions.DenseLayer.properties.bias.default },
  subsample: { size: definitions.SubsampleLayer.properties.size.default },
  batchnorm: {
    momentum: definitions.BatchNormLayer.properties.momentum.default,
    epsilon: definitions.BatchNormLayer.properties.epsilon.default,
  },
  mlp: {
    activation: definitions.Mlp.properties.activation.default as Activation,
    outputs: definitions.Mlp.properties.outputs.default,
  },
};

const files = definitions.Dataset.properties.files.properties;

/** The IDX file names a dataset folder holds unless `dataset.files` names others: MNIST's. */
export const datasetFileDefaults = {
  'train-images': files['train-images'].default,
  'train-labels': files['train-labels'].default,
  'test-images': files['test-images'].default,
  'test-labels': files['test-labels'].default,
};

const columns = definitions.Dataset.properties.columns.properties;

/** The CSV columns a csv source reads unless `dataset.columns` names others. */
export const csvColumnDefaults: { path: string; label: string; split?: string } = { path: columns.path.default, label: columns.label.default };

/** Defaults of schedule options, for schedules built in code. */
export const scheduleDefaults = {
  step: { factor: definitions.StepSchedule.properties.factor.default },
  cosine: { min: definitions.CosineSchedule.properties.min.default },
};
