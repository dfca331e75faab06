;; What the output path does to every byte of a flood (flood.ts), 16 bytes at a time and without
;; making garbage: the terminal form of a block (its service's prefix before each line) and the
;; log form (escape sequences taken out). One instance serves every service; JavaScript copies a
;; block in (or reads it there: flood.ts input()), calls a routine, and copies the result out.
;; Memory layout (fixed, never grown):
;;   [0, 4096)            the prefix (at most 4096 bytes)
;;   [4096, 266240)       input copied in, up to 256 KiB
;;   [270336, 532480)     input read there by devlaunch (flood.ts input()), up to 256 KiB
;;   [536576, 1060864)    output, up to 512 KiB, then room for the 16-byte stores past its end
;; Each input area is followed by bytes that may be read but never count.
;; Positions live in the globals between calls, so a block too large for the output goes
;; through in several calls.
;;
;; Escape sequences are those of blocks.ts (SEQUENCE): CSI (ESC [ params intermediates final),
;; OSC (ESC ] text, ended by BEL or ESC \), then any other ESC intermediates final; they never
;; reach past the end of their line.
(module
  (memory (export "memory") 18)
  ;; Where the next input byte is read.
  (global $in (export "in") (mut i32) (i32.const 0))
  ;; Where the next output byte is written.
  (global $out (export "out") (mut i32) (i32.const 0))
  ;; Where the first $byte at or after $p is, or $end when there is none before it.
  (func $find (param $p i32) (param $end i32) (param $byte i32) (result i32)
    (local $mask i32) (local $pattern v128)
    (local.set $pattern (i8x16.splat (local.get $byte)))
    (block $none
      (loop $next
        (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $mask (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $pattern))))
        (if (local.get $mask)
          (then
            (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $mask))))
            (return
              (select (local.get $p) (local.get $end) (i32.lt_u (local.get $p) (local.get $end))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.get $end))

  ;; Copies $n bytes from $from to $to, 16 at a time: up to 15 bytes past $to + $n are written.
  (func $copy (param $to i32) (param $from i32) (param $n i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (v128.store
          (i32.add (local.get $to) (local.get $i))
          (v128.load (i32.add (local.get $from) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; The length of the escape sequence at $p (an ESC), reading nothing at or past $end; 0 when
  ;; there is none. A regular expression's first match at $p (blocks.ts SEQUENCE): the three
  ;; kinds are tried in order, and within each the character classes do not overlap, so the
  ;; greedy reading is the only one.
  (func $sequence (param $p i32) (param $end i32) (result i32)
    (local $q i32) (local $c i32)
    (local.set $q (i32.add (local.get $p) (i32.const 1)))
    (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const 0))))
    (local.set $c (i32.load8_u (local.get $q)))
    ;; CSI: ESC [ [0-?]* [ -/]* [@-~]; when that fails, ESC [ is a sequence of the third kind.
    (if (i32.eq (local.get $c) (i32.const 0x5b))
      (then
        (local.set $q (call $span (i32.add (local.get $q) (i32.const 1)) (local.get $end) (i32.const 0x30)))
        (local.set $q (call $span (local.get $q) (local.get $end) (i32.const 0x20)))
        (if (i32.lt_u (local.get $q) (local.get $end))
          (then
            (if (i32.le_u (i32.sub (i32.load8_u (local.get $q)) (i32.const 0x40)) (i32.const 0x3e))
              (then (return (i32.sub (i32.add (local.get $q) (i32.const 1)) (local.get $p)))))))
        (return (i32.const 2))))
    ;; OSC: ESC ] [^BEL ESC]* (BEL | ESC \); when that fails, ESC ] is of the third kind.
    (if (i32.eq (local.get $c) (i32.const 0x5d))
      (then
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (block $failed
          (loop $next
            (br_if $failed (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $c (i32.load8_u (local.get $q)))
            (if (i32.eq (local.get $c) (i32.const 7))
              (then (return (i32.sub (i32.add (local.get $q) (i32.const 1)) (local.get $p)))))
            (if (i32.eq (local.get $c) (i32.const 0x1b))
              (then
                (br_if $failed
                  (i32.ge_u (i32.add (local.get $q) (i32.const 1)) (local.get $end)))
                (br_if $failed
                  (i32.ne (i32.load8_u (i32.add (local.get $q) (i32.const 1))) (i32.const 0x5c)))
                (return (i32.sub (i32.add (local.get $q) (i32.const 2)) (local.get $p)))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $next)))
        (return (i32.const 2))))
    ;; Any other: ESC [ -/]* [0-~].
    (local.set $q (call $span (local.get $q) (local.get $end) (i32.const 0x20)))
    (if (i32.lt_u (local.get $q) (local.get $end))
      (then
        (if (i32.le_u (i32.sub (i32.load8_u (local.get $q)) (i32.const 0x30)) (i32.const 0x4e))
          (then (return (i32.sub (i32.add (local.get $q) (i32.const 1)) (local.get $p)))))))
    (i32.const 0))

  ;; Past the bytes from $p on (before $end) that lie in [$low, $low + 15].
  (func $span (param $p i32) (param $end i32) (param $low i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done
          (i32.gt_u (i32.sub (i32.load8_u (local.get $p)) (local.get $low)) (i32.const 15)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $p))

  ;; Whether [$p, $end) is not empty and holds escape sequences only (blocks.ts isControlOnly).
  (func $controlOnly (param $p i32) (param $end i32) (result i32)
    (local $n i32)
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const 0))))
    (loop $next
      (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x1b)) (then (return (i32.const 0))))
      (local.set $n (call $sequence (local.get $p) (local.get $end)))
      (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
      (local.set $p (i32.add (local.get $p) (local.get $n)))
      (br_if $next (i32.lt_u (local.get $p) (local.get $end))))
    (i32.const 1))

  ;; The line from $p: where its newline is ($inEnd when it has none), and where its text ends
  ;; (before that newline and a '\r' just before it), in the globals $nl and $end.
  (global $nl (mut i32) (i32.const 0))
  (global $end (mut i32) (i32.const 0))
  (func $line (param $p i32) (param $inEnd i32)
    (local $e i32)
    (global.set $nl (call $find (local.get $p) (local.get $inEnd) (i32.const 10)))
    (local.set $e (global.get $nl))
    (if (i32.gt_u (local.get $e) (local.get $p))
      (then
        (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))
          (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))))
    (global.set $end (local.get $e)))

  ;; The terminal form of the lines from $in up to $inEnd (prefixer.ts): each line's text behind
  ;; the prefix ($plen bytes at address 0) and a newline ('\r' before it dropped); a line of
  ;; escape sequences only (at most 4096 bytes) as it is, without prefix or newline. Whole lines
  ;; only: stops before a line whose form could pass $outEnd.
  (func (export "lines") (param $inEnd i32) (param $outEnd i32) (param $plen i32)
    (local $p i32) (local $o i32) (local $n i32) (local $next i32)
    (local.set $p (global.get $in))
    (local.set $o (global.get $out))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $inEnd)))
        (call $line (local.get $p) (local.get $inEnd))
        (local.set $n (i32.sub (global.get $end) (local.get $p)))
        (br_if $done
          (i32.gt_u
            (i32.add (i32.add (local.get $o) (local.get $plen)) (i32.add (local.get $n) (i32.const 17)))
            (local.get $outEnd)))
        (local.set $next (i32.add (global.get $nl) (i32.const 1)))
        (block $prefixed
          (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x1b))
            (then
              (if (i32.le_u (local.get $n) (i32.const 4096))
                (then
                  (if (call $controlOnly (local.get $p) (global.get $end))
                    (then
                      (call $copy (local.get $o) (local.get $p) (local.get $n))
                      (local.set $o (i32.add (local.get $o) (local.get $n)))
                      (br $prefixed)))))))
          (call $copy (local.get $o) (i32.const 0) (local.get $plen))
          (local.set $o (i32.add (local.get $o) (local.get $plen)))
          (call $copy (local.get $o) (local.get $p) (local.get $n))
          (local.set $o (i32.add (local.get $o) (local.get $n)))
          (i32.store8 (local.get $o) (i32.const 10))
          (local.set $o (i32.add (local.get $o) (i32.const 1))))
        (local.set $p (select (local.get $next) (local.get $inEnd)
          (i32.lt_u (global.get $nl) (local.get $inEnd))))
        (br $each)))
    (global.set $in (local.get $p))
    (global.set $out (local.get $o)))

  ;; The log form of the lines from $in up to $inEnd (blocks.ts plainBlock): the same bytes
  ;; without escape sequences; a line of escape sequences only is left out with its line end.
  ;; Never longer than its input.
  (func (export "plain") (param $inEnd i32)
    (local $p i32) (local $o i32) (local $at i32) (local $esc i32) (local $n i32)
    (local.set $p (global.get $in))
    (local.set $o (global.get $out))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $p) (local.get $inEnd)))
        (call $line (local.get $p) (local.get $inEnd))
        (block $write
          (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x1b))
            (then (br_if $write (call $controlOnly (local.get $p) (global.get $end)))))
          ;; The text up to the newline, each sequence taken out (an ESC that starts none stays).
          (local.set $at (local.get $p))
          (block $copied
            (loop $piece
              (local.set $esc (call $find (local.get $at) (global.get $nl) (i32.const 0x1b)))
              (call $copy (local.get $o) (local.get $at) (i32.sub (local.get $esc) (local.get $at)))
              (local.set $o (i32.add (local.get $o) (i32.sub (local.get $esc) (local.get $at))))
              (br_if $copied (i32.ge_u (local.get $esc) (global.get $nl)))
              (local.set $n (call $sequence (local.get $esc) (global.get $nl)))
              (if (i32.eqz (local.get $n))
                (then
                  (i32.store8 (local.get $o) (i32.const 0x1b))
                  (local.set $o (i32.add (local.get $o) (i32.const 1)))
                  (local.set $n (i32.const 1))))
              (local.set $at (i32.add (local.get $esc) (local.get $n)))
              (br $piece)))
          (if (i32.lt_u (global.get $nl) (local.get $inEnd))
            (then
              (i32.store8 (local.get $o) (i32.const 10))
              (local.set $o (i32.add (local.get $o) (i32.const 1))))))
        (local.set $p (select (i32.add (global.get $nl) (i32.const 1)) (local.get $inEnd)
          (i32.lt_u (global.get $nl) (local.get $inEnd))))
        (br $each)))
    (global.set $in (local.get $p))
    (global.set $out (local.get $o))))
