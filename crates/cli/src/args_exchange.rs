//! The arguments of `smimetrust exchange …` (the rest are in `args.rs`).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::args::{Format, OutputArgs};

#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// Will Exchange Online accept this store? Size limit, expired certificates, leaves in a CA
    /// list, incomplete chains, duplicates, plus the rest of the `check` audit. Exit 0 ready,
    /// 1 not ready, 2 usage or input error.
    Preflight(PreflightArgs),
    /// Write a PowerShell script that uploads the store to Exchange Online: it saves the
    /// current value first, supports -WhatIf, and reads the value back to verify it. Runs the
    /// preflight first and writes nothing when it finds errors (or warnings, without
    /// --allow-warnings). Exit 0 written, 1 refused, 2 usage or input error.
    Script(ScriptArgs),
    /// Write a PowerShell script that saves the current SMIMECertificateIssuingCA value to a
    /// file, for `exchange script --merge-with`. It changes nothing in Exchange Online.
    BackupScript(BackupScriptArgs),
}

/// `smimetrust exchange script`
#[derive(Debug, Args)]
pub struct ScriptArgs {
    /// One .sst (uploaded byte for byte), or any inputs, built into a store as `sst create`
    /// would.
    #[arg(required = true, value_name = "STORE|INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
    /// Merge with the current value saved in this file (raw .sst, base64, or one decimal
    /// number per line): its certificates first, then the new ones. The script refuses to
    /// upload if the value has changed since.
    #[arg(long, value_name = "CURRENT")]
    pub merge_with: Option<PathBuf>,
    /// Leave the certificate with this SHA-1 thumbprint out of the merge (repeatable). Without
    /// it a merge removes nothing.
    #[arg(long = "remove", value_name = "SHA1", requires = "merge_with")]
    pub remove: Vec<String>,
    /// Write the script even when the preflight warns (errors always refuse).
    #[arg(long)]
    pub allow_warnings: bool,
    #[command(flatten)]
    pub check: UploadCheckArgs,
    /// Format of the report on standard output.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `smimetrust exchange backup-script`
#[derive(Debug, Args)]
pub struct BackupScriptArgs {
    #[command(flatten)]
    pub out: OutputArgs,
    /// The generation time written in the script (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// `smimetrust exchange preflight`
#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// One .sst (checked as it is, byte for byte), or any inputs, built into a store as
    /// `sst create` would.
    #[arg(required = true, value_name = "STORE|INPUT")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub check: UploadCheckArgs,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// What an upload is checked against, shared by `exchange preflight` and `exchange script`.
#[derive(Debug, Args)]
pub struct UploadCheckArgs {
    /// The upload time to check against (RFC 3339; `exchange script` also writes it in the
    /// script); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The largest value Exchange accepts (70,000 bytes, as seen in Exchange's code).
    #[arg(long, value_name = "N", default_value_t = 70_000)]
    pub max_bytes: usize,
    /// Warn about certificates expiring within this window.
    #[arg(long, value_name = "DURATION", default_value = "30d")]
    pub expiring_within: String,
}
