//! Exchange Online and `Set-SmimeConfig -SMIMECertificateIssuingCA`: checks a store before it
//! is uploaded and writes the PowerShell that uploads it. No I/O: the caller reads files and the
//! clock.
//!
//! What Exchange does with the bytes (see `docs/exchange.md` for sources): it rejects a value
//! over 70,000 bytes, rejects the whole upload when any certificate has expired (naming their
//! SHA-1 thumbprints), and replaces the whole list, so every CA still wanted must be in the new
//! store. [`preflight`] reuses the chain audit ([`smimetrust_audit`]) and adds those
//! rules.
//!
//! * [`preflight`]: will Exchange accept this store?
//! * [`prepare`]: the one call behind `smimetrust exchange script`: merge with the current
//!   value ([`parse_current`] reads a saved copy), preflight, and the upload script
//!   ([`script::upload_script`]); [`script::backup_script`] saves the current value.
//!
//! ```
//! use smimetrust_exchange::{Options, preflight};
//! use smimetrust_sst::Store;
//!
//! // The demo organisation's CA store: its 2019 CA has expired, so Exchange would refuse it.
//! let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo/contoso-cas.sst"))?;
//! let store = Store::from_bytes(&bytes)?;
//! let at = smimetrust_audit::OffsetDateTime::from_unix_timestamp(1_780_272_000)?; // 2026-06-01
//! let report = preflight(&store, &bytes, &Options::at(at));
//! assert!(!report.ready());
//! assert!(report.findings.iter().any(|f| f.code == "expired"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod current;
mod error;
mod plan;
pub mod script;

pub use current::{Current, Encoding, parse_current};
pub use error::{Error, ErrorCode};
pub use plan::{
    CertificateLine, Diff, Prepared, Refusal, Request, certificate_lines, diff, merge, prepare,
};

use smimetrust_audit::{self as audit, AuditOptions, Finding, FindingCode, Severity};
use smimetrust_sst::Store;
use smimetrust_store::Object;
use time::{Duration, OffsetDateTime};

/// The size limit seen in Exchange's `Set-SmimeConfig` code (not in Microsoft's documentation,
/// hence a default that callers can change).
pub const DEFAULT_MAX_BYTES: usize = 70_000;

/// What to check against.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Options {
    /// The time of the upload (the caller reads the clock).
    pub time: OffsetDateTime,
    /// The largest value Exchange accepts, in bytes.
    pub max_bytes: usize,
    /// Certificates expiring within this window get a warning: once one expires, every later
    /// upload of the same store fails.
    pub expiring_within: Duration,
}

impl Options {
    /// Defaults at `time`: 70,000 bytes, a 30-day expiry window.
    pub fn at(time: OffsetDateTime) -> Self {
        Options {
            time,
            max_bytes: DEFAULT_MAX_BYTES,
            expiring_within: Duration::days(30),
        }
    }
}

/// The preflight's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Findings: the audit's, then Exchange's own.
    pub findings: Vec<Finding>,
    /// The size of the value that would be uploaded.
    pub bytes: usize,
    /// The limit it was checked against.
    pub max_bytes: usize,
    /// Certificates in the store.
    pub certificates: usize,
    /// Findings with severity error.
    pub errors: usize,
    /// Findings with severity warning.
    pub warnings: usize,
}

impl Report {
    /// Whether Exchange should accept the upload (no errors).
    pub fn ready(&self) -> bool {
        self.errors == 0
    }
}

/// Checks `store`, whose serialized form is `bytes`, for an upload with `options`.
pub fn preflight(store: &Store, bytes: &[u8], options: &Options) -> Report {
    let objects = Object::from_store(store, "store");
    let audit_options = AuditOptions::at(options.time)
        .expiring_within(options.expiring_within)
        .with_verifier(smimetrust_sig::default_verifier());
    let audit = audit::audit(&objects, &audit_options);
    let mut findings = audit.findings;
    if bytes.len() > options.max_bytes {
        findings.push(too_large(store, bytes.len(), options.max_bytes));
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    Report {
        findings,
        bytes: bytes.len(),
        max_bytes: options.max_bytes,
        certificates: audit.summary.certificates,
        errors,
        warnings,
    }
}

fn too_large(store: &Store, len: usize, max: usize) -> Finding {
    let mut sizes: Vec<(usize, String, String)> = store
        .elements
        .iter()
        .map(|e| {
            let cert = smimetrust_x509::Certificate::from_der(e.data.clone());
            let subject = cert
                .info()
                .map_or_else(|| "(unparsed)".to_string(), |i| i.subject.clone());
            (e.encoded_len(), cert.sha1_hex(), subject)
        })
        .collect();
    sizes.sort_by_key(|s| std::cmp::Reverse(s.0));
    let largest: Vec<String> = sizes
        .iter()
        .take(3)
        .map(|(n, sha1, subject)| format!("{subject} ({sha1}, {n} bytes)"))
        .collect();
    Finding::new(
        FindingCode::StoreTooLarge,
        Severity::Error,
        format!(
            "the store is {len} bytes, {} over Exchange's limit of {max}: upload only the CAs that issue your users' S/MIME certificates and their roots, not a whole root store; the largest elements are {}",
            len - max,
            largest.join(", ")
        ),
    )
}
