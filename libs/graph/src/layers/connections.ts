import type { ConvLayer, ParamSpec } from '../types';

/**
 * Table I of LeCun, Bottou, Bengio & Haffner (1998): which of S2's 6 feature maps (rows) each of C3's 16 feature
 * maps (columns) reads. Maps 0-5 read 3 contiguous maps, 6-11 read 4 contiguous, 12-14 read 4 discontinuous,
 * 15 reads all 6: 60 connections.
 */
const LECUN_1998_TABLE = [
  //          111111
  //0123456789012345
  'X   XXX  XXXX XX', // S2 map 0
  'XX   XXX  XXXX X', // S2 map 1
  'XXX   XXX  X XXX', // S2 map 2
  ' XXX  XXXX  X XX', // S2 map 3
  '  XXX  XXXX XX X', // S2 map 4
  '   XXX  XXXX XXX', // S2 map 5
];

/** LeNet-5's C3 table as connections: for each of the 16 filters, the S2 maps it reads. */
export const LECUN_1998_C3: number[][] = Array.from({ length: 16 }, (_, out) =>
  LECUN_1998_TABLE.flatMap((row, input) => (row[out] === 'X' ? [input] : [])),
);

/**
 * The input maps each filter reads, checked against the layer's input: one entry per filter, indices of existing
 * maps, none twice, none empty. Undefined when every filter reads every map (no table).
 */
export function convConnections(layer: ConvLayer, inputMaps: number): number[][] | undefined {
  const table = layer.connections;
  if (table === undefined) return undefined;
  if (table === 'lecun1998') {
    if (inputMaps !== 6 || layer.filters !== 16) {
      throw new Error(
        `connections lecun1998 is LeNet-5's C3 table, for 6 input maps and 16 filters (got ${inputMaps} input maps and ${layer.filters} filters): write the table as a list instead`,
      );
    }
    return LECUN_1998_C3;
  }
  if (table.length !== layer.filters) {
    throw new Error(`connections has ${table.length} entries but the layer has ${layer.filters} filters: give one list of input maps per filter`);
  }
  table.forEach((maps, filter) => {
    if (maps.length === 0) throw new Error(`connections[${filter}] is empty: filter ${filter} would read no input map`);
    for (const m of maps) {
      if (!Number.isInteger(m) || m < 0 || m >= inputMaps) {
        throw new Error(`connections[${filter}] names input map ${m}, but the input has ${inputMaps} maps (0 to ${inputMaps - 1})`);
      }
    }
    const twice = maps.find((m, i) => maps.indexOf(m) !== i);
    if (twice !== undefined) throw new Error(`connections[${filter}] names input map ${twice} twice`);
  });
  return table;
}

/**
 * The 0/1 mask of a kernel with a connection table, in the kernel's [kh, kw, in, out] layout: 1 where filter `out`
 * reads input map `in`. Undefined for a dense kernel (no table).
 */
export function kernelMask(spec: ParamSpec): Float32Array | undefined {
  if (!spec.connections) return undefined;
  const [kh, kw, cin, cout] = spec.shape;
  const mask = new Float32Array(kh * kw * cin * cout);
  spec.connections.forEach((maps, out) => {
    for (const input of maps) for (let k = 0; k < kh * kw; k++) mask[(k * cin + input) * cout + out] = 1;
  });
  return mask;
}
