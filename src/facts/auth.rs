//! Auth sites: where a document sets an `Authorization` header or an API key, and the value
//! it gives there ([`value`]), for the auth rules (DS301-DS303) to judge.

pub mod value;
