//! Times reading each start-up cache part ([`gardkg::cache`]) on its own, one after the other, in one process:
//! which part a whole command waits for. Run twice (the first run may build and write the cache):
//! `cargo run --release --example startup_parts`.

use std::time::Instant;

fn timed<T, E: std::fmt::Debug>(name: &str, f: impl FnOnce() -> Result<T, E>) {
    let start = Instant::now();
    f().unwrap_or_else(|e| panic!("{name}: {e:?}"));
    println!("{name:<20} {:>7.1} ms", start.elapsed().as_secs_f64() * 1000.0);
}

fn main() {
    let all = Instant::now();
    timed("hp", gardkg::recognize::ontology::Ontology::bundled);
    timed("maxo", gardkg::recognize::treatments::bundled_maxo);
    timed("phenotype-matcher", gardkg::recognize::phenotypes::matcher::PhenotypeMatcher::bundled);
    timed("treatments", gardkg::recognize::treatments::TreatmentRecognizer::bundled);
    timed("conditions", gardkg::recognize::conditions::lexicon::ConditionLexicon::bundled);
    timed("mondo-mappings", gardkg::mappings::Mappings::bundled);
    println!("{:<20} {:>7.1} ms", "all", all.elapsed().as_secs_f64() * 1000.0);
}
