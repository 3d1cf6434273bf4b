//! Pattern anchors: the literals every match of a rule pattern must contain, found from the
//! regex's syntax, so the engine can run a pattern only on the lines that hold one.
//!
//! A case-insensitive pattern such as `(?i)["'`]?authorization` has too many case variants
//! for the regex crate's literal prefilter, so the regex would walk every byte of every
//! candidate file with its automaton. Instead, the engine finds the anchors (ASCII
//! lowercase) in the lowercased text with one Aho-Corasick search, and runs the regex on
//! each line that holds one, with the text before the line as look-behind context. This
//! finds exactly the matches a whole-text search finds when no match can span a line break
//! (the pattern matches no `\n` and does not test for the end of the text), which
//! [`Anchors::new`] checks; other patterns get no line windows, only the cheap test that an
//! anchor occurs at all.

use aho_corasick::{packed, AhoCorasick};
use memchr::memmem;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Most strings a piece of a pattern may match for it to count as a literal set.
const MAX_SET: usize = 16;

/// Shortest anchor worth searching for: shorter ones occur on nearly every line.
const MIN_ANCHOR: usize = 3;

/// Finds any of a set of literals, with SIMD where it can: `memmem` for one literal,
/// aho-corasick's packed (Teddy) searcher for a few, its automaton otherwise.
#[derive(Debug, Clone)]
pub enum Searcher {
    /// One literal.
    One(memmem::Finder<'static>),
    /// A few literals, SIMD.
    Packed(packed::Searcher),
    /// Any number of literals.
    Automaton(AhoCorasick),
}

impl Searcher {
    /// A searcher for `literals` (at least one).
    fn new(literals: &[Vec<u8>]) -> Option<Searcher> {
        if let [one] = literals {
            return Some(Searcher::One(memmem::Finder::new(one).into_owned()));
        }
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(literals)
            .build();
        match packed {
            Some(p) => Some(Searcher::Packed(p)),
            None => AhoCorasick::new(literals).ok().map(Searcher::Automaton),
        }
    }

    /// The span of the first literal found in `hay[at..]`.
    pub fn find_at(&self, hay: &[u8], at: usize) -> Option<std::ops::Range<usize>> {
        let rest = hay.get(at..)?;
        match self {
            Searcher::One(f) => f.find(rest).map(|i| at + i..at + i + f.needle().len()),
            Searcher::Packed(p) => p
                .find_in(hay, aho_corasick::Span::from(at..hay.len()))
                .map(|m| m.range()),
            Searcher::Automaton(a) => a
                .find(aho_corasick::Input::new(hay).range(at..))
                .map(|m| m.range()),
        }
    }

    /// True when a literal occurs in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        self.find_at(hay, 0).is_some()
    }
}

/// The anchors of one pattern.
#[derive(Debug, Clone)]
pub struct Anchors {
    /// Finds any anchor in ASCII-lowercased text.
    pub searcher: Searcher,
    /// True when no match can span a line break: the regex may run line by line.
    pub line_local: bool,
}

impl Anchors {
    /// The anchors of `pattern`, or `None` when some match could contain no literal of at
    /// least [`MIN_ANCHOR`] bytes (the regex then runs on the whole text, as written).
    pub fn new(pattern: &str) -> Option<Anchors> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let set = minimal(required(&hir)?);
        if set
            .iter()
            .any(|s| s.len() < MIN_ANCHOR || s.contains(&b'\n'))
        {
            return None;
        }
        let searcher = Searcher::new(&set)?;
        Some(Anchors {
            searcher,
            line_local: line_local(&hir),
        })
    }
}

/// `set` without the literals that contain another of its literals (which finds them too).
fn minimal(set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.iter()
        .filter(|s| !set.iter().any(|t| t != *s && memmem::find(s, t).is_some()))
        .cloned()
        .collect()
}

/// Every string `hir` can match, ASCII-lowercased, when there are at most [`MAX_SET`] of them
/// (the empty string included); `None` otherwise.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => vec![Vec::new()],
        HirKind::Literal(lit) => vec![lit.0.to_ascii_lowercase()],
        HirKind::Class(class) => class_strings(class)?,
        HirKind::Capture(c) => exact(&c.sub)?,
        HirKind::Repetition(r) => match (r.min, r.max) {
            (1, Some(1)) => exact(&r.sub)?,
            (0, Some(1)) => {
                let mut set = exact(&r.sub)?;
                set.push(Vec::new());
                set
            }
            _ => return None,
        },
        HirKind::Concat(subs) => {
            let mut set = vec![Vec::new()];
            for sub in subs {
                set = product(&set, &exact(sub)?)?;
            }
            set
        }
        HirKind::Alternation(subs) => {
            let mut set = Vec::new();
            for sub in subs {
                set.extend(exact(sub)?);
            }
            dedup(set)?
        }
    };
    dedup(set)
}

