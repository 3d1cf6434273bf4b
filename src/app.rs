//! The `dslint` entry point: [`main`] parses the command line ([`crate::cli`]) and runs the
//! subcommand or the lint: configuration → engines → run → per-file ignores → baseline →
//! reporter → exit code.
//!
//! Each input path is linted with the configuration nearest to it (inputs that share a
//! configuration are linted together); `--config FILE` uses one file for all inputs.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::baseline::Baseline;
use crate::cli::{Cli, ColorChoice, Command};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::engine::Engine;
use crate::outcome::{Report, Stats, SLOWEST_SHOWN};
use crate::pipeline::{self, Options};
use crate::report::{self, ReportCtx};
use crate::rules::{Registry, Rule};
use crate::settings::Settings;
use crate::walk;

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    crate::guard::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // A usage error quotes the offending argument: redact it (no wrapping in clap's
            // error text, so keys are whole).
            let styled = e.render();
            let text = if io::stderr().is_terminal() {
                styled.ansi().to_string()
            } else {
                styled.to_string()
            };
            eprint!("{}", crate::redact::redact_text(&text));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // Error texts can quote user input (a path, a selector): never print a key.
            // Rendered without line wrapping, so that redaction sees every key whole.
            let mut text = String::new();
            let handler = miette::GraphicalReportHandler::new().with_wrap_lines(false);
            if handler.render_report(&mut text, e.as_ref()).is_err() {
                text = format!("error: {e}");
            }
            eprintln!("{}", crate::redact::redact_text(&text));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &miette::Report) -> bool {
    let pipe = |io: &io::Error| io.kind() == io::ErrorKind::BrokenPipe;
    e.downcast_ref::<io::Error>().is_some_and(pipe)
        || e.chain().any(|c| {
            c.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
        })
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn run(cli: Cli) -> miette::Result<u8> {
    let builtin = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    // Custom rules come from the configuration of the current directory (or `--config`).
    let here = || -> miette::Result<&'static Registry> {
        Ok(config_for(cli.config.as_deref(), Path::new("."))?.registry(builtin))
    };
    let stdout = io::stdout();
    match &cli.command {
        Some(Command::Rule { rule }) => {
            let registry = match builtin.find(rule) {
                Some(_) => builtin,
                None => here()?,
            };
            let r = registry.find(rule).ok_or_else(|| {
                miette::miette!(help = "see `dslint --list-rules`", "unknown rule `{rule}`")
            })?;
            let mut out = stdout.lock();
            write_rule_doc(r, &mut out).map_err(miette::Report::from_err)?;
            return Ok(0);
        }
        Some(Command::Config { path, config }) => {
            let mut out = stdout.lock();
            print_config(config.as_deref(), path, &mut out)?;
            return Ok(0);
        }
        Some(Command::TestRules) => {
            let config = config_for(cli.config.as_deref(), Path::new("."))?;
            let mut out = stdout.lock();
            return test_rules(&config, builtin, &mut out).map_err(miette::Report::from_err);
        }
        Some(Command::Server { baseline }) => {
            let opts = crate::server::ServerOptions {
                baseline: baseline.clone(),
            };
            return crate::server::run(&opts);
        }
        Some(Command::History(args)) => {
            let color = args.color;
            return crate::history::run(args, |to_terminal| use_color(color, to_terminal));
        }
        Some(Command::Models { format }) => {
            let settings = Settings::default();
            let mut out = stdout.lock();
            crate::report::models::write(&settings.catalogue, *format, &mut out)
                .map_err(miette::Report::from_err)?;
            return Ok(0);
        }
        Some(Command::Merge {
            format,
            output,
            reports,
        }) => return crate::report::merge::run(*format, output.as_deref(), reports),
        None => {}
    }
    if cli.list_rules {
        let all: Vec<&Rule> = here()?.rules.iter().collect();
        let mut out = stdout.lock();
        for r in &all {
            writeln!(
                out,
                "{}  {:<32} {:<8} {}",
                r.code,
                r.name,
                r.severity.as_str(),
                r.summary
            )
            .map_err(miette::Report::from_err)?;
        }
        return Ok(0);
    }
    let color = cli.color;
    lint(&cli, |to_terminal| use_color(color, to_terminal))
}

