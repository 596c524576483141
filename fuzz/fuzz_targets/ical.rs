#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pillole_fuzz::ical(data));
