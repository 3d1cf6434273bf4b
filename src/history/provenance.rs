//! Where a history finding came from: [`Provenance`] and [`HistoryInfo`] live with the
//! report they are part of ([`crate::outcome`], below the reporters); this module adds what
//! needs gix.

pub use crate::outcome::{HistoryInfo, Provenance};

/// The repository's `origin` URL for reports: user and password removed (a URL may carry a
/// token), scp-style `git@host:path` written as `ssh://host/path`.
pub fn public_url(url: &gix::Url) -> String {
    let mut url = url.clone();
    url.set_user(None);
    url.set_password(None);
    url.serialize_alternative_form = false;
    url.to_bstring().to_string()
}
