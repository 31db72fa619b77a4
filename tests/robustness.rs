//! Arbitrary and damaged input never panics a reader: random bytes, and the example pages cut and mutated at
//! many places, through every reader. (A deterministic generator keeps failures reproducible.)

mod common;

use gardkg::page::SourceFormat;
use gardkg::source::{self, ReadOptions};

/// xorshift64*: small, deterministic, good enough to scatter mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap()
    }
}

fn all_formats(bytes: &[u8]) {
    for format in [None, Some(SourceFormat::GardText), Some(SourceFormat::Medquad), Some(SourceFormat::Html)] {
        let options = ReadOptions { format, ..ReadOptions::default() };
        if let Ok(page) = source::read_bytes(bytes, "fuzz.txt", &options) {
            // Whatever a reader accepts must keep its own invariants.
            for section in &page.sections {
                let chars: Vec<char> = section.text.chars().collect();
                for p in &section.paragraphs {
                    for s in &p.sentences {
                        assert!(s.start <= s.end && s.end <= chars.len(), "sentence offsets out of range");
                        assert_eq!(chars[s.start..s.end].iter().collect::<String>(), s.text);
                    }
                }
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..300 {
        let len = rng.below(400);
        let bytes: Vec<u8> = (0..len).map(|_| u8::try_from(rng.next() & 0xff).unwrap()).collect();
        all_formats(&bytes);
        // Mostly-text garbage reaches deeper into the readers than binary noise.
        let alphabet: Vec<char> = " \n\t.[]<>/:;0123456789abcdefABCDEF\u{2022}".chars().collect();
        let text: String = (0..len).map(|_| alphabet[rng.below(alphabet.len())]).collect();
        all_formats(text.as_bytes());
    }
}

#[test]
fn damaged_example_pages_never_panic() {
    let mut pages = vec![std::fs::read(common::example()).unwrap()];
    for extra in ["examples/kettle-fever.html", "tests/fixtures/medquad/kettle-fever.xml"] {
        if let Ok(bytes) = std::fs::read(common::root().join(extra)) {
            pages.push(bytes);
        }
    }
    if let Some(p) = common::shared("corpus/gard-pages/12547-selective-igm-deficiency.txt") {
        pages.push(std::fs::read(p).unwrap());
    }
    if let Some(p) = common::shared("corpus/medquad-gard/0002396.xml") {
        pages.push(std::fs::read(p).unwrap());
    }
    let mut rng = Rng(42);
    for page in &pages {
        // Every cut (truncated downloads) at a spread of places.
        for cut in (0..page.len()).step_by((page.len() / 150).max(1)) {
            all_formats(&page[..cut]);
        }
        // Random byte edits: deletions, duplications, replacements.
        for _ in 0..150 {
            let mut bytes = page.clone();
            for _ in 0..=rng.below(8) {
                let at = rng.below(bytes.len().max(1));
                match rng.below(3) {
                    0 if !bytes.is_empty() => {
                        bytes.remove(at);
                    }
                    1 => {
                        let end = (at + rng.below(200)).min(bytes.len());
                        let chunk = bytes[at..end].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                    _ if !bytes.is_empty() => {
                        let noise = b"<>[]&;\n .:\xe2\x80\xa2";
                        bytes[at] = noise[rng.below(noise.len())];
                    }
                    _ => {}
                }
            }
            all_formats(&bytes);
        }
    }
}