/// The strings of a class of ASCII characters, lowercased (`[Aa]` is `a`); `None` for a class
/// with a non-ASCII member or too many distinct members.
fn class_strings(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut set: Vec<Vec<u8>> = Vec::new();
    let mut add = |lo: u32, hi: u32| -> Option<()> {
        if hi > 0x7f || hi - lo > MAX_SET as u32 {
            return None;
        }
        for b in lo..=hi {
            let c = vec![(b as u8).to_ascii_lowercase()];
            if !set.contains(&c) {
                set.push(c);
            }
        }
        (set.len() <= MAX_SET).then_some(())
    };
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                add(r.start() as u32, r.end() as u32)?;
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                add(u32::from(r.start()), u32::from(r.end()))?;
            }
        }
    }
    Some(set)
}

/// Each string of `a` followed by each of `b`, when there are at most [`MAX_SET`].
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET * MAX_SET {
        return None;
    }
    let set = a
        .iter()
        .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
        .collect();
    dedup(set)
}

/// `set` without duplicates, when at most [`MAX_SET`] strings remain.
fn dedup(mut set: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    set.sort();
    set.dedup();
    (set.len() <= MAX_SET).then_some(set)
}

/// Which of two literal sets makes the better anchor: longer shortest member, then fewer.
fn better(a: Option<Vec<Vec<u8>>>, b: Option<Vec<Vec<u8>>>) -> Option<Vec<Vec<u8>>> {
    let score = |s: &Vec<Vec<u8>>| {
        let shortest = s.iter().map(Vec::len).min().unwrap_or(0);
        (shortest, usize::MAX - s.len())
    };
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// A set of non-empty ASCII-lowercased literals one of which every match of `hir` contains
/// (as a substring of the lowercased match), or `None` when no such set was found.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    if let Some(set) = exact(hir) {
        if set.iter().all(|s| !s.is_empty()) {
            return Some(set);
        }
    }
    match hir.kind() {
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Alternation(subs) => {
            let mut set = Vec::new();
            for sub in subs {
                set.extend(required(sub)?);
            }
            set.sort();
            set.dedup();
            (set.len() <= MAX_SET).then_some(set)
        }
        HirKind::Concat(subs) => {
            let mut best = None;
            for sub in subs {
                best = better(best, required(sub));
            }
            // Runs of consecutive pieces with literal sets (`a` `u` `t` `h`… of `(?i)auth`).
            let sets: Vec<Option<Vec<Vec<u8>>>> = subs.iter().map(exact).collect();
            for i in 0..sets.len() {
                let mut run = vec![Vec::new()];
                for set in sets[i..].iter() {
                    let Some(next) = set.as_ref().and_then(|s| product(&run, s)) else {
                        break;
                    };
                    run = next;
                    if run.iter().all(|s| !s.is_empty()) {
                        best = better(best, Some(run.clone()));
                    }
                }
            }
            best
        }
        _ => None,
    }
}

/// True when no match of `hir` can contain a line break or depend on where the text ends:
/// no class or literal holds `\n`, and the only assertions are line starts and ends, the
/// text's start and word boundaries (which see the same thing at a line's end as at the
/// end of a text cut there).
fn line_local(hir: &Hir) -> bool {
    let mut stack = vec![hir];
    while let Some(h) = stack.pop() {
        let ok = match h.kind() {
            HirKind::Empty => true,
            HirKind::Literal(lit) => !lit.0.contains(&b'\n'),
            HirKind::Class(Class::Unicode(c)) => !c
                .ranges()
                .iter()
                .any(|r| r.start() <= '\n' && '\n' <= r.end()),
            HirKind::Class(Class::Bytes(c)) => !c
                .ranges()
                .iter()
                .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
            HirKind::Look(look) => matches!(
                look,
                Look::Start
                    | Look::StartLF
                    | Look::EndLF
                    | Look::WordAscii
                    | Look::WordAsciiNegate
                    | Look::WordUnicode
                    | Look::WordUnicodeNegate
                    | Look::WordStartAscii
                    | Look::WordEndAscii
                    | Look::WordStartUnicode
                    | Look::WordEndUnicode
                    | Look::WordStartHalfAscii
                    | Look::WordEndHalfAscii
                    | Look::WordStartHalfUnicode
                    | Look::WordEndHalfUnicode
            ),
            HirKind::Repetition(r) => {
                stack.push(&r.sub);
                true
            }
            HirKind::Capture(c) => {
                stack.push(&c.sub);
                true
            }
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                stack.extend(subs.iter());
                true
            }
        };
        if !ok {
            return false;
        }
    }
    true
}

