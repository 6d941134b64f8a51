// The few WebAssembly JS APIs the kernel uses, typed here: tsconfig's lib (ES2022) and @types/node 20
// declare no `WebAssembly` global, and a global declaration of our own could clash with a later one.
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}

export interface WasmMemory {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The runtime's WebAssembly object, or undefined where there is none. */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
