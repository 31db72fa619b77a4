//! The start-up cache: what gardkg builds from its bundled ontologies and tables before it can read a word (the
//! parsed HPO and MAxO, the phenotype and treatment dictionaries, the disease-name lexicon, the Mondo mappings),
//! kept in files so that a command run on one document does not rebuild it every time.
//!
//! - Where: `$GARDKG_CACHE_DIR`, else `$XDG_CACHE_HOME/gardkg`, else `~/.cache/gardkg`; one file per part
//!   (`hp-<key>.bin`, `phenotype-matcher-<key>.bin`, …), [postcard](https://docs.rs/postcard) behind a header.
//! - Key: the gardkg version and a hash of everything the parts are built from (the sources under `src/`, every
//!   file under `ontology/` and `Cargo.lock`, hashed at build time by `build.rs`) and the checkout's directory,
//!   with the pinned HPO and MAxO releases. Any change to the code, the tables or the ontologies gives a new key, so a cache is never used by a
//!   build that would have built it differently.
//! - Checks: the header holds the whole key and a CRC-32 of the payload; a file that is truncated, corrupt, of
//!   another key or that does not decode to exactly the part (bytes left over: another layout) is ignored and
//!   rebuilt, never used.
//! - Writes go to a temporary file renamed into place, so processes racing to write the same part are safe; a
//!   cache directory that cannot be written only costs speed. The three newest files of a part are kept.
//! - Bypass: `gardkg --no-cache` ([`disable`]) or `GARDKG_NO_CACHE=1` build everything in memory, as before.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// The environment variable that names the cache directory.
pub const DIR_VAR: &str = "GARDKG_CACHE_DIR";

/// The environment variable that turns the cache off (any value but empty or `0`).
pub const NO_CACHE_VAR: &str = "GARDKG_NO_CACHE";

/// The first bytes of every cache file (the format's version is its last digit).
const MAGIC: &[u8; 14] = b"gardkg-cache1\n";

/// Files kept per part: a few builds side by side (an installed gardkg and a development build) without
/// rebuilding each other's caches, and no unbounded growth.
const KEEP: usize = 3;

/// Set by [`disable`].
static DISABLED: AtomicBool = AtomicBool::new(false);

/// Turns the cache off for this process (`--no-cache`): every part is built in memory. Call it before anything
/// bundled is used (a part already loaded stays loaded).
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Miss {
    /// The cache is off, or there is no cache directory.
    #[error("the cache is off")]
    Off,
    /// No file for this part and key.
    #[error("no cache file")]
    Missing,
    /// The file was written for another key.
    #[error("the cache file is stale (another key)")]
    Stale,
    /// The file is truncated or corrupt.
    #[error("the cache file is corrupt: {0}")]
    Corrupt(String),
}

/// A cache directory and the key its files must carry.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
    key: String,
}

impl Cache {
    /// The cache of this process: the directory of the environment (see the module docs), the key of this build
    /// and its bundled releases; off when [`disable`] was called or `GARDKG_NO_CACHE` is set.
    pub fn global() -> Cache {
        static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
        static KEY: OnceLock<String> = OnceLock::new();
        let off =
            DISABLED.load(Ordering::Relaxed) || std::env::var(NO_CACHE_VAR).is_ok_and(|v| !v.is_empty() && v != "0");
        let dir = if off { None } else { DIR.get_or_init(default_dir).clone() };
        Cache { dir, key: KEY.get_or_init(build_key).clone() }
    }

    /// A cache in `dir` whose files must carry `key`.
    pub fn at(dir: impl Into<PathBuf>, key: impl Into<String>) -> Cache {
        Cache { dir: Some(dir.into()), key: key.into() }
    }

