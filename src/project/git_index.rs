//! Reading the git index (the staging area) with `gix-index`: which paths git tracks.

use super::repo::Repo;

/// The tracked paths of `repo` (relative to its root, `/`-separated) for which `keep`
/// returns true. Empty when the index is missing, unreadable or not SHA-1.
pub fn tracked_paths(repo: &Repo, keep: impl Fn(&str) -> bool) -> Vec<String> {
    if !repo.is_sha1() {
        return Vec::new();
    }
    let options = gix_index::decode::Options {
        thread_limit: Some(1),
        ..Default::default()
    };
    let Ok(file) = gix_index::File::at(repo.index_path(), gix_hash::Kind::Sha1, true, options)
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = file
        .entries()
        .iter()
        .filter_map(|e| {
            let path: &[u8] = e.path(&file);
            let s = std::str::from_utf8(path).ok()?;
            keep(s).then(|| s.to_string())
        })
        .collect();
    // Conflicted files have one entry per stage.
    out.sort();
    out.dedup();
    out
}
