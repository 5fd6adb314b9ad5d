/**
 * Text widths for Vega's layout. Without a canvas Vega guesses 0.8 em per character, which is
 * far too wide for DejaVu Sans: axis titles drift away from their labels and legends take too
 * much room. These are the font's own advance widths, so the layout matches what resvg draws,
 * on every machine (Vega would otherwise measure with node-canvas where it happens to be installed).
 */

/** Advance widths of ' ' (32) to '~' (126) in DejaVu Sans 2.37, in font units (2048 per em). */
// prettier-ignore
const REGULAR = [
  651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
  2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
  1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
  1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
  1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];
/** The same for DejaVu Sans Bold. */
// prettier-ignore
const BOLD = [
  713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188,
  2048, 1585, 1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741,
  1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024,
  1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407,
  1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716,
];
/** A few non-ASCII characters charts use: ellipsis, middle dot, dashes, minus. */
const EXTRA: Record<string, [regular: number, bold: number]> = {
  '…': [2048, 2048],
  '·': [651, 778],
  '–': [1024, 1024],
  '—': [2048, 2048],
  '−': [1716, 1716],
};
const UNITS_PER_EM = 2048;
/** Anything else is counted as wide as a digit. */
const OTHER = [1303, 1425] as const;

/** Width in pixels of `text` set in DejaVu Sans at `fontSize` (kerning ignored: a pixel or two at most). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD : REGULAR;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    units += code >= 32 && code <= 126 ? table[code - 32] : (EXTRA[ch]?.[bold ? 1 : 0] ?? OTHER[bold ? 1 : 0]);
  }
  return (units * fontSize) / UNITS_PER_EM;
}

/** The text item fields Vega passes to `textMetrics.width`. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/**
 * Drop-in for Vega's `textMetrics.width(item, text)`. Vega also calls it on prefixes of a label
 * while truncating it to `item.limit`; capping at the limit keeps those comparisons right.
 */
export function vegaTextWidth(item: TextItem, text: unknown): number {
  const s = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const weight = item.fontWeight;
  const bold = weight === 'bold' || weight === 'bolder' || Number(weight) >= 600;
  const w = textWidth(s, size, bold);
  return item.limit !== undefined && item.limit > 0 ? Math.min(w, item.limit) : w;
}