/// The byte ranges of the lines of `text` that hold an anchor (`lower` is `text`
/// ASCII-lowercased), in order, each once.
pub fn anchored_lines(anchors: &Anchors, text: &str, lower: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    while let Some(m) = anchors.searcher.find_at(lower, at) {
        let start = memchr::memrchr(b'\n', &lower[..m.start]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &lower[m.end..]).map_or(text.len(), |i| m.end + i);
        lines.push(start..end);
        // The next anchor on a later line.
        at = end + 1;
    }
    lines
}

impl super::Pattern {
    /// Calls `found` with each match of the pattern in `text`, in order: the same matches as
    /// `regex.captures_iter(text)`, found faster where the pattern has anchors. `lower` is
    /// `text` ASCII-lowercased, made on first use and shared by the document's patterns.
    pub fn for_each_match<'t>(
        &self,
        text: &'t str,
        lower: &std::cell::OnceCell<String>,
        mut found: impl FnMut(regex::Captures<'t>),
    ) {
        let Some(anchors) = &self.anchors else {
            self.regex.captures_iter(text).for_each(found);
            return;
        };
        let lower = lower.get_or_init(|| text.to_ascii_lowercase());
        if !anchors.line_local {
            if anchors.searcher.is_match(lower.as_bytes()) {
                self.regex.captures_iter(text).for_each(found);
            }
            return;
        }
        // No match spans a line: search only the lines with an anchor, each up to its end,
        // with the text before it as context (what a whole-text search finds there).
        for line in anchored_lines(anchors, text, lower.as_bytes()) {
            let hay = &text[..line.end];
            let mut at = line.start;
            while at <= hay.len() {
                let Some(caps) = self.regex.captures_at(hay, at) else {
                    break;
                };
                let whole = caps.get(0).map_or(at..at, |m| m.range());
                at = if whole.end > whole.start {
                    whole.end
                } else {
                    // An empty match: the next search starts past it.
                    hay[whole.end..]
                        .chars()
                        .next()
                        .map_or(hay.len() + 1, |c| whole.end + c.len_utf8())
                };
                found(caps);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors_of(re: &str) -> Option<(Vec<String>, bool)> {
        let hir = regex_syntax::Parser::new().parse(re).unwrap();
        let set = minimal(required(&hir)?);
        let a = Anchors::new(re)?;
        Some((
            set.into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect(),
            a.line_local,
        ))
    }

    #[test]
    fn case_insensitive_words_become_lowercase_anchors() {
        assert_eq!(
            anchors_of(r#"(?i)(?P<q>["'`]?)(?P<auth>(?-u:\b)authorization)(?-u:\b)"#),
            Some((vec!["authorization".into()], true))
        );
        // `k` and `s` fold to non-ASCII letters in Unicode mode: the anchor stops before them.
        assert_eq!(
            anchors_of(
                r#"(?i)(?P<q>["'`]?)(?P<apikey>(?:x-)?(?-u:\b)[a-z0-9_]*api[_-]?key|(?-u:\b)[a-z0-9_]*deepseek_key)(?-u:\b)"#
            ),
            Some((vec!["api".into(), "deep".into()], true))
        );
        assert_eq!(
            anchors_of(
                r"(?P<m>(?:open|Path|pathlib\.Path)\(|[A-Za-z_][\w.]*\.read(?:_text|line)?\()"
            ),
            Some((
                vec![
                    ".read(".into(),
                    ".read_text(".into(),
                    ".readline(".into(),
                    "open(".into(),
                    "path(".into()
                ],
                true
            ))
        );
    }

    #[test]
    fn patterns_without_a_long_literal_or_spanning_lines_are_told_apart() {
        // Every match needs no literal of three bytes.
        assert!(anchors_of(r"[a-z]+=\d").is_none());
        assert!(anchors_of(r"ab|xyz").is_none());
        // A class that holds `\n`, `\s`, or the end of the text: not line by line.
        assert_eq!(
            anchors_of(r"bearer\s+x"),
            Some((vec!["bearer".into()], false))
        );
        assert_eq!(anchors_of(r"[^x]sk-"), Some((vec!["sk-".into()], false)));
        assert_eq!(anchors_of(r"token$"), Some((vec!["token".into()], false)));
        assert_eq!(
            anchors_of(r"(?m)token$"),
            Some((vec!["token".into()], true))
        );
    }

    #[test]
    fn anchored_lines_are_whole_lines_once_each() {
        let a = Anchors::new(r"(?i)bearer").unwrap();
        let text = "x\nBearer a bearer\nnone\nBEARER";
        let lower = text.to_ascii_lowercase();
        let lines: Vec<&str> = anchored_lines(&a, text, lower.as_bytes())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(lines, vec!["Bearer a bearer", "BEARER"]);
    }
}
