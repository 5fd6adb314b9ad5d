export { exportOnnx, INPUT_NAME, OUTPUT_NAME, type ExportOnnxOptions } from './src/export';
export { OnnxExportError } from './src/errors';
