//! What `dslint history` adds to a report: the commit of each finding and what the walk
//! covered. The reporters read it from [`Report::history`](crate::Report::history); the
//! working-tree report leaves it `None` and is unchanged.

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostic::Finding;

/// Where a history finding was introduced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The full commit id (40 hex characters for SHA-1).
    pub commit: String,
    /// The commit's author date, ISO 8601 with its offset (`2024-05-01T12:00:00+02:00`).
    pub author_date: String,
}

impl Provenance {
    /// The abbreviated commit id (7 characters), as `git log --oneline` shows it.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }

    /// The author date's day (`2024-05-01`).
    pub fn day(&self) -> &str {
        &self.author_date[..self.author_date.len().min(10)]
    }
}

/// The history facts of a run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct HistoryInfo {
    /// Each finding's provenance, by finding fingerprint (one finding per key and per
    /// dotenv path, so fingerprints are unique in a history report).
    #[serde(skip)]
    pub provenance: HashMap<String, Provenance>,
    /// The REV-RANGE arguments (empty: every ref).
    pub revisions: Vec<String>,
    /// The `--since` argument.
    pub since: Option<String>,
    /// Commits walked.
    pub commits_scanned: u64,
    /// Distinct blobs the commits introduced (each read at most once).
    pub blobs_introduced: u64,
    /// False for a shallow clone: commits before its boundary are not in the repository.
    pub complete: bool,
    /// Submodule paths met and not entered.
    pub submodules_not_entered: Vec<String>,
    /// The commit HEAD points at, when there is one (SARIF `revisionId`).
    #[serde(skip)]
    pub head: Option<String>,
    /// The branch HEAD names, when it names one (SARIF `branch`).
    #[serde(skip)]
    pub branch: Option<String>,
    /// The `origin` remote's URL without credentials, or the repository's `file://` URI
    /// (SARIF `repositoryUri`).
    #[serde(skip)]
    pub repository_uri: Option<String>,
}

impl HistoryInfo {
    /// The provenance of `f`, if it is a history finding.
    pub fn of(&self, f: &Finding) -> Option<&Provenance> {
        self.provenance.get(&f.fingerprint)
    }
}

/// The repository's `origin` URL for reports: user and password removed (a URL may carry a
/// token), scp-style `git@host:path` written as `ssh://host/path`.
pub fn public_url(url: &gix::Url) -> String {
    let mut url = url.clone();
    url.set_user(None);
    url.set_password(None);
    url.serialize_alternative_form = false;
    url.to_bstring().to_string()
}
