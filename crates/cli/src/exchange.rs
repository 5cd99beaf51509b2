//! `smimetrust exchange preflight` and `exchange backup-script`; `exchange script` is in
//! `exchange_script.rs`.

use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use serde::Serialize;
use smimetrust_exchange::Options;
use smimetrust_sst::{Form, Store};

use crate::args::{BackupScriptArgs, Format, PreflightArgs, UploadCheckArgs};
use crate::error::{CliError, Result};
use crate::output::{is_dash, write_atomic};
use crate::render;

pub use crate::exchange_script::script;

/// The summary of a preflight report, as JSON.
#[derive(Serialize)]
pub(crate) struct Summary {
    bytes: usize,
    max_bytes: usize,
    certificates: usize,
    errors: usize,
    warnings: usize,
    ready: bool,
}

impl Summary {
    pub(crate) fn of(report: &smimetrust_exchange::Report) -> Summary {
        Summary {
            bytes: report.bytes,
            max_bytes: report.max_bytes,
            certificates: report.certificates,
            errors: report.errors,
            warnings: report.warnings,
            ready: report.ready(),
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    findings: Vec<render::JsonFinding<'a>>,
    summary: Summary,
}

/// The store to upload: one `.sst` as it is, or the inputs built into a store.
pub(crate) fn store_of(inputs: &[PathBuf]) -> Result<(Store, Vec<u8>)> {
    if let [only] = inputs {
        let bytes = crate::output::read(only)?;
        if let Ok(view) = smimetrust_sst::parse(&bytes)
            && view.form() == Form::Store
        {
            return Ok((view.to_owned(), bytes));
        }
    }
    let mut loaded = crate::output::load(inputs)?;
    let (store, _) = smimetrust_store::build_store(&mut loaded.objects, &BTreeMap::new())
        .map_err(CliError::chain)?;
    let bytes = store.to_bytes().map_err(|e| CliError::sst("store", &e))?;
    Ok((store, bytes))
}

pub(crate) fn options(check: &UploadCheckArgs) -> Result<Options> {
    let mut options = Options::at(crate::check::parse_time(check.at.as_deref())?);
    options.max_bytes = check.max_bytes;
    options.expiring_within = crate::check::parse_window(&check.expiring_within)?;
    Ok(options)
}

pub fn preflight(args: &PreflightArgs) -> Result<u8> {
    let options = options(&args.check)?;
    let (store, bytes) = store_of(&args.inputs)?;
    let report = smimetrust_exchange::preflight(&store, &bytes, &options);
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Json => render::json(
            &mut out,
            &JsonReport {
                findings: render::json_findings(&report.findings),
                summary: Summary::of(&report),
            },
        )?,
        Format::Human => {
            let mut w = || -> io::Result<()> {
                render::human_findings(&mut out, &report.findings)?;
                writeln!(
                    out,
                    "{} certificates, {} of {} bytes: {} error{}, {} warning{} — {}",
                    report.certificates,
                    report.bytes,
                    report.max_bytes,
                    report.errors,
                    if report.errors == 1 { "" } else { "s" },
                    report.warnings,
                    if report.warnings == 1 { "" } else { "s" },
                    if report.ready() {
                        "ready for Set-SmimeConfig"
                    } else {
                        "Exchange Online would refuse this upload"
                    }
                )
            };
            w().map_err(CliError::stdout)?;
        }
    }
    out.flush().map_err(CliError::stdout)?;
    Ok(u8::from(!report.ready()))
}

pub fn backup_script(args: &BackupScriptArgs) -> Result<u8> {
    let time = crate::check::parse_time(args.at.as_deref())?;
    let text = smimetrust_exchange::script::backup_script(time);
    write_atomic(&args.out.output, text.as_bytes(), args.out.force)?;
    if !is_dash(&args.out.output) {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "wrote {}: run it in PowerShell 5.1 or 7 to save the current SMIMECertificateIssuingCA next to it (it changes nothing), then:\n    smimetrust exchange script INPUT… --merge-with SAVED.sst -o upload.ps1",
            args.out.output.display()
        )
        .map_err(CliError::stdout)?;
    }
    Ok(0)
}
