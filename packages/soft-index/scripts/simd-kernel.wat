(module
  (import "env" "memory" (memory 1))
  ;; scoresDot(q, base, n, stride, out): out[i] = dot(q, row_i), rows of `stride` f32 (stride % 4 == 0)
  (func (export "scoresDot") (param $q i32) (param $base i32) (param $n i32) (param $stride i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $bytes i32) (local $end16 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $end16 (i32.and (local.get $bytes) (i32.const -64)))
    (local.set $row (local.get $base))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $d16
          (loop $l16
            (br_if $d16 (i32.ge_u (local.get $j) (local.get $end16)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $q) (local.get $j)))
              (v128.load (i32.add (local.get $row) (local.get $j))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $q) (local.get $j)))
              (v128.load offset=16 (i32.add (local.get $row) (local.get $j))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
              (v128.load offset=32 (i32.add (local.get $q) (local.get $j)))
              (v128.load offset=32 (i32.add (local.get $row) (local.get $j))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
              (v128.load offset=48 (i32.add (local.get $q) (local.get $j)))
              (v128.load offset=48 (i32.add (local.get $row) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br $l16)))
        (block $d4
          (loop $l4
            (br_if $d4 (i32.ge_u (local.get $j) (local.get $bytes)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $q) (local.get $j)))
              (v128.load (i32.add (local.get $row) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $l4)))
        (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (local.set $row (i32.add (local.get $row) (local.get $bytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
  ;; scoresL2(q, base, n, stride, out): out[i] = squared euclidean distance(q, row_i)
  (func (export "scoresL2") (param $q i32) (param $base i32) (param $n i32) (param $stride i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $bytes i32)
    (local $a0 v128) (local $a1 v128) (local $t0 v128) (local $t1 v128) (local $end8 i32)
    (local.set $bytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $end8 (i32.and (local.get $bytes) (i32.const -32)))
    (local.set $row (local.get $base))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $d8
          (loop $l8
            (br_if $d8 (i32.ge_u (local.get $j) (local.get $end8)))
            (local.set $t0 (f32x4.sub
              (v128.load (i32.add (local.get $q) (local.get $j)))
              (v128.load (i32.add (local.get $row) (local.get $j)))))
            (local.set $t1 (f32x4.sub
              (v128.load offset=16 (i32.add (local.get $q) (local.get $j)))
              (v128.load offset=16 (i32.add (local.get $row) (local.get $j)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $t0) (local.get $t0))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $t1) (local.get $t1))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $l8)))
        (block $d4
          (loop $l4
            (br_if $d4 (i32.ge_u (local.get $j) (local.get $bytes)))
            (local.set $t0 (f32x4.sub
              (v128.load (i32.add (local.get $q) (local.get $j)))
              (v128.load (i32.add (local.get $row) (local.get $j)))))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $t0) (local.get $t0))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $l4)))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $a1)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (local.set $row (i32.add (local.get $row) (local.get $bytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