/// Prints a rule's documentation (`dslint rule DS201`).
pub fn write_rule_doc(r: &Rule, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# {} {}", r.code, r.name)?;
    writeln!(out)?;
    writeln!(out, "{}", r.summary)?;
    writeln!(out)?;
    writeln!(out, "Default severity: {}", r.severity.as_str())?;
    if let Some(fix) = r.fix {
        writeln!(out, "Fix: {fix}")?;
    }
    writeln!(out)?;
    if !r.docs.trim().is_empty() {
        writeln!(out, "{}", r.docs.trim_end())?;
    }
    Ok(())
}

/// Runs the examples of `config`'s custom rules (`dslint test-rules`); 1 when one fails.
pub fn test_rules(
    config: &Config,
    builtin: &'static Registry,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let registry = config.registry(builtin);
    let custom: Vec<&Rule> = registry
        .rules
        .iter()
        .filter(|r| matches!(r.check, Some(crate::rules::Check::Custom(_))))
        .collect();
    let severities = custom.iter().map(|r| r.severity).collect();
    let engine = Engine::new(custom.clone(), severities, config.settings());
    let (mut passed, mut failed) = (0, 0);
    for rule in &custom {
        for (i, ex) in rule.examples.iter().enumerate() {
            let kind = crate::source::FileKind::from_path(Path::new(&ex.file));
            for (text, want, what) in [(&ex.bad, true, "bad"), (&ex.good, false, "good")] {
                let Some(text) = text else { continue };
                let r = engine.lint_bytes(&ex.file, kind, text.as_bytes());
                let fired = r.findings.iter().any(|f| f.code == rule.code);
                if fired == want {
                    passed += 1;
                } else {
                    failed += 1;
                    let why = if want { "did not fire" } else { "fired" };
                    writeln!(
                        out,
                        "FAIL {} example {} ({what}, {}): {why}",
                        rule.code,
                        i + 1,
                        ex.file
                    )?;
                }
            }
        }
    }
    writeln!(
        out,
        "{passed} passed, {failed} failed ({} custom rules)",
        custom.len()
    )?;
    Ok(u8::from(failed > 0))
}

/// What the CLI flags say beyond the configuration files.
fn config_for(cli_config: Option<&Path>, input: &Path) -> miette::Result<Config> {
    match cli_config {
        Some(file) => {
            Ok(Config::load(file, true)?.unwrap_or_else(|| Config::defaults(PathBuf::from("."))))
        }
        None => Ok(Config::discover(input)?),
    }
}

/// Prints the effective configuration for `path` (`dslint config`).
pub fn print_config(
    cli_config: Option<&Path>,
    path: &Path,
    out: &mut dyn Write,
) -> miette::Result<()> {
    let registry = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    let config = config_for(cli_config, path)?;
    let (rules, severities) = config.rules(config.registry(registry), &[], &[]);
    out.write_all(config.to_toml(&rules, &severities).as_bytes())
        .map_err(miette::Report::from_err)
}

/// One group of inputs sharing a configuration.
struct Group {
    config: Config,
    paths: Vec<PathBuf>,
}

fn group_inputs(cli: &Cli, inputs: &[PathBuf]) -> miette::Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    // pre-commit passes many files from few directories: discover once per directory.
    let mut by_dir: std::collections::HashMap<PathBuf, Config> = Default::default();
    for p in inputs {
        let dir = if p.is_dir() {
            p.clone()
        } else {
            p.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let config = match by_dir.get(&dir) {
            Some(c) => c.clone(),
            None => {
                let c = config_for(cli.config.as_deref(), p)?;
                by_dir.insert(dir, c.clone());
                c
            }
        };
        match groups.iter_mut().find(|g| g.config.source == config.source) {
            Some(g) => g.paths.push(p.clone()),
            None => groups.push(Group {
                config,
                paths: vec![p.clone()],
            }),
        }
    }
    Ok(groups)
}

