//! Measurement helpers (tests only): dumps every prose and table mention of a set of pages as TSV, so that two
//! versions of the recognizer can be compared with `diff`.
//!
//! `GARDKG_SHARED=... GARDKG_MEASURE_OUT=/tmp/out.tsv cargo test --lib recognize::measure -- --ignored`

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::path::Path;

    use crate::recognize::Recognizer;
    use crate::source::{self, ReadOptions};

    #[test]
    #[ignore = "measurement: writes every mention of the reference page and MedQuAD to GARDKG_MEASURE_OUT"]
    fn dump_mentions() {
        let (Some(shared), Some(out)) = (std::env::var_os("GARDKG_SHARED"), std::env::var_os("GARDKG_MEASURE_OUT"))
        else {
            return;
        };
        let shared = Path::new(&shared);
        let mut paths = vec![shared.join("corpus/gard-pages/12547-selective-igm-deficiency.txt")];
        let mut medquad: Vec<_> = std::fs::read_dir(shared.join("corpus/medquad-gard"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        medquad.sort();
        paths.extend(medquad);
        let r = Recognizer::bundled().unwrap();
        let mut tsv = String::new();
        for path in &paths {
            let Ok(page) = source::read(path.to_str().unwrap(), &ReadOptions::default()) else { continue };
            let a = r.recognize(&page);
            let name = path.file_name().unwrap().to_string_lossy();
            for p in &a.phenotypes {
                let frequency = p.frequency.as_ref().map(|f| format!("{f:?}")).unwrap_or_default();
                let _ = writeln!(
                    tsv,
                    "{name}\t{}\t{:?}\t{}\t{}\t{}\t{}\t{}\t{}\t{frequency}",
                    p.section, p.evidence, p.start, p.end, p.text, p.hpo_id, p.label, p.negated
                );
            }
        }
        std::fs::write(&out, tsv).unwrap();
    }
}
