//! Which commits `dslint history` scans: the repository is opened with `gix` (never the `git`
//! binary), the tips come from every ref or from the REV-RANGE arguments, and the walk lists
//! the commits oldest first.
//!
//! Only commit ids and first parents are kept (a few dozen bytes per commit); trees and blobs
//! are read later, chunk by chunk. A shallow clone's boundary commits have no parent here:
//! everything they hold counts as introduced by them, and the report says history is
//! incomplete.

use std::path::Path;

use gix::hash::ObjectId;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

/// A fatal `dslint history` error (exit code 2).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum HistoryError {
    /// The directory is not inside a git repository.
    #[error("not a git repository: {path} ({reason})")]
    #[diagnostic(
        code(dslint::history::not_a_repository),
        help("run `dslint history` inside a git repository, or pass --repo DIR")
    )]
    NotARepository {
        /// The directory given.
        path: String,
        /// What gix said.
        reason: String,
    },
    /// A REV-RANGE argument does not resolve.
    #[error("bad revision `{spec}`: {reason}")]
    #[diagnostic(
        code(dslint::history::revision),
        help("give a branch, tag, commit or range such as `main..HEAD`")
    )]
    BadRevision {
        /// The argument.
        spec: String,
        /// Why it does not resolve.
        reason: String,
    },
    /// `--since` is not a date.
    #[error("bad --since date `{0}`")]
    #[diagnostic(
        code(dslint::history::since),
        help("examples: 2024-05-01, 2024-05-01T12:00:00+02:00, \"2 weeks ago\"")
    )]
    BadDate(String),
    /// Reading the repository failed before any commit could be listed.
    #[error("cannot read the repository: {0}")]
    #[diagnostic(code(dslint::history::read))]
    Read(String),
}

/// One commit to scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitEntry {
    /// The commit.
    pub id: ObjectId,
    /// Its first parent, when the walk has one (`None` for a root or shallow boundary).
    pub parent: Option<ObjectId>,
}

/// The commits to scan, oldest first, and what the walk noticed.
#[derive(Debug, Default)]
pub struct Plan {
    /// Commits, oldest first.
    pub commits: Vec<CommitEntry>,
    /// True for a shallow clone: history before its boundary is not in the repository.
    pub shallow: bool,
    /// Problems met while listing (unreadable refs or commits); the walk went on.
    pub warnings: Vec<String>,
}

/// Opens the repository holding `dir` (searching upwards, like git).
pub fn open(dir: &Path) -> Result<gix::Repository, HistoryError> {
    let mut repo = gix::discover(dir).map_err(|e| HistoryError::NotARepository {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })?;
    // Commits are looked up again after the walk (their trees) and trees twice (as a commit's
    // and as its child's parent): a small cache per thread pays for itself.
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    Ok(repo)
}

/// Parses a `--since` date into seconds since the epoch.
pub fn parse_since(s: &str) -> Result<i64, HistoryError> {
    gix::date::parse(s, Some(gix::date::Zoned::now()))
        .map(|t| t.seconds)
        .map_err(|_| HistoryError::BadDate(s.to_string()))
}

/// Peels `id` (a commit, or an annotated tag pointing at one) to a commit id.
fn peel_to_commit(repo: &gix::Repository, id: ObjectId) -> Option<ObjectId> {
    let object = repo.find_object(id).ok()?;
    object.peel_to_commit().ok().map(|c| c.id)
}

