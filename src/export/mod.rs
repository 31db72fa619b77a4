//! Front ends that write the store out: every RDF syntax ([`rdf`], sorted and readable by [`readable`], JSON-LD
//! compacted by [`jsonld`]), canonical N-Quads ([`canonical`]), KGX node and edge tables ([`kgx`]), HPO annotations
//! ([`hpoa`]) and the mappings used, as SSSOM ([`sssom`]).

pub mod canonical;
pub mod hpoa;
pub mod jsonld;
pub mod kgx;
pub mod rdf;
pub mod readable;
pub mod sssom;

use std::collections::HashMap;

use crate::model::vocab::{ASPECT_PREDICATES, Namespace};

/// The project's own predicates (full IRIs) with the Biolink predicate each is a sub-property of.
pub fn extension_predicates(namespace: &Namespace) -> HashMap<String, String> {
    ASPECT_PREDICATES
        .iter()
        .map(|(local, biolink)| (namespace.iri(local).as_str().to_owned(), biolink.as_str().to_owned()))
        .collect()
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    civil_date(i64::try_from(days).unwrap_or(0))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_423), "2025-12-01");
        assert_eq!(super::civil_date(11_016), "2000-02-29");
    }
}
