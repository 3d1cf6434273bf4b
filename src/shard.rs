//! `--shard K/N`: which files a shard lints, the stable path hash behind the split, what a
//! shard report records for `dslint merge` ([`ShardRun`]), and the files a shard reads outside
//! its share for cross-file project rules.
//!
//! The split: a file belongs to shard `K` of `N` when `h(path) mod N == K - 1`, where `path` is
//! the path as reported (relative to the working directory, `/`-separated: the
//! repository-relative path when dslint runs at the root) and `h` is 64-bit FNV-1a over its
//! UTF-8 bytes followed by MurmurHash3's `fmix64` finalizer (FNV-1a's low bits alone depend
//! only on the low bits of each byte, so `file1.py` and `file5.py` would always share a shard).
//! Nothing in it depends on the OS, the process or the release.
//!
//! Project findings belong to the shard of the file they are reported in. A project rule whose
//! findings in one file depend on other files ([`crate::project::CROSS_FILE_RULES`]) sees every
//! file in every shard: a shard reads the other shards' files of the kinds such a rule wants,
//! runs only the prefilter over them and keeps the candidates for project rules, without
//! linting or counting them.

use std::fmt;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::config::Config;
use crate::source;

/// Shard `index` of `count` (both 1-based: `1 <= index <= count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Shard {
    /// Which shard (1-based).
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl Shard {
    /// Parses `K/N` (`--shard 2/4`).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write K/N with 1 <= K <= N (e.g. 2/4)");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// True when the file reported as `path` belongs to this shard.
    pub fn owns(&self, path: &str) -> bool {
        shard_of(path, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// MurmurHash3's 64-bit finalizer: every output bit depends on every input bit.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The stable hash of a reported path that decides its shard.
pub fn path_hash(path: &str) -> u64 {
    let path = path.strip_prefix("./").unwrap_or(path);
    fmix64(fnv1a(path.as_bytes()))
}

/// The shard (1-based) of the file reported as `path`, out of `count` (at least 1).
pub fn shard_of(path: &str, count: u32) -> u32 {
    (path_hash(path) % u64::from(count.max(1))) as u32 + 1
}

/// What a shard report records so that `dslint merge` can check and join it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardRun {
    /// Which shard this report is.
    pub shard: Shard,
    /// [`config_hash`] of the run.
    pub config: String,
    /// True when a finding of this shard reached `fail-on` (the run's exit code was 1).
    pub fails: bool,
}

impl ShardRun {
    /// The `shard` object of a JSON report (SARIF: `runs[0].properties.dslintShard`).
    pub fn to_json(&self) -> Value {
        json!({
            "index": self.shard.index,
            "count": self.shard.count,
            "config": self.config,
            "fails": self.fails,
        })
    }
}

/// A hash of everything that decides what a run finds: each configuration group's effective
/// configuration (without the line naming its file, so checkouts in different directories
/// agree) and input paths, the rule selection, and `options`, the other command-line options
/// that change findings (written out by the caller). Shards whose hashes differ cannot be
/// merged.
pub fn config_hash<'a>(
    registry: &'static crate::rules::Registry,
    (select, ignore): (&[String], &[String]),
    groups: impl Iterator<Item = (&'a Config, &'a [PathBuf])>,
    options: &str,
) -> String {
    let mut text = String::new();
    for (config, paths) in groups {
        let (rules, severities) = config.rules(config.registry(registry), select, ignore);
        let toml = config.to_toml(&rules, &severities);
        // The first line names the configuration file.
        text.push_str(toml.split_once('\n').map_or("", |(_, body)| body));
        for p in paths {
            text.push_str(&source::display_path(p));
            text.push('\n');
        }
    }
    text.push_str(options);
    format!("{:016x}", fmix64(fnv1a(text.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(Shard::parse(" 1 / 1 "), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "1", "a/b", "1/0", "-1/2", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hash_is_the_documented_one() {
        // FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        // Pinned: changing the split would re-shuffle every CI matrix.
        assert_eq!(path_hash("src/app.py"), path_hash("./src/app.py"));
        let split: Vec<u32> = ["src/app.py", "file1.py", "file5.py", ".env", "a/b/c.ts"]
            .iter()
            .map(|p| shard_of(p, 4))
            .collect();
        assert_eq!(split, PINNED_SPLIT);
    }

    const PINNED_SPLIT: [u32; 5] = [2, 1, 4, 1, 4];

    #[test]
    fn every_file_has_exactly_one_shard() {
        for n in 1..=7 {
            for i in 0..200 {
                let path = format!("dir{}/file{i}.py", i % 3);
                let owners = (1..=n)
                    .filter(|&k| Shard { index: k, count: n }.owns(&path))
                    .count();
                assert_eq!(owners, 1);
            }
        }
    }

    #[test]
    fn shards_are_balanced() {
        let n = 4;
        let mut sizes = [0usize; 4];
        for i in 0..4000 {
            sizes[shard_of(&format!("src/file{i}.py"), n) as usize - 1] += 1;
        }
        for s in sizes {
            assert!((800..1200).contains(&s), "{sizes:?}");
        }
    }
}
