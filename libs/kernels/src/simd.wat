;; Elementwise kernels as single SIMD passes over the wasm backend's own memory (imported), four
;; floats at a time. Pointers are byte offsets of float32 arrays; n counts elements.
;; `npm run generate` compiles this file into simd-binary.ts twice: as written, where f32x4.relaxed_madd a b c
;; (a * b + c) is one fused multiply-add on CPUs that have it, and with each of those spelled as a multiply and
;; an add, for engines without relaxed SIMD.
(module
  (import "env" "memory" (memory 1))
  ;; JavaScript's own, for the ziggurat's rare draws (normal.ts)
  (import "env" "exp" (func $exp (param f64) (result f64)))
  (import "env" "log" (func $log (param f64) (result f64)))

  ;; a * tanh(s * x) on four vectors of four lanes, computed side by side (one alone leaves the CPU waiting
  ;; on its chain of dependent operations). tanh z = z P(z^2) / Q(z^2), a rational minimax fit on
  ;; |z| <= 7.905 (as in Eigen's fast float tanh; |error| < 5e-7, and tanh rounds to 1 beyond); near 0 it
  ;; is z times 1 - 1.3e-7, and it keeps the sign of zero.
  (func $tanh16 (param $x0 v128) (param $x1 v128) (param $x2 v128) (param $x3 v128) (param $s v128) (param $a v128) (result v128 v128 v128 v128)
    (local $c0 v128) (local $q0 v128) (local $c1 v128) (local $q1 v128) (local $c2 v128) (local $q2 v128) (local $c3 v128) (local $q3 v128)
    (local.set $c0 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x0) (local.get $s)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $q0 (f32x4.mul (local.get $c0) (local.get $c0)))
    (local.set $x0 (f32x4.mul (local.get $a) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q0)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q0)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q0)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q0)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q0)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q0)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c0)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q0)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q0)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q0)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
    (local.set $c1 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x1) (local.get $s)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $q1 (f32x4.mul (local.get $c1) (local.get $c1)))
    (local.set $x1 (f32x4.mul (local.get $a) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q1)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q1)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q1)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q1)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q1)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q1)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c1)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q1)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q1)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q1)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
    (local.set $c2 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x2) (local.get $s)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $q2 (f32x4.mul (local.get $c2) (local.get $c2)))
    (local.set $x2 (f32x4.mul (local.get $a) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c2)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
    (local.set $c3 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x3) (local.get $s)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
    (local.set $q3 (f32x4.mul (local.get $c3) (local.get $c3)))
    (local.set $x3 (f32x4.mul (local.get $a) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q3)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q3)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q3)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q3)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q3)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q3)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c3)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q3)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q3)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q3)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
    (local.get $x0) (local.get $x1) (local.get $x2) (local.get $x3))

  ;; y = a * tanh(s * (x + b)), b a pattern of $pbytes bytes repeated along x (a bias per channel, as
  ;; channelPattern lays it out; none when $pbytes is 0): x + b the same float additions as addPattern's, so
  ;; the same bits as an Add before it
  (func (export "scaledTanh") (param $x i32) (param $y i32) (param $n i32) (param $s f32) (param $a f32) (param $pat i32) (param $pbytes i32)
    (local $end i32) (local $vs v128) (local $va v128) (local $y0 v128) (local $j i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $c0 v128) (local $q0 v128) (local $c1 v128) (local $q1 v128) (local $c2 v128) (local $q2 v128) (local $c3 v128) (local $q3 v128)
    (local.set $vs (f32x4.splat (local.get $s)))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -16)) (i32.const 2))))
    (block $done
      (loop $sixteens
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        ;; $tanh16 written out: V8 (Node 20) does not inline wasm calls, and a call passes its vectors on the stack
        (local.set $x0 (v128.load (local.get $x)))
        (local.set $x1 (v128.load offset=16 (local.get $x)))
        (local.set $x2 (v128.load offset=32 (local.get $x)))
        (local.set $x3 (v128.load offset=48 (local.get $x)))
        (if (local.get $pbytes) (then
          (local.set $x0 (f32x4.add (local.get $x0) (v128.load (i32.add (local.get $pat) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
          (local.set $x1 (f32x4.add (local.get $x1) (v128.load (i32.add (local.get $pat) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
          (local.set $x2 (f32x4.add (local.get $x2) (v128.load (i32.add (local.get $pat) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
          (local.set $x3 (f32x4.add (local.get $x3) (v128.load (i32.add (local.get $pat) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))))
        (local.set $c0 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x0) (local.get $vs)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
        (local.set $q0 (f32x4.mul (local.get $c0) (local.get $c0)))
        (local.set $x0 (f32x4.mul (local.get $va) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q0)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q0)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q0)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q0)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q0)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q0)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c0)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q0)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q0)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q0)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
        (local.set $c1 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x1) (local.get $vs)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
        (local.set $q1 (f32x4.mul (local.get $c1) (local.get $c1)))
        (local.set $x1 (f32x4.mul (local.get $va) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q1)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q1)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q1)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q1)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q1)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q1)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c1)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q1)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q1)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q1)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
        (local.set $c2 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x2) (local.get $vs)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
        (local.set $q2 (f32x4.mul (local.get $c2) (local.get $c2)))
        (local.set $x2 (f32x4.mul (local.get $va) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q2)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q2)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q2)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q2)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q2)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q2)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c2)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q2)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q2)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q2)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
        (local.set $c3 (f32x4.pmax (f32x4.pmin (f32x4.mul (local.get $x3) (local.get $vs)) (v128.const f32x4 7.90531110763549805 7.90531110763549805 7.90531110763549805 7.90531110763549805)) (v128.const f32x4 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805 -7.90531110763549805)))
        (local.set $q3 (f32x4.mul (local.get $c3) (local.get $c3)))
        (local.set $x3 (f32x4.mul (local.get $va) (f32x4.div (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16 -2.76076847742355e-16) (local.get $q3)) (v128.const f32x4 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13 2.00018790482477e-13)) (local.get $q3)) (v128.const f32x4 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11 -8.60467152213735e-11)) (local.get $q3)) (v128.const f32x4 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08 5.12229709037114e-08)) (local.get $q3)) (v128.const f32x4 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05 1.48572235717979e-05)) (local.get $q3)) (v128.const f32x4 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04 6.37261928875436e-04)) (local.get $q3)) (v128.const f32x4 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03 4.89352455891786e-03)) (local.get $c3)) (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (v128.const f32x4 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06 1.19825839466702e-06) (local.get $q3)) (v128.const f32x4 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04 1.18534705686654e-04)) (local.get $q3)) (v128.const f32x4 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03 2.26843463243900e-03)) (local.get $q3)) (v128.const f32x4 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03 4.89352518554385e-03)))))
        (v128.store (local.get $y) (local.get $x0))
        (v128.store offset=16 (local.get $y) (local.get $x1))
        (v128.store offset=32 (local.get $y) (local.get $x2))
        (v128.store offset=48 (local.get $y) (local.get $x3))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $sixteens)))
    ;; the last n mod 16 elements, one lane at a time
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const 15)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $y0 (v128.load32_zero (local.get $x)))
        (if (local.get $pbytes) (then
          (local.set $y0 (f32x4.add (local.get $y0) (v128.load32_zero (i32.add (local.get $pat) (local.get $j)))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))))
        (call $tanh16 (local.get $y0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0)
          (local.get $vs) (local.get $va))
        (drop) (drop) (drop)
        (local.set $y0)
        (v128.store32_lane 0 (local.get $y) (local.get $y0))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $tail))))

  ;; dx = dy * d/dx (a tanh(s x)) = dy * (s / a) * (a^2 - y^2), from the output y alone.
  (func $grad4 (param $y v128) (param $dy v128) (param $c v128) (param $a2 v128) (result v128)
    (f32x4.mul (f32x4.mul (local.get $dy) (local.get $c))
      (f32x4.sub (local.get $a2) (f32x4.mul (local.get $y) (local.get $y)))))

  (func (export "scaledTanhGrad") (param $y i32) (param $dy i32) (param $dx i32) (param $n i32) (param $s f32) (param $a f32)
    (local $end i32) (local $c v128) (local $a2 v128) (local $v v128)
    (local.set $c (f32x4.splat (f32.div (local.get $s) (local.get $a))))
    (local.set $a2 (f32x4.splat (f32.mul (local.get $a) (local.get $a))))
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        ;; $grad4 written out: V8 (Node 20) does not inline wasm calls; with a call per four floats the pass took
        ;; 2.8 times as long (301,056 floats, 537 against 190 us)
        (local.set $v (v128.load (local.get $y)))
        (v128.store (local.get $dx) (f32x4.mul (f32x4.mul (v128.load (local.get $dy)) (local.get $c))
          (f32x4.sub (local.get $a2) (f32x4.mul (local.get $v) (local.get $v)))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br $quads)))
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $y) (local.get $end)))
        (v128.store32_lane 0 (local.get $dx)
          (call $grad4 (v128.load32_zero (local.get $y)) (v128.load32_zero (local.get $dy)) (local.get $c) (local.get $a2)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (br $tail))))

  ;; ReLU's gradient as tfjs takes it, dx = dy * step(x) (step: 1 where x > 0, NaN where x is NaN, else 0), in
  ;; one pass where tfjs makes three (Step, Cast, Multiply): the same products, so dy * 0 keeps dy's sign.
  (func (export "reluGrad") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128) (local $s v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $s (v128.bitselect (v128.const f32x4 1 1 1 1) (v128.const f32x4 0 0 0 0) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $s (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $s) (f32x4.ne (local.get $v) (local.get $v))))
        (v128.store (local.get $dx) (f32x4.mul (v128.load (local.get $dy)) (local.get $s)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br $quads)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load32_zero (local.get $x)))
        (local.set $s (v128.bitselect (v128.const f32x4 1 1 1 1) (v128.const f32x4 0 0 0 0) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $s (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $s) (f32x4.ne (local.get $v) (local.get $v))))
        (v128.store32_lane 0 (local.get $dx) (f32x4.mul (v128.load32_zero (local.get $dy)) (local.get $s)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (br $tail))))

    ;; Bias kernels. A bias b of c floats repeats along the rows of an [rows, c] array; b repeated to
  ;; p = lcm(c, 4) floats (the pattern, at $pat) lines up with four-float vectors, so the whole array
  ;; is one flat pass whatever c is. n = rows * c.

  ;; y = x + b on every row
  (func (export "addPattern") (param $x i32) (param $pat i32) (param $p i32) (param $y i32) (param $n i32)
    (local $end i32) (local $j i32) (local $pbytes i32)
    (local.set $pbytes (i32.shl (local.get $p) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $y) (f32x4.add (v128.load (local.get $x)) (v128.load (i32.add (local.get $pat) (local.get $j)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
        (br $quads)))
    ;; p is a multiple of 4, so the last n mod 4 floats never wrap the pattern
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (f32.store (local.get $y) (f32.add (f32.load (local.get $x)) (f32.load (i32.add (local.get $pat) (local.get $j)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; acc[k] = sum of x[i] over i = k mod p: the column sums of x, p / c partial sums per column,
  ;; which the caller adds up.
  (func (export "sumPattern") (param $x i32) (param $n i32) (param $acc i32) (param $p i32)
    (local $end i32) (local $j i32) (local $pbytes i32) (local $a i32)
    (local.set $pbytes (i32.shl (local.get $p) (i32.const 2)))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $j) (local.get $pbytes)))
        (v128.store (i32.add (local.get $acc) (local.get $j)) (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $zero)))
    (local.set $j (i32.const 0))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
        (br $quads)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; Adam's update of one tensor, in tf.train.adam's order of float32 operations (so the same bits):
  ;; g += l2 w; w *= keep (AdamW's decoupled decay, 1 when none); m' = b1 m + (1 - b1) g;
  ;; v' = b2 v + (1 - b2) g^2; w' = w + -lr ((m' / d1) / (sqrt(v' / d2) + eps)), where d = 1 - beta^t.
  ;; Returns w', m', v'. (1 - b1 and 1 - b2 come from the caller: tfjs rounds them from doubles.)
  (func $adam4 (param $w v128) (param $g v128) (param $m v128) (param $v v128)
    (param $l2 v128) (param $keep v128) (param $b1 v128) (param $ob1 v128) (param $b2 v128) (param $ob2 v128)
    (param $d1 v128) (param $d2 v128) (param $eps v128) (param $nlr v128)
    (result v128 v128 v128)
    (local.set $g (f32x4.add (local.get $g) (f32x4.mul (local.get $w) (local.get $l2))))
    (local.set $w (f32x4.mul (local.get $w) (local.get $keep)))
    (local.set $m (f32x4.add (f32x4.mul (local.get $m) (local.get $b1)) (f32x4.mul (local.get $g) (local.get $ob1))))
    (local.set $v (f32x4.add (f32x4.mul (local.get $v) (local.get $b2)) (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (local.get $ob2))))
    (f32x4.add
      (f32x4.mul
        (f32x4.div (f32x4.div (local.get $m) (local.get $d1))
                   (f32x4.add (f32x4.sqrt (f32x4.div (local.get $v) (local.get $d2))) (local.get $eps)))
        (local.get $nlr))
      (local.get $w))
    (local.get $m)
    (local.get $v))

  ;; w, g, m, v in; w', m', v' out (an output may be its input); n floats.
  (func (export "adam") (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $wout i32) (param $mout i32) (param $vout i32) (param $n i32)
    (param $l2 f32) (param $keep f32) (param $b1 f32) (param $ob1 f32) (param $b2 f32) (param $ob2 f32)
    (param $d1 f32) (param $d2 f32) (param $eps f32) (param $lr f32)
    (local $i i32) (local $quads i32) (local $end i32) (local $nw v128) (local $nm v128) (local $nv v128) (local $ng v128)
    (local $vl2 v128) (local $vkeep v128) (local $vb1 v128) (local $vob1 v128) (local $vb2 v128) (local $vob2 v128)
    (local $vd1 v128) (local $vd2 v128) (local $veps v128) (local $vnlr v128)
    (local.set $vl2 (f32x4.splat (local.get $l2)))
    (local.set $vkeep (f32x4.splat (local.get $keep)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vob1 (f32x4.splat (local.get $ob1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vob2 (f32x4.splat (local.get $ob2)))
    (local.set $vd1 (f32x4.splat (local.get $d1)))
    (local.set $vd2 (f32x4.splat (local.get $d2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnlr (f32x4.splat (f32.neg (local.get $lr))))
    (local.set $quads (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    ;; Whole vectors, then the tail: with an if between them in one loop the pass took 1.4-2.0 times as long
    ;; (61,706 and 98,490 floats)
    (block $quadsDone
      (loop $each
        (br_if $quadsDone (i32.ge_u (local.get $i) (local.get $quads)))
        ;; $adam4 written out: a call per four floats (its fourteen vectors passed on the stack) took
        ;; three quarters of the time
        (local.set $nw (v128.load (i32.add (local.get $w) (local.get $i))))
        (local.set $ng (f32x4.add (v128.load (i32.add (local.get $g) (local.get $i))) (f32x4.mul (local.get $nw) (local.get $vl2))))
        (local.set $nw (f32x4.mul (local.get $nw) (local.get $vkeep)))
        (local.set $nm (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $vb1)) (f32x4.mul (local.get $ng) (local.get $vob1))))
        (local.set $nv (f32x4.add (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $vb2))
          (f32x4.mul (f32x4.mul (local.get $ng) (local.get $ng)) (local.get $vob2))))
        (local.set $nw (f32x4.add
          (f32x4.mul
            (f32x4.div (f32x4.div (local.get $nm) (local.get $vd1))
                       (f32x4.add (f32x4.sqrt (f32x4.div (local.get $nv) (local.get $vd2))) (local.get $veps)))
            (local.get $vnlr))
          (local.get $nw)))
        (v128.store (i32.add (local.get $wout) (local.get $i)) (local.get $nw))
        (v128.store (i32.add (local.get $mout) (local.get $i)) (local.get $nm))
        (v128.store (i32.add (local.get $vout) (local.get $i)) (local.get $nv))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $each)))
    (block $done
      (loop $rest
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; the last n mod 4 floats, one lane at a time
        (call $adam4
          (v128.load32_zero (i32.add (local.get $w) (local.get $i))) (v128.load32_zero (i32.add (local.get $g) (local.get $i)))
          (v128.load32_zero (i32.add (local.get $m) (local.get $i))) (v128.load32_zero (i32.add (local.get $v) (local.get $i)))
          (local.get $vl2) (local.get $vkeep) (local.get $vb1) (local.get $vob1) (local.get $vb2) (local.get $vob2)
          (local.get $vd1) (local.get $vd2) (local.get $veps) (local.get $vnlr))
        (local.set $nv) (local.set $nm) (local.set $nw)
        (v128.store32_lane 0 (i32.add (local.get $wout) (local.get $i)) (local.get $nw))
        (v128.store32_lane 0 (i32.add (local.get $mout) (local.get $i)) (local.get $nm))
        (v128.store32_lane 0 (i32.add (local.get $vout) (local.get $i)) (local.get $nv))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rest))))

  ;; Spreads windows of values back over an input, without padding: window (oy, ox) of pixel positions
  ;; (oy sh + fy, ox sw + fx), fy < fh, fx < fw, gets src * scale added, pixels of c floats. With $tap 0
  ;; one pixel of src serves its whole window (AvgPoolGrad: src = dy, scale = 1 / (fh fw)); with $tap = c
  ;; src holds one pixel per window element in (fy, fx) order (col2im: a conv's input gradient from
  ;; dy times the filter transposed). dx must be zeroed first. Sizes count floats and pixels; pointers
  ;; and $tap are bytes.
  (func (export "spreadWindows") (param $dy i32) (param $dx i32) (param $batch i32) (param $outH i32) (param $outW i32)
    (param $inH i32) (param $inW i32) (param $c i32) (param $sh i32) (param $sw i32) (param $fh i32) (param $fw i32) (param $scale f32)
    (param $tap i32)
    (local $vscale v128) (local $pix i32) (local $row i32) (local $img i32) (local $quads i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $fy i32) (local $fx i32) (local $k i32) (local $base i32) (local $to i32)
    (local $from i32) (local $window i32) (local $run i32) (local $reps i32) (local $runTap i32)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $pix (i32.shl (local.get $c) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $pix)))
    (local.set $img (i32.mul (local.get $inH) (local.get $row)))
    ;; With $tap = c the fw pixels of a window row are contiguous in src as in dx: one run of fw c floats.
    (if (i32.eq (local.get $tap) (local.get $pix))
      (then (local.set $run (i32.mul (local.get $fw) (local.get $pix))) (local.set $reps (i32.const 1)))
      (else (local.set $run (local.get $pix)) (local.set $reps (local.get $fw))))
    ;; bytes src moves per run: the run's pixels' share of it
    (local.set $runTap (i32.mul (local.get $tap) (i32.div_u (local.get $run) (local.get $pix))))
    (local.set $quads (i32.and (local.get $run) (i32.const -16)))
    ;; bytes of src per window
    (local.set $window (i32.add (local.get $pix) (i32.mul (i32.sub (i32.mul (local.get $fh) (local.get $fw)) (i32.const 1)) (local.get $tap))))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oy_loop
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $ox_loop
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          ;; the window's top left input
          (local.set $base (i32.add (local.get $dx)
            (i32.add (i32.mul (local.get $n) (local.get $img))
              (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $sh)) (local.get $row))
                (i32.mul (i32.mul (local.get $ox) (local.get $sw)) (local.get $pix))))))
          (local.set $from (local.get $dy))
          (local.set $fy (i32.const 0))
          (block $fy_done (loop $fy_loop
            (br_if $fy_done (i32.ge_u (local.get $fy) (local.get $fh)))
            (local.set $fx (i32.const 0))
            (block $fx_done (loop $fx_loop
              (br_if $fx_done (i32.ge_u (local.get $fx) (local.get $reps)))
              (local.set $to (i32.add (local.get $base)
                (i32.add (i32.mul (local.get $fy) (local.get $row)) (i32.mul (local.get $fx) (local.get $pix)))))
              (local.set $k (i32.const 0))
              (block $q_done (loop $q_loop
                (br_if $q_done (i32.ge_u (local.get $k) (local.get $quads)))
                (v128.store (i32.add (local.get $to) (local.get $k))
                  (f32x4.add (v128.load (i32.add (local.get $to) (local.get $k)))
                    (f32x4.mul (v128.load (i32.add (local.get $from) (local.get $k))) (local.get $vscale))))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $q_loop)))
              (block $s_done (loop $s_loop
                (br_if $s_done (i32.ge_u (local.get $k) (local.get $run)))
                (f32.store (i32.add (local.get $to) (local.get $k))
                  (f32.add (f32.load (i32.add (local.get $to) (local.get $k)))
                    (f32.mul (f32.load (i32.add (local.get $from) (local.get $k))) (local.get $scale))))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $s_loop)))
              (local.set $from (i32.add (local.get $from) (local.get $runTap)))
              (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
              (br $fx_loop)))
            (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
            (br $fy_loop)))
          (local.set $dy (i32.add (local.get $dy) (local.get $window)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; Bytes from x[n, i, j] to x[n, i + p, j + q] for tap t = p kw + q of a one-channel image wd floats wide.
  (func $tapBytes (param $t i32) (param $kw i32) (param $wd i32) (result i32)
    (i32.shl (i32.add (i32.mul (i32.div_u (local.get $t) (local.get $kw)) (local.get $wd)) (i32.rem_u (local.get $t) (local.get $kw))) (i32.const 2)))

  ;; The filter gradient of a stride-1 conv without padding on a one-channel input, straight from NHWC
  ;; operands (Cout >= 4): dw[p, q, 0, co] = sum over n, i, j of x[n, i + p, j + q] * dy[n, i, j, co], by two
  ;; groups of four channels, the last groups moved back to end at Cout as in convGray. Filters at least five
  ;; wide take four taps a pass (eight accumulators, each pixel one splat of x per tap); narrower ones a tap a
  ;; pass, four pixels at a time. Images are taken $nb at a time, all taps over a block before the next, so that
  ;; the block stays in L1 (25 passes over all of C1's dy came from L2): each block's sums go to $sum (kh kw Cout
  ;; floats), where overlapping groups may store twice, and are then added to dw.
  ;; Sizes count floats; pointers are bytes.
  (func (export "convFilterGradGray") (param $x i32) (param $dy i32) (param $dw i32)
    (param $batch i32) (param $h i32) (param $wd i32) (param $cout i32) (param $ho i32) (param $wo i32) (param $kh i32) (param $kw i32) (param $nb i32) (param $sum i32)
    (local $n0 i32) (local $n1 i32) (local $p i32) (local $q i32) (local $g i32) (local $ca i32) (local $cb i32) (local $n i32) (local $i i32) (local $j i32)
    (local $xp i32) (local $da i32) (local $db i32) (local $pix i32) (local $last i32) (local $out i32)
    (local $s v128) (local $va v128) (local $vb v128) (local $xrow i32) (local $drow i32) (local $rowi i32) (local $rowo i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $taps i32) (local $t i32) (local $tt i32) (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local.set $pix (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $last (i32.sub (local.get $cout) (i32.const 4)))
    ;; bytes of a row of x and of dy
    (local.set $rowi (i32.shl (local.get $wd) (i32.const 2)))
    (local.set $rowo (i32.mul (local.get $wo) (local.get $pix)))
    (memory.fill (local.get $dw) (i32.const 0) (i32.shl (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $cout)) (i32.const 2)))
    (block $b_done (loop $b_loop
    (br_if $b_done (i32.ge_u (local.get $n0) (local.get $batch)))
    (local.set $n1 (i32.add (local.get $n0) (local.get $nb)))
    (local.set $n1 (select (local.get $n1) (local.get $batch) (i32.lt_u (local.get $n1) (local.get $batch))))
    (if (i32.ge_u (local.get $kw) (i32.const 5))
      (then
    ;; Four taps at a time in dw's order (p, then q, across rows of the filter), by two groups of channels: eight
    ;; accumulators, each pixel two loads of dy and four splats of x. V8 keeps fifteen SIMD registers: ten
    ;; accumulators (five taps of a row), two dy vectors and the splats it loads ahead spilled two accumulators to the
    ;; stack, a store and a load on each one's chain every pixel: on LeNet-5's C1 (32 images) 0.49 ms against 0.22
    ;; for this pass, the same bits. The last four taps are moved back to end at kh kw; the taps they share with the
    ;; four before are stored again, the same values.
    (local.set $taps (i32.mul (local.get $kh) (local.get $kw)))
    (local.set $t (i32.const 0))
    (block $t4_done (loop $t4_loop
      (br_if $t4_done (i32.ge_u (local.get $t) (local.get $taps)))
      (local.set $tt (select (local.get $t) (i32.sub (local.get $taps) (i32.const 4)) (i32.le_u (i32.add (local.get $t) (i32.const 4)) (local.get $taps))))
      ;; bytes from x[n, i, j] to x[n, i + p, j + q] for the four taps
      (local.set $o0 (call $tapBytes (local.get $tt) (local.get $kw) (local.get $wd)))
      (local.set $o1 (call $tapBytes (i32.add (local.get $tt) (i32.const 1)) (local.get $kw) (local.get $wd)))
      (local.set $o2 (call $tapBytes (i32.add (local.get $tt) (i32.const 2)) (local.get $kw) (local.get $wd)))
      (local.set $o3 (call $tapBytes (i32.add (local.get $tt) (i32.const 3)) (local.get $kw) (local.get $wd)))
      (local.set $g (i32.const 0))
      (block $g4_done (loop $g4_loop
        (br_if $g4_done (i32.ge_u (local.get $g) (local.get $cout)))
        (local.set $ca (select (local.get $g) (local.get $last) (i32.lt_u (local.get $g) (local.get $last))))
        (local.set $cb (i32.add (local.get $g) (i32.const 4)))
        (local.set $cb (select (local.get $cb) (local.get $last) (i32.lt_u (local.get $cb) (local.get $last))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
        (local.set $n (local.get $n0))
        (block $n4_done (loop $n4_loop
          (br_if $n4_done (i32.ge_u (local.get $n) (local.get $n1)))
          ;; x[n, 0, 0] and dy[n, 0, 0, 0], then a row down in each
          (local.set $xrow (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (local.get $n) (local.get $h)) (local.get $wd)) (i32.const 2))))
          (local.set $drow (i32.add (local.get $dy) (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $ho)) (local.get $wo)) (local.get $pix))))
          (local.set $i (i32.const 0))
          (block $i4_done (loop $i4_loop
            (br_if $i4_done (i32.ge_u (local.get $i) (local.get $ho)))
            (local.set $xp (local.get $xrow))
            (local.set $db (i32.add (local.get $drow) (i32.shl (local.get $cb) (i32.const 2))))
            (local.set $da (i32.add (local.get $drow) (i32.shl (local.get $ca) (i32.const 2))))
            (local.set $xrow (i32.add (local.get $xrow) (local.get $rowi)))
            (local.set $drow (i32.add (local.get $drow) (local.get $rowo)))
            (local.set $j (i32.const 0))
            (block $j4_done (loop $j4_loop
              (br_if $j4_done (i32.ge_u (local.get $j) (local.get $wo)))
              (local.set $va (v128.load (local.get $da)))
              (local.set $vb (v128.load (local.get $db)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $o0))))
                (local.set $a0 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a0)))
                (local.set $b0 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b0)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $o1))))
                (local.set $a1 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a1)))
                (local.set $b1 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b1)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $o2))))
                (local.set $a2 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a2)))
                (local.set $b2 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b2)))
                (local.set $s (v128.load32_splat (i32.add (local.get $xp) (local.get $o3))))
                (local.set $a3 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a3)))
                (local.set $b3 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b3)))
              (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
              (local.set $da (i32.add (local.get $da) (local.get $pix)))
              (local.set $db (i32.add (local.get $db) (local.get $pix)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $j4_loop)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $i4_loop)))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $n4_loop)))
        ;; sum[tt + k, ca] and sum[tt + k, cb], k < 4
        (local.set $out (i32.add (local.get $sum) (i32.shl (i32.mul (local.get $tt) (local.get $cout)) (i32.const 2))))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2))) (local.get $a0))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2))) (local.get $b0))
          (local.set $out (i32.add (local.get $out) (local.get $pix)))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2))) (local.get $a1))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2))) (local.get $b1))
          (local.set $out (i32.add (local.get $out) (local.get $pix)))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2))) (local.get $a2))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2))) (local.get $b2))
          (local.set $out (i32.add (local.get $out) (local.get $pix)))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2))) (local.get $a3))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2))) (local.get $b3))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $g4_loop)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (br $t4_loop))))
      (else
    (local.set $p (i32.const 0))
    (block $p_done (loop $p_loop
      (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
      (local.set $q (i32.const 0))
      (block $q_done (loop $q_loop
        (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
        (local.set $g (i32.const 0))
        (block $g_done (loop $g_loop
          (br_if $g_done (i32.ge_u (local.get $g) (local.get $cout)))
          (local.set $ca (select (local.get $g) (local.get $last) (i32.lt_u (local.get $g) (local.get $last))))
          (local.set $cb (i32.add (local.get $g) (i32.const 4)))
          (local.set $cb (select (local.get $cb) (local.get $last) (i32.lt_u (local.get $cb) (local.get $last))))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
          (local.set $n (local.get $n0))
          (block $n_done (loop $n_loop
            (br_if $n_done (i32.ge_u (local.get $n) (local.get $n1)))
            ;; x[n, p, q] and dy[n, 0, 0, 0], then a row down in each
            (local.set $xrow (i32.add (local.get $x) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $p)) (local.get $wd)) (local.get $q))
              (i32.const 2))))
            (local.set $drow (i32.add (local.get $dy) (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $ho)) (local.get $wo)) (local.get $pix))))
            (local.set $i (i32.const 0))
            (block $i_done (loop $i_loop
              (br_if $i_done (i32.ge_u (local.get $i) (local.get $ho)))
              ;; x[n, i + p, q], dy[n, i, 0, ca] and dy[n, i, 0, cb]
              (local.set $xp (local.get $xrow))
              (local.set $db (i32.add (local.get $drow) (i32.shl (local.get $cb) (i32.const 2))))
              (local.set $da (i32.add (local.get $drow) (i32.shl (local.get $ca) (i32.const 2))))
              (local.set $xrow (i32.add (local.get $xrow) (local.get $rowi)))
              (local.set $drow (i32.add (local.get $drow) (local.get $rowo)))
              (local.set $j (i32.const 0))
              (block $j_done (loop $j_loop
                (br_if $j_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $wo)))
                (local.set $s (v128.load32_splat offset=0 (local.get $xp)))
                (local.set $a0 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $da)) (local.get $a0)))
                (local.set $b0 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $db)) (local.get $b0)))
                (local.set $s (v128.load32_splat offset=4 (local.get $xp)))
                (local.set $a1 (f32x4.relaxed_madd (local.get $s) (v128.load (i32.add (local.get $da) (local.get $pix))) (local.get $a1)))
                (local.set $b1 (f32x4.relaxed_madd (local.get $s) (v128.load (i32.add (local.get $db) (local.get $pix))) (local.get $b1)))
                (local.set $s (v128.load32_splat offset=8 (local.get $xp)))
                (local.set $da (i32.add (local.get $da) (i32.shl (local.get $pix) (i32.const 1))))
                (local.set $db (i32.add (local.get $db) (i32.shl (local.get $pix) (i32.const 1))))
                (local.set $a2 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $da)) (local.get $a2)))
                (local.set $b2 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $db)) (local.get $b2)))
                (local.set $s (v128.load32_splat offset=12 (local.get $xp)))
                (local.set $a3 (f32x4.relaxed_madd (local.get $s) (v128.load (i32.add (local.get $da) (local.get $pix))) (local.get $a3)))
                (local.set $b3 (f32x4.relaxed_madd (local.get $s) (v128.load (i32.add (local.get $db) (local.get $pix))) (local.get $b3)))
                (local.set $da (i32.add (local.get $da) (i32.shl (local.get $pix) (i32.const 1))))
                (local.set $db (i32.add (local.get $db) (i32.shl (local.get $pix) (i32.const 1))))
                (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $j_loop)))
              ;; the last Wo mod 4 pixels, one at a time
              (block $t_done (loop $t_loop
                (br_if $t_done (i32.ge_u (local.get $j) (local.get $wo)))
                (local.set $s (v128.load32_splat (local.get $xp)))
                (local.set $a0 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $da)) (local.get $a0)))
                (local.set $b0 (f32x4.relaxed_madd (local.get $s) (v128.load (local.get $db)) (local.get $b0)))
                (local.set $da (i32.add (local.get $da) (local.get $pix)))
                (local.set $db (i32.add (local.get $db) (local.get $pix)))
                (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $t_loop)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $i_loop)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $n_loop)))
          ;; sum[p, q, ca] and sum[p, q, cb]
          (local.set $out (i32.add (local.get $sum) (i32.shl (i32.mul (i32.add (i32.mul (local.get $p) (local.get $kw)) (local.get $q)) (local.get $cout)) (i32.const 2))))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2)))
            (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
          (v128.store (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2)))
            (f32x4.add (f32x4.add (local.get $b0) (local.get $b1)) (f32x4.add (local.get $b2) (local.get $b3))))
          (local.set $g (i32.add (local.get $g) (i32.const 8)))
          (br $g_loop)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $q_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p_loop)))))
    ;; dw += sum
    (local.set $out (i32.shl (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $cout)) (i32.const 2)))
    (local.set $xp (i32.const 0))
    (block $s_done (loop $s_loop
      (br_if $s_done (i32.ge_u (local.get $xp) (local.get $out)))
      (f32.store (i32.add (local.get $dw) (local.get $xp))
        (f32.add (f32.load (i32.add (local.get $dw) (local.get $xp))) (f32.load (i32.add (local.get $sum) (local.get $xp)))))
      (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
      (br $s_loop)))
    (local.set $n0 (local.get $n1))
    (br $b_loop))))

  ;; A stride-1 conv without padding, NHWC: y[n, i, j, co] = sum over p, q, ci of x[n, i + p, j + q, ci] *
  ;; w[p, q, ci, co], Cout >= 4 and at least four output pixels, w's columns packed in panels of eight by
  ;; packPanels. Each pass takes four output pixels (in the order of y, across rows and images) by eight
  ;; channels: eight accumulators, each step one splat of x per pixel and two loads of the panel's next row, read
  ;; in order from one pointer (1.05-1.2x the pass that read w's rows in place, side by side). For a fixed p the
  ;; taps q and channels ci are one run of kw Cin floats in x and in the panel. The last pixels and channels are
  ;; moved back to end at the last pixel and at Cout: they overlap the ones before and store the same values again.
  ;; Sizes count floats; pointers are bytes.
  (func (export "conv") (param $x i32) (param $w i32) (param $y i32)
    (param $batch i32) (param $h i32) (param $wd i32) (param $cin i32) (param $ho i32) (param $wo i32) (param $cout i32)
    (param $kh i32) (param $kw i32)
    (local $m i32) (local $mm i32) (local $pixels i32) (local $g i32) (local $ca i32) (local $cb i32) (local $p i32) (local $run i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $xp i32) (local $wa i32) (local $wb i32)
    (local $row i32) (local $pix i32) (local $last i32) (local $out i32) (local $plane i32)
    (local $cur i32) (local $ci i32) (local $cj i32) (local $step i32) (local $rowSkip i32) (local $imageSkip i32)
    (local $wp i32) (local $end i32) (local $s v128) (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $row (i32.shl (i32.mul (local.get $wd) (local.get $cin)) (i32.const 2)))
    (local.set $pix (i32.shl (local.get $cout) (i32.const 2)))
    (local.set $last (i32.sub (local.get $cout) (i32.const 4)))
    (local.set $run (i32.mul (local.get $kw) (local.get $cin)))
    (local.set $plane (i32.mul (local.get $ho) (local.get $wo)))
    (local.set $pixels (i32.mul (local.get $batch) (local.get $plane)))
    ;; bytes from x[n, i, j] to the next output pixel's origin: along a row, to the next row, to the next image
    (local.set $step (i32.shl (local.get $cin) (i32.const 2)))
    (local.set $rowSkip (i32.mul (i32.add (i32.sub (local.get $wd) (local.get $wo)) (i32.const 1)) (local.get $step)))
    (local.set $imageSkip (i32.add (local.get $rowSkip) (i32.mul (i32.sub (local.get $h) (local.get $ho)) (local.get $row))))
    (local.set $cur (local.get $x))
    (block $m_done (loop $m_loop
      (br_if $m_done (i32.ge_u (local.get $m) (local.get $pixels)))
      ;; the four pixels' origins: stepped along from pixel m's, except for a last group moved back
      (if (i32.le_u (i32.add (local.get $m) (i32.const 4)) (local.get $pixels))
        (then
          (local.set $mm (local.get $m))
          (local.set $x0 (local.get $cur))
          ;; each the next along a row, then down, then into the next image (written out, not called: V8 on Node 20
          ;; inlines no wasm call; with four calls per four pixels LeNet-5's C1 took 1.15 times as long)
          (if (i32.lt_u (i32.add (local.get $cj) (i32.const 1)) (local.get $wo))
            (then (local.set $x1 (i32.add (local.get $x0) (local.get $step))) (local.set $cj (i32.add (local.get $cj) (i32.const 1))))
            (else (if (i32.lt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $ho))
              (then (local.set $x1 (i32.add (local.get $x0) (local.get $rowSkip))) (local.set $ci (i32.add (local.get $ci) (i32.const 1))) (local.set $cj (i32.const 0)))
              (else (local.set $x1 (i32.add (local.get $x0) (local.get $imageSkip))) (local.set $ci (i32.const 0)) (local.set $cj (i32.const 0))))))
          (if (i32.lt_u (i32.add (local.get $cj) (i32.const 1)) (local.get $wo))
            (then (local.set $x2 (i32.add (local.get $x1) (local.get $step))) (local.set $cj (i32.add (local.get $cj) (i32.const 1))))
            (else (if (i32.lt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $ho))
              (then (local.set $x2 (i32.add (local.get $x1) (local.get $rowSkip))) (local.set $ci (i32.add (local.get $ci) (i32.const 1))) (local.set $cj (i32.const 0)))
              (else (local.set $x2 (i32.add (local.get $x1) (local.get $imageSkip))) (local.set $ci (i32.const 0)) (local.set $cj (i32.const 0))))))
          (if (i32.lt_u (i32.add (local.get $cj) (i32.const 1)) (local.get $wo))
            (then (local.set $x3 (i32.add (local.get $x2) (local.get $step))) (local.set $cj (i32.add (local.get $cj) (i32.const 1))))
            (else (if (i32.lt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $ho))
              (then (local.set $x3 (i32.add (local.get $x2) (local.get $rowSkip))) (local.set $ci (i32.add (local.get $ci) (i32.const 1))) (local.set $cj (i32.const 0)))
              (else (local.set $x3 (i32.add (local.get $x2) (local.get $imageSkip))) (local.set $ci (i32.const 0)) (local.set $cj (i32.const 0))))))
          (if (i32.lt_u (i32.add (local.get $cj) (i32.const 1)) (local.get $wo))
            (then (local.set $cur (i32.add (local.get $x3) (local.get $step))) (local.set $cj (i32.add (local.get $cj) (i32.const 1))))
            (else (if (i32.lt_u (i32.add (local.get $ci) (i32.const 1)) (local.get $ho))
              (then (local.set $cur (i32.add (local.get $x3) (local.get $rowSkip))) (local.set $ci (i32.add (local.get $ci) (i32.const 1))) (local.set $cj (i32.const 0)))
              (else (local.set $cur (i32.add (local.get $x3) (local.get $imageSkip))) (local.set $ci (i32.const 0)) (local.set $cj (i32.const 0)))))))
        (else
          (local.set $mm (i32.sub (local.get $pixels) (i32.const 4)))
          (local.set $x0 (call $convOrigin (local.get $mm) (local.get $x) (local.get $plane) (local.get $wo) (local.get $h) (local.get $wd) (local.get $cin)))
          (local.set $x1 (call $convOrigin (i32.add (local.get $mm) (i32.const 1)) (local.get $x) (local.get $plane) (local.get $wo) (local.get $h) (local.get $wd) (local.get $cin)))
          (local.set $x2 (call $convOrigin (i32.add (local.get $mm) (i32.const 2)) (local.get $x) (local.get $plane) (local.get $wo) (local.get $h) (local.get $wd) (local.get $cin)))
          (local.set $x3 (call $convOrigin (i32.add (local.get $mm) (i32.const 3)) (local.get $x) (local.get $plane) (local.get $wo) (local.get $h) (local.get $wd) (local.get $cin)))))
      (local.set $g (i32.const 0))
      (local.set $wp (local.get $w))
      (block $g_done (loop $g_loop
        (br_if $g_done (i32.ge_u (local.get $g) (local.get $cout)))
        (local.set $ca (select (local.get $g) (local.get $last) (i32.lt_u (local.get $g) (local.get $last))))
        (local.set $cb (i32.add (local.get $g) (i32.const 4)))
        (local.set $cb (select (local.get $cb) (local.get $last) (i32.lt_u (local.get $cb) (local.get $last))))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.const 0))
        (block $p_done (loop $p_loop
          (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
          ;; bytes from each pixel's origin to x[.., i + p, j, 0]
          (local.set $xp (i32.mul (local.get $p) (local.get $row)))
          (local.set $end (i32.add (local.get $wp) (i32.shl (local.get $run) (i32.const 5))))
          (block $t_done (loop $t_loop
            (br_if $t_done (i32.ge_u (local.get $wp) (local.get $end)))
            (local.set $va (v128.load (local.get $wp)))
            (local.set $vb (v128.load offset=16 (local.get $wp)))
            (local.set $s (v128.load32_splat (i32.add (local.get $x0) (local.get $xp))))
            (local.set $a0 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a0)))
            (local.set $b0 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b0)))
            (local.set $s (v128.load32_splat (i32.add (local.get $x1) (local.get $xp))))
            (local.set $a1 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a1)))
            (local.set $b1 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b1)))
            (local.set $s (v128.load32_splat (i32.add (local.get $x2) (local.get $xp))))
            (local.set $a2 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a2)))
            (local.set $b2 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b2)))
            (local.set $s (v128.load32_splat (i32.add (local.get $x3) (local.get $xp))))
            (local.set $a3 (f32x4.relaxed_madd (local.get $s) (local.get $va) (local.get $a3)))
            (local.set $b3 (f32x4.relaxed_madd (local.get $s) (local.get $vb) (local.get $b3)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
            (br $t_loop)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $p_loop)))
        ;; y[mm + k, ca] and y[mm + k, cb]: consecutive pixels of y are consecutive rows of Cout floats
        (local.set $out (i32.add (local.get $y) (i32.mul (local.get $mm) (local.get $pix))))
        (local.set $wa (i32.add (local.get $out) (i32.shl (local.get $ca) (i32.const 2))))
        (local.set $wb (i32.add (local.get $out) (i32.shl (local.get $cb) (i32.const 2))))
        (v128.store (local.get $wa) (local.get $a0))
        (v128.store (local.get $wb) (local.get $b0))
        (local.set $wa (i32.add (local.get $wa) (local.get $pix)))
        (local.set $wb (i32.add (local.get $wb) (local.get $pix)))
        (v128.store (local.get $wa) (local.get $a1))
        (v128.store (local.get $wb) (local.get $b1))
        (local.set $wa (i32.add (local.get $wa) (local.get $pix)))
        (local.set $wb (i32.add (local.get $wb) (local.get $pix)))
        (v128.store (local.get $wa) (local.get $a2))
        (v128.store (local.get $wb) (local.get $b2))
        (local.set $wa (i32.add (local.get $wa) (local.get $pix)))
        (local.set $wb (i32.add (local.get $wb) (local.get $pix)))
        (v128.store (local.get $wa) (local.get $a3))
        (v128.store (local.get $wb) (local.get $b3))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $g_loop)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $m_loop))))

  ;; The columns of b [k, n] (given as [n, k] when $tb) in panels of $width (a multiple of 4: 12 for matmul, 8 for
  ;; conv): panel g holds, for each row i in turn, columns g $width to (g + 1) $width - 1 of row i, each four
  ;; columns moved back to end at n where they would pass it (so the last panel overlaps the one before). n >= 4;
  ;; ceil(n / $width) k $width floats.
  (func (export "packPanels") (param $b i32) (param $pb i32) (param $k i32) (param $n i32) (param $tb i32) (param $width i32)
    (local $g i32) (local $last i32) (local $i i32) (local $j i32) (local $col i32) (local $rowStep i32) (local $colStep i32) (local $src i32)
    ;; bytes from b[i, col] to b[i + 1, col] and to b[i, col + 1]
    (local.set $rowStep (select (i32.const 4) (i32.shl (local.get $n) (i32.const 2)) (local.get $tb)))
    (local.set $colStep (select (i32.shl (local.get $k) (i32.const 2)) (i32.const 4) (local.get $tb)))
    (local.set $last (i32.sub (local.get $n) (i32.const 4)))
    (block $g_done (loop $g_loop
      (br_if $g_done (i32.ge_u (local.get $g) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $i_done (loop $i_loop
        (br_if $i_done (i32.ge_u (local.get $i) (local.get $k)))
        (local.set $j (i32.const 0))
        (if (local.get $tb)
          (then
            (block $j_done (loop $j_loop
              (br_if $j_done (i32.ge_u (local.get $j) (local.get $width)))
              ;; four columns from col, moved back to end at n
              (local.set $col (i32.add (local.get $g) (local.get $j)))
              (local.set $col (select (local.get $col) (local.get $last) (i32.lt_u (local.get $col) (local.get $last))))
              (local.set $src (i32.add (local.get $b) (i32.add (i32.mul (local.get $i) (local.get $rowStep)) (i32.mul (local.get $col) (local.get $colStep)))))
              (f32.store (local.get $pb) (f32.load (local.get $src)))
              (f32.store offset=4 (local.get $pb) (f32.load (i32.add (local.get $src) (local.get $colStep))))
              (f32.store offset=8 (local.get $pb) (f32.load (i32.add (local.get $src) (i32.shl (local.get $colStep) (i32.const 1)))))
              (f32.store offset=12 (local.get $pb) (f32.load (i32.add (local.get $src) (i32.mul (local.get $colStep) (i32.const 3)))))
              (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $j_loop))))
          (else
            ;; untransposed, the four columns are neighbours: one vector (four scalar copies took 1.46-1.57 times as
            ;; long on a dense layer's and convs' filters)
            (block $jv_done (loop $jv_loop
              (br_if $jv_done (i32.ge_u (local.get $j) (local.get $width)))
              (local.set $col (i32.add (local.get $g) (local.get $j)))
              (local.set $col (select (local.get $col) (local.get $last) (i32.lt_u (local.get $col) (local.get $last))))
              (v128.store (local.get $pb) (v128.load (i32.add (local.get $b) (i32.add (i32.mul (local.get $i) (local.get $rowStep)) (i32.shl (local.get $col) (i32.const 2))))))
              (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
              (local.set $j (i32.add (local.get $j) (i32.const 4)))
              (br $jv_loop)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i_loop)))
      (local.set $g (i32.add (local.get $g) (local.get $width)))
      (br $g_loop))))

  ;; y [m, n] = a [m, k] · b [k, n], a given as [k, m] when $ta, b as packPanels packed it: three rows by twelve
  ;; columns at a time, nine accumulators, each step three splats of a and three loads of one panel row, the
  ;; panel's rows read in order from one pointer. Each y value sums its k products in order, as conv does. The last
  ;; rows are moved back to end at m, the last columns at n (they store the same values again). m >= 3, n >= 4.
  ;; Side by side with conv's 1x1 pass (scratch, one process): 1.1-1.4x on a dense layer's three products.
  (func (export "matmul") (param $a i32) (param $pb i32) (param $y i32) (param $m i32) (param $k i32) (param $n i32) (param $ta i32)
    (local $g i32) (local $last i32) (local $r i32) (local $r0 i32) (local $rowStep i32) (local $kStep i32) (local $yrow i32)
    (local $panel i32) (local $wp i32) (local $end i32) (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $out i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32)
    (local $s v128) (local $v0 v128) (local $v1 v128) (local $v2 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $d0 v128) (local $d1 v128) (local $d2 v128)
    ;; bytes from a[r, i] to a[r + 1, i] and to a[r, i + 1]
    (local.set $rowStep (select (i32.const 4) (i32.shl (local.get $k) (i32.const 2)) (local.get $ta)))
    (local.set $kStep (select (i32.shl (local.get $m) (i32.const 2)) (i32.const 4) (local.get $ta)))
    (local.set $last (i32.sub (local.get $n) (i32.const 4)))
    (local.set $yrow (i32.shl (local.get $n) (i32.const 2)))
    (local.set $panel (local.get $pb))
    (block $g_done (loop $g_loop
      (br_if $g_done (i32.ge_u (local.get $g) (local.get $n)))
      ;; bytes from a row of y to the group's three vectors of columns
      (local.set $c0 (i32.add (local.get $g) (i32.const 0)))
      (local.set $c0 (i32.shl (select (local.get $c0) (local.get $last) (i32.lt_u (local.get $c0) (local.get $last))) (i32.const 2)))
      (local.set $c1 (i32.add (local.get $g) (i32.const 4)))
      (local.set $c1 (i32.shl (select (local.get $c1) (local.get $last) (i32.lt_u (local.get $c1) (local.get $last))) (i32.const 2)))
      (local.set $c2 (i32.add (local.get $g) (i32.const 8)))
      (local.set $c2 (i32.shl (select (local.get $c2) (local.get $last) (i32.lt_u (local.get $c2) (local.get $last))) (i32.const 2)))
      (local.set $end (i32.add (local.get $panel) (i32.mul (local.get $k) (i32.const 48))))
      (local.set $r (i32.const 0))
      (block $r_done (loop $r_loop
        (br_if $r_done (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $r0 (select (local.get $r) (i32.sub (local.get $m) (i32.const 3)) (i32.le_u (i32.add (local.get $r) (i32.const 3)) (local.get $m))))
        (local.set $x0 (i32.add (local.get $a) (i32.mul (local.get $r0) (local.get $rowStep))))
        (local.set $x1 (i32.add (local.get $x0) (local.get $rowStep)))
        (local.set $x2 (i32.add (local.get $x1) (local.get $rowStep)))
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0)) (local.set $d0 (v128.const i32x4 0 0 0 0)) (local.set $d1 (v128.const i32x4 0 0 0 0)) (local.set $d2 (v128.const i32x4 0 0 0 0))
        (local.set $wp (local.get $panel))
        (if (local.get $ta)
          (then
            ;; a as [k, m]: the three rows' values at k are neighbours
            (block $ta_done (loop $ta_loop
            (br_if $ta_done (i32.ge_u (local.get $wp) (local.get $end)))
            (local.set $v0 (v128.load (local.get $wp)))
            (local.set $v1 (v128.load offset=16 (local.get $wp)))
            (local.set $v2 (v128.load offset=32 (local.get $wp)))
            (local.set $s (v128.load32_splat (local.get $x0)))
            (local.set $a0 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a0)))
            (local.set $b0 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b0)))
            (local.set $d0 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d0)))
            (local.set $s (v128.load32_splat offset=4 (local.get $x0)))
            (local.set $a1 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a1)))
            (local.set $b1 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b1)))
            (local.set $d1 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d1)))
            (local.set $s (v128.load32_splat offset=8 (local.get $x0)))
            (local.set $a2 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a2)))
            (local.set $b2 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b2)))
            (local.set $d2 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d2)))
            (local.set $x0 (i32.add (local.get $x0) (local.get $kStep)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 48)))
            (br $ta_loop))))
          (else
            (block $k_done (loop $k_loop
            (br_if $k_done (i32.ge_u (local.get $wp) (local.get $end)))
            (local.set $v0 (v128.load (local.get $wp)))
            (local.set $v1 (v128.load offset=16 (local.get $wp)))
            (local.set $v2 (v128.load offset=32 (local.get $wp)))
            (local.set $s (v128.load32_splat (local.get $x0)))
            (local.set $a0 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a0)))
            (local.set $b0 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b0)))
            (local.set $d0 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d0)))
            (local.set $s (v128.load32_splat (local.get $x1)))
            (local.set $a1 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a1)))
            (local.set $b1 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b1)))
            (local.set $d1 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d1)))
            (local.set $s (v128.load32_splat (local.get $x2)))
            (local.set $a2 (f32x4.relaxed_madd (local.get $s) (local.get $v0) (local.get $a2)))
            (local.set $b2 (f32x4.relaxed_madd (local.get $s) (local.get $v1) (local.get $b2)))
            (local.set $d2 (f32x4.relaxed_madd (local.get $s) (local.get $v2) (local.get $d2)))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 4)))
            (local.set $x1 (i32.add (local.get $x1) (i32.const 4)))
            (local.set $x2 (i32.add (local.get $x2) (i32.const 4)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 48)))
            (br $k_loop)))))
        (local.set $out (i32.add (local.get $y) (i32.mul (local.get $r0) (local.get $yrow))))
        (v128.store (i32.add (local.get $out) (local.get $c0)) (local.get $a0))
        (v128.store (i32.add (local.get $out) (local.get $c1)) (local.get $b0))
        (v128.store (i32.add (local.get $out) (local.get $c2)) (local.get $d0))
        (local.set $out (i32.add (local.get $out) (local.get $yrow)))
        (v128.store (i32.add (local.get $out) (local.get $c0)) (local.get $a1))
        (v128.store (i32.add (local.get $out) (local.get $c1)) (local.get $b1))
        (v128.store (i32.add (local.get $out) (local.get $c2)) (local.get $d1))
        (local.set $out (i32.add (local.get $out) (local.get $yrow)))
        (v128.store (i32.add (local.get $out) (local.get $c0)) (local.get $a2))
        (v128.store (i32.add (local.get $out) (local.get $c1)) (local.get $b2))
        (v128.store (i32.add (local.get $out) (local.get $c2)) (local.get $d2))
        (local.set $out (i32.add (local.get $out) (local.get $yrow)))
        (local.set $r (i32.add (local.get $r) (i32.const 3)))
        (br $r_loop)))
      (local.set $panel (local.get $end))
      (local.set $g (i32.add (local.get $g) (i32.const 12)))
      (br $g_loop))))

  ;; The byte address of x[n, i, j, 0] for output pixel m = (n Ho + i) Wo + j of a conv.
  (func $convOrigin (param $m i32) (param $x i32) (param $plane i32) (param $wo i32) (param $h i32) (param $wd i32) (param $cin i32) (result i32)
    (local $n i32) (local $r i32)
    (local.set $n (i32.div_u (local.get $m) (local.get $plane)))
    (local.set $r (i32.rem_u (local.get $m) (local.get $plane)))
    (i32.add (local.get $x) (i32.shl (i32.mul
      (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (i32.div_u (local.get $r) (local.get $wo))) (local.get $wd))
        (i32.rem_u (local.get $r) (local.get $wo)))
      (local.get $cin)) (i32.const 2))))

  ;; Average pooling without padding: y[n, oy, ox] = scale * the sum of x over the window (oy sh + fy,
  ;; ox sw + fx), fy < fh, fx < fw, summed from 0 in that order, pixels of c floats. Four channels at a time,
  ;; the last four moved back to end at c (they overlap the ones before and store the same values again);
  ;; one at a time when c < 4; a 2x2 window's four loads written out. LeNet-5's S2 (64 images) took 0.11 ms,
  ;; against 0.38 when its two channels past the vector went one at a time and every window ran its loops.
  (func (export "avgPool") (param $x i32) (param $y i32) (param $batch i32) (param $outH i32) (param $outW i32)
    (param $inH i32) (param $inW i32) (param $c i32) (param $sh i32) (param $sw i32) (param $fh i32) (param $fw i32) (param $scale f32)
    (local $pix i32) (local $row i32) (local $img i32) (local $last i32) (local $vscale v128)
    (local $n i32) (local $oy i32) (local $ox i32) (local $fy i32) (local $fx i32) (local $k i32) (local $base i32) (local $from i32)
    (local $acc v128) (local $s f32) (local $two i32)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $pix (i32.shl (local.get $c) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $pix)))
    (local.set $img (i32.mul (local.get $inH) (local.get $row)))
    (local.set $last (i32.sub (local.get $pix) (i32.const 16)))
    (local.set $two (i32.and (i32.eq (local.get $fh) (i32.const 2)) (i32.eq (local.get $fw) (i32.const 2))))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oy_loop
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $ox_loop
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          ;; the window's top left input
          (local.set $base (i32.add (local.get $x)
            (i32.add (i32.mul (local.get $n) (local.get $img))
              (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $sh)) (local.get $row))
                (i32.mul (i32.mul (local.get $ox) (local.get $sw)) (local.get $pix))))))
          (if (i32.ge_s (local.get $last) (i32.const 0))
            (then
              (local.set $k (i32.const 0))
              (block $q_done (loop $q_loop
                (br_if $q_done (i32.ge_s (local.get $k) (local.get $pix)))
                (if (i32.gt_s (local.get $k) (local.get $last)) (then (local.set $k (local.get $last))))
                (local.set $from (i32.add (local.get $base) (local.get $k)))
                (if (local.get $two)
                  (then
                    (local.set $acc (f32x4.add (f32x4.add (f32x4.add (f32x4.add (v128.const i32x4 0 0 0 0)
                      (v128.load (local.get $from))) (v128.load (i32.add (local.get $from) (local.get $pix))))
                      (v128.load (i32.add (local.get $from) (local.get $row)))) (v128.load (i32.add (i32.add (local.get $from) (local.get $row)) (local.get $pix))))))
                  (else
                    (local.set $acc (v128.const i32x4 0 0 0 0))
                    (local.set $fy (i32.const 0))
                    (block $fy_done (loop $fy_loop
                      (br_if $fy_done (i32.ge_u (local.get $fy) (local.get $fh)))
                      (local.set $from (i32.add (i32.add (local.get $base) (i32.mul (local.get $fy) (local.get $row))) (local.get $k)))
                      (local.set $fx (i32.const 0))
                      (block $fx_done (loop $fx_loop
                        (br_if $fx_done (i32.ge_u (local.get $fx) (local.get $fw)))
                        (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $from))))
                        (local.set $from (i32.add (local.get $from) (local.get $pix)))
                        (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                        (br $fx_loop)))
                      (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                      (br $fy_loop)))))
                (v128.store (i32.add (local.get $y) (local.get $k)) (f32x4.mul (local.get $acc) (local.get $vscale)))
                (local.set $k (i32.add (local.get $k) (i32.const 16)))
                (br $q_loop))))
            (else
              (local.set $k (i32.const 0))
              (block $s_done (loop $s_loop
                (br_if $s_done (i32.ge_u (local.get $k) (local.get $pix)))
                (local.set $s (f32.const 0))
                (local.set $fy (i32.const 0))
                (block $sfy_done (loop $sfy_loop
                  (br_if $sfy_done (i32.ge_u (local.get $fy) (local.get $fh)))
                  (local.set $from (i32.add (i32.add (local.get $base) (i32.mul (local.get $fy) (local.get $row))) (local.get $k)))
                  (local.set $fx (i32.const 0))
                  (block $sfx_done (loop $sfx_loop
                    (br_if $sfx_done (i32.ge_u (local.get $fx) (local.get $fw)))
                    (local.set $s (f32.add (local.get $s) (f32.load (local.get $from))))
                    (local.set $from (i32.add (local.get $from) (local.get $pix)))
                    (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                    (br $sfx_loop)))
                  (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                  (br $sfy_loop)))
                (f32.store (i32.add (local.get $y) (local.get $k)) (f32.mul (local.get $s) (local.get $scale)))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $s_loop)))))
          (local.set $y (i32.add (local.get $y) (local.get $pix)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; AvgPoolGrad where the windows tile the input (stride = window, no padding, c >= 4): each input pixel
  ;; of window (oy, ox) is 0 + dy[n, oy, ox] * scale, written once (no zeroing first, no read of dx), the
  ;; same float operations as spreadWindows' on a zeroed dx. Four channels at a time, the last four moved
  ;; back to end at c. Input pixels outside every window (rows or columns past the last) are not written.
  ;; LeNet-5's S2 (64 images): 0.14 ms, against 0.59 for zeroing dx and spreadWindows.
  (func (export "avgPoolGradTiles") (param $dy i32) (param $dx i32) (param $batch i32) (param $outH i32) (param $outW i32)
    (param $inH i32) (param $inW i32) (param $c i32) (param $fh i32) (param $fw i32) (param $scale f32)
    (local $pix i32) (local $row i32) (local $img i32) (local $last i32) (local $vscale v128) (local $v v128)
    (local $n i32) (local $oy i32) (local $ox i32) (local $fy i32) (local $fx i32) (local $k i32) (local $base i32) (local $to i32) (local $two i32)
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (local.set $pix (i32.shl (local.get $c) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $pix)))
    (local.set $img (i32.mul (local.get $inH) (local.get $row)))
    (local.set $last (i32.sub (local.get $pix) (i32.const 16)))
    (local.set $two (i32.and (i32.eq (local.get $fh) (i32.const 2)) (i32.eq (local.get $fw) (i32.const 2))))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oy_loop
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $ox_loop
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          (local.set $base (i32.add (local.get $dx)
            (i32.add (i32.mul (local.get $n) (local.get $img))
              (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $fh)) (local.get $row))
                (i32.mul (i32.mul (local.get $ox) (local.get $fw)) (local.get $pix))))))
          (local.set $k (i32.const 0))
          (block $q_done (loop $q_loop
            (br_if $q_done (i32.ge_s (local.get $k) (local.get $pix)))
            (if (i32.gt_s (local.get $k) (local.get $last)) (then (local.set $k (local.get $last))))
            (local.set $v (f32x4.add (v128.const i32x4 0 0 0 0) (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $k))) (local.get $vscale))))
            (local.set $to (i32.add (local.get $base) (local.get $k)))
            (if (local.get $two) (then
              (v128.store (local.get $to) (local.get $v))
              (v128.store (i32.add (local.get $to) (local.get $pix)) (local.get $v))
              (v128.store (i32.add (local.get $to) (local.get $row)) (local.get $v))
              (v128.store (i32.add (i32.add (local.get $to) (local.get $row)) (local.get $pix)) (local.get $v))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br $q_loop)))
            (local.set $fy (i32.const 0))
            (block $fy_done (loop $fy_loop
              (br_if $fy_done (i32.ge_u (local.get $fy) (local.get $fh)))
              (local.set $to (i32.add (i32.add (local.get $base) (i32.mul (local.get $fy) (local.get $row))) (local.get $k)))
              (local.set $fx (i32.const 0))
              (block $fx_done (loop $fx_loop
                (br_if $fx_done (i32.ge_u (local.get $fx) (local.get $fw)))
                (v128.store (local.get $to) (local.get $v))
                (local.set $to (i32.add (local.get $to) (local.get $pix)))
                (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                (br $fx_loop)))
              (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
              (br $fy_loop)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $q_loop)))
          (local.set $dy (i32.add (local.get $dy) (local.get $pix)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; The filter gradient of a stride-1 conv without padding straight from NHWC operands, for an even Cin
  ;; and Cout a multiple of 16: dw[p, q, ci, co] = sum over n, i, j of x[n, i + p, j + q, ci] * dy[n, i, j, co].
  ;; Each pass keeps two input channels by sixteen output channels in eight vector accumulators, so
  ;; every load of dy serves two channels of x. Images are taken $nb at a time, all passes over a block before
  ;; the next, so that the block stays in L1 (with 32 channels in and 64 out, 576 passes over all of dy came
  ;; from memory); each block's sums are added to dw. Sizes count floats; pointers are bytes.
  (func (export "convFilterGradNhwc") (param $x i32) (param $dy i32) (param $dw i32)
    (param $batch i32) (param $h i32) (param $w i32) (param $cin i32) (param $ho i32) (param $wo i32) (param $cout i32)
    (param $kh i32) (param $kw i32) (param $nb i32)
    (local $n0 i32) (local $n1 i32) (local $p i32) (local $q i32) (local $ci i32) (local $co i32) (local $n i32) (local $i i32) (local $j i32)
    (local $xp i32) (local $dp i32) (local $out i32) (local $pixi i32) (local $pixo i32)
    (local $xrow i32) (local $drow i32) (local $rowi i32) (local $rowo i32)
    (local $xa v128) (local $xb v128) (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $pixi (i32.shl (local.get $cin) (i32.const 2)))
    (local.set $pixo (i32.shl (local.get $cout) (i32.const 2)))
    ;; bytes of a row of x and of dy
    (local.set $rowi (i32.mul (local.get $w) (local.get $pixi)))
    (local.set $rowo (i32.mul (local.get $wo) (local.get $pixo)))
    (memory.fill (local.get $dw) (i32.const 0) (i32.mul (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $cin)) (local.get $pixo)))
    (block $b_done (loop $b_loop
    (br_if $b_done (i32.ge_u (local.get $n0) (local.get $batch)))
    (local.set $n1 (i32.add (local.get $n0) (local.get $nb)))
    (local.set $n1 (select (local.get $n1) (local.get $batch) (i32.lt_u (local.get $n1) (local.get $batch))))
    (local.set $p (i32.const 0))
    (block $p_done (loop $p_loop
      (br_if $p_done (i32.ge_u (local.get $p) (local.get $kh)))
      (local.set $q (i32.const 0))
      (block $q_done (loop $q_loop
        (br_if $q_done (i32.ge_u (local.get $q) (local.get $kw)))
        (local.set $ci (i32.const 0))
        (block $ci_done (loop $ci_loop
          (br_if $ci_done (i32.ge_u (local.get $ci) (local.get $cin)))
          (local.set $co (i32.const 0))
          (block $co_done (loop $co_loop
            (br_if $co_done (i32.ge_u (local.get $co) (local.get $cout)))
            (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
            (local.set $n (local.get $n0))
            (block $n_done (loop $n_loop
              (br_if $n_done (i32.ge_u (local.get $n) (local.get $n1)))
              ;; x[n, p, q, ci] and dy[n, 0, 0, co], then a row down in each
              (local.set $xrow (i32.add (local.get $x) (i32.add
                (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $h)) (local.get $p)) (local.get $w)) (local.get $q)) (local.get $pixi))
                (i32.shl (local.get $ci) (i32.const 2)))))
              (local.set $drow (i32.add (local.get $dy) (i32.add
                (i32.mul (i32.mul (i32.mul (local.get $n) (local.get $ho)) (local.get $wo)) (local.get $pixo))
                (i32.shl (local.get $co) (i32.const 2)))))
              (local.set $i (i32.const 0))
              (block $i_done (loop $i_loop
                (br_if $i_done (i32.ge_u (local.get $i) (local.get $ho)))
                (local.set $xp (local.get $xrow))
                (local.set $dp (local.get $drow))
                (local.set $xrow (i32.add (local.get $xrow) (local.get $rowi)))
                (local.set $drow (i32.add (local.get $drow) (local.get $rowo)))
                (local.set $j (i32.const 0))
                (block $j_done (loop $j_loop
                  (br_if $j_done (i32.ge_u (local.get $j) (local.get $wo)))
                    (local.set $xa (v128.load32_splat (local.get $xp)))
                    (local.set $xb (v128.load32_splat offset=4 (local.get $xp)))
                    (local.set $d0 (v128.load offset=0 (local.get $dp)))
                    (local.set $d1 (v128.load offset=16 (local.get $dp)))
                    (local.set $d2 (v128.load offset=32 (local.get $dp)))
                    (local.set $d3 (v128.load offset=48 (local.get $dp)))
                    (local.set $a0 (f32x4.relaxed_madd (local.get $xa) (local.get $d0) (local.get $a0)))
                    (local.set $b0 (f32x4.relaxed_madd (local.get $xb) (local.get $d0) (local.get $b0)))
                    (local.set $a1 (f32x4.relaxed_madd (local.get $xa) (local.get $d1) (local.get $a1)))
                    (local.set $b1 (f32x4.relaxed_madd (local.get $xb) (local.get $d1) (local.get $b1)))
                    (local.set $a2 (f32x4.relaxed_madd (local.get $xa) (local.get $d2) (local.get $a2)))
                    (local.set $b2 (f32x4.relaxed_madd (local.get $xb) (local.get $d2) (local.get $b2)))
                    (local.set $a3 (f32x4.relaxed_madd (local.get $xa) (local.get $d3) (local.get $a3)))
                    (local.set $b3 (f32x4.relaxed_madd (local.get $xb) (local.get $d3) (local.get $b3)))
                  (local.set $xp (i32.add (local.get $xp) (local.get $pixi)))
                  (local.set $dp (i32.add (local.get $dp) (local.get $pixo)))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br $j_loop)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $i_loop)))
              (local.set $n (i32.add (local.get $n) (i32.const 1)))
              (br $n_loop)))
            ;; dw[p, q, ci, co] and dw[p, q, ci + 1, co] += the block's sums
            (local.set $out (i32.add (local.get $dw) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $p) (local.get $kw)) (local.get $q)) (local.get $cin)) (local.get $ci)) (local.get $cout)) (local.get $co))
              (i32.const 2))))
            (v128.store offset=0 (local.get $out) (f32x4.add (v128.load offset=0 (local.get $out)) (local.get $a0)))
            (v128.store offset=16 (local.get $out) (f32x4.add (v128.load offset=16 (local.get $out)) (local.get $a1)))
            (v128.store offset=32 (local.get $out) (f32x4.add (v128.load offset=32 (local.get $out)) (local.get $a2)))
            (v128.store offset=48 (local.get $out) (f32x4.add (v128.load offset=48 (local.get $out)) (local.get $a3)))
            (v128.store offset=0 (i32.add (local.get $out) (local.get $pixo)) (f32x4.add (v128.load offset=0 (i32.add (local.get $out) (local.get $pixo))) (local.get $b0)))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $pixo)) (f32x4.add (v128.load offset=16 (i32.add (local.get $out) (local.get $pixo))) (local.get $b1)))
            (v128.store offset=32 (i32.add (local.get $out) (local.get $pixo)) (f32x4.add (v128.load offset=32 (i32.add (local.get $out) (local.get $pixo))) (local.get $b2)))
            (v128.store offset=48 (i32.add (local.get $out) (local.get $pixo)) (f32x4.add (v128.load offset=48 (i32.add (local.get $out) (local.get $pixo))) (local.get $b3)))
            (local.set $co (i32.add (local.get $co) (i32.const 16)))
            (br $co_loop)))
          (local.set $ci (i32.add (local.get $ci) (i32.const 2)))
          (br $ci_loop)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $q_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p_loop)))
    (local.set $n0 (local.get $n1))
    (br $b_loop))))

  ;; The input gradient of a stride-1 conv without padding, from NHWC operands, Cout a multiple of four:
  ;; dx[n, y, x, ci] = sum over the taps p, q that reach a dy pixel and over co of
  ;; dy[n, y - p, x - q, co] * w[p, q, ci, co]. Each pass takes four images and two input channels (indices
  ;; past the last are clamped: those repeat a computation and store the same value again) for one dx pixel:
  ;; eight accumulators over four output channels at a time, each load of dy serving two channels and each
  ;; load of w four images. No work goes to the zeros a conv of the padded dy would multiply.
  ;; Sizes count floats; pointers are bytes.
  (func (export "convInputGrad") (param $dy i32) (param $w i32) (param $dx i32)
    (param $batch i32) (param $h i32) (param $wd i32) (param $cin i32) (param $ho i32) (param $wo i32) (param $cout i32)
    (param $kh i32) (param $kw i32)
    (local $n0 i32) (local $c0 i32) (local $y i32) (local $x i32) (local $p i32) (local $q i32) (local $v i32)
    (local $plo i32) (local $phi i32) (local $qlo i32) (local $qhi i32)
    (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $wb i32) (local $img i32) (local $pixo i32) (local $vend i32)
    (local $dp i32) (local $wp i32) (local $out i32) (local $t i32) (local $e1 i32) (local $e2 i32) (local $e3 i32) (local $cb i32) (local $dimg i32)
    (local $rdp i32) (local $rwp i32) (local $tap i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $wa v128) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $hv v128)
    (local.set $pixo (i32.shl (local.get $cout) (i32.const 2)))
    ;; bytes from w[p, q, c, 0] to w[p, q + 1, c, 0]
    (local.set $tap (i32.mul (local.get $cin) (local.get $pixo)))
    (local.set $img (i32.mul (i32.mul (local.get $ho) (local.get $wo)) (local.get $pixo)))
    (local.set $vend (local.get $pixo))
    (local.set $dimg (i32.shl (i32.mul (i32.mul (local.get $h) (local.get $wd)) (local.get $cin)) (i32.const 2)))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n0) (local.get $batch)))
      ;; images n0 + 1..3 counted from n0, clamped to the last image; their byte offsets in dy (o) and dx (e)
      (local.set $t (i32.sub (i32.sub (local.get $batch) (i32.const 1)) (local.get $n0)))
      (local.set $e1 (select (i32.const 1) (local.get $t) (i32.gt_u (local.get $t) (i32.const 1))))
      (local.set $e2 (select (i32.const 2) (local.get $t) (i32.gt_u (local.get $t) (i32.const 2))))
      (local.set $e3 (select (i32.const 3) (local.get $t) (i32.gt_u (local.get $t) (i32.const 3))))
      (local.set $o1 (i32.mul (local.get $img) (local.get $e1)))
      (local.set $o2 (i32.mul (local.get $img) (local.get $e2)))
      (local.set $o3 (i32.mul (local.get $img) (local.get $e3)))
      (local.set $e1 (i32.mul (local.get $dimg) (local.get $e1)))
      (local.set $e2 (i32.mul (local.get $dimg) (local.get $e2)))
      (local.set $e3 (i32.mul (local.get $dimg) (local.get $e3)))
      (local.set $c0 (i32.const 0))
      (block $c_done (loop $c_loop
        (br_if $c_done (i32.ge_u (local.get $c0) (local.get $cin)))
        ;; bytes from w[.., c0, 0] to w[.., c0 + 1, 0]; 0 when c0 is the last channel
        (local.set $wb (select (local.get $pixo) (i32.const 0) (i32.lt_u (i32.add (local.get $c0) (i32.const 1)) (local.get $cin))))
        (local.set $cb (select (i32.const 4) (i32.const 0) (i32.lt_u (i32.add (local.get $c0) (i32.const 1)) (local.get $cin))))
        (local.set $y (i32.const 0))
        (block $y_done (loop $y_loop
          (br_if $y_done (i32.ge_u (local.get $y) (local.get $h)))
          ;; the taps p with 0 <= y - p < Ho
          (local.set $plo (i32.sub (i32.add (local.get $y) (i32.const 1)) (local.get $ho)))
          (local.set $plo (select (local.get $plo) (i32.const 0) (i32.gt_s (local.get $plo) (i32.const 0))))
          (local.set $phi (select (local.get $y) (i32.sub (local.get $kh) (i32.const 1)) (i32.lt_s (local.get $y) (i32.sub (local.get $kh) (i32.const 1)))))
          (local.set $x (i32.const 0))
          (block $x_done (loop $x_loop
            (br_if $x_done (i32.ge_u (local.get $x) (local.get $wd)))
            (local.set $qlo (i32.sub (i32.add (local.get $x) (i32.const 1)) (local.get $wo)))
            (local.set $qlo (select (local.get $qlo) (i32.const 0) (i32.gt_s (local.get $qlo) (i32.const 0))))
            (local.set $qhi (select (local.get $x) (i32.sub (local.get $kw) (i32.const 1)) (i32.lt_s (local.get $x) (i32.sub (local.get $kw) (i32.const 1)))))
            (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $b0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0)) (local.set $b1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $b2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0)) (local.set $b3 (v128.const i32x4 0 0 0 0))
            (local.set $p (local.get $plo))
            (block $p_done (loop $p_loop
              (br_if $p_done (i32.gt_s (local.get $p) (local.get $phi)))
              ;; dy[n0, y - p, x - qlo, 0] and w[p, qlo, c0, 0], then one pixel back in dy and one tap on in w a step
              (local.set $rdp (i32.add (local.get $dy) (i32.mul
                (i32.add (i32.mul (i32.add (i32.mul (local.get $n0) (local.get $ho)) (i32.sub (local.get $y) (local.get $p))) (local.get $wo)) (i32.sub (local.get $x) (local.get $qlo)))
                (local.get $pixo))))
              (local.set $rwp (i32.add (local.get $w) (i32.mul
                (i32.add (i32.mul (i32.add (i32.mul (local.get $p) (local.get $kw)) (local.get $qlo)) (local.get $cin)) (local.get $c0))
                (local.get $pixo))))
              (local.set $q (local.get $qlo))
              (block $q_done (loop $q_loop
                (br_if $q_done (i32.gt_s (local.get $q) (local.get $qhi)))
                (local.set $dp (local.get $rdp))
                (local.set $wp (local.get $rwp))
                (local.set $rdp (i32.sub (local.get $rdp) (local.get $pixo)))
                (local.set $rwp (i32.add (local.get $rwp) (local.get $tap)))
                (local.set $v (i32.const 0))
                (block $v_done (loop $v_loop
                  (br_if $v_done (i32.ge_u (local.get $v) (local.get $vend)))
                  (local.set $d0 (v128.load (local.get $dp)))
                  (local.set $d1 (v128.load (i32.add (local.get $dp) (local.get $o1))))
                  (local.set $d2 (v128.load (i32.add (local.get $dp) (local.get $o2))))
                  (local.set $d3 (v128.load (i32.add (local.get $dp) (local.get $o3))))
                  (local.set $wa (v128.load (local.get $wp)))
                  (local.set $wv (v128.load (i32.add (local.get $wp) (local.get $wb))))
                  (local.set $a0 (f32x4.relaxed_madd (local.get $d0) (local.get $wa) (local.get $a0)))
                  (local.set $b0 (f32x4.relaxed_madd (local.get $d0) (local.get $wv) (local.get $b0)))
                  (local.set $a1 (f32x4.relaxed_madd (local.get $d1) (local.get $wa) (local.get $a1)))
                  (local.set $b1 (f32x4.relaxed_madd (local.get $d1) (local.get $wv) (local.get $b1)))
                  (local.set $a2 (f32x4.relaxed_madd (local.get $d2) (local.get $wa) (local.get $a2)))
                  (local.set $b2 (f32x4.relaxed_madd (local.get $d2) (local.get $wv) (local.get $b2)))
                  (local.set $a3 (f32x4.relaxed_madd (local.get $d3) (local.get $wa) (local.get $a3)))
                  (local.set $b3 (f32x4.relaxed_madd (local.get $d3) (local.get $wv) (local.get $b3)))
                  (local.set $dp (i32.add (local.get $dp) (i32.const 16)))
                  (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
                  (local.set $v (i32.add (local.get $v) (i32.const 16)))
                  (br $v_loop)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $q_loop)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br $p_loop)))
            ;; dx[n0 + k, y, x, c0] and [.., c0 + 1] (clamped: stores of a repeated image or channel write the same value),
            ;; each an accumulator's four lanes summed in place: with a call per sum (V8 on Node 20 inlines none) LeNet-5 C3's
            ;; gradient took 1.6 to 1.7 times as long (2.82 against 1.65-1.79 ms, batch 64)
            (local.set $out (i32.add (local.get $dx) (i32.shl
              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n0) (local.get $h)) (local.get $y)) (local.get $wd)) (local.get $x)) (local.get $cin)) (local.get $c0))
              (i32.const 2))))
            (f32.store (local.get $out) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $a0) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a0) (local.get $a0))))) (f32x4.extract_lane 1 (local.get $hv))))
            (f32.store (i32.add (local.get $out) (local.get $cb)) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $b0) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b0) (local.get $b0))))) (f32x4.extract_lane 1 (local.get $hv))))
            (local.set $dp (i32.add (local.get $out) (local.get $e1)))
            (f32.store (local.get $dp) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $a1) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a1) (local.get $a1))))) (f32x4.extract_lane 1 (local.get $hv))))
            (f32.store (i32.add (local.get $dp) (local.get $cb)) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $b1) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b1) (local.get $b1))))) (f32x4.extract_lane 1 (local.get $hv))))
            (local.set $dp (i32.add (local.get $out) (local.get $e2)))
            (f32.store (local.get $dp) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $a2) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a2) (local.get $a2))))) (f32x4.extract_lane 1 (local.get $hv))))
            (f32.store (i32.add (local.get $dp) (local.get $cb)) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $b2) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b2) (local.get $b2))))) (f32x4.extract_lane 1 (local.get $hv))))
            (local.set $dp (i32.add (local.get $out) (local.get $e3)))
            (f32.store (local.get $dp) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $a3) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a3) (local.get $a3))))) (f32x4.extract_lane 1 (local.get $hv))))
            (f32.store (i32.add (local.get $dp) (local.get $cb)) (f32.add (f32x4.extract_lane 0 (local.tee $hv (f32x4.add (local.get $b3) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b3) (local.get $b3))))) (f32x4.extract_lane 1 (local.get $hv))))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $x_loop)))
          (local.set $y (i32.add (local.get $y) (i32.const 1)))
          (br $y_loop)))
        (local.set $c0 (i32.add (local.get $c0) (i32.const 2)))
        (br $c_loop)))
      (local.set $n0 (i32.add (local.get $n0) (i32.const 4)))
      (br $n_loop))))

  ;; The gradient of max pooling: each window's dy goes to the first position (in row-major order) where x
  ;; equals the window's max y, as TensorFlow's first-max rule does; a mask of windows already served keeps
  ;; ties (ReLU's zeros) from taking it twice. Overlapping windows add up; positions in the padding are
  ;; skipped. Channels four at a time, the last C mod 4 one at a time. With $tiles (windows that cover the
  ;; input exactly, without overlap or padding, C a multiple of 4) each position is written once instead of
  ;; zeroed first and added to. Sizes count floats; pointers are bytes.
  (func (export "maxPoolGrad") (param $x i32) (param $y i32) (param $dy i32) (param $dx i32)
    (param $batch i32) (param $outH i32) (param $outW i32) (param $inH i32) (param $inW i32) (param $c i32)
    (param $sh i32) (param $sw i32) (param $fh i32) (param $fw i32) (param $padT i32) (param $padL i32) (param $tiles i32)
    (local $n i32) (local $oy i32) (local $ox i32) (local $cv i32) (local $fy i32) (local $fx i32)
    (local $y0 i32) (local $x0 i32) (local $fy0 i32) (local $fy1 i32) (local $fx0 i32) (local $fx1 i32)
    (local $out i32) (local $base i32) (local $at i32) (local $pix i32) (local $row i32) (local $quads i32)
    (local $yv v128) (local $g v128) (local $taken v128) (local $m v128)
    (local $ys f32) (local $gs f32) (local $took i32)
    (local.set $pix (i32.shl (local.get $c) (i32.const 2)))
    (local.set $quads (i32.shl (i32.and (local.get $c) (i32.const -4)) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $pix)))
    (if (i32.eqz (local.get $tiles))
      (then (memory.fill (local.get $dx) (i32.const 0) (i32.mul (i32.mul (local.get $batch) (local.get $inH)) (local.get $row)))))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $batch)))
      (local.set $oy (i32.const 0))
      (block $oy_done (loop $oy_loop
        (br_if $oy_done (i32.ge_u (local.get $oy) (local.get $outH)))
        ;; the window's rows inside x: fy0 <= fy < fy1
        (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $padT)))
        (local.set $fy0 (select (i32.sub (i32.const 0) (local.get $y0)) (i32.const 0) (i32.lt_s (local.get $y0) (i32.const 0))))
        (local.set $fy1 (i32.sub (local.get $inH) (local.get $y0)))
        (local.set $fy1 (select (local.get $fh) (local.get $fy1) (i32.lt_s (local.get $fh) (local.get $fy1))))
        (local.set $ox (i32.const 0))
        (block $ox_done (loop $ox_loop
          (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $outW)))
          (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $padL)))
          (local.set $fx0 (select (i32.sub (i32.const 0) (local.get $x0)) (i32.const 0) (i32.lt_s (local.get $x0) (i32.const 0))))
          (local.set $fx1 (i32.sub (local.get $inW) (local.get $x0)))
          (local.set $fx1 (select (local.get $fw) (local.get $fx1) (i32.lt_s (local.get $fw) (local.get $fx1))))
          ;; offsets of y[n, oy, ox, 0] (and dy's) and of x[n, y0, x0, 0] (which may lie in the padding)
          (local.set $out (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $outH)) (local.get $oy)) (local.get $outW)) (local.get $ox)) (local.get $pix)))
          (local.set $base (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $inH)) (local.get $y0)) (local.get $row))
            (i32.mul (local.get $x0) (local.get $pix))))
          (local.set $cv (i32.const 0))
          (block $c_done (loop $c_loop
            (br_if $c_done (i32.ge_u (local.get $cv) (local.get $quads)))
            (local.set $yv (v128.load (i32.add (local.get $y) (i32.add (local.get $out) (local.get $cv)))))
            (local.set $g (v128.load (i32.add (local.get $dy) (i32.add (local.get $out) (local.get $cv)))))
            (local.set $taken (v128.const i32x4 0 0 0 0))
            (local.set $fy (local.get $fy0))
            (block $fy_done (loop $fy_loop
              (br_if $fy_done (i32.ge_s (local.get $fy) (local.get $fy1)))
              (local.set $at (i32.add (i32.add (local.get $base) (i32.mul (local.get $fy) (local.get $row)))
                (i32.add (i32.mul (local.get $fx0) (local.get $pix)) (local.get $cv))))
              (local.set $fx (local.get $fx0))
              (block $fx_done (loop $fx_loop
                (br_if $fx_done (i32.ge_s (local.get $fx) (local.get $fx1)))
                (local.set $m (v128.andnot (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $at))) (local.get $yv)) (local.get $taken)))
                ;; tiles: this window alone reaches the position, so 0 stands for the zeroed dx (the same additions)
                (v128.store (i32.add (local.get $dx) (local.get $at))
                  (f32x4.add
                    (if (result v128) (local.get $tiles) (then (v128.const f32x4 0 0 0 0)) (else (v128.load (i32.add (local.get $dx) (local.get $at)))))
                    (v128.and (local.get $g) (local.get $m))))
                (local.set $taken (v128.or (local.get $taken) (local.get $m)))
                (local.set $at (i32.add (local.get $at) (local.get $pix)))
                (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                (br $fx_loop)))
              (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
              (br $fy_loop)))
            (local.set $cv (i32.add (local.get $cv) (i32.const 16)))
            (br $c_loop)))
          (block $s_done (loop $s_loop
            (br_if $s_done (i32.ge_u (local.get $cv) (local.get $pix)))
            (local.set $ys (f32.load (i32.add (local.get $y) (i32.add (local.get $out) (local.get $cv)))))
            (local.set $gs (f32.load (i32.add (local.get $dy) (i32.add (local.get $out) (local.get $cv)))))
            (local.set $took (i32.const 0))
            (local.set $fy (local.get $fy0))
            (block $sy_done (loop $sy_loop
              (br_if $sy_done (i32.or (local.get $took) (i32.ge_s (local.get $fy) (local.get $fy1))))
              (local.set $at (i32.add (i32.add (local.get $base) (i32.mul (local.get $fy) (local.get $row)))
                (i32.add (i32.mul (local.get $fx0) (local.get $pix)) (local.get $cv))))
              (local.set $fx (local.get $fx0))
              (block $sx_done (loop $sx_loop
                (br_if $sx_done (i32.ge_s (local.get $fx) (local.get $fx1)))
                (if (f32.eq (f32.load (i32.add (local.get $x) (local.get $at))) (local.get $ys))
                  (then
                    (f32.store (i32.add (local.get $dx) (local.get $at)) (f32.add (f32.load (i32.add (local.get $dx) (local.get $at))) (local.get $gs)))
                    (local.set $took (i32.const 1))
                    (br $sx_done)))
                (local.set $at (i32.add (local.get $at) (local.get $pix)))
                (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                (br $sx_loop)))
              (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
              (br $sy_loop)))
            (local.set $cv (i32.add (local.get $cv) (i32.const 4)))
            (br $s_loop)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; acc[k] = sum over i = k mod p of (u[i] - mu[k]) (v[i] - mv[k]): per channel, the sum of squares about the
  ;; mean (u = v, mu = mv = mean) or of dy times x about its mean (mu = 0), as sumPattern's p / c partial sums.
  (func (export "sumProductsPattern") (param $u i32) (param $mu i32) (param $v i32) (param $mv i32) (param $n i32) (param $acc i32) (param $p i32)
    (local $end i32) (local $j i32) (local $pbytes i32) (local $a i32)
    (local.set $pbytes (i32.shl (local.get $p) (i32.const 2)))
    (memory.fill (local.get $acc) (i32.const 0) (local.get $pbytes))
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (v128.store (local.get $a) (f32x4.relaxed_madd
          (f32x4.sub (v128.load (local.get $u)) (v128.load (i32.add (local.get $mu) (local.get $j))))
          (f32x4.sub (v128.load (local.get $v)) (v128.load (i32.add (local.get $mv) (local.get $j))))
          (v128.load (local.get $a))))
        (local.set $u (i32.add (local.get $u) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
        (br $quads)))
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a))
          (f32.mul (f32.sub (f32.load (local.get $u)) (f32.load (i32.add (local.get $mu) (local.get $j))))
                   (f32.sub (f32.load (local.get $v)) (f32.load (i32.add (local.get $mv) (local.get $j)))))))
        (local.set $u (i32.add (local.get $u) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; sumPattern of u into acc and sumProductsPattern of u (about 0) and v (about mv) into accp, in one pass over u
  ;; and v: each accumulator takes the same float operations in the same order as in those two passes, so the same
  ;; bits (u - 0 is u). Batch norm's backward pass: the sums of dy and of dy (x - mean) per channel.
  (func (export "sumWithProductsPattern") (param $u i32) (param $v i32) (param $mv i32) (param $n i32) (param $acc i32) (param $accp i32) (param $p i32)
    (local $end i32) (local $j i32) (local $pbytes i32) (local $a i32) (local $ap i32) (local $vu v128)
    (local.set $pbytes (i32.shl (local.get $p) (i32.const 2)))
    (memory.fill (local.get $acc) (i32.const 0) (local.get $pbytes))
    (memory.fill (local.get $accp) (i32.const 0) (local.get $pbytes))
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (local.set $ap (i32.add (local.get $accp) (local.get $j)))
        (local.set $vu (v128.load (local.get $u)))
        (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (local.get $vu)))
        (v128.store (local.get $ap) (f32x4.relaxed_madd (local.get $vu)
          (f32x4.sub (v128.load (local.get $v)) (v128.load (i32.add (local.get $mv) (local.get $j))))
          (v128.load (local.get $ap))))
        (local.set $u (i32.add (local.get $u) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
        (br $quads)))
    (local.set $end (i32.add (local.get $u) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $u) (local.get $end)))
        (local.set $a (i32.add (local.get $acc) (local.get $j)))
        (local.set $ap (i32.add (local.get $accp) (local.get $j)))
        (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (local.get $u))))
        (f32.store (local.get $ap) (f32.add (f32.load (local.get $ap))
          (f32.mul (f32.load (local.get $u)) (f32.sub (f32.load (local.get $v)) (f32.load (i32.add (local.get $mv) (local.get $j)))))))
        (local.set $u (i32.add (local.get $u) (i32.const 4)))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; y[i] = a[i] A[k] + b[i] B[k] + C[k], k = i mod p: batch norm's output (b = a, B = 0) and its input gradient.
  (func (export "affinePattern") (param $a i32) (param $pa i32) (param $b i32) (param $pb i32) (param $pc i32) (param $y i32) (param $n i32) (param $p i32)
    (local $end i32) (local $j i32) (local $pbytes i32)
    (local.set $pbytes (i32.shl (local.get $p) (i32.const 2)))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $y)
          (f32x4.relaxed_madd (v128.load (local.get $a)) (v128.load (i32.add (local.get $pa) (local.get $j)))
            (f32x4.relaxed_madd (v128.load (local.get $b)) (v128.load (i32.add (local.get $pb) (local.get $j)))
              (v128.load (i32.add (local.get $pc) (local.get $j))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (if (i32.eq (local.get $j) (local.get $pbytes)) (then (local.set $j (i32.const 0))))
        (br $quads)))
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $a) (local.get $end)))
        (f32.store (local.get $y) (f32.add
          (f32.add (f32.mul (f32.load (local.get $a)) (f32.load (i32.add (local.get $pa) (local.get $j))))
                   (f32.mul (f32.load (local.get $b)) (f32.load (i32.add (local.get $pb) (local.get $j)))))
          (f32.load (i32.add (local.get $pc) (local.get $j)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $tail))))

  ;; y[b, c, r] = x[b, r, c]: a batch of rows x cols matrices transposed, four rows by four columns at a time
  ;; (a 4x4 block is four loads, eight shuffles and four stores); the last rows mod 4, and in each band of four
  ;; rows the last columns mod 4, one float at a time
  (func (export "transpose2d") (param $x i32) (param $y i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $from i32) (local $to i32) (local $rowBytes i32) (local $colBytes i32) (local $matrix i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $matrix (i32.mul (local.get $rowBytes) (local.get $rows)))
    (block $batches_done
      (loop $batches
        (br_if $batches_done (i32.eqz (local.get $batch)))
        (local.set $r (i32.const 0))
        (block $bands_done
          (loop $bands
            (br_if $bands_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
            (local.set $c (i32.const 0))
            (block $blocks_done
              (loop $blocks
                (br_if $blocks_done (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
                (local.set $from (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
                (local.set $a0 (v128.load (local.get $from)))
                (local.set $a1 (v128.load (i32.add (local.get $from) (local.get $rowBytes))))
                (local.set $a2 (v128.load (i32.add (local.get $from) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                (local.set $a3 (v128.load (i32.add (local.get $from) (i32.mul (local.get $rowBytes) (i32.const 3)))))
                (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
                (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
                (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
                (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
                (local.set $to (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
                (v128.store (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                (v128.store (i32.add (local.get $to) (local.get $colBytes)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                (v128.store (i32.add (local.get $to) (i32.shl (local.get $colBytes) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                (v128.store (i32.add (local.get $to) (i32.mul (local.get $colBytes) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $blocks)))
            (block $columns_done
              (loop $columns
                (br_if $columns_done (i32.ge_u (local.get $c) (local.get $cols)))
                (local.set $from (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
                (local.set $to (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2))))
                (f32.store (local.get $to) (f32.load (local.get $from)))
                (f32.store offset=4 (local.get $to) (f32.load (i32.add (local.get $from) (local.get $rowBytes))))
                (f32.store offset=8 (local.get $to) (f32.load (i32.add (local.get $from) (i32.shl (local.get $rowBytes) (i32.const 1)))))
                (f32.store offset=12 (local.get $to) (f32.load (i32.add (local.get $from) (i32.mul (local.get $rowBytes) (i32.const 3)))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $columns)))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $bands)))
        (block $rows_done
          (loop $last_rows
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $c (i32.const 0))
            (block $row_done
              (loop $row
                (br_if $row_done (i32.ge_u (local.get $c) (local.get $cols)))
                (f32.store (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
                  (f32.load (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $row)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $last_rows)))
        (local.set $x (i32.add (local.get $x) (local.get $matrix)))
        (local.set $y (i32.add (local.get $y) (local.get $matrix)))
        (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
        (br $batches))))

  ;; y = x [batch, h, w, c] with zeros around each image: `top` rows above, `bottom` below, `left` and `right`
  ;; pixels beside each row, written in y's order as bulk copies and fills (a row's right and the next row's left
  ;; are one fill). Sizes count pixels; pointers are bytes.
  (func (export "padImages") (param $x i32) (param $y i32) (param $batch i32) (param $h i32) (param $w i32) (param $c i32)
    (param $top i32) (param $bottom i32) (param $left i32) (param $right i32)
    (local $row i32) (local $outRow i32) (local $between i32) (local $first i32) (local $last i32) (local $i i32)
    (local.set $row (i32.shl (i32.mul (local.get $w) (local.get $c)) (i32.const 2)))
    (local.set $outRow (i32.shl (i32.mul (i32.add (i32.add (local.get $w) (local.get $left)) (local.get $right)) (local.get $c)) (i32.const 2)))
    (local.set $between (i32.shl (i32.mul (i32.add (local.get $left) (local.get $right)) (local.get $c)) (i32.const 2)))
    ;; bytes of zeros before an image's first row and after its last
    (local.set $first (i32.add (i32.mul (local.get $top) (local.get $outRow)) (i32.shl (i32.mul (local.get $left) (local.get $c)) (i32.const 2))))
    (local.set $last (i32.add (i32.mul (local.get $bottom) (local.get $outRow)) (i32.shl (i32.mul (local.get $right) (local.get $c)) (i32.const 2))))
    (block $images_done
      (loop $images
        (br_if $images_done (i32.eqz (local.get $batch)))
        (memory.fill (local.get $y) (i32.const 0) (local.get $first))
        (local.set $y (i32.add (local.get $y) (local.get $first)))
        (local.set $i (local.get $h))
        (block $rows_done
          (loop $rows
            (memory.copy (local.get $y) (local.get $x) (local.get $row))
            (local.set $y (i32.add (local.get $y) (local.get $row)))
            (local.set $x (i32.add (local.get $x) (local.get $row)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br_if $rows_done (i32.eqz (local.get $i)))
            (memory.fill (local.get $y) (i32.const 0) (local.get $between))
            (local.set $y (i32.add (local.get $y) (local.get $between)))
            (br $rows)))
        (memory.fill (local.get $y) (i32.const 0) (local.get $last))
        (local.set $y (i32.add (local.get $y) (local.get $last)))
        (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
        (br $images))))

  ;; Augmentation's kernels (normal.ts, resample.ts), on a memory of their own: f32 where the JavaScript they
  ;; replaced worked in f64 (rounding each step to f32 on store), four lanes at a time. Side by side with that
  ;; scalar f64 code (64 images of 32x32): resampling 0.27 against 0.44 ms, noise 0.21 against 0.30.

  ;; SHR3's next state, and its draw: the previous state plus the next (normal.ts, Shr3)
  (func $next (param $s i32) (result i32)
    (local.set $s (i32.xor (local.get $s) (i32.shl (local.get $s) (i32.const 13))))
    (local.set $s (i32.xor (local.get $s) (i32.shr_u (local.get $s) (i32.const 17))))
    (i32.xor (local.get $s) (i32.shl (local.get $s) (i32.const 5))))

  ;; A uniform draw in [0, 1) from the state $s: the draw, and the state after it
  (func $uniform (param $s i32) (result f64 i32)
    (local $n i32)
    (local.set $n (call $next (local.get $s)))
    (f64.div (f64.convert_i32_u (i32.add (local.get $s) (local.get $n))) (f64.const 4294967296))
    (local.get $n))

  ;; Whether |j| lies below the layer's bound: |j| compared unsigned, so that |-2^31| is 2^31, above every
  ;; bound, as in JavaScript
  (func $under (param $j i32) (param $bound i32) (result i32)
    (local $sign i32)
    (local.set $sign (i32.shr_s (local.get $j) (i32.const 31)))
    (i32.lt_u (i32.sub (i32.xor (local.get $j) (local.get $sign)) (local.get $sign)) (local.get $bound)))

  ;; The rest of the ziggurat (RNOR) for a draw $j outside its layer, on the state $s after it, in f64: the
  ;; normal draw, and the state after it
  (func $outsideLayer (param $j i32) (param $s i32) (param $k i32) (result f64 i32)
    (local $i i32) (local $x f64) (local $u f64) (local $t f64) (local $y f64) (local $fi f64)
    (loop $layer
      (local.set $i (i32.and (local.get $j) (i32.const 127)))
      (local.set $x (f64.mul (f64.convert_i32_s (local.get $j)) (f64.load offset=512 (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 3))))))
      (if (call $under (local.get $j) (i32.load (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 2))))) (then
        (return (local.get $x) (local.get $s))))
      (if (i32.eqz (local.get $i)) (then
        ;; the tail beyond R, by Marsaglia's method
        (loop $tail
          (call $uniform (local.get $s)) (local.set $s) (local.set $u)
          (local.set $t (f64.div (f64.neg (call $log (f64.sub (f64.const 1) (local.get $u)))) (f64.const 3.442619855899)))
          (call $uniform (local.get $s)) (local.set $s) (local.set $u)
          (local.set $y (f64.neg (call $log (f64.sub (f64.const 1) (local.get $u)))))
          (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $t) (local.get $t)))))
        (return
          (select (f64.add (f64.const 3.442619855899) (local.get $t)) (f64.sub (f64.const -3.442619855899) (local.get $t)) (i32.gt_s (local.get $j) (i32.const 0)))
          (local.get $s))))
      (local.set $fi (f64.load offset=1536 (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 3)))))
      (call $uniform (local.get $s)) (local.set $s) (local.set $u)
      (if (f64.lt (f64.add (local.get $fi) (f64.mul (local.get $u)
            (f64.sub (f64.load offset=1528 (i32.add (local.get $k) (i32.shl (local.get $i) (i32.const 3)))) (local.get $fi))))
          (call $exp (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x)))) (then
        (return (local.get $x) (local.get $s))))
      (local.set $j (i32.add (local.get $s) (call $next (local.get $s))))
      (local.set $s (call $next (local.get $s)))
      (br $layer))
    (unreachable))

  ;; values[m] += std * x for one draw x of the ziggurat (normal.ts) from j, the stream's draw, and $s, its state
  ;; after it: x = j * w in f32 where j lies inside its layer, else the rest of the ziggurat ($outsideLayer) on
  ;; the stream. The state after it. The tables at $k as $outsideLayer reads them, and at $k + 2560 each layer's
  ;; (bound, width) as an (i32, f32) pair.
  (func $addDraw (param $at i32) (param $value f32) (param $j i32) (param $s i32) (param $std f32) (param $k i32) (result i32)
    (local $pair i32) (local $x f32) (local $draw f64)
    (local.set $pair (i32.add (local.get $k) (i32.shl (i32.and (local.get $j) (i32.const 127)) (i32.const 3))))
    (if (call $under (local.get $j) (i32.load offset=2560 (local.get $pair)))
      (then (local.set $x (f32.mul (f32.convert_i32_s (local.get $j)) (f32.load offset=2564 (local.get $pair)))))
      (else
        (call $outsideLayer (local.get $j) (local.get $s) (local.get $k)) (local.set $s) (local.set $draw)
        (local.set $x (f32.demote_f64 (local.get $draw)))))
    (f32.store (local.get $at) (f32.add (local.get $value) (f32.mul (local.get $std) (local.get $x))))
    (local.get $s))

  ;; values[m] += std * N(0, 1) for the $n values of one image, value m drawing from stream m mod 4 of the
  ;; image's four SHR3 states (an i32x4 at $g, written back when done): four values at a time, a stream to a
  ;; lane, each as $addDraw does. Where a lane's draw falls outside its layer (about one in 36), $addDraw
  ;; redoes that lane.
  (func $addNormal (param $values i32) (param $n i32) (param $std f32) (param $g i32) (param $k i32)
    (local $s v128) (local $previous v128) (local $j v128) (local $at v128) (local $lo v128) (local $hi v128) (local $v v128) (local $stds v128)
    (local $end i32) (local $inside i32) (local $state i32) (local $next i32)
    (local.set $s (v128.load (local.get $g)))
    (local.set $stds (f32x4.splat (local.get $std)))
    (local.set $end (i32.add (local.get $values) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $draws
        (br_if $done (i32.ge_u (local.get $values) (local.get $end)))
        (local.set $previous (local.get $s))
        (local.set $s (v128.xor (local.get $s) (i32x4.shl (local.get $s) (i32.const 13))))
        (local.set $s (v128.xor (local.get $s) (i32x4.shr_u (local.get $s) (i32.const 17))))
        (local.set $s (v128.xor (local.get $s) (i32x4.shl (local.get $s) (i32.const 5))))
        (local.set $j (i32x4.add (local.get $previous) (local.get $s)))
        ;; each lane's (bound, width) pair, two lanes to a 128-bit vector
        (local.set $at (i32x4.add (i32x4.shl (v128.and (local.get $j) (v128.const i32x4 127 127 127 127)) (i32.const 3))
          (i32x4.splat (i32.add (local.get $k) (i32.const 2560)))))
        (local.set $lo (v128.load64_lane 1 (i32x4.extract_lane 1 (local.get $at)) (v128.load64_zero (i32x4.extract_lane 0 (local.get $at)))))
        (local.set $hi (v128.load64_lane 1 (i32x4.extract_lane 3 (local.get $at)) (v128.load64_zero (i32x4.extract_lane 2 (local.get $at)))))
        (local.set $v (v128.load (local.get $values)))
        (v128.store (local.get $values) (f32x4.add (local.get $v) (f32x4.mul (local.get $stds) (f32x4.mul (f32x4.convert_i32x4_s (local.get $j))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $lo) (local.get $hi))))))
        ;; |j| below its layer's bound, compared unsigned: |-2^31| is 2^31, above every bound
        (local.set $inside (i32x4.bitmask (i32x4.lt_u (i32x4.abs (local.get $j))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $lo) (local.get $hi)))))
        (if (i32.ne (local.get $inside) (i32.const 15)) (then
          (if (i32.eqz (i32.and (local.get $inside) (i32.const 1))) (then
            (local.set $s (i32x4.replace_lane 0 (local.get $s) (call $addDraw (local.get $values) (f32x4.extract_lane 0 (local.get $v))
              (i32x4.extract_lane 0 (local.get $j)) (i32x4.extract_lane 0 (local.get $s)) (local.get $std) (local.get $k))))))
          (if (i32.eqz (i32.and (local.get $inside) (i32.const 2))) (then
            (local.set $s (i32x4.replace_lane 1 (local.get $s) (call $addDraw (i32.add (local.get $values) (i32.const 4)) (f32x4.extract_lane 1 (local.get $v))
              (i32x4.extract_lane 1 (local.get $j)) (i32x4.extract_lane 1 (local.get $s)) (local.get $std) (local.get $k))))))
          (if (i32.eqz (i32.and (local.get $inside) (i32.const 4))) (then
            (local.set $s (i32x4.replace_lane 2 (local.get $s) (call $addDraw (i32.add (local.get $values) (i32.const 8)) (f32x4.extract_lane 2 (local.get $v))
              (i32x4.extract_lane 2 (local.get $j)) (i32x4.extract_lane 2 (local.get $s)) (local.get $std) (local.get $k))))))
          (if (i32.eqz (i32.and (local.get $inside) (i32.const 8))) (then
            (local.set $s (i32x4.replace_lane 3 (local.get $s) (call $addDraw (i32.add (local.get $values) (i32.const 12)) (f32x4.extract_lane 3 (local.get $v))
              (i32x4.extract_lane 3 (local.get $j)) (i32x4.extract_lane 3 (local.get $s)) (local.get $std) (local.get $k))))))))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (br $draws)))
    ;; the last n mod 4 values, streams 0, 1, 2 in turn, through the states in memory
    (v128.store (local.get $g) (local.get $s))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $values) (local.get $end)))
        (local.set $state (i32.load (local.get $g)))
        (local.set $next (call $next (local.get $state)))
        (i32.store (local.get $g) (call $addDraw (local.get $values) (f32.load (local.get $values))
          (i32.add (local.get $state) (local.get $next)) (local.get $next) (local.get $std) (local.get $k)))
        (local.set $values (i32.add (local.get $values) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (br $tail))))

  ;; addNormal on $count images of $n values each, one after the other in memory, image i drawing from the
  ;; four SHR3 states at $states + 16 i: one call for a slice of images.
  (func (export "addNormalImages") (param $values i32) (param $count i32) (param $n i32) (param $std f32) (param $states i32) (param $k i32)
    (block $done
      (loop $images
        (br_if $done (i32.eqz (local.get $count)))
        (call $addNormal (local.get $values) (local.get $n) (local.get $std) (local.get $states) (local.get $k))
        (local.set $values (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $states (i32.add (local.get $states) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $images))))

  ;; Flip, rotate and shift as one bilinear resampling pass (resample.ts says how), from the image at $src to
  ;; $dst (HWC floats), in f32. $tables holds the columns' parts of the source point: whole parts of ux
  ;; (i32 x width), then of uy (i32 x width), then their fractions (f32 x width each). A row's parts are
  ;; -m sin v ($nms v) and cy + cos v, with v the row's shifted and clamped index less cy. Four columns at a
  ;; time where all four sources lie inside the image, a column at a time at its edges and its last columns,
  ;; with the same operations.
  (func (export "resample") (param $src i32) (param $dst i32) (param $height i32) (param $width i32) (param $channels i32) (param $tables i32) (param $nms f64) (param $cos f64) (param $dy i32)
    (local $k i32) (local $y i32) (local $x i32) (local $to i32) (local $t i32) (local $row i32) (local $xMax i32) (local $yMax i32) (local $pixel i32)
    (local $cy f64) (local $v f64) (local $b f64) (local $d f64) (local $p f64)
    (local $bWhole i32) (local $dWhole i32) (local $bPart f32) (local $dPart f32)
    (local $x0 i32) (local $y0 i32) (local $fx f32) (local $fy f32) (local $right i32) (local $down i32) (local $q i32) (local $carry i32)
    (local $yWholes i32) (local $xParts i32) (local $yParts i32) (local $top f32) (local $bottom f32) (local $a f32) (local $last i32)
    (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $one v128) (local $xMaxes v128) (local $yMaxes v128) (local $rows v128) (local $pixels v128) (local $sources v128)
    (local $bWholes v128) (local $bParts v128) (local $dWholes v128) (local $dParts v128)
    (local $x0s v128) (local $y0s v128) (local $fxs v128) (local $fys v128) (local $m v128) (local $tops v128) (local $bottoms v128) (local $left v128) (local $rights v128)
    (local.set $xMax (i32.sub (local.get $width) (i32.const 1)))
    (local.set $yMax (i32.sub (local.get $height) (i32.const 1)))
    (local.set $cy (f64.div (f64.convert_i32_s (local.get $yMax)) (f64.const 2)))
    (local.set $row (i32.mul (local.get $width) (local.get $channels)))
    (local.set $pixel (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $down (i32.shl (local.get $row) (i32.const 2)))
    (local.set $yWholes (i32.add (local.get $tables) (i32.shl (local.get $width) (i32.const 2))))
    (local.set $xParts (i32.add (local.get $tables) (i32.shl (local.get $width) (i32.const 3))))
    (local.set $yParts (i32.add (local.get $xParts) (i32.shl (local.get $width) (i32.const 2))))
    ;; a vector's columns are x .. x + 3, for x below $last
    (local.set $last (i32.sub (local.get $width) (i32.const 3)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $xMaxes (i32x4.splat (local.get $xMax)))
    (local.set $yMaxes (i32x4.splat (local.get $yMax)))
    (local.set $rows (i32x4.splat (local.get $row)))
    (local.set $pixels (i32x4.splat (local.get $channels)))
    (local.set $k (i32.const 0))
    (loop $channel
      (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 2))))
      ;; a source's address is 4 (index + src / 4 + k)
      (local.set $sources (i32x4.splat (i32.add (i32.shr_u (local.get $src) (i32.const 2)) (local.get $k))))
      (local.set $y (i32.const 0))
      (loop $rows
        (local.set $t (i32.sub (local.get $y) (local.get $dy)))
        (if (i32.lt_s (local.get $t) (i32.const 0)) (then (local.set $t (i32.const 0))))
        (if (i32.gt_s (local.get $t) (local.get $yMax)) (then (local.set $t (local.get $yMax))))
        (local.set $v (f64.sub (f64.convert_i32_s (local.get $t)) (local.get $cy)))
        (local.set $b (f64.mul (local.get $nms) (local.get $v)))
        (local.set $d (f64.add (local.get $cy) (f64.mul (local.get $cos) (local.get $v))))
        (local.set $p (f64.floor (local.get $b)))
        (local.set $bWhole (i32.trunc_f64_s (local.get $p)))
        (local.set $bPart (f32.demote_f64 (f64.sub (local.get $b) (local.get $p))))
        (local.set $p (f64.floor (local.get $d)))
        (local.set $dWhole (i32.trunc_f64_s (local.get $p)))
        (local.set $dPart (f32.demote_f64 (f64.sub (local.get $d) (local.get $p))))
        (local.set $bWholes (i32x4.splat (local.get $bWhole)))
        (local.set $bParts (f32x4.splat (local.get $bPart)))
        (local.set $dWholes (i32x4.splat (local.get $dWhole)))
        (local.set $dParts (f32x4.splat (local.get $dPart)))
        (local.set $x (i32.const 0))
        (block $row_done
          (loop $columns
            (block $one_column
              (br_if $one_column (i32.ge_s (local.get $x) (local.get $last)))
              ;; four columns' source points, a fraction's carry as a mask: all ones (-1) where it reached 1
              (local.set $fxs (f32x4.add (v128.load (i32.add (local.get $xParts) (i32.shl (local.get $x) (i32.const 2)))) (local.get $bParts)))
              (local.set $m (f32x4.ge (local.get $fxs) (local.get $one)))
              (local.set $x0s (i32x4.sub (i32x4.add (v128.load (i32.add (local.get $tables) (i32.shl (local.get $x) (i32.const 2)))) (local.get $bWholes)) (local.get $m)))
              (local.set $fxs (f32x4.sub (local.get $fxs) (v128.and (local.get $m) (local.get $one))))
              (local.set $fys (f32x4.add (v128.load (i32.add (local.get $yParts) (i32.shl (local.get $x) (i32.const 2)))) (local.get $dParts)))
              (local.set $m (f32x4.ge (local.get $fys) (local.get $one)))
              (local.set $y0s (i32x4.sub (i32x4.add (v128.load (i32.add (local.get $yWholes) (i32.shl (local.get $x) (i32.const 2)))) (local.get $dWholes)) (local.get $m)))
              (local.set $fys (f32x4.sub (local.get $fys) (v128.and (local.get $m) (local.get $one))))
              ;; all four inside, each with a neighbour to its right and below (unsigned: a negative one is outside)
              (br_if $one_column (i32.eqz (i32x4.all_true (v128.and (i32x4.lt_u (local.get $x0s) (local.get $xMaxes)) (i32x4.lt_u (local.get $y0s) (local.get $yMaxes))))))
              (local.set $x0s (i32x4.shl (i32x4.add (i32x4.add (i32x4.mul (local.get $y0s) (local.get $rows)) (i32x4.mul (local.get $x0s) (local.get $pixels)))
                (local.get $sources)) (i32.const 2)))
              (local.set $q0 (i32x4.extract_lane 0 (local.get $x0s)))
              (local.set $q1 (i32x4.extract_lane 1 (local.get $x0s)))
              (local.set $q2 (i32x4.extract_lane 2 (local.get $x0s)))
              (local.set $q3 (i32x4.extract_lane 3 (local.get $x0s)))
              (if (i32.eq (local.get $channels) (i32.const 1))
                (then
                  ;; a pixel and its right neighbour side by side: two to a 64-bit load, then parted
                  (local.set $left (v128.load64_lane 1 (local.get $q1) (v128.load64_zero (local.get $q0))))
                  (local.set $rights (v128.load64_lane 1 (local.get $q3) (v128.load64_zero (local.get $q2))))
                  (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $left) (local.get $rights)))
                  (local.set $rights (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $left) (local.get $rights)))
                  (local.set $left (local.get $m)))
                (else
                  (local.set $left (v128.load32_lane 3 (local.get $q3) (v128.load32_lane 2 (local.get $q2) (v128.load32_lane 1 (local.get $q1) (v128.load32_zero (local.get $q0))))))
                  (local.set $rights (v128.load32_lane 3 (i32.add (local.get $q3) (local.get $pixel)) (v128.load32_lane 2 (i32.add (local.get $q2) (local.get $pixel))
                    (v128.load32_lane 1 (i32.add (local.get $q1) (local.get $pixel)) (v128.load32_zero (i32.add (local.get $q0) (local.get $pixel)))))))))
              (local.set $tops (f32x4.add (local.get $left) (f32x4.mul (local.get $fxs) (f32x4.sub (local.get $rights) (local.get $left)))))
              (local.set $q0 (i32.add (local.get $q0) (local.get $down)))
              (local.set $q1 (i32.add (local.get $q1) (local.get $down)))
              (local.set $q2 (i32.add (local.get $q2) (local.get $down)))
              (local.set $q3 (i32.add (local.get $q3) (local.get $down)))
              (if (i32.eq (local.get $channels) (i32.const 1))
                (then
                  ;; a pixel and its right neighbour side by side: two to a 64-bit load, then parted
                  (local.set $left (v128.load64_lane 1 (local.get $q1) (v128.load64_zero (local.get $q0))))
                  (local.set $rights (v128.load64_lane 1 (local.get $q3) (v128.load64_zero (local.get $q2))))
                  (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $left) (local.get $rights)))
                  (local.set $rights (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $left) (local.get $rights)))
                  (local.set $left (local.get $m)))
                (else
                  (local.set $left (v128.load32_lane 3 (local.get $q3) (v128.load32_lane 2 (local.get $q2) (v128.load32_lane 1 (local.get $q1) (v128.load32_zero (local.get $q0))))))
                  (local.set $rights (v128.load32_lane 3 (i32.add (local.get $q3) (local.get $pixel)) (v128.load32_lane 2 (i32.add (local.get $q2) (local.get $pixel))
                    (v128.load32_lane 1 (i32.add (local.get $q1) (local.get $pixel)) (v128.load32_zero (i32.add (local.get $q0) (local.get $pixel)))))))))
              (local.set $bottoms (f32x4.add (local.get $left) (f32x4.mul (local.get $fxs) (f32x4.sub (local.get $rights) (local.get $left)))))
              (local.set $tops (f32x4.add (local.get $tops) (f32x4.mul (local.get $fys) (f32x4.sub (local.get $bottoms) (local.get $tops)))))
              (if (i32.eq (local.get $channels) (i32.const 1))
                (then (v128.store (local.get $to) (local.get $tops)))
                (else
                  (v128.store32_lane 0 (local.get $to) (local.get $tops))
                  (v128.store32_lane 1 (i32.add (local.get $to) (local.get $pixel)) (local.get $tops))
                  (v128.store32_lane 2 (i32.add (local.get $to) (i32.shl (local.get $pixel) (i32.const 1))) (local.get $tops))
                  (v128.store32_lane 3 (i32.add (local.get $to) (i32.mul (local.get $pixel) (i32.const 3))) (local.get $tops))))
              (local.set $to (i32.add (local.get $to) (i32.shl (local.get $pixel) (i32.const 2))))
              (br_if $columns (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 4))) (local.get $width)))
              (br $row_done))
            ;; one column
            (local.set $x0 (i32.add (i32.load (i32.add (local.get $tables) (i32.shl (local.get $x) (i32.const 2)))) (local.get $bWhole)))
            (local.set $fx (f32.add (f32.load (i32.add (local.get $xParts) (i32.shl (local.get $x) (i32.const 2)))) (local.get $bPart)))
            ;; the carries without a branch: which way they go is a coin toss, that a branch would mispredict
            (local.set $carry (f32.ge (local.get $fx) (f32.const 1)))
            (local.set $x0 (i32.add (local.get $x0) (local.get $carry)))
            (local.set $fx (f32.sub (local.get $fx) (f32.convert_i32_u (local.get $carry))))
            (local.set $y0 (i32.add (i32.load (i32.add (local.get $yWholes) (i32.shl (local.get $x) (i32.const 2)))) (local.get $dWhole)))
            (local.set $fy (f32.add (f32.load (i32.add (local.get $yParts) (i32.shl (local.get $x) (i32.const 2)))) (local.get $dPart)))
            (local.set $carry (f32.ge (local.get $fy) (f32.const 1)))
            (local.set $y0 (i32.add (local.get $y0) (local.get $carry)))
            (local.set $fy (f32.sub (local.get $fy) (f32.convert_i32_u (local.get $carry))))
            ;; outside the image, or on its last column or row: the edge, with no neighbour to blend in
            (local.set $right (local.get $pixel))
            (if (i32.ge_u (local.get $x0) (local.get $xMax)) (then
              (local.set $x0 (select (i32.const 0) (local.get $xMax) (i32.lt_s (local.get $x0) (i32.const 0))))
              (local.set $fx (f32.const 0))
              (local.set $right (i32.const 0))))
            (local.set $t (local.get $down))
            (if (i32.ge_u (local.get $y0) (local.get $yMax)) (then
              (local.set $y0 (select (i32.const 0) (local.get $yMax) (i32.lt_s (local.get $y0) (i32.const 0))))
              (local.set $fy (f32.const 0))
              (local.set $t (i32.const 0))))
            (local.set $q (i32.add (local.get $src) (i32.shl (i32.add (i32.add (i32.mul (local.get $y0) (local.get $row))
              (i32.mul (local.get $x0) (local.get $channels))) (local.get $k)) (i32.const 2))))
            (local.set $a (f32.load (local.get $q)))
            (local.set $top (f32.add (local.get $a) (f32.mul (local.get $fx) (f32.sub (f32.load (i32.add (local.get $q) (local.get $right))) (local.get $a)))))
            (local.set $q (i32.add (local.get $q) (local.get $t)))
            (local.set $a (f32.load (local.get $q)))
            (local.set $bottom (f32.add (local.get $a) (f32.mul (local.get $fx) (f32.sub (f32.load (i32.add (local.get $q) (local.get $right))) (local.get $a)))))
            (f32.store (local.get $to) (f32.add (local.get $top) (f32.mul (local.get $fy) (f32.sub (local.get $bottom) (local.get $top)))))
            (local.set $to (i32.add (local.get $to) (local.get $pixel)))
            (br_if $columns (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 1))) (local.get $width)))))
        (br_if $rows (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 1))) (local.get $height))))
      (br_if $channel (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $channels)))))
)
