//! HTTP requests in JavaScript/TypeScript: `fetch(url, init)`, `axios.post(url, data,
//! config)`, `axios({ url, data, headers })` and `api.post(path, …)` on an
//! `axios.create({ baseURL })` instance, with the model of the JSON body and the key of the
//! `Authorization` header (the `Bearer ` scheme removed).
use tree_sitter::Node;

use super::syntax::{first_arg, squash, string_value, unwrap};
use super::Extractor;
use crate::facts::names::MODEL_KEYS;
use crate::facts::{Request, Value, ValueKind};

impl<'t> Extractor<'t> {
    /// `fetch(url, { headers, body: JSON.stringify({ model }) })`, `axios.post(url, data,
    /// { headers })`, `axios({ url, data, headers })`.
    pub(super) fn try_http(&mut self, n: Node<'t>, callee: &str) -> bool {
        let args: Vec<Node<'t>> = match n.child_by_field_name("arguments") {
            Some(a) => {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .filter(|x| x.kind() != "comment")
                    .collect()
            }
            None => return false,
        };
        let (url, body, headers) = match callee {
            "fetch" | "globalThis.fetch" | "window.fetch" | "$fetch" | "ofetch" => {
                let Some(u) = args.first() else {
                    return false;
                };
                let init = args.get(1).and_then(|i| self.object(*i, 0));
                let body = init
                    .and_then(|o| self.find(o, &["body"], 0))
                    .map(|f| f.value);
                let headers = init
                    .and_then(|o| self.find(o, &["headers"], 0))
                    .map(|f| f.value);
                (Some(*u), body, headers)
            }
            "axios.post" | "axios.put" | "axios.patch" => {
                let Some(u) = args.first() else {
                    return false;
                };
                let cfg = args.get(2).and_then(|c| self.object(*c, 0));
                let headers = cfg
                    .and_then(|o| self.find(o, &["headers"], 0))
                    .map(|f| f.value);
                (Some(*u), args.get(1).copied(), headers)
            }
            "axios" | "axios.request" => {
                let Some(cfg) = args.first().and_then(|c| self.object(*c, 0)) else {
                    return false;
                };
                let get = |k: &str| self.find(cfg, &[k], 0).map(|f| f.value);
                (get("url"), get("data"), get("headers"))
            }
            _ => return self.try_axios_instance(n, callee, &args),
        };
        let url_value = url.map(|u| self.value(u));
        self.push_http(n, url_value, body, headers)
    }

    /// `api.post(path, data, config)` on `const api = axios.create({ baseURL, headers })`.
    pub(super) fn try_axios_instance(
        &mut self,
        n: Node<'t>,
        callee: &str,
        args: &[Node<'t>],
    ) -> bool {
        let Some((recv, method)) = callee.rsplit_once('.') else {
            return false;
        };
        if !matches!(method, "post" | "put" | "patch") || recv.contains(['.', '(']) {
            return false;
        }
        let Some(inst) = self.decl(recv, n.start_byte()).map(unwrap) else {
            return false;
        };
        let is_create = inst.kind() == "call_expression"
            && inst
                .child_by_field_name("function")
                .is_some_and(|f| squash(self.t(f)) == "axios.create");
        if !is_create {
            return false;
        }
        let cfg = first_arg(inst).and_then(|c| self.object(c, 0));
        let base = cfg
            .and_then(|o| self.find(o, &["baseURL"], 0))
            .map(|f| self.value(f.value));
        let path = args.first().map(|p| self.value(*p));
        let url = match (base, path) {
            (Some(b), Some(p)) => match (&b.kind, &p.kind) {
                (ValueKind::Str(bs), ValueKind::Str(ps)) if !ps.contains("://") => Some(Value {
                    kind: ValueKind::Str(format!("{}{}", bs.trim_end_matches('/'), ps)),
                    span: b.span.clone(),
                    use_span: p.use_span.clone(),
                }),
                (_, ValueKind::Str(ps)) if ps.contains("://") => Some(p),
                _ => Some(b),
            },
            (b, p) => b.or(p),
        };
        let call_cfg = args.get(2).and_then(|c| self.object(*c, 0));
        let headers = call_cfg
            .and_then(|o| self.find(o, &["headers"], 0))
            .or_else(|| cfg.and_then(|o| self.find(o, &["headers"], 0)))
            .map(|f| f.value);
        self.push_http(n, url, args.get(1).copied(), headers)
    }

    /// Records an HTTP request when it says enough (a model, a key or a known host).
    pub(super) fn push_http(
        &mut self,
        n: Node<'t>,
        url_value: Option<Value>,
        body: Option<Node<'t>>,
        headers: Option<Node<'t>>,
    ) -> bool {
        let model = body.and_then(|b| self.body_object(b)).and_then(|o| {
            MODEL_KEYS
                .iter()
                .find_map(|k| self.find(o, &[k], 0))
                .map(|f| self.value(f.value))
        });
        let api_key = headers.and_then(|h| self.auth_header(h));
        let url_known = url_value.as_ref().is_some_and(|v| {
            v.as_str().is_some_and(|s| {
                !matches!(
                    self.settings.catalogue.classify_url(s),
                    crate::catalogue::UrlTarget::Unknown
                )
            })
        });
        if model.is_none() && api_key.is_none() && !url_known {
            return false;
        }
        let span = n
            .child_by_field_name("function")
            .map(|x| x.byte_range())
            .unwrap_or_else(|| n.byte_range());
        self.push_request(Request {
            receiver: None,
            client: None,
            api: "http".to_string(),
            api_span: span,
            model,
            url: url_value,
            api_key,
        });
        true
    }

    /// The object literal of a request body: `JSON.stringify(obj)` or an object.
    pub(super) fn body_object(&self, b: Node<'t>) -> Option<Node<'t>> {
        let mut b = unwrap(b);
        if b.kind() == "identifier" {
            let v = self.decl(self.t(b), b.start_byte())?;
            b = unwrap(v);
        }
        if b.kind() == "call_expression" {
            let f = b.child_by_field_name("function")?;
            if squash(self.t(f)) != "JSON.stringify" {
                return None;
            }
            return self.object(first_arg(b)?, 0);
        }
        self.object(b, 0)
    }

    /// The key in an `Authorization` header, the `Bearer ` scheme removed.
    pub(super) fn auth_header(&self, h: Node<'t>) -> Option<Value> {
        let mut h = unwrap(h);
        if h.kind() == "new_expression" {
            // `new Headers({ ... })`
            h = first_arg(h)?;
        }
        let o = self.object(h, 0)?;
        let f = ["Authorization", "authorization"]
            .iter()
            .find_map(|k| self.find(o, &[k], 0))?;
        let v = unwrap(f.value);
        // `Bearer ${key}` or "Bearer " + key: the key expression itself.
        match v.kind() {
            "template_string" => {
                let mut c = v.walk();
                let parts: Vec<Node<'t>> = v.named_children(&mut c).collect();
                if let [frag, sub] = parts.as_slice() {
                    if frag.kind() == "string_fragment"
                        && self.t(*frag).trim().eq_ignore_ascii_case("bearer")
                        && sub.kind() == "template_substitution"
                    {
                        return sub.named_child(0).map(|e| self.value(e));
                    }
                }
            }
            "binary_expression" => {
                let l = v.child_by_field_name("left")?;
                let r = v.child_by_field_name("right")?;
                if l.kind() == "string" && string_value(l, self.text).trim() == "Bearer" {
                    return Some(self.value(r));
                }
            }
            _ => {}
        }
        let mut value = self.value(v);
        if let ValueKind::Str(s) = &value.kind {
            if let Some(rest) = s.strip_prefix("Bearer ") {
                value.kind = ValueKind::Str(rest.to_string());
            }
        }
        Some(value)
    }
}
