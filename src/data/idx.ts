// IDX, the file format of MNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number
// (0, 0, element type, number of dimensions), one big-endian uint32 per dimension, then the
// elements in row-major order. Only unsigned bytes (type 0x08) are read: that is all MNIST uses.
// This module parses bytes; reading files is src/data/mnist.ts's job.

/** An IDX file of unsigned bytes: its dimensions and its elements, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/** Magic number of an IDX image file: unsigned bytes, 3 dimensions (count, rows, cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX label file: unsigned bytes, 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

const hex = (n: number): string => '0x' + n.toString(16).padStart(8, '0');

function describeMagic(magic: number): string {
  const type = (magic >>> 8) & 0xff;
  const rank = magic & 0xff;
  if (magic >>> 16 !== 0) return 'not an IDX magic number (the first two bytes must be 0)';
  return `element type 0x${type.toString(16).padStart(2, '0')}, ${rank} dimension${rank === 1 ? '' : 's'}`;
}

/**
 * Parses an IDX file of unsigned bytes. `name` (usually the file name) goes into every error.
 * With `expectedMagic`, a file of another kind (labels where images were expected) is refused.
 * The length must match the header exactly: a truncated file and trailing bytes are both errors.
 * The returned `data` is a view into `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, name: string, expectedMagic?: number): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`idx: ${name} is too short for an IDX header: ${bytes.length} bytes, need at least 4 for the magic number`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(
      `idx: ${name} has magic number ${hex(magic)} (${describeMagic(magic)}), ` +
        `expected ${hex(expectedMagic)} (${describeMagic(expectedMagic)})`,
    );
  }
  if (magic >>> 16 !== 0 || ((magic >>> 8) & 0xff) !== UNSIGNED_BYTE) {
    throw new Error(`idx: ${name} has magic number ${hex(magic)} (${describeMagic(magic)}); only unsigned-byte IDX files (0x000008nn) are supported`);
  }
  const rank = magic & 0xff;
  if (rank === 0) throw new Error(`idx: ${name} declares 0 dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(
      `idx: ${name} is truncated: a ${rank}-dimensional header needs ${headerBytes} bytes, file has ${bytes.length}`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    const what = actual < expected ? 'truncated' : 'longer than its header says';
    throw new Error(
      `idx: ${name} is ${what}: header says ${dims.join('×')} = ${expected} bytes of data, ` +
        `file has ${actual} (after the ${headerBytes}-byte header)`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

/** Images: magic 0x00000803, dims [count, rows, cols]. */
export function parseIdxImages(bytes: Uint8Array, name: string): { count: number; rows: number; cols: number; pixels: Uint8Array } {
  const { dims, data } = parseIdx(bytes, name, IDX_IMAGES_MAGIC);
  const [count, rows, cols] = dims;
  if (count === undefined || rows === undefined || cols === undefined) throw new Error(`idx: ${name} has ${dims.length} dimensions, expected 3 (count, rows, cols)`);
  if (rows === 0 || cols === 0) throw new Error(`idx: ${name} has empty images: ${count}×${rows}×${cols}`);
  return { count, rows, cols, pixels: data };
}

/** Labels: magic 0x00000801, dims [count]. */
export function parseIdxLabels(bytes: Uint8Array, name: string): Uint8Array {
  return parseIdx(bytes, name, IDX_LABELS_MAGIC).data;
}

/** Encodes an unsigned-byte IDX file (used by tests and to write small subsets). */
export function encodeIdx(dims: number[], data: ArrayLike<number>): Uint8Array {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new Error(`idx: cannot encode ${data.length} elements as ${dims.join('×')} = ${expected}`);
  }
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + expected);
  const view = new DataView(out.buffer);
  view.setUint32(0, (UNSIGNED_BYTE << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, headerBytes);
  return out;
}
