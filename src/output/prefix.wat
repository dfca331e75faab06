;; The flood path of the prefixer (prefixer.ts): copies bytes and puts a prefix before each line,
;; 16 bytes at a time. One instance serves every service; JavaScript copies a block in, calls
;; `prefix`, and copies the result out. Memory layout (fixed, never grown):
;;   [0, 4096)           the prefix (at most PREFIX_MAX bytes)
;;   [4096, 266240)      input, up to 256 KiB, then 16 bytes that may be read but never count
;;   [327680, 851968)    output, up to 512 KiB, then room for the 16-byte stores past its end
;; Positions live in the globals between calls, so a block too large for the output goes
;; through in several calls, and a line may span calls.
(module
  (memory (export "memory") 14)
  ;; Where the next input byte is read.
  (global $in (export "in") (mut i32) (i32.const 0))
  ;; Where the next output byte is written.
  (global $out (export "out") (mut i32) (i32.const 0))
  ;; 1 when the next input byte begins a line (it gets the prefix first).
  (global $start (export "start") (mut i32) (i32.const 1))

  ;; Copies input from $in up to $inEnd to $out, the prefix ($plen bytes at address 0) before
  ;; each line. Stops at $inEnd, or before an output position past $outEnd could be written.
  (func (export "prefix") (param $inEnd i32) (param $outEnd i32) (param $plen i32)
    (local $i i32) (local $o i32) (local $s i32) (local $p i32)
    (local $v v128) (local $mask i32) (local $n i32) (local $k i32)
    (local.set $i (global.get $in))
    (local.set $o (global.get $out))
    (local.set $s (global.get $start))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $inEnd)))
        (if (local.get $s)
          (then
            ;; The prefix, 16 bytes at a time (the last store may run past it: those bytes are
            ;; overwritten by the line, or lie beyond the output handed out).
            (br_if $done
              (i32.gt_u
                (i32.add (i32.add (local.get $o) (local.get $plen)) (i32.const 16))
                (local.get $outEnd)))
            (local.set $p (i32.const 0))
            (loop $copy
              (v128.store
                (i32.add (local.get $o) (local.get $p))
                (v128.load (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (br_if $copy (i32.lt_u (local.get $p) (local.get $plen))))
            (local.set $o (i32.add (local.get $o) (local.get $plen)))
            (local.set $s (i32.const 0))))
        (br_if $done (i32.gt_u (i32.add (local.get $o) (i32.const 16)) (local.get $outEnd)))
        ;; 16 input bytes are copied whole; only those up to the first newline (or the input's
        ;; end) count, the rest is written again by the next round.
        (local.set $v (v128.load (local.get $i)))
        (v128.store (local.get $o) (local.get $v))
        (local.set $mask (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 10)))))
        (local.set $n (i32.sub (local.get $inEnd) (local.get $i)))
        (if (i32.lt_u (local.get $n) (i32.const 16))
          (then
            (local.set $mask
              (i32.and
                (local.get $mask)
                (i32.sub (i32.shl (i32.const 1) (local.get $n)) (i32.const 1)))))
          (else (local.set $n (i32.const 16))))
        (if (local.get $mask)
          (then
            (local.set $k (i32.add (i32.ctz (local.get $mask)) (i32.const 1)))
            (local.set $s (i32.const 1)))
          (else (local.set $k (local.get $n))))
        (local.set $i (i32.add (local.get $i) (local.get $k)))
        (local.set $o (i32.add (local.get $o) (local.get $k)))
        (br $next)))
    (global.set $in (local.get $i))
    (global.set $out (local.get $o))
    (global.set $start (local.get $s))))
