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

/// Strings packed end to end: string `i` is `text[ends[i - 1]..ends[i]]`. Read back only when its offsets hold
/// (see [`Offsets`]), so that a damaged cache is a decoding error, never a panic later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Offsets<String>")]
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

/// Lists packed end to end (of numbers unless said): list `i` is `items[ends[i - 1]..ends[i]]`. Read back only
/// when its offsets hold (see [`Offsets`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Offsets<Vec<T>>", bound(deserialize = "T: Deserialize<'de>"))]
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

/// A map of keys to lists as a transducer and the lists it numbers: key `k` maps to `i`, whose list is list `i`.
pub fn index<T: Clone>(map: impl IntoIterator<Item = (String, Vec<T>)>) -> Result<(Keys, Lists<T>), RecognizeError> {
    let mut entries: Vec<(String, Vec<T>)> = map.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let lists = Lists::new(entries.iter().map(|(_, list)| list.as_slice()));
    let keys = Keys::new(entries.into_iter().zip(0u64..).map(|((key, _), i)| (key, i)).collect())?;
    Ok((keys, lists))
}

/// A packed table as it is stored, before its offsets are checked: they must not decrease, the last must be the
/// length of the items, and each must fall on a character boundary of packed text.
#[derive(Deserialize)]
#[serde(rename = "Packed")]
pub struct Offsets<I> {
    #[serde(alias = "text")]
    items: I,
    ends: Vec<u32>,
}

/// Whether `ends` are the offsets of a packed table of `len` items (`boundary` says where one may end).
fn offsets_hold(ends: &[u32], len: usize, boundary: impl Fn(usize) -> bool) -> bool {
    ends.windows(2).all(|w| w[0] <= w[1])
        && ends.last().map_or(len == 0, |&last| last as usize == len)
        && ends.iter().all(|&e| boundary(e as usize))
}

impl TryFrom<Offsets<String>> for Strings {
    type Error = String;

    fn try_from(packed: Offsets<String>) -> Result<Strings, String> {
        let Offsets { items: text, ends } = packed;
        if !offsets_hold(&ends, text.len(), |e| text.is_char_boundary(e)) {
            return Err("packed strings: offsets out of order, out of range or inside a character".to_owned());
        }
        Ok(Strings { text, ends })
    }
}

impl<T> TryFrom<Offsets<Vec<T>>> for Lists<T> {
    type Error = String;

    fn try_from(packed: Offsets<Vec<T>>) -> Result<Lists<T>, String> {
        let Offsets { items, ends } = packed;
        if !offsets_hold(&ends, items.len(), |_| true) {
            return Err("packed lists: offsets out of order or out of range".to_owned());
        }
        Ok(Lists { items, ends })
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
    fn offsets_that_do_not_hold_are_a_decoding_error() {
        let decode = |text: &str, ends: &[u32]| {
            postcard::from_bytes::<Strings>(&postcard::to_stdvec(&(text, ends)).unwrap()).map(|s| s.len())
        };
        assert_eq!(decode("ab", &[1, 2]).unwrap(), 2);
        assert_eq!(decode("", &[]).unwrap(), 0);
        for (text, ends) in [("ab", &[2u32, 1][..]), ("ab", &[1]), ("ab", &[1, 3]), ("é", &[1]), ("ab", &[])] {
            assert!(decode(text, ends).is_err(), "{text:?} {ends:?}");
        }
        let lists = |items: &[u32], ends: &[u32]| {
            postcard::from_bytes::<Lists>(&postcard::to_stdvec(&(items, ends)).unwrap()).map(|l| l.len())
        };
        assert_eq!(lists(&[7, 8], &[0, 2]).unwrap(), 2);
        assert!(lists(&[7, 8], &[3]).is_err() && lists(&[7], &[1, 0]).is_err());
    }

    #[test]
    fn corrupt_transducer_bytes_are_an_error_not_a_panic() {
        let bytes = postcard::to_stdvec(&serde_bytes::Bytes::new(b"not a transducer")).unwrap();
        assert!(postcard::from_bytes::<Keys>(&bytes).is_err());
    }
}
