//! The `dslint [PATH…]` command behind the CLI: configuration → engines → run → per-file
//! ignores → baseline → reporter → exit code.
//!
//! Each input path is linted with the configuration nearest to it (inputs that share a
//! configuration are linted together); `--config FILE` uses one file for all inputs.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use crate::baseline::Baseline;
use crate::cli::Cli;
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::engine::Engine;
use crate::report::{self, ReportCtx};
use crate::rules::{Registry, Rule};
use crate::{walk, Options, Report, Stats};

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
    let (rules, severities) = config.rules(registry, &[], &[]);
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
    into.slowest.truncate(crate::SLOWEST_SHOWN);
}

/// Lints as the CLI says and returns the exit code (0 clean, 1 findings at or above
/// `fail-on`).
pub fn lint(cli: &Cli, use_color: impl Fn(bool) -> bool) -> miette::Result<u8> {
    let registry = Registry::builtin().map_err(|e| miette::miette!("{e}"))?;
    crate::cli::validate_selectors(registry, &cli.select).map_err(|e| miette::miette!("{e}"))?;
    crate::cli::validate_selectors(registry, &cli.ignore).map_err(|e| miette::miette!("{e}"))?;
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
    let shard_config = cli.shard.map(|_| {
        let groups = groups.iter().map(|g| (&g.config, g.paths.as_slice()));
        crate::shard::config_hash(cli, registry, groups)
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
    report.warnings.sort();
    report.warnings.dedup();
    if let Some(path) = &cli.write_baseline {
        Baseline::from_findings(&report.findings).write(path)?;
        eprintln!(
            "dslint: wrote {} findings to baseline {}",
            report.findings.len(),
            path.display()
        );
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
            walk::display_path(Path::new(name)),
            crate::source::decode(bytes),
        )
    });
    write_report(cli, registry, &report, stdin_text.as_ref(), use_color)?;
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
            },
            threads: cli.threads.unwrap_or(0),
            max_filesize: cli.max_filesize,
            stdin: stdin.clone(),
            shard: cli.shard,
        };
        let mut r = crate::run(&engine, &opts)?;
        let pfi = config.per_file_ignores();
        if !pfi.is_empty() {
            r.findings.retain(|f| match registry.find(f.code) {
                Some(rule) => !pfi.ignores(f, rule),
                None => true,
            });
        }
        if let Some(b) = &baseline {
            r.stats.baselined = b.filter(&mut r.findings) as u64;
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
        add_stats(&mut report.stats, &r.stats);
    }
    Ok((report, failing))
}

fn write_report(
    cli: &Cli,
    registry: &Registry,
    report: &Report,
    stdin: Option<&(String, String)>,
    use_color: impl Fn(bool) -> bool,
) -> miette::Result<()> {
    let all: Vec<&Rule> = registry.rules.iter().collect();
    let stdout = io::stdout();
    let to_terminal = cli.output.is_none() && stdout.is_terminal();
    let ctx = ReportCtx {
        rules: &all,
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
