//! Arbitrary bytes as a value bound to a canned query's parameter: `gardkg::fuzzing::bind`.
#![no_main]

libfuzzer_sys::fuzz_target!(init: gardkg::fuzzing::init(), |data: &[u8]| gardkg::fuzzing::bind(data));
