// The IDX reader: a valid file round-trips; a truncated file, trailing bytes and a wrong magic
// number are errors that name the file and say what is wrong.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodeIdx, parseIdx, parseIdxImages, parseIdxLabels } from '../../src/data/idx';
import { loadMnistSplit } from '../../src/data/mnist';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gradspec-idx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes bytes to the temp dir and reads them back, as the MNIST loader does. */
function roundTrip(name: string, bytes: Uint8Array): Uint8Array {
  writeFileSync(path.join(dir, name), bytes);
  return readFileSync(path.join(dir, name));
}

const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);

describe('parseIdx', () => {
  it('reads a 3×2×4 image file written to disk: magic, dims and pixels', () => {
    const bytes = roundTrip('images-idx3-ubyte', encodeIdx([3, 2, 4], pixels));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, 0x08, 3]);
    const images = parseIdxImages(bytes, 'images-idx3-ubyte');
    expect({ count: images.count, rows: images.rows, cols: images.cols }).toEqual({ count: 3, rows: 2, cols: 4 });
    expect(Array.from(images.pixels)).toEqual(Array.from(pixels));
  });

  it('reads a label file (magic 0x00000801)', () => {
    const bytes = roundTrip('labels-idx1-ubyte', encodeIdx([5], [7, 2, 1, 0, 9]));
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 0x08, 1, 0, 0, 0, 5]);
    expect(Array.from(parseIdxLabels(bytes, 'labels-idx1-ubyte'))).toEqual([7, 2, 1, 0, 9]);
  });

  it('refuses a truncated file, naming it and both sizes', () => {
    const full = encodeIdx([3, 2, 4], pixels);
    const bytes = roundTrip('cut-idx3-ubyte', full.subarray(0, full.length - 5));
    expect(() => parseIdxImages(bytes, 'cut-idx3-ubyte')).toThrow(
      'idx: cut-idx3-ubyte is truncated: header says 3×2×4 = 24 bytes of data, file has 19 (after the 16-byte header)',
    );
  });

  it('refuses a file cut inside its header', () => {
    const bytes = encodeIdx([3, 2, 4], pixels).subarray(0, 10);
    expect(() => parseIdx(bytes, 'short')).toThrow('idx: short is truncated: a 3-dimensional header needs 16 bytes, file has 10');
    expect(() => parseIdx(new Uint8Array(2), 'tiny')).toThrow('idx: tiny is too short for an IDX header: 2 bytes');
  });

  it('refuses trailing bytes after the data', () => {
    const full = encodeIdx([5], [1, 2, 3, 4, 5]);
    const bytes = new Uint8Array(full.length + 3);
    bytes.set(full);
    expect(() => parseIdxLabels(bytes, 'long-idx1-ubyte')).toThrow('idx: long-idx1-ubyte is longer than its header says: header says 5 = 5 bytes of data, file has 8');
  });

  it('refuses a label file where images are expected (wrong magic), naming both magic numbers', () => {
    const bytes = roundTrip('swapped', encodeIdx([5], [1, 2, 3, 4, 5]));
    expect(() => parseIdxImages(bytes, 'swapped')).toThrow(
      'idx: swapped has magic number 0x00000801 (element type 0x08, 1 dimension), expected 0x00000803 (element type 0x08, 3 dimensions)',
    );
  });

  it('refuses a file that is not IDX at all, and non-byte element types', () => {
    const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0]);
    expect(() => parseIdxLabels(gzip, 'train-labels-idx1-ubyte.gz')).toThrow(/magic number 0x1f8b0808 \(not an IDX magic number/);
    const floats = encodeIdx([2], [0, 0]);
    floats[2] = 0x0d; // float32 elements
    expect(() => parseIdx(floats, 'floats')).toThrow('idx: floats has magic number 0x00000d01 (element type 0x0d, 1 dimension); only unsigned-byte IDX files (0x000008nn) are supported');
  });
});

describe('loadMnistSplit', () => {
  it('loads images and labels from a folder and checks their counts agree', () => {
    writeFileSync(path.join(dir, 'a-images'), encodeIdx([3, 2, 4], pixels));
    writeFileSync(path.join(dir, 'a-labels'), encodeIdx([3], [4, 0, 9]));
    writeFileSync(path.join(dir, 'b-labels'), encodeIdx([2], [4, 0]));
    writeFileSync(path.join(dir, 'c-labels'), encodeIdx([3], [4, 10, 9]));
    const split = loadMnistSplit(dir, 'a-images', 'a-labels', 2);
    expect(split.count).toBe(2);
    expect(Array.from(split.labels)).toEqual([4, 0]);
    expect(split.pixels.length).toBe(2 * 2 * 4);
    expect(() => loadMnistSplit(dir, 'a-images', 'b-labels')).toThrow('mnist: a-images holds 3 images but b-labels holds 2 labels');
    expect(() => loadMnistSplit(dir, 'a-images', 'c-labels')).toThrow('mnist: c-labels label 1 is 10, expected a digit 0..9');
    expect(() => loadMnistSplit(dir, 'a-images', 'missing')).toThrow(/mnist: cannot read .*missing/);
  });
});
