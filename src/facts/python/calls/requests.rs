//! Requests that the Python second pass records from SDK calls: litellm
//! (`completion(model=…)`, `LLMConfig(provider=…)`) and `<client>.<api path>(…)` /
//! langchain `llm.invoke(…)` on a client of the document.

use tree_sitter::Node;

use super::*;

impl<'t> Pass<'_, 't> {
    /// litellm `completion(model=…, api_base=…, api_key=…)`.
    pub(super) fn litellm(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let q = syms.qualified(f);
        let last = q.rsplit('.').next().unwrap_or(&q);
        let api = LITELLM
            .iter()
            .find(|(n, _)| *n == q || (!n.contains('.') && *n == last))?
            .1;
        let (kw, _) = kwargs(syms, call, scope);
        let get = |names: &[&str]| {
            kw.iter()
                .find(|(k, ..)| names.contains(&k.as_str()))
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };
        let model = get(&["model", "model_id"])
            .or_else(|| positional(call, 0).map(|n| syms.value(n, scope)));
        Some(Request {
            receiver: None,
            client: None,
            api: api.to_string(),
            api_span: f.byte_range(),
            model,
            url: get(&["api_base", "base_url"]),
            api_key: get(&["api_key"]),
        })
    }

    /// A litellm-routed model under another option name: `LLMConfig(provider="deepseek/…",
    /// api_token=…, base_url=…)` (crawl4ai and other wrappers that hand `provider` to litellm).
    /// Only a `provider/model` string counts.
    pub(super) fn litellm_provider(&self, call: Node<'t>, scope: usize) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let (kw, _) = kwargs(syms, call, scope);
        let get = |names: &[&str]| {
            kw.iter()
                .find(|(k, ..)| names.contains(&k.as_str()))
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };
        let model = get(&["provider", "llm_provider"])?;
        let (prefix, rest) = model.as_str()?.split_once('/')?;
        let is_provider = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !is_provider || rest.is_empty() || rest.contains(char::is_whitespace) {
            return None;
        }
        Some(Request {
            receiver: None,
            client: None,
            api: "litellm.completion".into(),
            api_span: f.byte_range(),
            model: Some(model),
            url: get(&["api_base", "base_url"]),
            api_key: get(&["api_token", "api_key"]),
        })
    }

    /// `<receiver>.<api path>(...)` and langchain `llm.invoke(...)`.
    pub(super) fn sdk_request(
        &self,
        call: Node<'t>,
        scope: usize,
        facts: &Facts,
    ) -> Option<Request> {
        let syms = self.syms;
        let f = call.child_by_field_name("function")?;
        let mut segs: Vec<(&'t str, Range<usize>)> = Vec::new();
        let mut cur = f;
        loop {
            match cur.kind() {
                "attribute" => {
                    let a = cur.child_by_field_name("attribute")?;
                    segs.push((syms.src(a), a.byte_range()));
                    cur = cur.child_by_field_name("object")?;
                }
                "call" => {
                    let g = cur.child_by_field_name("function")?;
                    let is_with_options = g.kind() == "attribute"
                        && g.child_by_field_name("attribute")
                            .is_some_and(|a| syms.src(a) == "with_options");
                    if !is_with_options {
                        break;
                    }
                    cur = g.child_by_field_name("object")?;
                }
                _ => break,
            }
        }
        if segs.is_empty() {
            return None;
        }
        segs.reverse();
        let base = cur;
        let names: Vec<&str> = segs.iter().map(|(s, _)| *s).collect();
        let is_openai_module =
            |t: &str| t == "openai" || syms.aliases.get(t).map(String::as_str) == Some("openai");
        let base_text = compact(syms.src(base));

        // The API path: the earliest start where a known API key (plus a verb) follows.
        let mut found: Option<(usize, String)> = None;
        if is_openai_module(&base_text) && names.len() == 2 {
            if let Some((_, api)) = LEGACY.iter().find(|(r, _)| *r == names[0]) {
                found = Some((0, format!("{api}.create")));
            }
        }
        if found.is_none() {
            'outer: for i in 0..names.len() {
                for k in &self.keys {
                    if names.len() > i + k.len() && names[i..i + k.len()] == k[..] {
                        found = Some((i, names[i..].join(".")));
                        break 'outer;
                    }
                }
            }
        }
        let receiver_of = |j: usize| -> String {
            let mut j = j;
            while j > 0 && WRAPPERS.contains(&names[j - 1]) {
                j -= 1;
            }
            if j == 0 {
                base_text.clone()
            } else {
                compact(&syms.text[base.start_byte()..segs[j - 1].1.end])
            }
        };
        let bound = |recv: &str| {
            let last = recv.rsplit('.').next().unwrap_or(recv);
            facts.clients.iter().any(|c| {
                c.binding
                    .as_deref()
                    .is_some_and(|b| b == recv || b.rsplit('.').next() == Some(last))
            })
        };
        let model_of = || {
            let (kw, _) = kwargs(syms, call, scope);
            kw.iter()
                .find(|(k, ..)| k == "model")
                .map(|(_, _, v, s)| syms.value(*v, *s))
        };

        if let Some((i, api)) = found {
            let receiver = receiver_of(i);
            let client = if receiver == base_text {
                self.resolve_client(base, scope)
            } else {
                let last = receiver.rsplit('.').next().unwrap_or(&receiver);
                self.fn_clients.get(last).copied()
            };
            let last = receiver
                .rsplit('.')
                .next()
                .unwrap_or(&receiver)
                .to_ascii_lowercase();
            let module_level = is_openai_module(&receiver) && !bound(&receiver);
            let plausible = client.is_some()
                || module_level
                || bound(&receiver)
                || DISTINCTIVE_ROOTS.contains(&names[i])
                || CLIENT_WORDS.iter().any(|w| last.contains(w));
            if !plausible {
                return None;
            }
            let api_span = segs[i].1.start..segs[segs.len() - 1].1.end;
            return Some(Request {
                receiver: (!module_level).then_some(receiver),
                client,
                api,
                api_span,
                model: model_of(),
                url: None,
                api_key: None,
            });
        }
        // langchain: `llm.invoke(...)` on a bound chat model.
        let method = *names.last()?;
        if LANGCHAIN_METHODS.contains(&method) {
            let receiver = receiver_of(names.len() - 1);
            let client = if receiver == base_text {
                self.resolve_client(base, scope)
            } else {
                None
            };
            if client.is_none() && !bound(&receiver) {
                return None;
            }
            let r = &segs[segs.len() - 1].1;
            return Some(Request {
                receiver: Some(receiver),
                client,
                api: method.to_string(),
                api_span: r.clone(),
                model: model_of(),
                url: None,
                api_key: None,
            });
        }
        None
    }
}
