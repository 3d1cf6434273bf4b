//! What one commit introduced: its tree compared with its first parent's, descending only
//! into subtrees whose ids differ (an unchanged directory costs one id comparison).
//!
//! A path whose blob id changed or appeared is "introduced"; deletions introduce nothing.
//! Submodule entries (gitlinks) are listed, never entered: their history is another
//! repository. Symbolic links hold a path, not content, and are skipped. A tree or commit
//! that cannot be read is reported and skipped; the rest of the commit is still compared.

use std::collections::HashMap;

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::hash::ObjectId;
use gix::objs::tree::EntryMode;

use super::revs::CommitEntry;

/// A blob a commit introduced at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduced {
    /// The path in the commit's tree (`/`-separated, as stored: not necessarily UTF-8).
    pub path: BString,
    /// The blob.
    pub blob: ObjectId,
}

/// Everything one commit introduced.
#[derive(Debug, Default)]
pub struct CommitChanges {
    /// Added or changed blobs, in tree order.
    pub blobs: Vec<Introduced>,
    /// Added or changed submodule entries (not entered).
    pub submodules: Vec<BString>,
    /// Objects that could not be read.
    pub warnings: Vec<String>,
}

/// One tree entry, owned (the tree's buffer is reused).
struct Entry {
    name: BString,
    mode: EntryMode,
    oid: ObjectId,
}

fn commit_tree(repo: &gix::Repository, id: ObjectId) -> Result<ObjectId, gix::Error> {
    Ok(repo.find_commit(id)?.tree_id()?.detach())
}

fn entries(repo: &gix::Repository, id: ObjectId) -> Result<Vec<Entry>, gix::Error> {
    let tree = repo.find_tree(id)?;
    let decoded = tree.decode()?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| Entry {
            name: e.filename.to_owned(),
            mode: e.mode,
            oid: e.oid.to_owned(),
        })
        .collect())
}

/// Compares `entry`'s tree with its first parent's (or with nothing, for a root commit or a
/// shallow boundary).
pub fn changes(repo: &gix::Repository, entry: &CommitEntry) -> CommitChanges {
    let mut out = CommitChanges::default();
    let tree = match commit_tree(repo, entry.id) {
        Ok(t) => t,
        Err(e) => {
            out.warnings
                .push(format!("commit {}: cannot read it: {e}", entry.id));
            return out;
        }
    };
    let parent_tree = entry.parent.and_then(|p| match commit_tree(repo, p) {
        Ok(t) => Some(t),
        Err(e) => {
            out.warnings.push(format!(
                "commit {}: cannot read its parent {p} ({e}); compared with an empty tree",
                entry.id
            ));
            None
        }
    });
    compare(repo, tree, parent_tree, &mut out);
    out.blobs.sort_by(|a, b| a.path.cmp(&b.path));
    out.submodules.sort();
    out
}

/// Walks the two trees side by side without recursion (a deep tree cannot overflow the
/// stack).
fn compare(repo: &gix::Repository, new: ObjectId, old: Option<ObjectId>, out: &mut CommitChanges) {
    let mut stack: Vec<(ObjectId, Option<ObjectId>, BString)> =
        vec![(new, old, BString::default())];
    while let Some((new, old, prefix)) = stack.pop() {
        if Some(new) == old {
            continue;
        }
        let new_entries = match entries(repo, new) {
            Ok(e) => e,
            Err(e) => {
                out.warnings
                    .push(format!("tree {new} at `{prefix}/`: cannot read it: {e}"));
                continue;
            }
        };
        let old_entries = match old.map(|o| (o, entries(repo, o))) {
            Some((_, Ok(e))) => e,
            Some((o, Err(e))) => {
                out.warnings
                    .push(format!("tree {o} at `{prefix}/`: cannot read it: {e}"));
                Vec::new()
            }
            None => Vec::new(),
        };
        let before: HashMap<&BStr, &Entry> =
            old_entries.iter().map(|e| (e.name.as_bstr(), e)).collect();
        for e in &new_entries {
            let was = before.get(e.name.as_bstr());
            if was.is_some_and(|w| w.oid == e.oid) {
                continue;
            }
            let mut path = prefix.clone();
            if !path.is_empty() {
                path.push_byte(b'/');
            }
            path.push_str(&e.name);
            if e.mode.is_tree() {
                let old_sub = was.filter(|w| w.mode.is_tree()).map(|w| w.oid);
                stack.push((e.oid, old_sub, path));
            } else if e.mode.is_commit() {
                out.submodules.push(path);
            } else if e.mode.is_blob() {
                out.blobs.push(Introduced { path, blob: e.oid });
            }
        }
    }
}
