// What this machine can do at best, so every GFLOPS figure can be read as a share of it:
//   - the core clock, measured: a chain of dependent integer adds and xors runs one per cycle on any
//     x86-64 of the last fifteen years (the reported "cpu MHz" of a VM is often the base clock, or fake);
//   - the machine's peak: two FMA pipes of the widest vector the CPU reports (AVX-512 or AVX2), the
//     figure OpenBLAS and ONNX Runtime aim at;
//   - the WebAssembly ceiling: 128-bit SIMD and no fused multiply-add (not in Node 20), so a
//     multiply and an add per two lanes, with two multiply and two add pipes (AMD Zen) or two
//     pipes doing either (Intel).
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import initWabt from 'wabt';

export interface Machine {
  cpu: string;
  cores: number;
  vendor: string;
  family: number | null;
  vectorBits: 512 | 256 | 128;
  clockGHz: number;
  /** GFLOPS per core. */
  peak: { float64: number; float32: number; basis: string };
  wasmCeiling: { float64: number; float32: number; basis: string };
}

const CLOCK_WAT = `(module
  (func (export "chain") (param $n i32) (param $y i32) (param $z i32) (result i32)
    (local $x i32)
    (loop $next
      ${'(local.set $x (i32.add (local.get $x) (local.get $y))) (local.set $x (i32.xor (local.get $x) (local.get $z))) '.repeat(16)}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (local.get $n)))
    (local.get $x)))`;

/** Cycles per second from 32 dependent one-cycle integer operations per loop iteration (best of several runs). */
async function measureClockGHz(): Promise<number> {
  const wabt = await initWabt();
  const module = wabt.parseWat('clock.wat', CLOCK_WAT);
  const bytes = module.toBinary({}).buffer;
  module.destroy();
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array): Promise<{ instance: { exports: { chain(n: number, y: number, z: number): number } } }> } }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes);
  // Short runs (about 1 ms), many of them: the best one ran optimized and was not preempted.
  const iterations = 100_000;
  let best = Infinity;
  for (let run = 0; run < 80; run++) {
    const t0 = performance.now();
    instance.exports.chain(iterations, 0x9e3779b9 | 0, 0x7f4a7c15);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return (32 * iterations) / best / 1e9;
}

function cpuFlags(): { flags: Set<string>; vendor: string; family: number | null } {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string) => info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
    return { flags: new Set(field('flags').split(/\s+/)), vendor: field('vendor_id'), family: Number(field('cpu family')) || null };
  } catch {
    return { flags: new Set(), vendor: 'unknown', family: null };
  }
}

export async function describeMachine(): Promise<Machine> {
  const { flags, vendor, family } = cpuFlags();
  const amd = vendor === 'AuthenticAMD';
  // Zen 4 (family 25) runs AVX-512 on 256-bit units, Zen 5 (26) at full width.
  const vectorBits: 512 | 256 | 128 = flags.has('avx512f') && !(amd && family !== null && family < 26) ? 512 : flags.has('fma') ? 256 : 128;
  const clockGHz = await measureClockGHz();
  const fmaLanes64 = vectorBits / 64;
  const peak64 = clockGHz * 2 * fmaLanes64 * 2; // 2 pipes × lanes × (multiply + add)
  const wasmOpsPerCycle = amd ? 4 : 2; // 128-bit vector operations per cycle, multiplies and adds together
  const wasm64 = clockGHz * wasmOpsPerCycle * 2; // each f64x2 operation is 2 FLOP
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    vendor,
    family,
    vectorBits,
    clockGHz,
    peak: { float64: peak64, float32: 2 * peak64, basis: `2 FMA pipes × ${vectorBits}-bit at ${clockGHz.toFixed(2)} GHz (measured)` },
    wasmCeiling: {
      float64: wasm64,
      float32: 2 * wasm64,
      basis: `128-bit SIMD, multiply and add separate, ${amd ? '2 multiply + 2 add pipes (AMD Zen)' : '2 pipes for either (Intel)'}`,
    },
  };
}