/// The commit every ref points at (branches, tags, remotes, notes are skipped as they are
/// not history of the project, the stash is kept), plus a detached HEAD.
fn all_ref_tips(repo: &gix::Repository, warnings: &mut Vec<String>) -> Vec<ObjectId> {
    let mut tips = Vec::new();
    match repo.references() {
        Ok(platform) => match platform.all() {
            Ok(iter) => {
                for r in iter {
                    let mut r = match r {
                        Ok(r) => r,
                        Err(e) => {
                            warnings.push(format!("skipped an unreadable ref: {e}"));
                            continue;
                        }
                    };
                    let name = r.name().as_bstr().to_string();
                    if name.starts_with("refs/notes/") {
                        continue;
                    }
                    match r.peel_to_id() {
                        Ok(id) => {
                            // A tag may point at a tree or a blob: not a commit, no history.
                            if let Some(c) = peel_to_commit(repo, id.detach()) {
                                tips.push(c);
                            }
                        }
                        Err(e) => warnings.push(format!("skipped ref {name}: {e}")),
                    }
                }
            }
            Err(e) => warnings.push(format!("cannot list refs: {e}")),
        },
        Err(e) => warnings.push(format!("cannot list refs: {e}")),
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tips.sort();
    tips.dedup();
    tips
}

/// Turns REV-RANGE arguments into tips to walk from and commits to hide.
fn spec_tips(
    repo: &gix::Repository,
    specs: &[String],
) -> Result<(Vec<ObjectId>, Vec<ObjectId>), HistoryError> {
    use gix::revision::plumbing::Spec;
    let mut tips = Vec::new();
    let mut hidden = Vec::new();
    for spec in specs {
        let bad = |reason: String| HistoryError::BadRevision {
            spec: spec.clone(),
            reason,
        };
        let parsed = repo
            .rev_parse(spec.as_str())
            .map_err(|e| bad(e.to_string()))?
            .detach();
        let commit = |id: ObjectId| {
            peel_to_commit(repo, id).ok_or_else(|| bad(format!("{id} is not a commit")))
        };
        let parents = |id: ObjectId| -> Result<Vec<ObjectId>, HistoryError> {
            let c = repo
                .find_commit(commit(id)?)
                .map_err(|e| bad(e.to_string()))?;
            Ok(c.parent_ids().map(|p| p.detach()).collect())
        };
        match parsed {
            Spec::Include(id) => tips.push(commit(id)?),
            Spec::Exclude(id) => hidden.push(commit(id)?),
            Spec::Range { from, to } => {
                tips.push(commit(to)?);
                hidden.push(commit(from)?);
            }
            Spec::Merge { theirs, ours } => {
                let (a, b) = (commit(theirs)?, commit(ours)?);
                tips.extend([a, b]);
                if let Ok(Some(base)) = repo.merge_base(a, b) {
                    hidden.push(base.detach());
                }
            }
            Spec::IncludeOnlyParents(id) => tips.extend(parents(id)?),
            Spec::ExcludeParents(id) => {
                tips.push(commit(id)?);
                hidden.extend(parents(id)?);
            }
        }
    }
    Ok((tips, hidden))
}

/// Lists the commits to scan, oldest first.
pub fn plan(
    repo: &gix::Repository,
    specs: &[String],
    since: Option<i64>,
) -> Result<Plan, HistoryError> {
    let mut out = Plan {
        shallow: repo.is_shallow().unwrap_or(false),
        ..Plan::default()
    };
    let (tips, hidden) = if specs.is_empty() {
        (all_ref_tips(repo, &mut out.warnings), Vec::new())
    } else {
        spec_tips(repo, specs)?
    };
    if tips.is_empty() {
        return Ok(out);
    }
    let sorting = match since {
        Some(seconds) => Sorting::ByCommitTimeCutoff {
            order: CommitTimeOrder::NewestFirst,
            seconds,
        },
        None => Sorting::ByCommitTime(CommitTimeOrder::NewestFirst),
    };
    let walk = repo
        .rev_walk(tips)
        .with_hidden(hidden)
        .sorting(sorting)
        .all()
        .map_err(|e| HistoryError::Read(e.to_string()))?;
    // A shallow clone's boundary commits name parents that are not in the repository.
    let boundary = repo.shallow_commits().ok().flatten();
    let is_boundary = |id: &ObjectId| boundary.as_ref().is_some_and(|b| b.contains(id));
    let mut errors = 0;
    for info in walk {
        match info {
            Ok(info) => out.commits.push(CommitEntry {
                id: info.id,
                parent: if is_boundary(&info.id) {
                    None
                } else {
                    info.parent_ids.first().copied()
                },
            }),
            Err(e) => {
                out.warnings.push(format!("commit walk: {e}"));
                errors += 1;
                // A walk that only fails has nothing more to give.
                if errors > 100 {
                    break;
                }
            }
        }
    }
    out.commits.reverse();
    Ok(out)
}
