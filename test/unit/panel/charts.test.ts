import assert from 'node:assert/strict';
import { barWidths, polylinePoints, roundedPercents, sparkPoints } from '../../../webview-ui/src/charts';

const BOX = { width: 120, height: 28, pad: 3 };
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('the panel charts geometry (webview-ui/src/charts.ts)', () => {
  it('bar widths are each part over the whole, zero parts get none, and they add up to 100%', () => {
    const widths = barWidths([620, 300, 0, 50, 30]);
    assert.deepEqual(widths.map((w) => Math.round(w * 10) / 10), [62, 30, 0, 5, 3]);
    assert.ok(Math.abs(sum(widths) - 100) < 1e-9);
    assert.deepEqual(barWidths([0, 0]), [0, 0], 'no time at all: no segments');
    assert.deepEqual(barWidths([-5, 5]), [0, 100], 'a negative part (clock skew) is not drawn');
  });

  it('label percents are whole and add up to 100 even when every part rounds down', () => {
    const widths = barWidths([1, 1, 1]);
    assert.deepEqual(roundedPercents(widths), [34, 33, 33]);
    assert.equal(sum(roundedPercents(barWidths([333, 333, 334, 0]))), 100);
    assert.deepEqual(roundedPercents([0, 0]), [0, 0]);
  });

  it('a sparkline spaces builds evenly, oldest left, largest value at the top', () => {
    const points = sparkPoints([1, 3, 2], BOX);
    assert.deepEqual(points.map((p) => [p.x, p.y]), [[3, 25], [60, 3], [117, 14]]);
    assert.equal(polylinePoints(points), '3,25 60,3 117,14');
  });

  it('a build without the figure leaves a gap in the points, keeping the others in their places', () => {
    const points = sparkPoints([null, 4, null, 2], BOX);
    assert.deepEqual(points.map((p) => p.index), [1, 3]);
    assert.deepEqual(points.map((p) => p.x), [41, 117]);
    assert.deepEqual(points.map((p) => p.y), [3, 25]);
  });

  it('one value, or all equal, sits on the middle line; no values, no points', () => {
    assert.deepEqual(sparkPoints([0.5], BOX).map((p) => [p.x, p.y]), [[60, 14]]);
    assert.deepEqual(sparkPoints([2, 2], BOX).map((p) => p.y), [14, 14]);
    assert.deepEqual(sparkPoints([null, null], BOX), []);
    assert.deepEqual(sparkPoints([], BOX), []);
  });
});