    /// The key files must carry.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The file of a part (`None` when the cache is off).
    pub fn path(&self, part: &str) -> Option<PathBuf> {
        let digest = Sha256::digest(self.key.as_bytes());
        let hex = digest[..8].iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        });
        self.dir.as_ref().map(|dir| dir.join(format!("{part}-{hex}.bin")))
    }

    /// The part read from its file, or built by `build` and written (when it can be) for the next time.
    pub fn get_or_build<T, E>(&self, part: &str, build: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: Serialize + DeserializeOwned,
    {
        if let Ok(value) = self.read(part) {
            return Ok(value);
        }
        let value = build()?;
        // A cache that cannot be written only costs speed next time.
        let _ = self.write(part, &value);
        Ok(value)
    }

    /// The part as its file holds it, when the file is there, complete and of this key.
    pub fn read<T: DeserializeOwned>(&self, part: &str) -> Result<T, Miss> {
        let path = self.path(part).ok_or(Miss::Off)?;
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Miss::Missing),
            Err(e) => return Err(Miss::Corrupt(e.to_string())),
        };
        let payload = payload(&bytes, &self.key)?;
        let (value, rest) = postcard::take_from_bytes(payload).map_err(|e| Miss::Corrupt(e.to_string()))?;
        // Bytes left over: the file holds another layout that only starts like this one (postcard reads a prefix).
        if !rest.is_empty() {
            return Err(Miss::Corrupt(format!("{} bytes left over after the part", rest.len())));
        }
        Ok(value)
    }

    /// Writes a part (a temporary file renamed into place), then removes all but the newest files of the part.
    pub fn write<T: Serialize>(&self, part: &str, value: &T) -> std::io::Result<PathBuf> {
        let path = self.path(part).ok_or_else(|| std::io::Error::other("the cache is off"))?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let payload = postcard::to_stdvec(value).map_err(std::io::Error::other)?;
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        file.write_all(MAGIC)?;
        file.write_all(&u32::try_from(self.key.len()).map_err(std::io::Error::other)?.to_le_bytes())?;
        file.write_all(self.key.as_bytes())?;
        file.write_all(&(payload.len() as u64).to_le_bytes())?;
        file.write_all(&crc32fast::hash(&payload).to_le_bytes())?;
        file.write_all(&payload)?;
        file.as_file().sync_data()?;
        file.persist(&path).map_err(|e| e.error)?;
        prune(dir, part, &path);
        Ok(path)
    }
}

/// The payload of a cache file, after checking its magic, key, length and checksum.
fn payload<'a>(bytes: &'a [u8], key: &str) -> Result<&'a [u8], Miss> {
    let truncated = || Miss::Corrupt("truncated".to_owned());
    let rest =
        bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(|| Miss::Corrupt("not a gardkg cache file".to_owned()))?;
    let (len, rest) = rest.split_first_chunk::<4>().ok_or_else(truncated)?;
    let len = usize::try_from(u32::from_le_bytes(*len)).map_err(|_| truncated())?;
    let (stored_key, rest) = rest.split_at_checked(len).ok_or_else(truncated)?;
    if stored_key != key.as_bytes() {
        return Err(Miss::Stale);
    }
    let (len, rest) = rest.split_first_chunk::<8>().ok_or_else(truncated)?;
    let (crc, rest) = rest.split_first_chunk::<4>().ok_or_else(truncated)?;
    if usize::try_from(u64::from_le_bytes(*len)).ok() != Some(rest.len()) {
        return Err(truncated());
    }
    if crc32fast::hash(rest) != u32::from_le_bytes(*crc) {
        return Err(Miss::Corrupt("checksum mismatch".to_owned()));
    }
    Ok(rest)
}

/// Removes all but the [`KEEP`] newest files of a part (`<part>-<16 hex digits>.bin`), never `keep`.
fn prune(dir: &Path, part: &str, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.strip_prefix(part)
                .and_then(|r| r.strip_prefix('-'))
                .and_then(|r| r.strip_suffix(".bin"))
                .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, path) in files.into_iter().skip(KEEP) {
        if path != keep {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `$GARDKG_CACHE_DIR`, else `$XDG_CACHE_HOME/gardkg`, else `~/.cache/gardkg` (none without a home).
fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    var(DIR_VAR)
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("gardkg")))
        .or_else(|| var("HOME").map(|h| h.join(".cache").join("gardkg")))
}

