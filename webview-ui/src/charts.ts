/**
 * The geometry of the panel's charts, pure (no DOM), so it is unit-tested in plain Node
 * (test/unit/panel/charts.test.ts). Hand-made: the panel loads no chart library.
 */

/** Each part's width in percent of the bar: parts of no time get 0, the others add up to 100. */
export function barWidths(ms: readonly number[]): number[] {
  const total = ms.reduce((sum, m) => sum + Math.max(0, m), 0);
  return ms.map((m) => (total > 0 && m > 0 ? (m / total) * 100 : 0));
}

/** Whole percents for labels that add up to 100 (largest remainder), so the legend never says 101%. */
export function roundedPercents(widths: readonly number[]): number[] {
  const floors = widths.map(Math.floor);
  const total = widths.reduce((a, b) => a + b, 0);
  let missing = total > 0 ? Math.round(total) - floors.reduce((a, b) => a + b, 0) : 0;
  const byRemainder = widths.map((w, i) => ({ i, r: w - floors[i]! })).sort((a, b) => b.r - a.r);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    floors[i]!++;
    missing--;
  }
  return floors;
}

export interface SparkPoint {
  /** The value's index in the series (its build). */
  index: number;
  value: number;
  x: number;
  y: number;
}

export interface SparkBox {
  width: number;
  height: number;
  /** Room kept at each edge, so the dots at the ends are not cut. */
  pad: number;
}

/**
 * The points of a sparkline: builds evenly spaced left (oldest) to right, the smallest value at
 * the bottom and the largest at the top. A build without a value leaves no point (the line joins
 * its neighbours); a single value, or all equal, sits on the middle line.
 */
export function sparkPoints(values: readonly (number | null)[], box: SparkBox): SparkPoint[] {
  const present = values.flatMap((value, index) => (value === null || !Number.isFinite(value) ? [] : [{ index, value }]));
  if (!present.length) return [];
  const min = Math.min(...present.map((p) => p.value));
  const max = Math.max(...present.map((p) => p.value));
  const innerW = box.width - 2 * box.pad;
  const innerH = box.height - 2 * box.pad;
  const x = (i: number) => (values.length === 1 ? box.width / 2 : box.pad + (i * innerW) / (values.length - 1));
  const y = (v: number) => (max === min ? box.height / 2 : box.pad + ((max - v) * innerH) / (max - min));
  return present.map(({ index, value }) => ({ index, value, x: round1(x(index)), y: round1(y(value)) }));
}

/** The SVG `points` attribute of a polyline through the points. */
export function polylinePoints(points: readonly SparkPoint[]): string {
  return points.map((p) => `${p.x},${p.y}`).join(' ');
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
