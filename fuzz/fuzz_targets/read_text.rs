//! Arbitrary bytes as a GARD text page (the reader forced): `gardkg::fuzzing::read_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gardkg::fuzzing::read_text(data));