fn add_stats(into: &mut Stats, s: &Stats) {
    into.files_walked += s.files_walked;
    into.files_scanned += s.files_scanned;
    into.skipped_binary += s.skipped_binary;
    into.skipped_large += s.skipped_large;
    into.skipped_unreadable += s.skipped_unreadable;
    into.files_prefiltered += s.files_prefiltered;
    into.files_parsed += s.files_parsed;
    into.files_minified += s.files_minified;
    into.files_generated += s.files_generated;
    into.bytes += s.bytes;
    into.suppressed += s.suppressed;
    into.baselined += s.baselined;
    into.walk_ms += s.walk_ms;
    into.lint_ms += s.lint_ms;
    into.project_ms += s.project_ms;
    into.total_ms += s.total_ms;
    into.slowest.extend(s.slowest.iter().cloned());
    into.slowest
        .sort_by(|a, b| b.ms.cmp(&a.ms).then_with(|| a.path.cmp(&b.path)));
    into.slowest.truncate(SLOWEST_SHOWN);
}

/// Lints as the CLI says and returns the exit code (0 clean, 1 findings at or above
/// `fail-on`).
pub fn lint(cli: &Cli, use_color: impl Fn(bool) -> bool) -> miette::Result<u8> {
    let registry = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    let stdin = match &cli.stdin_filename {
        Some(name) => {
            let mut buf = Vec::new();
            io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| miette::miette!("cannot read standard input: {e}"))?;
            Some((name.clone(), buf))
        }
        None => None,
    };
    let inputs: Vec<PathBuf> = match &stdin {
        Some((name, _)) => vec![PathBuf::from(name)],
        None => cli.paths.clone(),
    };
    let groups = group_inputs(cli, &inputs)?;
    // Every rule of the run: the built-in ones and each configuration's custom rules.
    let mut all: Vec<&'static Rule> = registry.rules.iter().collect();
    for g in &groups {
        for r in &g.config.registry(registry).rules {
            if !all.iter().any(|a| a.code == r.code) {
                all.push(r);
            }
        }
    }
    all.sort_by_key(|r| r.code);
    for s in cli.select.iter().chain(&cli.ignore) {
        if !all
            .iter()
            .any(|r| crate::rules::select::selector_matches(s, r))
        {
            return Err(miette::miette!(
                "unknown rule `{s}` (see `dslint --list-rules`)"
            ));
        }
    }
    let shard_config = cli.shard.map(|_| {
        let groups = groups.iter().map(|g| (&g.config, g.paths.as_slice()));
        let baseline = cli.baseline.as_ref().and_then(|p| std::fs::read(p).ok());
        let options = format!(
            "fail-on={:?} max-filesize={} no-ignore={} follow-links={} baseline={:?}",
            cli.fail_on,
            cli.max_filesize,
            cli.no_ignore,
            cli.follow_links,
            baseline.map(|b| crate::shard::fnv1a(&b))
        );
        let selection = (cli.select.as_slice(), cli.ignore.as_slice());
        crate::shard::config_hash(registry, selection, groups, &options)
    });
    let baseline = match (&cli.baseline, &cli.write_baseline) {
        (Some(path), None) => Some(Baseline::read(path)?),
        _ => None,
    };
    let mut fixer = (cli.fix || cli.diff).then(|| {
        let mode = crate::fix::FixMode {
            unsafe_fixes: cli.unsafe_fixes,
        };
        crate::fix::FixRun::new(
            mode,
            stdin.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
        )
    });
    let (mut report, mut failing) = lint_groups(
        cli,
        registry,
        &groups,
        baseline.as_ref(),
        &stdin,
        fixer.as_mut(),
    )?;
    if let Some(fixer) = fixer {
        match fixer.finish(cli.diff, cli.quiet)? {
            crate::fix::FixEnd::Exit(code) => return Ok(code),
            crate::fix::FixEnd::Relint(summary) => {
                (report, failing) =
                    lint_groups(cli, registry, &groups, baseline.as_ref(), &stdin, None)?;
                report.fixes = Some(summary);
            }
        }
    }
    report
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    report
        .suppressed
        .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    report.warnings.sort();
    report.warnings.dedup();
    if let Some(path) = &cli.write_baseline {
        Baseline::write_findings(&report.findings, path)?;
        failing = false;
    }
    if let (Some(shard), Some(config)) = (cli.shard, shard_config) {
        report.shard = Some(crate::shard::ShardRun {
            shard,
            config,
            fails: failing,
        });
    }

    for w in &report.warnings {
        eprintln!("warning: {}", crate::redact::redact_text(w));
    }
    if cli.report_unused_ignores {
        for u in &report.unused_suppressions {
            eprintln!("warning: {u}");
        }
    }
    let stdin_text = stdin.as_ref().map(|(name, bytes)| {
        (
            crate::source::display_path(Path::new(name)),
            crate::source::decode(bytes),
        )
    });
    write_report(cli, &all, &report, stdin_text.as_ref(), use_color)?;
    Ok(u8::from(failing))
}

