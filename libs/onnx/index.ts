export { exportOnnx, withMetadata, INPUT_NAME, OUTPUT_NAME, CARD_KEY, type ExportOnnxOptions } from './src/export';
export { OnnxExportError } from './src/errors';
