//! Arbitrary bytes as a MedQuAD XML document (the reader forced): `gardkg::fuzzing::read_medquad`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gardkg::fuzzing::read_medquad(data));
