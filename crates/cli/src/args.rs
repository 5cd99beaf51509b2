//! Command-line arguments (clap derive). Help text here is the reference for docs/cli/*.md.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::args_exchange::{
    BackupScriptArgs, ExchangeCommand, PreflightArgs, ScriptArgs, UploadCheckArgs,
};

/// S/MIME trust stores for Exchange and PKI admins: build, inspect and convert Microsoft
/// serialized certificate stores (.sst) on any OS.
#[derive(Debug, Parser)]
#[command(name = "smimetrust", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, inspect, merge, convert and compare serialized certificate stores (.sst).
    #[command(subcommand)]
    Sst(SstCommand),
    /// Audit CA certificates meant to be trusted (an .sst for Exchange, a PEM bundle) before
    /// uploading them: expired or expiring, not CAs, incomplete chains, duplicates, weak
    /// algorithms, EKU restrictions, unknown critical extensions.
    ///
    /// Exit 0 when there is no error (and, with --strict, no warning), 1 when there is, 2 on
    /// usage or input errors.
    Check(CheckArgs),
    /// Certificate path validation (RFC 5280 with the S/MIME profile).
    #[command(subcommand)]
    Chain(ChainCommand),
    /// Verify S/MIME signatures: messages (multipart/signed, opaque signed-data, nested
    /// layers), bare CMS files, folders and mbox archives, in parallel. Exit 0 when every
    /// message is valid, 1 when one is not, 2 on usage or I/O errors.
    Verify(VerifyArgs),
    /// Exchange Online: check a store before `Set-SmimeConfig -SMIMECertificateIssuingCA`, and
    /// write the PowerShell that uploads it.
    #[command(subcommand)]
    Exchange(ExchangeCommand),
}

#[derive(Debug, Subcommand)]
pub enum ChainCommand {
    /// Validate certificates: build a path from each leaf through the intermediates to a trust
    /// anchor and check it at a time. Exit 0 when every leaf is valid, 1 when one is not.
    Verify(ChainVerifyArgs),
}

/// What a leaf must be good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Purpose {
    /// S/MIME signing: emailProtection when an EKU is present; digitalSignature or
    /// nonRepudiation when a key usage is present.
    #[default]
    Smime,
    /// TLS server (serverAuth; --dns-name / --ip are matched).
    Server,
    /// TLS client (clientAuth).
    Client,
    /// No purpose check.
    Any,
}

/// Trust anchors, intermediates, CRLs and the RFC 5280 settings, shared by `chain verify` and
/// `verify`.
#[derive(Debug, Args)]
pub struct ValidationArgs {
    /// Trust anchors: a store (SST EKU restrictions are honoured), bundle or folder (repeatable).
    #[arg(long, required = true, value_name = "STORE")]
    pub trust: Vec<PathBuf>,
    /// Untrusted intermediate certificates to build paths with (repeatable).
    #[arg(long, value_name = "FILE")]
    pub intermediates: Vec<PathBuf>,
    /// CRLs to check revocation with (repeatable); CRLs inside --trust stores are used too.
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<PathBuf>,
    /// What the leaf must be good for.
    #[arg(long, value_enum, default_value_t)]
    pub purpose: Purpose,
    /// Initial policy set: dotted OIDs or anyPolicy (repeatable; default anyPolicy).
    #[arg(long, value_name = "OID")]
    pub policy: Vec<String>,
    /// Require an acceptable policy on the path (initial-explicit-policy).
    #[arg(long)]
    pub require_explicit_policy: bool,
    /// Do not follow policy mappings (initial-policy-mapping-inhibit).
    #[arg(long)]
    pub inhibit_policy_mapping: bool,
    /// Do not let anyPolicy match (initial-any-policy-inhibit).
    #[arg(long)]
    pub inhibit_any_policy: bool,
    /// Validation profile: rfc5280 (the default of `chain verify`), compat (the default of
    /// `verify`: without the CA issuance rules old and private CAs break), or webpki (the
    /// CA/Browser Forum server-certificate rules on top of rfc5280, with --purpose server).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Which certificates need revocation status from the CRLs given.
    #[arg(long, value_enum, default_value_t)]
    pub revocation: RevocationMode,
}

/// `smimetrust chain verify`
#[derive(Debug, Args)]
pub struct ChainVerifyArgs {
    /// Certificates to validate: every certificate in these inputs is a leaf (`-` for stdin).
    #[arg(required = true, value_name = "LEAF")]
    pub leaves: Vec<PathBuf>,
    #[command(flatten)]
    pub validation: ValidationArgs,
    /// Validation time (RFC 3339); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// An email address the leaf must carry (SAN rfc822Name or subject emailAddress).
    #[arg(long, value_name = "ADDR")]
    pub email: Option<String>,
    /// A DNS name the leaf must match (with --purpose server).
    #[arg(long, value_name = "NAME")]
    pub dns_name: Option<String>,
    /// An IP address the leaf must match (with --purpose server).
    #[arg(long, value_name = "ADDR")]
    pub ip: Option<String>,
    /// Reject SHA-1 and RSA/DSA keys under 2048 bits instead of warning.
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// `smimetrust verify`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Messages: files (.eml, .p7m, .p7s, or any RFC 5322 message), folders (walked
    /// recursively), mbox files, or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub validation: ValidationArgs,
    /// Validate signer certificates at this time (RFC 3339), or at each signer's signingTime
    /// attribute with `signing-time`; default now.
    #[arg(long, value_name = "TIME|signing-time")]
    pub at: Option<String>,
    /// The signed content of a detached signature (a bare .p7s given as PATH).
    #[arg(long, value_name = "FILE")]
    pub content: Option<PathBuf>,
    /// SHA-1 signatures and digests count as valid, not valid-weak (still warned about).
    #[arg(long)]
    pub allow_sha1: bool,
    /// A From address missing from the signer's certificate makes the message invalid
    /// (email-mismatch) instead of a warning.
    #[arg(long)]
    pub require_email_match: bool,
    /// Count partially-signed messages (a signature below unsigned parts) as valid for the
    /// exit code.
    #[arg(long)]
    pub allow_partial: bool,
    /// valid-weak messages (SHA-1 unless --allow-sha1, keys under 2048 bits) fail: exit 1.
    #[arg(long)]
    pub strict: bool,
    /// Messages verified at once (default: one per core).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Verify only part K of N of the messages (K from 1): message number p of the whole run,
    /// in input order, is in part p mod N + 1. N machines given the same PATHs, one part each,
    /// verify every message exactly once (docs/scaling.md).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<smimetrust_batch::Shard>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Validation profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// RFC 5280 with its section 4 certificate profile.
    Rfc5280,
    /// RFC 5280 plus the CA/Browser Forum Baseline Requirements for TLS server certificates.
    Webpki,
    /// RFC 5280 path validation without the issuance rules that old and private CAs break
    /// (key identifiers present, positive serial numbers, dNSName syntax), as Windows, NSS
    /// and OpenSSL accept.
    Compat,
}

