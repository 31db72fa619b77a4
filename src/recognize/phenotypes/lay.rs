//! The reviewed lay-synonym tables ([`crate::lexicon::lay`]) checked against the HPO release a matcher is built
//! from: an unknown, merged or obsolete identifier, or a label that is not the term's name, is an error, never a
//! silent miss.

use crate::lexicon::lay::LaySynonyms;
use crate::lexicon::tables::TableError;
use crate::recognize::RecognizeError;
use crate::recognize::ontology::Ontology;

/// Checks every row of a table against an ontology: the identifier must be a current term (not an `alt_id`, not
/// obsolete) and the label must be its name. The first bad row is the error.
pub fn check(table: &LaySynonyms, hpo: &Ontology) -> Result<(), RecognizeError> {
    for row in table.rows() {
        let error = |reason: String| RecognizeError::from(TableError::new(table.name(), row.line, reason));
        let Some(term) = hpo.term(&row.hpo_id) else {
            return Err(error(format!("{} is not in HPO {}", row.hpo_id, hpo.release())));
        };
        if term.id != row.hpo_id {
            return Err(error(format!("{} is an alternative identifier of {}", row.hpo_id, term.id)));
        }
        if term.obsolete {
            return Err(error(format!("{} ({}) is obsolete", row.hpo_id, term.label)));
        }
        if term.label != row.hpo_label {
            return Err(error(format!("{} is named {:?} in HPO, not {:?}", row.hpo_id, term.label, row.hpo_label)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header line of the table.
    const HEADER: &str = "text\thpo_id\thpo_label\tsource";

    const MINI_OBO: &str = "format-version: 1.2\n\n\
        [Term]\nid: HP:0000388\nname: Otitis media\nalt_id: HP:0000387\n\n\
        [Term]\nid: HP:0009999\nname: obsolete Fit\nis_obsolete: true\n";

    #[test]
    fn every_bundled_row_names_a_current_hpo_term_by_its_label() {
        let table = LaySynonyms::bundled().unwrap();
        assert!(table.rows().len() >= 25, "{} rows", table.rows().len());
        let hpo = Ontology::bundled().unwrap();
        check(&table, hpo).unwrap();
        for row in table.rows() {
            let term = hpo.term(&row.hpo_id).unwrap();
            assert!(!term.obsolete && term.id == row.hpo_id, "line {}: {}", row.line, row.hpo_id);
            assert!(hpo.is_a(&row.hpo_id, crate::recognize::phenotypes::PHENOTYPIC_ABNORMALITY), "line {}", row.line);
        }
        let ear = table.rows().iter().find(|r| r.text == "ear infection").unwrap();
        assert_eq!((ear.hpo_id.as_str(), ear.hpo_label.as_str()), ("HP:0000388", "Otitis media"));
    }

    #[test]
    fn unknown_merged_obsolete_or_mislabelled_ids_are_errors_naming_the_line() {
        let hpo = Ontology::from_obo(MINI_OBO.as_bytes()).unwrap();
        let table = |row: &str| LaySynonyms::parse(&format!("# note\n{HEADER}\n{row}\n"), "lay.tsv").unwrap();
        assert!(check(&table("ear infection\tHP:0000388\tOtitis media\tHPO synonym"), &hpo).is_ok());
        for (row, reason) in [
            ("ear ache\tHP:1234567\tOtalgia\tguess", "not in HPO"),
            ("ear ache\tHP:0000387\tOtitis media\tmerged", "alternative identifier"),
            ("fit\tHP:0009999\tobsolete Fit\told", "obsolete"),
            ("ear infection\tHP:0000388\tEar infection\twrong label", "named \"Otitis media\""),
        ] {
            let message = check(&table(row), &hpo).unwrap_err().to_string();
            assert!(message.contains("lay.tsv") && message.contains("line 3") && message.contains(reason), "{message}");
        }
    }
}