/// Lints every group of inputs with its configuration (per-file ignores and the baseline
/// applied); with `fixer`, also applies the fixes of each group in memory. Returns the merged
/// report and whether a finding reached `fail-on`.
fn lint_groups(
    cli: &Cli,
    registry: &'static Registry,
    groups: &[Group],
    baseline: Option<&Baseline>,
    stdin: &Option<(String, Vec<u8>)>,
    mut fixer: Option<&mut crate::fix::FixRun>,
) -> miette::Result<(Report, bool)> {
    let mut report = Report::default();
    let mut failing = false;
    for group in groups {
        let config = &group.config;
        let registry = config.registry(registry);
        let (rules, severities) = config.rules(registry, &cli.select, &cli.ignore);
        let engine = Engine::new(rules, severities, config.settings());
        let opts = Options {
            paths: group.paths.clone(),
            walk: walk::WalkOptions {
                no_ignore: cli.no_ignore,
                follow_links: cli.follow_links,
                threads: cli.threads.unwrap_or(0),
                exclude: Vec::new(),
                exclude_set: config.exclude_set(),
                tracked: Some(crate::project::git_index::tracked_under),
            },
            threads: cli.threads.unwrap_or(0),
            max_filesize: cli.max_filesize,
            stdin: stdin.clone(),
            shard: cli.shard,
        };
        let mut r = pipeline::run(&engine, &opts)?;
        let pfi = config.per_file_ignores();
        if !pfi.is_empty() {
            let kept = |f: &crate::diagnostic::Finding| match registry.find(f.code) {
                Some(rule) => !pfi.ignores(f, rule),
                None => true,
            };
            r.findings.retain(kept);
            r.suppressed.retain(|s| kept(&s.finding));
        }
        if let Some(b) = &baseline {
            let gone = b.filter_out(&mut r.findings);
            r.stats.baselined = gone.len() as u64;
            r.suppressed
                .extend(gone.into_iter().map(|finding| crate::suppress::Suppressed {
                    finding,
                    by: crate::suppress::SuppressedBy::Baseline,
                }));
        }
        let fail_on = cli.fail_on.map(Severity::from).unwrap_or(config.fail_on);
        if let Some(fixer) = fixer.as_deref_mut() {
            let filter = |v: &mut Vec<crate::diagnostic::Finding>| {
                v.retain(|f| {
                    registry
                        .find(f.code)
                        .is_none_or(|rule| !pfi.ignores(f, rule))
                });
                if let Some(b) = &baseline {
                    b.filter(v);
                }
            };
            fixer.apply(&engine, &r.findings, &filter, fail_on);
        }
        failing |= r.findings.iter().any(|f| f.severity >= fail_on);
        report.findings.extend(r.findings);
        report.warnings.extend(r.warnings);
        report.unused_suppressions.extend(r.unused_suppressions);
        report.suppressed.extend(r.suppressed);
        add_stats(&mut report.stats, &r.stats);
    }
    Ok((report, failing))
}

fn write_report(
    cli: &Cli,
    all: &[&Rule],
    report: &Report,
    stdin: Option<&(String, String)>,
    use_color: impl Fn(bool) -> bool,
) -> miette::Result<()> {
    let stdout = io::stdout();
    let to_terminal = cli.output.is_none() && stdout.is_terminal();
    let ctx = ReportCtx {
        rules: all,
        color: use_color(to_terminal),
        quiet: cli.quiet,
        stats: cli.stats,
        stdin: stdin.map(|(n, t)| (n.as_str(), t.as_str())),
    };
    let reporter = report::reporter(cli.format);
    match &cli.output {
        Some(path) => {
            let mut buf = Vec::new();
            reporter
                .write(report, &ctx, &mut buf)
                .map_err(miette::Report::from_err)?;
            std::fs::write(path, buf)
                .map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
        }
        None => {
            let mut out = io::BufWriter::new(stdout.lock());
            reporter
                .write(report, &ctx, &mut out)
                .and_then(|_| out.flush())
                .map_err(miette::Report::from_err)?;
        }
    }
    Ok(())
}
