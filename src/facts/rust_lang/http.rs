//! HTTP requests in Rust: reqwest `client.post(url)` chains with a `json!` body and
//! `bearer_auth` or an `Authorization` header (the `Bearer ` scheme removed).
use tree_sitter::Node;

use super::syntax::{args_of, first_arg, string_value, unwrap_ref};
use super::Extractor;
use crate::facts::{Request, Value, ValueKind};

impl<'t> Extractor<'t> {
    /// reqwest: `client.post("https://…").bearer_auth(key).json(&json!({ "model": … }))`.
    pub(super) fn on_http(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        if f.kind() != "field_expression" {
            return;
        }
        let Some(field) = f.child_by_field_name("field") else {
            return;
        };
        if self.t(field) != "post" {
            return;
        }
        let Some(url_node) = first_arg(n) else {
            return;
        };
        let url = self.value(url_node);
        // Walk up the rest of the builder chain.
        let mut body = None;
        let mut api_key = None;
        let mut cur = n;
        for _ in 0..64 {
            let Some(p) = self.up(cur) else {
                break;
            };
            if p.kind() != "field_expression" {
                break;
            }
            let Some(call) = self.up(p).filter(|g| g.kind() == "call_expression") else {
                break;
            };
            let name = p
                .child_by_field_name("field")
                .map(|x| self.t(x))
                .unwrap_or("");
            match name {
                "json" | "body" => body = first_arg(call),
                "bearer_auth" => api_key = first_arg(call).map(|a| self.value(a)),
                "header" => {
                    let args = args_of(call);
                    if let [k, v] = args.as_slice() {
                        let kt = self.t(*k).to_ascii_lowercase();
                        if kt.contains("authorization") {
                            api_key = Some(self.auth_value(*v));
                        }
                    }
                }
                _ => {}
            }
            cur = call;
        }
        let model = body.and_then(|b| self.request_model(b, 0));
        let url_known = url.as_str().is_some_and(|s| {
            !matches!(
                self.settings.catalogue.classify_url(s),
                crate::catalogue::UrlTarget::Unknown
            )
        });
        if model.is_none() && !url_known {
            return;
        }
        if let Some(m) = &model {
            self.consumed.push(m.span.clone());
        }
        self.facts.requests.push(Request {
            receiver: None,
            client: None,
            api: "http".to_string(),
            api_span: field.byte_range(),
            model,
            url: Some(url),
            api_key,
        });
    }

    /// The key in an `Authorization` header value: `format!("Bearer {}", key)` gives `key`.
    pub(super) fn auth_value(&self, v: Node<'t>) -> Value {
        let v = unwrap_ref(v);
        if v.kind() == "macro_invocation"
            && v.child_by_field_name("macro")
                .is_some_and(|m| self.t(m) == "format")
        {
            if let Some(tt) = v.named_child(v.named_child_count().saturating_sub(1)) {
                let mut c = tt.walk();
                let kids: Vec<Node<'t>> = tt.named_children(&mut c).collect();
                if let Some(fmt) = kids.first().filter(|k| k.kind() == "string_literal") {
                    let s = string_value(*fmt, self.text);
                    if let Some(inline) = s
                        .strip_prefix("Bearer {")
                        .and_then(|r| r.strip_suffix('}'))
                        .filter(|r| !r.is_empty())
                    {
                        // `format!("Bearer {key}")`.
                        if let Some(d) = self.decl(inline, v.start_byte()) {
                            let mut val = self.value(d);
                            val.use_span = v.byte_range();
                            return val;
                        }
                    } else if s.starts_with("Bearer {") {
                        if let Some(arg) = kids.get(1) {
                            return self.value(*arg);
                        }
                    }
                }
            }
        }
        let mut value = self.value(v);
        if let ValueKind::Str(s) = &value.kind {
            if let Some(rest) = s.strip_prefix("Bearer ") {
                value.kind = ValueKind::Str(rest.to_string());
            }
        }
        value
    }
}
