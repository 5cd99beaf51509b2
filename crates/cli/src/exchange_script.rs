//! `smimetrust exchange script`: the upload script, and the report on what it will do.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use smimetrust_exchange::{CertificateLine, Current, Refusal, Request};

use crate::args::{Format, ScriptArgs};
use crate::error::{CliError, Result};
use crate::exchange::{Summary, options, store_of};
use crate::output::{check_not_input, is_dash, write_atomic};
use crate::render::{self, hex};

/// Reads a saved current value (raw, base64 or decimal per line).
fn read_current(path: &Path) -> Result<Current> {
    let bytes = crate::output::read(path)?;
    smimetrust_exchange::parse_current(&bytes)
        .map_err(|e| CliError::new(e.code(), format!("{}: {e}", path.display())))
}

#[derive(Serialize)]
struct JsonLine<'a> {
    sha1: &'a str,
    subject: Option<&'a str>,
    friendly_name: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    added: Vec<JsonLine<'a>>,
    kept: Vec<JsonLine<'a>>,
    removed: Vec<JsonLine<'a>>,
}

#[derive(Serialize)]
struct ScriptSummary<'a> {
    mode: &'static str,
    #[serde(flatten)]
    preflight: Summary,
    sha256: String,
    current_sha256: Option<String>,
    current_encoding: Option<&'static str>,
    written: bool,
    output: &'a str,
}

#[derive(Serialize)]
struct JsonScriptReport<'a> {
    findings: Vec<render::JsonFinding<'a>>,
    diff: Option<JsonDiff<'a>>,
    summary: ScriptSummary<'a>,
}

fn json_lines(lines: &[CertificateLine]) -> Vec<JsonLine<'_>> {
    lines
        .iter()
        .map(|l| JsonLine {
            sha1: &l.sha1,
            subject: l.subject.as_deref(),
            friendly_name: l.friendly_name.as_deref(),
        })
        .collect()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub fn script(args: &ScriptArgs) -> Result<u8> {
    let options = options(&args.check)?;
    let out_path = &args.out.output;
    let mut inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.merge_with.as_deref());
    check_not_input(out_path, &inputs)?;
    let remove = args
        .remove
        .iter()
        .map(|s| render::parse_sha1(s))
        .collect::<Result<Vec<_>>>()?;
    let (store, bytes) = store_of(&args.inputs)?;
    let current = args.merge_with.as_deref().map(read_current).transpose()?;

    let mut request = Request::new(store, bytes, options);
    request.current = current.as_ref();
    request.remove = &remove;
    request.allow_warnings = args.allow_warnings;
    let prepared = smimetrust_exchange::prepare(request)
        .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    if let Some(text) = &prepared.script {
        write_atomic(out_path, text.as_bytes(), args.out.force)?;
    }

    // The report goes to standard output, unless the script itself does.
    let sink: Box<dyn Write> = if is_dash(out_path) {
        Box::new(io::stderr().lock())
    } else {
        Box::new(io::stdout().lock())
    };
    let mut out = BufWriter::new(sink);
    let report = &prepared.report;
    match args.format {
        Format::Json => render::json(
            &mut out,
            &JsonScriptReport {
                findings: render::json_findings(&report.findings),
                diff: prepared.diff.as_ref().map(|d| JsonDiff {
                    added: json_lines(&d.added),
                    kept: json_lines(&d.kept),
                    removed: json_lines(&d.removed),
                }),
                summary: ScriptSummary {
                    mode: if current.is_some() {
                        "merge"
                    } else {
                        "replace"
                    },
                    preflight: Summary::of(report),
                    sha256: hex(&prepared.sha256),
                    current_sha256: prepared.current_sha256.map(|h| hex(&h)),
                    current_encoding: current.as_ref().map(|c| c.encoding.as_str()),
                    written: prepared.script.is_some(),
                    output: out_path.to_str().unwrap_or("(not UTF-8)"),
                },
            },
        )?,
        Format::Human => {
            let mut w = || -> io::Result<()> {
                render::human_findings(&mut out, &report.findings)?;
                if let (Some(c), Some(d)) = (&current, &prepared.diff) {
                    writeln!(
                        out,
                        "current value: {} ({}, {} bytes, SHA-256 {})",
                        args.merge_with
                            .as_deref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                        c.encoding.as_str(),
                        c.bytes.len(),
                        hex(&c.sha256())
                    )?;
                    for (what, lines) in [
                        ("added", &d.added),
                        ("kept", &d.kept),
                        ("removed", &d.removed),
                    ] {
                        for l in lines {
                            write!(
                                out,
                                "{what:<8} {} {}",
                                l.sha1,
                                render::printable(l.subject.as_deref().unwrap_or("(unparsed)"))
                            )?;
                            if let Some(name) = &l.friendly_name {
                                write!(out, "  \"{}\"", render::printable(name))?;
                            }
                            writeln!(out)?;
                        }
                    }
                }
                write!(
                    out,
                    "{} certificate{}, {} of {} bytes: {} error{}, {} warning{} — ",
                    report.certificates,
                    plural(report.certificates),
                    report.bytes,
                    report.max_bytes,
                    report.errors,
                    plural(report.errors),
                    report.warnings,
                    plural(report.warnings),
                )?;
                match prepared.refusal {
                    Some(Refusal::Errors(_)) => {
                        writeln!(
                            out,
                            "Exchange Online would refuse this upload; no script written"
                        )?;
                        // An expired CA that is already uploaded: say how to leave it out.
                        let kept_expired: Vec<&str> = report
                            .findings
                            .iter()
                            .filter(|f| f.code == "expired")
                            .filter_map(|f| f.sha1.as_deref())
                            .filter(|sha1| {
                                prepared
                                    .diff
                                    .as_ref()
                                    .is_some_and(|d| d.kept.iter().any(|l| l.sha1 == *sha1))
                            })
                            .collect();
                        if !kept_expired.is_empty() {
                            writeln!(
                                out,
                                "the current value holds expired certificates; leave them out of the merge with {}",
                                kept_expired
                                    .iter()
                                    .map(|s| format!("--remove {s}"))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            )?;
                        }
                        Ok(())
                    }
                    Some(_) => writeln!(
                        out,
                        "no script written: fix the warnings, or pass --allow-warnings"
                    ),
                    None => {
                        if is_dash(out_path) {
                            write!(out, "wrote the script to standard output")?;
                        } else {
                            write!(out, "wrote {}", out_path.display())?;
                        }
                        if let Some(d) = &prepared.diff {
                            write!(
                                out,
                                " (merge: {} added, {} kept, {} removed)",
                                d.added.len(),
                                d.kept.len(),
                                d.removed.len()
                            )?;
                        }
                        writeln!(out)?;
                        if prepared.diff.is_none() {
                            writeln!(
                                out,
                                "The script replaces the whole current list (saving it first); to add to it instead, save it with `exchange backup-script` and use --merge-with."
                            )?;
                        }
                        writeln!(
                            out,
                            "Review it, then run it in PowerShell 5.1 or 7, first with -WhatIf: .\\{} -WhatIf",
                            out_path
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default()
                        )
                    }
                }
            };
            w().map_err(CliError::stdout)?;
        }
    }
    out.flush().map_err(CliError::stdout)?;
    Ok(u8::from(prepared.script.is_none()))
}
