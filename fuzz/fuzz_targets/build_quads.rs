//! Arbitrary bytes as a page of any format, through the whole pipeline to quads: `gardkg::fuzzing::build_quads`.
#![no_main]

libfuzzer_sys::fuzz_target!(init: gardkg::fuzzing::init(), |data: &[u8]| gardkg::fuzzing::build_quads(data));
