//! Read-only tables that the start-up cache ([`crate::cache`]) decodes in a few allocations: strings packed into
//! one buffer, lists of numbers packed into one vector, and string keys in a finite-state transducer
//! ([`tantivy_fst`]) that is stored as the bytes it is made of.
//!
//! A `HashMap<String, Vec<String>>` of 100,000 entries decodes into 200,000 allocations and as many `SipHash` runs;
//! these decode into five. Lookups cost about the same: a transducer walk of the key's bytes instead of a hash.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tantivy_fst::Map;

use crate::recognize::RecognizeError;

/// Strings packed end to end: string `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strings {
    text: String,
    ends: Vec<u32>,
}

impl Strings {
    /// Appends a string; returns its number.
    pub fn push(&mut self, s: &str) -> u32 {
        self.text.push_str(s);
        self.ends.push(offset(self.text.len()));
        offset(self.ends.len() - 1)
    }

    /// String `i`.
    ///
    /// # Panics
    /// When `i` is not the number of a pushed string.
    pub fn get(&self, i: u32) -> &str {
        &self.text[item(&self.ends, i)]
    }

    /// The number of strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no string.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The strings in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..offset(self.len())).map(|i| self.get(i))
    }
}

/// Lists packed end to end (of numbers unless said): list `i` is `items[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lists<T = u32> {
    items: Vec<T>,
    ends: Vec<u32>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists { items: Vec::new(), ends: Vec::new() }
    }
}

impl<T: Clone> Lists<T> {
    /// Packs lists in order: list `i` is the `i`-th of `lists`.
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a [T]>) -> Self
    where
        T: 'a,
    {
        let mut packed = Lists::default();
        for list in lists {
            packed.items.extend_from_slice(list);
            packed.ends.push(offset(packed.items.len()));
        }
        packed
    }
}

impl<T> Lists<T> {
    /// List `i`.
    ///
    /// # Panics
    /// When there is no list `i`.
    pub fn get(&self, i: u32) -> &[T] {
        &self.items[item(&self.ends, i)]
    }

    /// The number of lists.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no list.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// String keys mapped to numbers in a transducer, shared by the clones of the table.
#[derive(Clone)]
pub struct Keys(Arc<Map<Vec<u8>>>);

impl Keys {
    /// The transducer of `entries` (keys in any order, each once).
    pub fn new(mut entries: Vec<(String, u64)>) -> Result<Keys, RecognizeError> {
        // A transducer takes its keys in byte order (which `String`'s order is).
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let map = Map::from_iter(entries.iter().map(|(k, v)| (k.as_str(), *v)))
            .map_err(|e| RecognizeError::Matcher { reason: e.to_string() })?;
        Ok(Keys(Arc::new(map)))
    }

    /// The number of `key`, when it is one of the keys.
    pub fn get(&self, key: &str) -> Option<u32> {
        self.0.get(key).and_then(|n| u32::try_from(n).ok())
    }

    /// The transducer itself (for walking it along a text).
    pub fn map(&self) -> &Map<Vec<u8>> {
        &self.0
    }
}

impl Default for Keys {
    fn default() -> Keys {
        Keys::new(Vec::new()).expect("an empty transducer builds")
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys({} keys)", self.0.len())
    }
}

impl Serialize for Keys {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0.as_fst().to_vec())
    }
}

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Keys, D::Error> {
        let bytes: serde_bytes::ByteBuf = Deserialize::deserialize(deserializer)?;
        Map::from_bytes(bytes.into_vec()).map(|m| Keys(Arc::new(m))).map_err(serde::de::Error::custom)
    }
}

/// Where item `i` of a packed table lies, from the table's end offsets.
fn item(ends: &[u32], i: u32) -> std::ops::Range<usize> {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    start..ends[i] as usize
}

/// A length or offset as the `u32` the tables store (tables are far below 4 GiB).
fn offset(n: usize) -> u32 {
    u32::try_from(n).expect("packed tables stay below 4 GiB")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_lists_and_keys_survive_the_cache_format() {
        let mut strings = Strings::default();
        assert_eq!((strings.push("MONDO:1"), strings.push(""), strings.push("Kettle fever")), (0, 1, 2));
        let lists: Lists = Lists::new([&[2u32, 0][..], &[], &[1]]);
        let keys = Keys::new(vec![("kettle fever".into(), 2), ("a".into(), 0)]).unwrap();
        let bytes = postcard::to_stdvec(&(&strings, &lists, &keys)).unwrap();
        let (strings, lists, keys): (Strings, Lists, Keys) = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(lists.len(), 3);
        assert_eq!(strings.iter().collect::<Vec<_>>(), ["MONDO:1", "", "Kettle fever"]);
        assert_eq!((lists.get(0), lists.get(1), lists.get(2)), (&[2, 0][..], &[][..], &[1][..]));
        assert_eq!((keys.get("kettle fever"), keys.get("a"), keys.get("kettle")), (Some(2), Some(0), None));
        assert_eq!(Keys::default().get(""), None);
    }

    #[test]
    fn corrupt_transducer_bytes_are_an_error_not_a_panic() {
        let bytes = postcard::to_stdvec(&serde_bytes::Bytes::new(b"not a transducer")).unwrap();
        assert!(postcard::from_bytes::<Keys>(&bytes).is_err());
    }
}
