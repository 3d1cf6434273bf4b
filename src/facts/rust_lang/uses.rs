//! Pass 1 for Rust: the crates and names a file brings in (`use a::b::{C, d::E as F}`,
//! `extern crate`, fully qualified paths), and the full path a written name stands for.
use tree_sitter::Node;

use super::syntax::squash;
use super::Extractor;

impl<'t> Extractor<'t> {
    pub(super) fn push_import(&mut self, m: String) {
        if !self.facts.imports.contains(&m) {
            self.facts.imports.push(m);
        }
    }

    /// `use a::b::{C, d::E as F};`: records the crate and each imported name's path.
    pub(super) fn on_use(&mut self, n: Node<'t>) {
        let Some(arg) = n.child_by_field_name("argument") else {
            return;
        };
        // Explicit stack of (node, path prefix).
        let mut stack: Vec<(Node<'t>, String)> = vec![(arg, String::new())];
        let mut guard = 0;
        while let Some((node, prefix)) = stack.pop() {
            guard += 1;
            if guard > 10_000 {
                break;
            }
            let join = |s: &str| {
                if prefix.is_empty() {
                    s.to_string()
                } else {
                    format!("{prefix}::{s}")
                }
            };
            match node.kind() {
                "identifier" | "scoped_identifier" | "crate" | "self" | "super" => {
                    let full = join(&squash(self.t(node)));
                    let last = full.rsplit("::").next().unwrap_or(&full).to_string();
                    self.record_use(last, full);
                }
                "use_as_clause" => {
                    if let (Some(p), Some(a)) = (
                        node.child_by_field_name("path"),
                        node.child_by_field_name("alias"),
                    ) {
                        let full = join(&squash(self.t(p)));
                        self.record_use(self.t(a).to_string(), full);
                    }
                }
                "scoped_use_list" => {
                    let p = node
                        .child_by_field_name("path")
                        .map(|p| join(&squash(self.t(p))))
                        .unwrap_or(prefix.clone());
                    if let Some(list) = node.child_by_field_name("list") {
                        stack.push((list, p));
                    }
                }
                "use_list" => {
                    let mut c = node.walk();
                    for ch in node.named_children(&mut c) {
                        stack.push((ch, prefix.clone()));
                    }
                }
                "use_wildcard" => {
                    let full = join(self.t(node).trim_end_matches("::*"));
                    let head = full.split("::").next().unwrap_or("").to_string();
                    if !head.is_empty() {
                        self.push_import(head);
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn record_use(&mut self, local: String, full: String) {
        let head = full.split("::").next().unwrap_or("").to_string();
        if !head.is_empty() && !matches!(head.as_str(), "crate" | "self" | "super") {
            self.push_import(head);
        }
        self.uses.insert(local, full);
    }

    /// The full path a (possibly scoped) name stands for, through `use`.
    pub(super) fn full_path(&self, written: &str) -> String {
        let (head, rest) = match written.split_once("::") {
            Some((h, r)) => (h, Some(r)),
            None => (written, None),
        };
        match (self.uses.get(head), rest) {
            (Some(full), Some(r)) => format!("{full}::{r}"),
            (Some(full), None) => full.clone(),
            _ => written.to_string(),
        }
    }

    pub(super) fn imports_async_openai(&self) -> bool {
        self.facts
            .imports
            .iter()
            .any(|m| m == "async_openai" || m == "openai_api_rs")
    }
}
