;; The WebAssembly SIMD matrix product behind src/kernels/matmul.ts: C = op(A)·op(B), row-major.
;; Assembled by tools/kernels.ts (wabt) into gemm-wasm.generated.ts; a test checks the two agree.
;;
;; One scheme for both dtypes, the classic GotoBLAS one: for each block of B (kc rows × nc columns),
;; pack it into panels NR columns wide; for each block of mc rows of A, pack it into panels MR rows
;; high (kc × MR, the MR values of one k side by side, each already splatted across a whole v128);
;; then run every B panel against every A panel of the block, so that the B panel stays in L1 and
;; the A block in L2. The micro-kernel keeps an MR × NR tile of C in eight SIMD registers for the
;; whole k-block: per k it loads two vectors of B and MR splatted values of A, and does eight
;; multiplies and eight adds.
;;   float64: MR = 4, NR = 4 (f64x2);  float32: MR = 4, NR = 8 (f32x4), and a 4 × 4 tile for the last
;;   columns when n % 8 is 1..4 (so that n = 50 computes 52 columns, not 56).
;; Multiply then add, never fused: relaxed-SIMD FMA is not in Node 20, and its results would differ
;; between machines. float32 accumulates in float32, as ONNX Runtime's MLAS and OpenBLAS do.
;;
;; Determinism: every C element is the same sequence of operations, ((0 + Σ_block1) + Σ_block2) + ...,
;; with Σ_block the sum over p in order, whichever rows a call covers. So splitting C's rows across
;; threads (each thread calls gemm_* on its rows, with its own work area) is bit-identical to one call.
;;
;; Panels are zero-padded to whole MR/NR, so the micro-kernel has no edge cases: a padded lane only
;; feeds C elements that do not exist and are never written, so NaN and ±∞ in the data propagate
;; exactly as in the plain loop.
;;
;; Arguments are byte addresses into the one (shared) memory and strides in elements:
;; op(A)[i, p] = A[i·ars + p·acs], op(B)[p, j] = B[p·brs + j·bcs]; C is m×n, dense.
;; work: this caller's scratch, workBytes() long (see gemm-wasm.ts); kcmax, ncmax, mcmax: the block sizes.
(module
  (import "env" "memory" (memory 1 32768 shared))

  (func $min (param $x i32) (param $y i32) (result i32)
    (select (local.get $x) (local.get $y) (i32.lt_u (local.get $x) (local.get $y))))

  ;; ---------------------------------------------------------------- float64

  ;; dst[p·4 + i] = src[i·ls + p·ps] for p < kc, i < lines (≤ 4); zeros for i ≥ lines.
  ;; ls and ps in bytes. Packs one B panel (lines = columns); A panels go through packA_f64.
  (func $pack4_f64 (param $src i32) (param $ls i32) (param $ps i32) (param $lines i32) (param $kc i32) (param $dst i32)
    (local $p i32) (local $s i32) (local $i i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (if (i32.eq (local.get $lines) (i32.const 4))
      (then
        (if (i32.eq (local.get $ls) (i32.const 8))
          (then
            ;; the four values of one p are adjacent: copy 32 bytes per p
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ps)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next))))
          (else
            (if (i32.eq (local.get $ps) (i32.const 8))
              (then
                ;; each line is contiguous along p: read two p per line and transpose 4×2 → 2×4
                (block $done (loop $next
                  (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $kc)))
                  (local.set $s (local.get $src))
                  (local.set $r0 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r1 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r2 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r3 (v128.load (local.get $s)))
                  (v128.store (local.get $dst)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)))
                  (v128.store offset=16 (local.get $dst)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r2) (local.get $r3)))
                  (v128.store offset=32 (local.get $dst)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r1)))
                  (v128.store offset=48 (local.get $dst)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r2) (local.get $r3)))
                  (local.set $src (i32.add (local.get $src) (i32.const 16)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                  (local.set $p (i32.add (local.get $p) (i32.const 2)))
                  (br $next))))
              (else)))))
      (else))
    ;; whatever is left (all of it for partial panels and general strides): one value at a time
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
      (local.set $s (local.get $src))
      (local.set $i (i32.const 0))
      (block $row (loop $lane
        (br_if $row (i32.ge_u (local.get $i) (i32.const 4)))
        (f64.store (local.get $dst)
          (if (result f64) (i32.lt_u (local.get $i) (local.get $lines))
            (then (f64.load (local.get $s)))
            (else (f64.const 0))))
        (local.set $s (i32.add (local.get $s) (local.get $ls)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lane)))
      (local.set $src (i32.add (local.get $src) (local.get $ps)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))

  ;; v128 number p·4 + i of dst = splat(src[i·ls + p·ps]), the value twice, for p < kc, i < lines (≤ 4);
  ;; zeros for i ≥ lines. Packs one A panel already splatted: the micro-kernel then reads each A value
  ;; with a plain load. In the micro-kernel, a load-and-splat (v128.load64_splat; V8 emits vmovddup) ran
  ;; ~15% slower than a plain load of the same bytes on this Zen 4: splatting once here, not once per
  ;; B panel, made the products 8–14% faster in float64, 3–14% in float32 (bench/kernel-ab.ts, best of
  ;; 300; the least for k = 64, where packing is a larger share).
  (func $packA_f64 (param $src i32) (param $ls i32) (param $ps i32) (param $lines i32) (param $kc i32) (param $dst i32)
    (local $p i32) (local $s i32) (local $i i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (if (i32.eq (local.get $lines) (i32.const 4))
      (then
        (if (i32.eq (local.get $ls) (i32.const 8))
          (then
            ;; the four values of one p are adjacent (a transposed A)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
              (local.set $r0 (v128.load (local.get $src)))
              (local.set $r1 (v128.load offset=16 (local.get $src)))
              (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r0) (local.get $r0)))
              (v128.store offset=16 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r0) (local.get $r0)))
              (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r1) (local.get $r1)))
              (v128.store offset=48 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r1) (local.get $r1)))
              (local.set $src (i32.add (local.get $src) (local.get $ps)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next))))
          (else
            (if (i32.eq (local.get $ps) (i32.const 8))
              (then
                ;; each line is contiguous along p: read two p per line
                (block $done (loop $next
                  (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 2)) (local.get $kc)))
                  (local.set $s (local.get $src))
                  (local.set $r0 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r1 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r2 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r3 (v128.load (local.get $s)))
                  (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r0) (local.get $r0)))
                  (v128.store offset=16 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r1) (local.get $r1)))
                  (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r2) (local.get $r2)))
                  (v128.store offset=48 (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $r3) (local.get $r3)))
                  (v128.store offset=64 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r0) (local.get $r0)))
                  (v128.store offset=80 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r1) (local.get $r1)))
                  (v128.store offset=96 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r2) (local.get $r2)))
                  (v128.store offset=112 (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $r3) (local.get $r3)))
                  (local.set $src (i32.add (local.get $src) (i32.const 16)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 128)))
                  (local.set $p (i32.add (local.get $p) (i32.const 2)))
                  (br $next))))
              (else)))))
      (else))
    ;; whatever is left (all of it for partial panels and general strides): one value at a time
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
      (local.set $s (local.get $src))
      (local.set $i (i32.const 0))
      (block $row (loop $lane
        (br_if $row (i32.ge_u (local.get $i) (i32.const 4)))
        (v128.store (local.get $dst)
          (f64x2.splat (if (result f64) (i32.lt_u (local.get $i) (local.get $lines))
            (then (f64.load (local.get $s)))
            (else (f64.const 0)))))
        (local.set $s (i32.add (local.get $s) (local.get $ls)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lane)))
      (local.set $src (i32.add (local.get $src) (local.get $ps)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))

  ;; C[rows × cols at c] += Apanel (kc × 4, splatted) · Bpanel (kc × 4); ldc in bytes; tmp: 128 bytes.
  (func $tile_f64 (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $rows i32) (param $cols i32) (param $tmp i32)
    (local $end i32) (local $r i32) (local $j i32) (local $cr i32) (local $tr i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
    (if (local.get $kc)
      (then
        (loop $k
          ;; k-step p: B[p, 0..3] in b0, b1; A[0..3, p], packed splatted, one at a time
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=16 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=32 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=48 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $k (i32.lt_u (local.get $pb) (local.get $end))))))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 4)))
      (then
        ;; a whole tile: C row += accumulator row, two lanes at a time
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
        (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
        (return)))
    ;; an edge tile: spill the accumulators, then add only the rows × cols that exist (same sums, same bits)
    (v128.store (local.get $tmp) (local.get $c00))
    (v128.store offset=16 (local.get $tmp) (local.get $c01))
    (v128.store offset=32 (local.get $tmp) (local.get $c10))
    (v128.store offset=48 (local.get $tmp) (local.get $c11))
    (v128.store offset=64 (local.get $tmp) (local.get $c20))
    (v128.store offset=80 (local.get $tmp) (local.get $c21))
    (v128.store offset=96 (local.get $tmp) (local.get $c30))
    (v128.store offset=112 (local.get $tmp) (local.get $c31))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $cr (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))))
      (local.set $tr (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $col
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols)))
        (f64.store (local.get $cr) (f64.add (f64.load (local.get $cr)) (f64.load (local.get $tr))))
        (local.set $cr (i32.add (local.get $cr) (i32.const 8)))
        (local.set $tr (i32.add (local.get $tr) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; C (m×n at c) = op(A)·op(B) in float64; see the header for the arguments.
  (func (export "gemm_f64") (param $m i32) (param $n i32) (param $k i32)
      (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
      (param $c i32) (param $work i32) (param $kcmax i32) (param $ncmax i32) (param $mcmax i32)
    (local $ldc i32) (local $packA i32) (local $packB i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $ir i32) (local $jr i32)
    (local.set $ldc (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ars (i32.shl (local.get $ars) (i32.const 3)))
    (local.set $acs (i32.shl (local.get $acs) (i32.const 3)))
    (local.set $brs (i32.shl (local.get $brs) (i32.const 3)))
    (local.set $bcs (i32.shl (local.get $bcs) (i32.const 3)))
    (memory.fill (local.get $c) (i32.const 0) (i32.mul (local.get $m) (local.get $ldc)))
    ;; work: tmp (128 bytes) | A panels (mcmax rounded up to 4 × (kcmax + 1) splatted values, 16 bytes each) | B panels ((kcmax + 1) × ncmax rounded up to 4)
    (local.set $packA (i32.add (local.get $work) (i32.const 128)))
    (local.set $packB (i32.add (local.get $packA) (i32.shl (i32.mul (i32.and (i32.add (local.get $mcmax) (i32.const 3)) (i32.const -4))
                                                                     (i32.add (local.get $kcmax) (i32.const 1))) (i32.const 4))))
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_u (local.get $jc) (local.get $n)))
      (local.set $nc (call $min (local.get $ncmax) (i32.sub (local.get $n) (local.get $jc))))
      (local.set $pc (i32.const 0))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.ge_u (local.get $pc) (local.get $k)))
        (local.set $kc (call $min (local.get $kcmax) (i32.sub (local.get $k) (local.get $pc))))
        ;; pack this block of op(B): panel jr/4 at packB + jr·kc·8
        (local.set $jr (i32.const 0))
        (block $bDone (loop $bLoop
          (br_if $bDone (i32.ge_u (local.get $jr) (local.get $nc)))
          (call $pack4_f64
            (i32.add (local.get $b) (i32.add (i32.mul (local.get $pc) (local.get $brs))
                                             (i32.mul (i32.add (local.get $jc) (local.get $jr)) (local.get $bcs))))
            (local.get $bcs) (local.get $brs)
            (call $min (i32.const 4) (i32.sub (local.get $nc) (local.get $jr)))
            (local.get $kc)
            (i32.add (local.get $packB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3))))
          (local.set $jr (i32.add (local.get $jr) (i32.const 4)))
          (br $bLoop)))
        ;; blocks of mcmax rows of op(A): pack them (panel ir/4 at packA + ir·kc·16), then run every
        ;; B panel against every A panel of the block, so a B panel stays in L1 and the A block in L2
        (local.set $ic (i32.const 0))
        (block $iDone (loop $iLoop
          (br_if $iDone (i32.ge_u (local.get $ic) (local.get $m)))
          (local.set $mc (call $min (local.get $mcmax) (i32.sub (local.get $m) (local.get $ic))))
          (local.set $ir (i32.const 0))
          (block $aDone (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $ir) (local.get $mc)))
            (call $packA_f64
              (i32.add (local.get $a) (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ars))
                                               (i32.mul (local.get $pc) (local.get $acs))))
              (local.get $ars) (local.get $acs)
              (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)))
              (local.get $kc)
              (i32.add (local.get $packA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 4))))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $aLoop)))
          (local.set $jr (i32.const 0))
          (block $rDone (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $jr) (local.get $nc)))
            (local.set $ir (i32.const 0))
            (block $sDone (loop $sLoop
              (br_if $sDone (i32.ge_u (local.get $ir) (local.get $mc)))
              (call $tile_f64
                (i32.add (local.get $packA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 4)))
                (i32.add (local.get $packB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 3)))
                (local.get $kc)
                (i32.add (local.get $c) (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                                                 (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 3))))
                (local.get $ldc)
                (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)))
                (call $min (i32.const 4) (i32.sub (local.get $nc) (local.get $jr)))
                (local.get $work))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br $sLoop)))
            (local.set $jr (i32.add (local.get $jr) (i32.const 4)))
            (br $rLoop)))
          (local.set $ic (i32.add (local.get $ic) (local.get $mcmax)))
          (br $iLoop)))
        (local.set $pc (i32.add (local.get $pc) (local.get $kcmax)))
        (br $pLoop)))
      (local.set $jc (i32.add (local.get $jc) (local.get $ncmax)))
      (br $jLoop))))

  ;; ---------------------------------------------------------------- float32

  ;; dst[p·4 + i] = src[i·ls + p·ps] for p < kc, i < lines (≤ 4), zero-padded as pack4_f64. Bytes.
  ;; Packs a B panel of at most 4 columns (the last ones when n % 8 is 1..4).
  (func $pack4_f32 (param $src i32) (param $ls i32) (param $ps i32) (param $lines i32) (param $kc i32) (param $dst i32)
    (local $p i32) (local $s i32) (local $i i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (if (i32.eq (local.get $lines) (i32.const 4))
      (then
        (if (i32.eq (local.get $ls) (i32.const 4))
          (then
            ;; the four values of one p are adjacent: copy 16 bytes per p
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ps)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next))))
          (else
            (if (i32.eq (local.get $ps) (i32.const 4))
              (then
                ;; each line is contiguous along p: read four p per line and transpose 4×4
                (block $done (loop $next
                  (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $kc)))
                  (local.set $s (local.get $src))
                  (local.set $r0 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r1 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r2 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r3 (v128.load (local.get $s)))
                  ;; t0 = [a0 b0 a1 b1], t1 = [a2 b2 a3 b3], t2 = [c0 d0 c1 d1], t3 = [c2 d2 c3 d3]
                  (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
                  (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
                  (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
                  (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
                  (v128.store (local.get $dst)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                  (v128.store offset=16 (local.get $dst)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                  (v128.store offset=32 (local.get $dst)
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                  (v128.store offset=48 (local.get $dst)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                  (local.set $src (i32.add (local.get $src) (i32.const 16)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $next))))
              (else)))))
      (else))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
      (local.set $s (local.get $src))
      (local.set $i (i32.const 0))
      (block $row (loop $lane
        (br_if $row (i32.ge_u (local.get $i) (i32.const 4)))
        (f32.store (local.get $dst)
          (if (result f32) (i32.lt_u (local.get $i) (local.get $lines))
            (then (f32.load (local.get $s)))
            (else (f32.const 0))))
        (local.set $s (i32.add (local.get $s) (local.get $ls)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lane)))
      (local.set $src (i32.add (local.get $src) (local.get $ps)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))

  ;; dst[p·8 + j] = src[j·ls + p·ps] for p < kc, j < lines (≤ 8): one B panel, two 4-wide halves interleaved.
  (func $pack8_f32 (param $src i32) (param $ls i32) (param $ps i32) (param $lines i32) (param $kc i32) (param $dst i32)
    (local $p i32) (local $s i32) (local $i i32)
    (if (i32.and (i32.eq (local.get $lines) (i32.const 8)) (i32.eq (local.get $ls) (i32.const 4)))
      (then
        ;; the eight values of one p are adjacent: copy 32 bytes per p
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
          (v128.store (local.get $dst) (v128.load (local.get $src)))
          (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
          (local.set $src (i32.add (local.get $src) (local.get $ps)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $next)))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
      (local.set $s (local.get $src))
      (local.set $i (i32.const 0))
      (block $row (loop $lane
        (br_if $row (i32.ge_u (local.get $i) (i32.const 8)))
        (f32.store (local.get $dst)
          (if (result f32) (i32.lt_u (local.get $i) (local.get $lines))
            (then (f32.load (local.get $s)))
            (else (f32.const 0))))
        (local.set $s (i32.add (local.get $s) (local.get $ls)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lane)))
      (local.set $src (i32.add (local.get $src) (local.get $ps)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))

  ;; v128 number p·4 + i of dst = splat(src[i·ls + p·ps]), the value four times, for p < kc, i < lines (≤ 4);
  ;; zeros for i ≥ lines: one A panel already splatted, as packA_f64 (v128.load32_splat costs a shuffle too).
  (func $packA_f32 (param $src i32) (param $ls i32) (param $ps i32) (param $lines i32) (param $kc i32) (param $dst i32)
    (local $p i32) (local $s i32) (local $i i32) (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (if (i32.eq (local.get $lines) (i32.const 4))
      (then
        (if (i32.eq (local.get $ls) (i32.const 4))
          (then
            ;; the four values of one p are adjacent (a transposed A)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
              (local.set $r0 (v128.load (local.get $src)))
              (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $r0) (local.get $r0)))
              (v128.store offset=16 (local.get $dst) (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $r0) (local.get $r0)))
              (v128.store offset=32 (local.get $dst) (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $r0) (local.get $r0)))
              (v128.store offset=48 (local.get $dst) (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $r0) (local.get $r0)))
              (local.set $src (i32.add (local.get $src) (local.get $ps)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $next))))
          (else
            (if (i32.eq (local.get $ps) (i32.const 4))
              (then
                ;; each line is contiguous along p: read four p per line
                (block $done (loop $next
                  (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $kc)))
                  (local.set $s (local.get $src))
                  (local.set $r0 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r1 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r2 (v128.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $ls)))
                  (local.set $r3 (v128.load (local.get $s)))
                  (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $r0) (local.get $r0)))
                  (v128.store offset=16 (local.get $dst) (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $r1) (local.get $r1)))
                  (v128.store offset=32 (local.get $dst) (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $r2) (local.get $r2)))
                  (v128.store offset=48 (local.get $dst) (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $r3) (local.get $r3)))
                  (v128.store offset=64 (local.get $dst) (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $r0) (local.get $r0)))
                  (v128.store offset=80 (local.get $dst) (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $r1) (local.get $r1)))
                  (v128.store offset=96 (local.get $dst) (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $r2) (local.get $r2)))
                  (v128.store offset=112 (local.get $dst) (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $r3) (local.get $r3)))
                  (v128.store offset=128 (local.get $dst) (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $r0) (local.get $r0)))
                  (v128.store offset=144 (local.get $dst) (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $r1) (local.get $r1)))
                  (v128.store offset=160 (local.get $dst) (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $r2) (local.get $r2)))
                  (v128.store offset=176 (local.get $dst) (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $r3) (local.get $r3)))
                  (v128.store offset=192 (local.get $dst) (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $r0) (local.get $r0)))
                  (v128.store offset=208 (local.get $dst) (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $r1) (local.get $r1)))
                  (v128.store offset=224 (local.get $dst) (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $r2) (local.get $r2)))
                  (v128.store offset=240 (local.get $dst) (i8x16.shuffle 12 13 14 15 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $r3) (local.get $r3)))
                  (local.set $src (i32.add (local.get $src) (i32.const 16)))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 256)))
                  (local.set $p (i32.add (local.get $p) (i32.const 4)))
                  (br $next))))
              (else)))))
      (else))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $kc)))
      (local.set $s (local.get $src))
      (local.set $i (i32.const 0))
      (block $row (loop $lane
        (br_if $row (i32.ge_u (local.get $i) (i32.const 4)))
        (v128.store (local.get $dst)
          (f32x4.splat (if (result f32) (i32.lt_u (local.get $i) (local.get $lines))
            (then (f32.load (local.get $s)))
            (else (f32.const 0)))))
        (local.set $s (i32.add (local.get $s) (local.get $ls)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $lane)))
      (local.set $src (i32.add (local.get $src) (local.get $ps)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))

  ;; C[rows × cols at c] += Apanel (kc × 4, splatted) · Bpanel (kc × 8); ldc in bytes; tmp: 128 bytes.
  (func $tile_f32 (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $rows i32) (param $cols i32) (param $tmp i32)
    (local $end i32) (local $r i32) (local $j i32) (local $cr i32) (local $tr i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
    (if (local.get $kc)
      (then
        (loop $k
          ;; k-step p: B[p, 0..7] in b0, b1; A[0..3, p], packed splatted, one at a time
          (local.set $b0 (v128.load (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=16 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=32 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load offset=48 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $k (i32.lt_u (local.get $pb) (local.get $end))))))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
      (then
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c10)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c20)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c30)))
        (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
        (return)))
    (v128.store (local.get $tmp) (local.get $c00))
    (v128.store offset=16 (local.get $tmp) (local.get $c01))
    (v128.store offset=32 (local.get $tmp) (local.get $c10))
    (v128.store offset=48 (local.get $tmp) (local.get $c11))
    (v128.store offset=64 (local.get $tmp) (local.get $c20))
    (v128.store offset=80 (local.get $tmp) (local.get $c21))
    (v128.store offset=96 (local.get $tmp) (local.get $c30))
    (v128.store offset=112 (local.get $tmp) (local.get $c31))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $cr (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))))
      (local.set $tr (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 5))))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $col
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (local.get $cr) (f32.add (f32.load (local.get $cr)) (f32.load (local.get $tr))))
        (local.set $cr (i32.add (local.get $cr) (i32.const 4)))
        (local.set $tr (i32.add (local.get $tr) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; C[rows × cols at c] += Apanel (kc × 4, splatted) · Bpanel (kc × 4), cols ≤ 4: the last columns when n % 8 is
  ;; 1..4, so that a 50-wide product does not compute 56 columns. tmp: 64 bytes.
  (func $tile4x4_f32 (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $rows i32) (param $cols i32) (param $tmp i32)
    (local $end i32) (local $r i32) (local $j i32) (local $cr i32) (local $tr i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $b v128)
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 4))))
    (if (local.get $kc)
      (then
        (loop $k
          (local.set $b (v128.load (local.get $pb)))
          (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load (local.get $pa)) (local.get $b))))
          (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (v128.load offset=16 (local.get $pa)) (local.get $b))))
          (local.set $c2 (f32x4.add (local.get $c2) (f32x4.mul (v128.load offset=32 (local.get $pa)) (local.get $b))))
          (local.set $c3 (f32x4.add (local.get $c3) (f32x4.mul (v128.load offset=48 (local.get $pa)) (local.get $b))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
          (br_if $k (i32.lt_u (local.get $pb) (local.get $end))))))
    (v128.store (local.get $tmp) (local.get $c0))
    (v128.store offset=16 (local.get $tmp) (local.get $c1))
    (v128.store offset=32 (local.get $tmp) (local.get $c2))
    (v128.store offset=48 (local.get $tmp) (local.get $c3))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $cr (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))))
      (local.set $tr (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 4))))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $col
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (local.get $cr) (f32.add (f32.load (local.get $cr)) (f32.load (local.get $tr))))
        (local.set $cr (i32.add (local.get $cr) (i32.const 4)))
        (local.set $tr (i32.add (local.get $tr) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  ;; C (m×n at c) = op(A)·op(B) in float32; see the header for the arguments.
  (func (export "gemm_f32") (param $m i32) (param $n i32) (param $k i32)
      (param $a i32) (param $ars i32) (param $acs i32) (param $b i32) (param $brs i32) (param $bcs i32)
      (param $c i32) (param $work i32) (param $kcmax i32) (param $ncmax i32) (param $mcmax i32)
    (local $ldc i32) (local $packA i32) (local $packB i32) (local $cols i32) (local $src i32) (local $dst i32) (local $pa i32) (local $rows i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $ic i32) (local $mc i32) (local $ir i32) (local $jr i32)
    (local.set $ldc (i32.shl (local.get $n) (i32.const 2)))
    (local.set $ars (i32.shl (local.get $ars) (i32.const 2)))
    (local.set $acs (i32.shl (local.get $acs) (i32.const 2)))
    (local.set $brs (i32.shl (local.get $brs) (i32.const 2)))
    (local.set $bcs (i32.shl (local.get $bcs) (i32.const 2)))
    (memory.fill (local.get $c) (i32.const 0) (i32.mul (local.get $m) (local.get $ldc)))
    ;; work: tmp (128 bytes) | A panels (mcmax rounded up to 4 × (kcmax + 1) splatted values, 16 bytes each) | B panels ((kcmax + 1) × ncmax rounded up to 8)
    (local.set $packA (i32.add (local.get $work) (i32.const 128)))
    (local.set $packB (i32.add (local.get $packA) (i32.shl (i32.mul (i32.and (i32.add (local.get $mcmax) (i32.const 3)) (i32.const -4))
                                                                     (i32.add (local.get $kcmax) (i32.const 1))) (i32.const 4))))
    (block $jDone (loop $jLoop
      (br_if $jDone (i32.ge_u (local.get $jc) (local.get $n)))
      (local.set $nc (call $min (local.get $ncmax) (i32.sub (local.get $n) (local.get $jc))))
      (local.set $pc (i32.const 0))
      (block $pDone (loop $pLoop
        (br_if $pDone (i32.ge_u (local.get $pc) (local.get $k)))
        (local.set $kc (call $min (local.get $kcmax) (i32.sub (local.get $k) (local.get $pc))))
        ;; pack this block of op(B): panel jr/8 at packB + jr·kc·4
        (local.set $jr (i32.const 0))
        (block $bDone (loop $bLoop
          (br_if $bDone (i32.ge_u (local.get $jr) (local.get $nc)))
          (local.set $cols (call $min (i32.const 8) (i32.sub (local.get $nc) (local.get $jr))))
          (local.set $src (i32.add (local.get $b) (i32.add (i32.mul (local.get $pc) (local.get $brs))
                                                         (i32.mul (i32.add (local.get $jc) (local.get $jr)) (local.get $bcs)))))
          (local.set $dst (i32.add (local.get $packB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))
          (if (i32.le_u (local.get $cols) (i32.const 4))
            (then (call $pack4_f32 (local.get $src) (local.get $bcs) (local.get $brs) (local.get $cols) (local.get $kc) (local.get $dst)))
            (else (call $pack8_f32 (local.get $src) (local.get $bcs) (local.get $brs) (local.get $cols) (local.get $kc) (local.get $dst))))
          (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
          (br $bLoop)))
        ;; blocks of mcmax rows of op(A): pack them (panel ir/4 at packA + ir·kc·16), then run every
        ;; B panel against every A panel of the block, so a B panel stays in L1 and the A block in L2
        (local.set $ic (i32.const 0))
        (block $iDone (loop $iLoop
          (br_if $iDone (i32.ge_u (local.get $ic) (local.get $m)))
          (local.set $mc (call $min (local.get $mcmax) (i32.sub (local.get $m) (local.get $ic))))
          (local.set $ir (i32.const 0))
          (block $aDone (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $ir) (local.get $mc)))
            (call $packA_f32
              (i32.add (local.get $a) (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ars))
                                               (i32.mul (local.get $pc) (local.get $acs))))
              (local.get $ars) (local.get $acs)
              (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)))
              (local.get $kc)
              (i32.add (local.get $packA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 4))))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $aLoop)))
          (local.set $jr (i32.const 0))
          (block $rDone (loop $rLoop
            (br_if $rDone (i32.ge_u (local.get $jr) (local.get $nc)))
            (local.set $cols (call $min (i32.const 8) (i32.sub (local.get $nc) (local.get $jr))))
            (local.set $ir (i32.const 0))
            (block $sDone (loop $sLoop
              (br_if $sDone (i32.ge_u (local.get $ir) (local.get $mc)))
              (local.set $src (i32.add (local.get $packB) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))
              (local.set $dst (i32.add (local.get $c) (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldc))
                                                             (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
              (local.set $pa (i32.add (local.get $packA) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 4))))
              (local.set $rows (call $min (i32.const 4) (i32.sub (local.get $mc) (local.get $ir))))
              (if (i32.le_u (local.get $cols) (i32.const 4))
                (then (call $tile4x4_f32 (local.get $pa) (local.get $src) (local.get $kc) (local.get $dst) (local.get $ldc) (local.get $rows) (local.get $cols) (local.get $work)))
                (else (call $tile_f32 (local.get $pa) (local.get $src) (local.get $kc) (local.get $dst) (local.get $ldc) (local.get $rows) (local.get $cols) (local.get $work))))
              (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
              (br $sLoop)))
            (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
            (br $rLoop)))
          (local.set $ic (i32.add (local.get $ic) (local.get $mcmax)))
          (br $iLoop)))
        (local.set $pc (i32.add (local.get $pc) (local.get $kcmax)))
        (br $pLoop)))
      (local.set $jc (i32.add (local.get $jc) (local.get $ncmax)))
      (br $jLoop))))
  ;; ---------------------------------------------------------------- the SGD step

  ;; out[i] = x[i] − s·y[i] for i < n, float64, two at a time: what subtractScaled (elementwise.ts)
  ;; computes, bit for bit (a multiply, then a subtraction), for arrays in this memory.
  (func (export "sub_scaled_f64") (param $out i32) (param $x i32) (param $y i32) (param $n i32) (param $s f64)
    (local $end i32) (local $s2 v128)
    (local.set $s2 (f64x2.splat (local.get $s)))
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f64x2.sub (v128.load (local.get $x)) (f64x2.mul (local.get $s2) (v128.load (local.get $y)))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $out) (f64.sub (f64.load (local.get $x)) (f64.mul (local.get $s) (f64.load (local.get $y))))))))

  ;; The same for float32 arrays, computed as JavaScript does: in float64, rounded to float32 once.
  (func (export "sub_scaled_f32") (param $out i32) (param $x i32) (param $y i32) (param $n i32) (param $s f64)
    (local $end i32) (local $s2 v128)
    (local.set $s2 (f64x2.splat (local.get $s)))
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store64_lane 0 (local.get $out)
        (f32x4.demote_f64x2_zero
          (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x)))
                     (f64x2.mul (local.get $s2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $y)))))))
      (local.set $out (i32.add (local.get $out) (i32.const 8)))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f32.store (local.get $out)
        (f32.demote_f64 (f64.sub (f64.promote_f32 (f32.load (local.get $x))) (f64.mul (local.get $s) (f64.promote_f32 (f32.load (local.get $y))))))))))

  ;; ---------------------------------------------------------------- ReLU
  ;; What reluInto and reluBackwardInto (elementwise.ts) write, bit for bit, for arrays in this memory:
  ;; forward out = x <= 0 ? +0 : x (so −0 → +0, NaN stays: x <= 0 is false for NaN), backward
  ;; out = x > 0 ? dy : +0. Branch-free: a compare gives a lane mask, and the mask keeps or clears the
  ;; lane's bits. In JavaScript the two loops cost ~20 µs each per MNIST step (3200 values, about half
  ;; of them negative, so the branch is a coin toss).

  (func (export "relu_f64") (param $out i32) (param $x i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (v128.andnot (local.get $v) (f64x2.le (local.get $v) (v128.const f64x2 0 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $out)
        (select (f64.const 0) (f64.load (local.get $x)) (f64.le (f64.load (local.get $x)) (f64.const 0)))))))

  (func (export "relu_f32") (param $out i32) (param $x i32) (param $n i32)
    (local $end i32) (local $last i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $last (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $out) (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const f32x4 0 0 0 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $x) (local.get $last)))
      (f32.store (local.get $out)
        (select (f32.const 0) (f32.load (local.get $x)) (f32.le (f32.load (local.get $x)) (f32.const 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $tail))))

  (func (export "relu_backward_f64") (param $out i32) (param $x i32) (param $dy i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $out) (v128.and (v128.load (local.get $dy)) (f64x2.gt (v128.load (local.get $x)) (v128.const f64x2 0 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $out)
        (select (f64.load (local.get $dy)) (f64.const 0) (f64.gt (f64.load (local.get $x)) (f64.const 0)))))))

  (func (export "relu_backward_f32") (param $out i32) (param $x i32) (param $dy i32) (param $n i32)
    (local $end i32) (local $last i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $last (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $out) (v128.and (v128.load (local.get $dy)) (f32x4.gt (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (br $next)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $x) (local.get $last)))
      (f32.store (local.get $out)
        (select (f32.load (local.get $dy)) (f32.const 0) (f32.gt (f32.load (local.get $x)) (f32.const 0))))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (br $tail))))

  ;; ---------------------------------------------------------------- the batch gather

  ;; Row r of dst = row idx[r] of src, for r < n; rows are rowBytes long, idx holds n i32 row
  ;; numbers. One memory.copy per row: a memcpy, where JavaScript's TypedArray#set into this shared
  ;; memory takes V8's slow path. DataLoader's batches, from a dataset that lives in this memory.
  ;; Shuffled rows lie anywhere in hundreds of megabytes, so every row's pages are read once before
  ;; any is copied (35% less time per epoch than reading the row 4 ahead of each copy, old and new
  ;; kernel interleaved in one process). The bytes read are returned (xor-ed), so no compiler drops them.
  (func (export "gather_rows") (param $dst i32) (param $src i32) (param $rowBytes i32) (param $idx i32) (param $n i32) (result i32)
    (local $end i32) (local $at i32) (local $last i32) (local $sink i32) (local $i i32)
    (local.set $end (i32.add (local.get $idx) (i32.shl (local.get $n) (i32.const 2))))
    ;; first, one byte per 4 KiB page of every row (and its last byte): independent loads, whose page
    ;; walks and cache misses overlap; then the copies find the rows on their way
    (local.set $i (local.get $idx))
    (block $t1 (loop $touchRows
      (br_if $t1 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $at (i32.add (local.get $src) (i32.mul (i32.load (local.get $i)) (local.get $rowBytes))))
      (local.set $last (i32.sub (i32.add (local.get $at) (local.get $rowBytes)) (i32.const 1)))
      (block $touched (loop $touch
        (br_if $touched (i32.gt_u (local.get $at) (local.get $last)))
        (local.set $sink (i32.xor (local.get $sink) (i32.load8_u (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 4096)))
        (br $touch)))
      (local.set $sink (i32.xor (local.get $sink) (i32.load8_u (local.get $last))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $touchRows)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (memory.copy (local.get $dst)
        (i32.add (local.get $src) (i32.mul (i32.load (local.get $idx)) (local.get $rowBytes)))
        (local.get $rowBytes))
      (local.set $dst (i32.add (local.get $dst) (local.get $rowBytes)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
      (br $next)))
    (local.get $sink))

  ;; bytes zero bytes from dst: kernelArray's zero-filling, one memset (TypedArray#fill on this
  ;; shared memory may take V8's slow path, element by element).
  (func (export "zero") (param $dst i32) (param $bytes i32)
    (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes)))
)
