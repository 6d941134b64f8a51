// How an error message shows a bad argument, so every op words it the same way.

/** The value itself: `'3' (a string)`, `[0, 1] (an array)`, `{ lr: NaN } (an object)`, `undefined`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}' (a string)`;
  if (Array.isArray(value)) return `[${value.join(', ')}] (an array)`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`);
    return `{ ${entries.join(', ')} } (an object)`;
  }
  return String(value);
}

/** What kind of value it is, for an argument that should be a Tensor: 'undefined', 'an array', 'a Float64Array', 'a number'. */
export function describeKind(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}
