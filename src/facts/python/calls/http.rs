//! Plain HTTP requests in Python: `requests`/`httpx` calls with their URL, JSON body and
//! `Authorization` header, including `httpx.Client(base_url=…)` clients bound by assignment or
//! `with … as`.

use tree_sitter::Node;

use super::*;

impl<'t> Pass<'_, 't> {
    /// The `base_url=` of the HTTP client a request method is called on (`httpx.Client` /
    /// `httpx.AsyncClient(base_url=…)`, bound by assignment or `with … as`).
    pub(super) fn http_client_base(&self, f: Node<'t>, scope: usize) -> Option<Value> {
        let syms = self.syms;
        let obj = f.child_by_field_name("object")?;
        let (d, s) = syms.definition(obj, scope);
        if d.kind() != "call" {
            return None;
        }
        let ctor = d.child_by_field_name("function")?;
        let name = compact(syms.src(ctor));
        let last = name.rsplit('.').next().unwrap_or(&name);
        if !matches!(last, "Client" | "AsyncClient") {
            return None;
        }
        let (kw, _) = kwargs(syms, d, s);
        kw.iter()
            .find(|(k, ..)| k == "base_url")
            .map(|(_, _, v, vs)| syms.value(*v, *vs))
    }

    /// `requests.post(url, json={...}, headers=...)` and friends.
    pub(super) fn http(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        if f.kind() != "attribute" {
            return None;
        }
        let method = f.child_by_field_name("attribute").map(|a| syms.src(a))?;
        let (kw, _) = kwargs(syms, call, scope);
        let kwarg = |name: &str| {
            kw.iter()
                .find(|(k, ..)| k == name)
                .map(|(_, _, v, s)| (*v, *s))
        };
        let url_node = match method {
            "post" => kwarg("url").or_else(|| positional(call, 0).map(|n| (n, scope))),
            "request" => {
                let m = positional(call, 0).and_then(|n| syms.literal(n))?;
                if !m.eq_ignore_ascii_case("post") {
                    return None;
                }
                kwarg("url").or_else(|| positional(call, 1).map(|n| (n, scope)))
            }
            _ => return None,
        }?;
        let mut url = syms.value(url_node.0, url_node.1);
        // A path on a client with a base URL: `client.post("/chat/completions", …)`.
        if let (Some(path), Some(base)) = (url.as_str(), self.http_client_base(f, scope)) {
            if !path.starts_with("http://") && !path.starts_with("https://") {
                url.kind = match base.as_str() {
                    Some(b) if path.is_empty() => ValueKind::Str(b.to_string()),
                    Some(b) => ValueKind::Str(format!(
                        "{}/{}",
                        b.trim_end_matches('/'),
                        path.trim_start_matches('/')
                    )),
                    None => base.kind.clone(),
                };
            }
        }
        let payload = kwarg("json")
            .or_else(|| kwarg("data"))
            .or_else(|| kwarg("content"));
        let payload = payload.map(|(n, s)| {
            // `data=json.dumps(payload)`
            if n.kind() == "call" {
                let fname = n
                    .child_by_field_name("function")
                    .map(|x| compact(syms.src(x)))
                    .unwrap_or_default();
                if fname.ends_with("dumps") {
                    if let Some(a) = positional(n, 0) {
                        return (a, s);
                    }
                }
            }
            (n, s)
        });
        let dict = payload.and_then(|(n, s)| syms.dict_of(n, s));
        let model = dict.and_then(|(d, s)| syms.dict_get(d, "model").map(|v| syms.value(v, s)));
        let is_http = url
            .as_str()
            .is_some_and(|u| u.starts_with("http://") || u.starts_with("https://"));
        if !is_http && model.is_none() {
            return None;
        }
        let api_key = kwarg("headers")
            .and_then(|(n, s)| syms.dict_of(n, s))
            .and_then(|(d, s)| {
                syms.dict_items(d)
                    .into_iter()
                    .find(|(k, ..)| k.eq_ignore_ascii_case("authorization"))
                    .map(|(_, _, v)| syms.value(v, s))
            });
        Some(Request {
            receiver: None,
            client: None,
            api: "http".into(),
            api_span: url.use_span.clone(),
            model,
            url: Some(url),
            api_key,
        })
    }
}
