import { DataError } from '../errors';

/** A transform's `to`: one side of a square, or [height, width]. */
export type SizeSetting = number | [number, number];

/** `to` as [height, width]; refuses anything but positive integers. */
export function heightWidth(to: SizeSetting): [number, number] {
  const [h, w] = Array.isArray(to) ? to : [to, to];
  if (!(Number.isInteger(h) && h >= 1 && Number.isInteger(w) && w >= 1)) {
    throw new DataError(`to must be a positive integer or [height, width] of two (got ${JSON.stringify(to)})`);
  }
  return [h, w];
}
