//! `dslint server`: a language server over stdio (LSP, with the `lsp-server` and `lsp-types`
//! crates). It owns the protocol loop: initialize, then documents ([`documents`]) linted from
//! the editor's text ([`lint`]), diagnostics ([`convert`]), code actions ([`actions`]) and
//! hover, debounced re-lints after changes, project-scope rules on save, and a configuration
//! reload when a configuration file or the baseline changes.
//!
//! Nothing the server sends or logs holds a key in full: diagnostics carry the engine's
//! redacted messages, and logs never quote a document.

pub mod actions;
pub mod convert;
pub mod documents;
pub mod lint;
pub mod transport;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Hover, HoverContents,
    HoverProviderCapability, InitializeResult, MarkupContent, MarkupKind, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::Value;

use documents::{Doc, Store};
use lint::{Linter, CONFIG_FILES};

/// How long after the last change a document is re-linted.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Options of `dslint server`.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// A baseline file whose findings are hidden (as `--baseline`).
    pub baseline: Option<PathBuf>,
}

/// Runs the server on stdin/stdout until `exit`; returns the process exit code (0 after a
/// `shutdown` request, 1 otherwise, as LSP asks).
pub fn run(opts: &ServerOptions) -> miette::Result<u8> {
    let io = transport::stdio();
    let code = match Server::start(&io.connection, opts) {
        Some(mut server) => server.serve(),
        None => 1,
    };
    io.finish();
    Ok(code)
}

struct Server<'c> {
    conn: &'c Connection,
    linter: Linter,
    store: Store,
    root: PathBuf,
    shutdown: bool,
    watch_registration: bool,
}

