//! Arbitrary bytes as an HTML page (the reader forced): `gardkg::fuzzing::read_html`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gardkg::fuzzing::read_html(data));
