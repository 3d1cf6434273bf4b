//! API requests in JavaScript/TypeScript: OpenAI-SDK method paths on a client
//! (`client.chat.completions.create({…})`), LangChain runnables (`llm.invoke(…)`) and Vercel
//! AI SDK provider calls (`deepseek("deepseek-chat")`, `openai.chat(…)`), each with the client
//! it goes through and the model it sends. HTTP requests are in [`super::http`].
use tree_sitter::Node;

use super::syntax::{first_arg, squash, unwrap};
use super::Extractor;
use crate::facts::names::MODEL_KEYS;
use crate::facts::{Request, Value};

/// First segments of OpenAI-SDK API paths that only an SDK client has.
const DISTINCT_ROOTS: &[&str] = &[
    "chat",
    "responses",
    "embeddings",
    "images",
    "audio",
    "moderations",
    "beta",
    "fineTuning",
    "fine_tuning",
    "vectorStores",
    "vector_stores",
    "realtime",
];

/// First segments of API paths that other libraries use too (`db.files.create`): these need
/// a receiver that is (or looks like) an LLM client.
const AMBIGUOUS_ROOTS: &[&str] = &[
    "completions",
    "models",
    "files",
    "batches",
    "uploads",
    "containers",
    "conversations",
    "assistants",
    "threads",
];

/// Last segments of OpenAI-SDK API paths (`chat.completions.create`): a path ending in
/// anything else (`result.images.map`) is not a request.
const API_METHODS: &[&str] = &[
    "create",
    "parse",
    "stream",
    "retrieve",
    "list",
    "del",
    "delete",
    "update",
    "cancel",
    "generate",
    "edit",
    "createVariation",
    "createAndPoll",
    "createAndStream",
    "createAndRun",
    "createAndRunPoll",
    "createAndRunStream",
    "poll",
    "upload",
    "uploadAndPoll",
    "submitToolOutputs",
    "submitToolOutputsAndPoll",
    "submitToolOutputsStream",
    "search",
    "content",
    "retrieveContent",
    "compact",
    "runTools",
    "pause",
    "resume",
    "waitForProcessing",
];

/// LangChain runnable methods that send a request.
const LANGCHAIN_METHODS: &[&str] = &[
    "invoke",
    "stream",
    "batch",
    "call",
    "predict",
    "generate",
    "streamEvents",
    "embedQuery",
    "embedDocuments",
];

impl<'t> Extractor<'t> {
    pub(super) fn on_call(&mut self, n: Node<'t>) {
        let Some(f) = n.child_by_field_name("function") else {
            return;
        };
        self.on_call_env(n);
        let f = unwrap(f);
        // Member chain: base object and property segments.
        let mut segs: Vec<Node<'t>> = Vec::new();
        let mut base = f;
        while base.kind() == "member_expression" {
            let Some(prop) = base.child_by_field_name("property") else {
                break;
            };
            segs.push(prop);
            let Some(obj) = base.child_by_field_name("object") else {
                break;
            };
            base = unwrap(obj);
        }
        segs.reverse();
        let names: Vec<&str> = segs.iter().map(|s| self.t(*s)).collect();
        let callee = squash(self.t(f));

        if self.try_http(n, &callee) {
            return;
        }
        if self.try_provider_call(n, f, &callee, &names) {
            return;
        }
        if segs.is_empty() {
            return;
        }
        // SDK API path: receiver + root + … + method.
        for i in 0..segs.len() {
            if segs.len() - i < 2 {
                break;
            }
            let root = names[i];
            let distinct = DISTINCT_ROOTS.contains(&root);
            let ambiguous = AMBIGUOUS_ROOTS.contains(&root);
            if !distinct && !ambiguous {
                continue;
            }
            let recv_end = if i == 0 {
                base.end_byte()
            } else {
                segs[i - 1].end_byte()
            };
            let recv_text = squash(self.text.get(base.start_byte()..recv_end).unwrap_or(""));
            if recv_text.is_empty() || recv_text == "this" {
                return;
            }
            if !names.last().is_some_and(|m| API_METHODS.contains(m)) {
                return;
            }
            let client = self.client_of_node(base, i, &recv_text);
            if !distinct && client.is_none() && !looks_like_client(&recv_text) {
                return;
            }
            let api = names[i..].join(".");
            let api_span = segs[i].start_byte()..f.end_byte();
            let model = self.request_model(n);
            self.push_request(Request {
                receiver: Some(recv_text),
                client,
                api,
                api_span,
                model,
                url: None,
                api_key: None,
            });
            return;
        }
        // LangChain runnables bound to a LangChain client.
        if let Some(&method) = names.last() {
            if LANGCHAIN_METHODS.contains(&method) {
                let recv_end = if segs.len() >= 2 {
                    segs[segs.len() - 2].end_byte()
                } else {
                    base.end_byte()
                };
                let recv_text = squash(self.text.get(base.start_byte()..recv_end).unwrap_or(""));
                let client = self.client_of_node(base, segs.len() - 1, &recv_text);
                if let Some(ci) = client {
                    if self.facts.clients[ci].sdk.starts_with("langchain") {
                        let embeds = self.ctor[ci].contains("Embeddings");
                        let api = if embeds {
                            format!("embeddings.{method}")
                        } else {
                            method.to_string()
                        };
                        let span = segs.last().map(|s| s.byte_range()).unwrap_or(0..0);
                        self.push_request(Request {
                            receiver: Some(recv_text),
                            client: Some(ci),
                            api,
                            api_span: span,
                            model: None,
                            url: None,
                            api_key: None,
                        });
                    }
                }
            }
        }
    }