/// The key of this build: the version, the hash of the sources, tables and ontologies it was built from (see
/// `build.rs`), the checkout it was built in, and the pinned HPO and MAxO releases.
///
/// The checkout is there because cargo may not rerun `build.rs` for one: two checkouts of gardkg sharing a target
/// directory share the build script's output, and cargo reruns it only for files newer than its last run, so a
/// build of the older checkout can carry the other's source hash (seen with a `git worktree` of an earlier commit).
pub fn build_key() -> String {
    format!(
        "gardkg {} sources {} at {} hp {} maxo {}",
        env!("CARGO_PKG_VERSION"),
        env!("GARDKG_SOURCES_HASH"),
        env!("CARGO_MANIFEST_DIR"),
        crate::ontology::Bundled::Hp.release(),
        crate::ontology::Bundled::Maxo.release()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_part_written_in_a_longer_layout_is_no_hit() {
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct Longer {
            names: Vec<String>,
            extra: Vec<u32>,
        }
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        struct Shorter {
            names: Vec<String>,
        }
        let dir = tempfile::tempdir().expect("temporary directory");
        let cache = Cache::at(dir.path(), "key");
        cache.write("part", &Longer { names: vec!["a".into()], extra: vec![1, 2, 3] }).expect("written");
        assert!(matches!(cache.read::<Shorter>("part"), Err(Miss::Corrupt(_))));
        assert_eq!(cache.read::<Longer>("part").expect("read").extra, [1, 2, 3]);
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Part {
        names: Vec<String>,
        counts: std::collections::HashMap<String, u32>,
    }

    fn part() -> Part {
        Part {
            names: vec!["kettle fever".to_owned(), "steam rash".to_owned()],
            counts: [("whistle".to_owned(), 3)].into_iter().collect(),
        }
    }

    /// Reads the part through the cache, counting the builds.
    fn get(cache: &Cache, builds: &Cell<usize>) -> Part {
        cache
            .get_or_build("part", || {
                builds.set(builds.get() + 1);
                Ok::<_, std::convert::Infallible>(part())
            })
            .unwrap()
    }

    #[test]
    fn a_written_part_is_read_back_without_building() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path(), "key 1");
        let builds = Cell::new(0);
        assert_eq!(get(&cache, &builds), part());
        assert_eq!(builds.get(), 1);
        assert_eq!(get(&cache, &builds), part());
        assert_eq!(builds.get(), 1, "the second read comes from the file");
        assert_eq!(cache.read::<Part>("other"), Err(Miss::Missing));
    }

    #[test]
    fn corrupt_and_truncated_files_are_rebuilt_and_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path(), "key 1");
        let path = cache.write("part", &part()).unwrap();
        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        for (bad, why) in [
            (flipped, "checksum mismatch"),
            (good[..good.len() - 3].to_vec(), "truncated"),
            (good[..10].to_vec(), "not a gardkg cache file"),
            (Vec::new(), "not a gardkg cache file"),
        ] {
            std::fs::write(&path, &bad).unwrap();
            assert_eq!(cache.read::<Part>("part"), Err(Miss::Corrupt(why.to_owned())));
            let builds = Cell::new(0);
            assert_eq!(get(&cache, &builds), part());
            assert_eq!(builds.get(), 1, "{why}: rebuilt");
            assert_eq!(std::fs::read(&path).unwrap(), good, "{why}: rewritten");
        }
        // A payload with a valid checksum that does not decode as the part is refused too.
        let other = cache.write("part", &vec![1u8, 2, 3]).unwrap();
        assert_eq!(other, path);
        assert!(matches!(cache.read::<Part>("part"), Err(Miss::Corrupt(_))));
    }

    #[test]
    fn a_file_of_another_key_is_stale_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let old = Cache::at(dir.path(), "gardkg 0.1.0 sources 1 hp 2024");
        let new = Cache::at(dir.path(), "gardkg 0.1.0 sources 2 hp 2025");
        assert_ne!(old.path("part"), new.path("part"), "keys name different files");
        old.write("part", &part()).unwrap();
        // The same file name with another key inside (a hash collision, a file copied by hand) is stale.
        std::fs::copy(old.path("part").unwrap(), new.path("part").unwrap()).unwrap();
        assert_eq!(new.read::<Part>("part"), Err(Miss::Stale));
        let builds = Cell::new(0);
        assert_eq!(get(&new, &builds), part());
        assert_eq!(builds.get(), 1);
        assert_eq!(new.read::<Part>("part"), Ok(part()));
    }

    #[test]
    fn an_unwritable_directory_only_costs_speed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-directory");
        std::fs::write(&file, "x").unwrap();
        let cache = Cache::at(&file, "key");
        let builds = Cell::new(0);
        assert_eq!(get(&cache, &builds), part());
        assert_eq!(get(&cache, &builds), part());
        assert_eq!(builds.get(), 2);
    }

    #[test]
    fn only_the_newest_files_of_a_part_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for n in 0..5 {
            let cache = Cache::at(dir.path(), format!("key {n}"));
            paths.push(cache.write("part", &part()).unwrap());
            cache.write("other", &part()).unwrap();
            // Modification times must differ for "newest" to mean something on coarse file systems.
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let left: Vec<bool> = paths.iter().map(|p| p.exists()).collect();
        assert_eq!(left, [false, false, true, true, true]);
        let others = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("other-"));
        assert_eq!(others.count(), KEEP);
    }
}
