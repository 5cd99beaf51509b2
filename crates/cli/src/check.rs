//! `smimetrust check`: the pre-import audit.

use std::io::{self, BufWriter, Write};

use serde::Serialize;
use smimetrust_audit::{self as audit, AuditOptions};
use smimetrust_sig::AlgorithmPolicy;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::args::{CheckArgs, Format};
use crate::error::{CliError, Code, Result};
use crate::render;

/// Parses `--at` (RFC 3339); without it, now.
pub fn parse_time(at: Option<&str>) -> Result<OffsetDateTime> {
    match at {
        // Whole seconds: the time is printed back to the user.
        None => Ok(OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or_else(|_| OffsetDateTime::now_utc())),
        Some(s) => OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
            CliError::new(
                Code::Usage,
                format!("--at {s:?}: not an RFC 3339 time such as 2026-01-31T00:00:00Z ({e})"),
            )
        }),
    }
}

pub fn parse_window(s: &str) -> Result<time::Duration> {
    let d = humantime::parse_duration(s).map_err(|e| {
        CliError::new(
            Code::Usage,
            format!("--expiring-within {s:?}: not a duration such as 30d or 8weeks ({e})"),
        )
    })?;
    time::Duration::try_from(d)
        .map_err(|_| CliError::new(Code::Usage, format!("--expiring-within {s:?}: too long")))
}

#[derive(Serialize)]
struct JsonSummary {
    certificates: usize,
    roots: usize,
    intermediates: usize,
    leaves: usize,
    errors: usize,
    warnings: usize,
    earliest_expiry: Option<String>,
    at: String,
    ok: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<render::JsonFinding<'a>>,
    summary: JsonSummary,
}

pub fn run(args: &CheckArgs) -> Result<u8> {
    let time = parse_time(args.at.as_deref())?;
    let window = parse_window(&args.expiring_within)?;
    let loaded = crate::output::load(&args.inputs)?;
    let policy = if args.strict {
        AlgorithmPolicy::STRICT
    } else {
        AlgorithmPolicy::DEFAULT
    };
    let options = AuditOptions::at(time)
        .expiring_within(window)
        .algorithms(policy)
        .with_verifier(smimetrust_sig::default_verifier());
    let report = audit::audit_loaded(&loaded, &options);
    let s = &report.summary;
    let failed = s.errors > 0 || (args.strict && s.warnings > 0);
    let stamp = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_else(|_| t.to_string());

    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Json => {
            let json = JsonReport {
                findings: render::json_findings(&report.findings),
                summary: JsonSummary {
                    certificates: s.certificates,
                    roots: s.roots,
                    intermediates: s.intermediates,
                    leaves: s.leaves,
                    errors: s.errors,
                    warnings: s.warnings,
                    earliest_expiry: s.earliest_expiry.map(stamp),
                    at: stamp(time),
                    ok: !failed,
                },
            };
            render::json(&mut out, &json)?;
        }
        Format::Human => {
            let mut w = || -> io::Result<()> {
                render::human_findings(&mut out, &report.findings)?;
                writeln!(
                    out,
                    "{} certificate{} ({} root, {} intermediate, {} leaf) at {}: {} error{}, {} warning{}{}",
                    s.certificates,
                    if s.certificates == 1 { "" } else { "s" },
                    s.roots,
                    s.intermediates,
                    s.leaves,
                    stamp(time),
                    s.errors,
                    if s.errors == 1 { "" } else { "s" },
                    s.warnings,
                    if s.warnings == 1 { "" } else { "s" },
                    if failed {
                        " — not ready to upload"
                    } else {
                        " — ready to upload"
                    }
                )
            };
            w().map_err(CliError::stdout)?;
        }
    }
    out.flush().map_err(CliError::stdout)?;
    Ok(u8::from(failed))
}