    /// The client behind a receiver: a construction used inline, or a bound name.
    pub(super) fn client_of_node(
        &self,
        base: Node<'t>,
        seg_count: usize,
        recv: &str,
    ) -> Option<usize> {
        if seg_count == 0 && base.kind() == "new_expression" {
            let r = base.byte_range();
            if let Some(i) = self.facts.clients.iter().position(|c| c.span == r) {
                return Some(i);
            }
        }
        self.client_by_receiver(recv)
    }

    pub(super) fn push_request(&mut self, req: Request) {
        if let Some(m) = &req.model {
            self.consumed.push(m.span.clone());
        }
        self.facts.requests.push(req);
    }

    /// The `model` option of a call's first (object) argument.
    pub(super) fn request_model(&self, call: Node<'t>) -> Option<Value> {
        let a = first_arg(call)?;
        let o = self.object(a, 0)?;
        MODEL_KEYS
            .iter()
            .find_map(|k| self.find(o, &[k], 0))
            .map(|f| self.value(f.value))
    }

    /// Vercel AI SDK: `provider("id")`, `provider.chat("id")`, `provider.embedding("id")`…
    pub(super) fn try_provider_call(
        &mut self,
        n: Node<'t>,
        f: Node<'t>,
        callee: &str,
        names: &[&str],
    ) -> bool {
        let (recv, method) = match names.len() {
            0 if f.kind() == "identifier" => (callee.to_string(), None),
            1 => {
                let (r, _) = callee.rsplit_once('.').unwrap_or((callee, ""));
                (r.to_string(), Some(names[0]))
            }
            _ => return false,
        };
        let Some(ci) = self
            .facts
            .clients
            .iter()
            .rposition(|c| c.binding.as_deref() == Some(recv.as_str()))
        else {
            return false;
        };
        let sdk = self.facts.clients[ci].sdk.as_str();
        if !sdk.starts_with("vercel-ai") {
            return false;
        }
        let compatible = self.ctor[ci] == "createOpenAICompatible";
        let native = self.facts.clients[ci].family == crate::facts::Family::DeepSeekNative;
        let api = match method {
            None | Some("languageModel") if compatible || native => "chat.completions",
            None | Some("responses") | Some("languageModel") => "ai-sdk.responses",
            Some("chat") | Some("chatModel") => "chat.completions",
            Some("completion") | Some("completionModel") => "completions",
            Some("embedding")
            | Some("textEmbedding")
            | Some("textEmbeddingModel")
            | Some("embeddingModel") => "ai-sdk.embedding",
            Some("image") | Some("imageModel") => "ai-sdk.image",
            Some("transcription") | Some("transcriptionModel") => "ai-sdk.transcription",
            Some("speech") | Some("speechModel") => "ai-sdk.speech",
            _ => return false,
        };
        let model = first_arg(n).map(|a| self.value(a));
        if let Some(pos) = self.unplaced_instances.iter().position(|&i| i == ci) {
            self.unplaced_instances.remove(pos);
            let c = &mut self.facts.clients[ci];
            c.span = n.byte_range();
            c.callee_span = f.byte_range();
        }
        self.push_request(Request {
            receiver: Some(recv),
            client: Some(ci),
            api: api.to_string(),
            api_span: f.byte_range(),
            model,
            url: None,
            api_key: None,
        });
        true
    }
}

/// True for receivers named like an LLM client (`openai`, `client`, `this.deepseek`, `llm`).
fn looks_like_client(recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv).to_ascii_lowercase();
    last.contains("openai")
        || last.contains("client")
        || last.contains("deepseek")
        || last.contains("llm")
        || last == "ai"
}