impl<'c> Server<'c> {
    /// Waits for `initialize`, answers it and builds the server; `None` when the client
    /// left first.
    fn start(conn: &'c Connection, opts: &ServerOptions) -> Option<Server<'c>> {
        let (id, params) = loop {
            match conn.receiver.recv().ok()? {
                Message::Request(r) if r.method == req::Initialize::METHOD => {
                    break (r.id, r.params)
                }
                Message::Request(r) => reply_err(
                    conn,
                    r.id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized",
                ),
                Message::Notification(n) if n.method == note::Exit::METHOD => return None,
                _ => {}
            }
        };
        let root = workspace_root(&params).unwrap_or_else(|| PathBuf::from("."));
        // Findings are reported relative to the working directory, as on the command line.
        if let Err(e) = std::env::set_current_dir(&root) {
            log(
                conn,
                MessageType::WARNING,
                format!("dslint: cannot enter the workspace: {e}"),
            );
        }
        let root = std::env::current_dir().unwrap_or(root);
        let baseline = opts
            .baseline
            .clone()
            .or_else(|| {
                params
                    .pointer("/initializationOptions/baseline")?
                    .as_str()
                    .map(PathBuf::from)
            })
            .map(|b| root.join(b));
        let linter = match Linter::new(baseline.clone()) {
            Ok(l) => l,
            Err(e) => {
                log(
                    conn,
                    MessageType::ERROR,
                    format!("dslint: {e}; linting without the baseline"),
                );
                Linter::new(None).ok()?
            }
        };
        let watch_registration = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let result = InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo {
                name: "dslint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        reply_ok(conn, id, result);
        Some(Server {
            conn,
            linter,
            store: Store::default(),
            root,
            shutdown: false,
            watch_registration,
        })
    }

    /// The protocol loop.
    fn serve(&mut self) -> u8 {
        loop {
            let msg = match self.store.next_due() {
                Some(due) => {
                    let wait = due.saturating_duration_since(Instant::now());
                    match self.conn.receiver.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(e) if e.is_timeout() => None,
                        Err(_) => return 1,
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return 1,
                },
            };
            match msg {
                None => {
                    for uri in self.store.due(Instant::now()) {
                        self.lint_doc(&uri);
                    }
                }
                Some(Message::Request(r)) => self.request(r),
                Some(Message::Notification(n)) if n.method == note::Exit::METHOD => {
                    return u8::from(!self.shutdown);
                }
                Some(Message::Notification(n)) => self.notification(n),
                Some(Message::Response(_)) => {}
            }
        }
    }

    fn request(&mut self, r: Request) {
        if self.shutdown {
            return reply_err(
                self.conn,
                r.id,
                ErrorCode::InvalidRequest,
                "the server is shutting down",
            );
        }
        match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                reply_ok(self.conn, r.id, ());
            }
            req::CodeActionRequest::METHOD => {
                match serde_json::from_value::<lsp_types::CodeActionParams>(r.params) {
                    Ok(p) => {
                        let actions = self.code_actions(&p);
                        reply_ok(self.conn, r.id, actions);
                    }
                    Err(e) => reply_err(self.conn, r.id, ErrorCode::InvalidParams, &e.to_string()),
                }
            }
            req::HoverRequest::METHOD => {
                match serde_json::from_value::<lsp_types::HoverParams>(r.params) {
                    Ok(p) => {
                        let hover = self.hover(&p);
                        reply_ok(self.conn, r.id, hover);
                    }
                    Err(e) => reply_err(self.conn, r.id, ErrorCode::InvalidParams, &e.to_string()),
                }
            }
            _ => reply_err(
                self.conn,
                r.id,
                ErrorCode::MethodNotFound,
                "unsupported request",
            ),
        }
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let bad = |conn: &Connection, e: serde_json::Error| {
            log(
                conn,
                MessageType::WARNING,
                format!("dslint: ignored `{method}`: {e}"),
            );
        };
        match n.method.as_str() {
            note::Initialized::METHOD => {
                self.register_watchers();
                self.lint_project();
            }
            note::DidOpenTextDocument::METHOD => {
                match serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params) {
                    Ok(p) => self.open(
                        p.text_document.uri,
                        p.text_document.text,
                        p.text_document.version,
                    ),
                    Err(e) => bad(self.conn, e),
                }
            }
            note::DidChangeTextDocument::METHOD => {
                match serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params) {
                    Ok(p) => {
                        if let Some(doc) = self.store.docs.get_mut(p.text_document.uri.as_str()) {
                            doc.apply(p.content_changes);
                            doc.version = p.text_document.version;
                            doc.due = Some(Instant::now() + DEBOUNCE);
                        }
                    }
                    Err(e) => bad(self.conn, e),
                }
            }
            note::DidSaveTextDocument::METHOD => {
                match serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(n.params) {
                    Ok(p) => {
                        let path = convert::uri_to_path(&p.text_document.uri);
                        if path.as_deref().is_some_and(|p| self.is_config(p)) {
                            self.reload();
                        } else {
                            self.lint_project();
                        }
                    }
                    Err(e) => bad(self.conn, e),
                }
            }
            note::DidCloseTextDocument::METHOD => {
                match serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params) {
                    Ok(p) => {
                        let key = p.text_document.uri.as_str().to_string();
                        self.store.docs.remove(&key);
                        self.publish_uri(&p.text_document.uri);
                    }
                    Err(e) => bad(self.conn, e),
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                match serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(n.params) {
                    Ok(p) => {
                        let config_changed = p.changes.iter().any(|c| {
                            convert::uri_to_path(&c.uri).is_some_and(|p| self.is_config(&p))
                        });
                        if config_changed {
                            self.reload();
                        }
                    }
                    Err(e) => bad(self.conn, e),
                }
            }
            transport::MALFORMED => log(
                self.conn,
                MessageType::WARNING,
                "dslint: skipped a message that is not valid JSON-RPC".into(),
            ),
            _ => {}
        }
    }

    /// True for a configuration file or the baseline.
    fn is_config(&self, path: &Path) -> bool {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| CONFIG_FILES.contains(&n))
            || self.linter.is_baseline(path)
    }

    /// Re-reads configuration and baseline, then re-lints everything.
    fn reload(&mut self) {
        if let Err(e) = self.linter.reload() {
            log(self.conn, MessageType::ERROR, format!("dslint: {e}"));
        }
        let mut uris: Vec<String> = self.store.docs.keys().cloned().collect();
        uris.sort();
        for uri in uris {
            self.lint_doc(&uri);
        }
        self.lint_project();
    }

    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let Some(path) = convert::uri_to_path(&uri) else {
            return; // not a file on disk (untitled, git:…): nothing to lint against
        };
        let key = uri.as_str().to_string();
        self.store.docs.insert(
            key.clone(),
            Doc {
                uri,
                path,
                text,
                version,
                due: None,
                findings: Vec::new(),
            },
        );
        self.lint_doc(&key);
    }

    /// Lints an open document now and publishes its diagnostics.
    fn lint_doc(&mut self, key: &str) {
        let Some(doc) = self.store.docs.get_mut(key) else {
            return;
        };
        doc.due = None;
        match self.linter.lint_buffer(&doc.path, &doc.text) {
            Ok(findings) => doc.findings = findings,
            Err(e) => {
                doc.findings.clear();
                log(self.conn, MessageType::ERROR, format!("dslint: {e}"));
            }
        }
        let uri = doc.uri.clone();
        self.publish_uri(&uri);
    }

    /// Runs the project-scope rules on the workspace and publishes what changed.
    fn lint_project(&mut self) {
        let findings = match self.linter.lint_project(&self.root) {
            Ok(f) => f,
            Err(e) => {
                log(self.conn, MessageType::ERROR, format!("dslint: {e}"));
                return;
            }
        };
        let old: Vec<Uri> = self
            .store
            .project
            .values()
            .map(|(u, _)| u.clone())
            .collect();
        self.store.project.clear();
        for f in findings {
            let Some(uri) = convert::path_to_uri(&self.root.join(&f.path)) else {
                continue;
            };
            self.store
                .project
                .entry(uri.as_str().to_string())
                .or_insert_with(|| (uri, Vec::new()))
                .1
                .push(f);
        }
        let mut uris: Vec<Uri> = self
            .store
            .project
            .values()
            .map(|(u, _)| u.clone())
            .collect();
        uris.extend(old);
        uris.sort();
        uris.dedup_by(|a, b| a.as_str() == b.as_str());
        for uri in uris {
            self.publish_uri(&uri);
        }
    }

    /// The findings shown for `key`: the open document's and the project's.
    fn findings_of(&self, key: &str) -> Vec<&crate::diagnostic::Finding> {
        let mut all: Vec<&crate::diagnostic::Finding> = Vec::new();
        if let Some(doc) = self.store.docs.get(key) {
            all.extend(doc.findings.iter());
        }
        if let Some((_, p)) = self.store.project.get(key) {
            all.extend(p.iter());
        }
        all
    }

    fn publish_uri(&self, uri: &Uri) {
        let key = uri.as_str();
        let registry = self.linter.registry();
        let diagnostics = self
            .findings_of(key)
            .into_iter()
            .map(|f| convert::diagnostic(f, registry))
            .collect();
        let version = self.store.docs.get(key).map(|d| d.version);
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        notify(self.conn, note::PublishDiagnostics::METHOD, params);
    }

    fn code_actions(
        &mut self,
        p: &lsp_types::CodeActionParams,
    ) -> Vec<lsp_types::CodeActionOrCommand> {
        let key = p.text_document.uri.as_str().to_string();
        // Actions must match the text the editor has now.
        if self.store.docs.get(&key).is_some_and(|d| d.due.is_some()) {
            self.lint_doc(&key);
        }
        let Some(doc) = self.store.docs.get(&key) else {
            return Vec::new();
        };
        let registry = self.linter.registry();
        let findings: Vec<(&crate::diagnostic::Finding, lsp_types::Diagnostic)> = doc
            .findings
            .iter()
            .map(|f| (f, convert::diagnostic(f, registry)))
            .collect();
        actions::code_actions(&doc.uri, &doc.path, &doc.text, &findings, p.range)
    }

    fn hover(&self, p: &lsp_types::HoverParams) -> Option<Hover> {
        let key = p.text_document_position_params.text_document.uri.as_str();
        let at = p.text_document_position_params.position;
        let registry = self.linter.registry();
        let lines: Vec<String> = self
            .findings_of(key)
            .into_iter()
            .filter(|f| {
                let r = convert::range(f);
                r.start <= at && at <= r.end
            })
            .filter_map(|f| registry.find(f.code))
            .map(|r| {
                format!(
                    "**{}** `{}`: {}\n\n[Rule documentation]({})",
                    r.code,
                    r.name,
                    r.summary,
                    r.docs_url()
                )
            })
            .collect();
        (!lines.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: lines.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    /// Asks the client to report changes of the configuration files (when it can).
    fn register_watchers(&self) {
        if !self.watch_registration {
            return;
        }
        let watchers = CONFIG_FILES
            .iter()
            .map(|name| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "dslint-config-watch".into(),
                method: note::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        let request = Request::new(
            RequestId::from("dslint-register-watchers".to_string()),
            req::RegisterCapability::METHOD.into(),
            params,
        );
        let _ = self.conn.sender.send(Message::Request(request));
    }
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::UNSAFE_KIND),
            ]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The workspace root from `initialize`: the first workspace folder, else the root URI.
fn workspace_root(params: &Value) -> Option<PathBuf> {
    let uri = params
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| params.get("rootUri"))
        .and_then(Value::as_str)?;
    convert::uri_to_path(&uri.parse().ok()?)
}

fn reply_ok(conn: &Connection, id: RequestId, result: impl serde::Serialize) {
    let _ = conn
        .sender
        .send(Message::Response(Response::new_ok(id, result)));
}

fn reply_err(conn: &Connection, id: RequestId, code: ErrorCode, message: &str) {
    let resp = Response::new_err(id, code as i32, message.to_string());
    let _ = conn.sender.send(Message::Response(resp));
}

fn notify(conn: &Connection, method: &str, params: impl serde::Serialize) {
    let _ = conn.sender.send(Message::Notification(Notification::new(
        method.into(),
        params,
    )));
}

/// A `window/logMessage` (redacted: it may quote an error that quotes a file).
fn log(conn: &Connection, typ: MessageType, message: String) {
    let message = crate::redact::redact_text(&message).into_owned();
    notify(
        conn,
        note::LogMessage::METHOD,
        lsp_types::LogMessageParams { typ, message },
    );
}
