//! Runs of ASCII letters (and digits) at the start of a text, counted eight
//! bytes at a time: the inner loop of the reading level, the search index
//! and the structured data's step text, which read every word of a site.

/// How many bytes at the start of `bytes` are ASCII letters, or letters and
/// digits with `digits`: eight at a time where eight are left (each byte's
/// range tested in parallel in one 64-bit number), then one at a time.
#[inline]
pub fn run_len(bytes: &[u8], digits: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte set where the byte (below 0x80) is in lo..=hi.
    let within = |x: u64, lo: u8, hi: u8| {
        let at_least = x + ONES * u64::from(0x80 - lo);
        let above = x + ONES * u64::from(0x7f - hi);
        at_least & !above & HIGH
    };
    let mut len = 0;
    while let Some(eight) = bytes.get(len..len + 8) {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        // Bytes from 0x80 (wider characters) lose their high bit before
        // the sums, so no sum carries into the next byte, and are never
        // part of the run.
        let ascii = x & !HIGH;
        let mut word = within(ascii | (ONES * 0x20), b'a', b'z');
        if digits {
            word |= within(ascii, b'0', b'9');
        }
        let not_word = !(word & !(x & HIGH)) & HIGH;
        if not_word != 0 {
            return len + (not_word.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    len + bytes[len..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic() || (digits && b.is_ascii_digit()))
        .count()
}

#[cfg(test)]
mod tests {
    use super::run_len;

    #[test]
    fn runs_agree_with_the_standard_library() {
        // Every byte value at every place of a run of up to 20 bytes.
        for digits in [false, true] {
            let in_run = |b: u8| b.is_ascii_alphabetic() || (digits && b.is_ascii_digit());
            for len in 0..20 {
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut bytes = vec![b'k'; len];
                        bytes[at] = b;
                        let want = bytes.iter().take_while(|&&b| in_run(b)).count();
                        assert_eq!(run_len(&bytes, digits), want, "{bytes:?} {digits}");
                    }
                }
            }
        }
        assert_eq!(run_len(b"Modulo2024 x", false), 6);
        assert_eq!(run_len(b"Modulo2024 x", true), 10);
    }
}