/// Revocation checking against the CRLs given (no network fetch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RevocationMode {
    /// Ignore CRLs.
    Off,
    /// Check a certificate when a CRL from its issuer was given; that CRL must then be usable.
    #[default]
    Available,
    /// Every certificate below the trust anchor must be covered by a usable CRL.
    Required,
}

/// `smimetrust check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Stores, bundles, certificates or folders (`-` for standard input).
    #[arg(required = true, value_name = "STORE")]
    pub inputs: Vec<PathBuf>,
    /// Judge validity at this time (RFC 3339, e.g. 2026-01-31T00:00:00Z); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Warn about certificates expiring within this window (e.g. 30d, 8weeks, 6months).
    #[arg(long, value_name = "DURATION", default_value = "30d")]
    pub expiring_within: String,
    /// Treat warnings as failures, and SHA-1 and keys under 2048 bits as errors.
    #[arg(long)]
    pub strict: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Output format for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Human,
    /// JSON for scripts (documented in docs/cli/sst.md).
    Json,
}

/// A container format for certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreFormat {
    /// Microsoft serialized certificate store (keeps properties such as friendly names).
    Sst,
    /// PKCS#7 certificates-only bundle (.p7b/.p7c), as Windows writes it; no properties.
    P7b,
    /// PEM bundle (CERTIFICATE and X509 CRL blocks); no properties.
    Pem,
}

/// Format for extracted files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExtractFormat {
    /// One PEM file per element (.pem, .crl.pem).
    #[default]
    Pem,
    /// One DER file per element (.cer, .crl, .ctl).
    Der,
}

/// Where output goes and whether it may replace a file.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output file (`-` for standard output). Written atomically: a temporary file in the same
    /// folder, then renamed.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum SstCommand {
    /// Create a store from certificates: PEM, DER, PKCS#7 (.p7b), other stores, lone elements,
    /// CRL files and folders (walked recursively), `-` for standard input.
    ///
    /// Duplicates (same SHA-1) collapse to one. Order: root CAs, then intermediate CAs, then
    /// other certificates, each group sorted by subject then SHA-1; then CRLs, then CTLs.
    /// Certificates from plain files get a SHA-1 hash property (3), as Windows writes for a
    /// freshly imported certificate, and a friendly name (11) when --name gives one;
    /// certificates from stores keep their properties.
    Create {
        #[command(flatten)]
        out: OutputArgs,
        /// Friendly name for the certificate with this SHA-1 thumbprint (repeatable).
        #[arg(long = "name", value_name = "SHA1=NAME")]
        names: Vec<String>,
        /// Output format; default from OUT's extension (.p7b/.p7c, .pem/.crt), else sst.
        #[arg(long, value_enum)]
        to: Option<StoreFormat>,
        /// Report format for the listing printed after writing.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Inputs: files, folders, or `-`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
    },
    /// List the elements of a store, a lone element, or a PKCS#7 bundle.
    List {
        /// The file to list (`-` for standard input).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Merge stores: union in input order, duplicates dropped (the first copy wins; properties
    /// of later copies are added only where the first lacks them).
    Merge {
        #[command(flatten)]
        out: OutputArgs,
        /// Stores (or any other certificate input) to merge, in order.
        #[arg(required = true, value_name = "STORE")]
        inputs: Vec<PathBuf>,
    },
    /// Write a copy of a store without the elements with these SHA-1 thumbprints.
    Remove {
        /// The store to read.
        file: PathBuf,
        /// Thumbprint of an element to remove (repeatable; any case, spaces and colons allowed).
        #[arg(long = "sha1", required = true, value_name = "SHA1")]
        sha1: Vec<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Write every certificate, CRL and CTL of a store to its own file named by SHA-1.
    Extract {
        /// The store (or any other certificate input) to read.
        file: PathBuf,
        /// Folder to write into (created if missing).
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        dir: PathBuf,
        /// File format.
        #[arg(long, value_enum, default_value_t)]
        format: ExtractFormat,
        /// Replace files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Compare two stores: added, removed, and property changes. Exit 1 when they differ.
    Diff {
        /// The old store.
        a: PathBuf,
        /// The new store.
        b: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Convert between .sst, .p7b and PEM bundle (chosen by OUT's extension or --to).
    Convert {
        /// The input (any certificate input; `-` for standard input).
        input: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
        /// Output format; default from OUT's extension (.sst, .p7b/.p7c, .pem/.crt).
        #[arg(long, value_enum)]
        to: Option<StoreFormat>,
    },
}
