//! From a new store (and, for a merge, the current value) to what gets uploaded: the merged
//! store, the difference with the current value, the preflight verdict and the script.

use std::collections::HashSet;

use sha2::Digest as _;

use smimetrust_sst::{Element, ElementKind, Store};
use smimetrust_x509::Certificate;
use time::OffsetDateTime;

use crate::current::Current;
use crate::script::{self, Mode, Plan};
use crate::{Error, Options, Report};

/// One element of a store as the script's comment and the diff show it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertificateLine {
    /// Certificate, CRL or CTL.
    pub kind: ElementKind,
    /// SHA-1 of the element's bytes, upper-case hex (the thumbprint Exchange names).
    pub sha1: String,
    /// The subject (RFC 4514), when the certificate parses. Untrusted text.
    pub subject: Option<String>,
    /// notAfter, when the certificate parses.
    pub not_after: Option<OffsetDateTime>,
    /// The store's friendly name property (11), if any. Untrusted text.
    pub friendly_name: Option<String>,
}

impl CertificateLine {
    /// A line with these values (for callers that do not start from a store).
    pub fn new(
        sha1: impl Into<String>,
        subject: Option<String>,
        not_after: Option<OffsetDateTime>,
        friendly_name: Option<String>,
    ) -> Self {
        CertificateLine {
            kind: ElementKind::Certificate,
            sha1: sha1.into(),
            subject,
            not_after,
            friendly_name,
        }
    }

    /// The line for one store element.
    pub fn of(element: &Element) -> Self {
        let (subject, not_after) = if element.kind == ElementKind::Certificate {
            let cert = Certificate::from_der(element.data.clone());
            match cert.info() {
                Some(i) => (Some(i.subject.clone()), Some(i.not_after)),
                None => (None, None),
            }
        } else {
            (None, None)
        };
        CertificateLine {
            kind: element.kind,
            sha1: hex(&element.sha1()),
            subject,
            not_after,
            friendly_name: element.friendly_name().and_then(Result::ok),
        }
    }
}

/// The lines of every element of `store`, in order.
pub fn certificate_lines(store: &Store) -> Vec<CertificateLine> {
    store.elements.iter().map(CertificateLine::of).collect()
}

/// How the upload changes the current value, by SHA-1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diff {
    /// In the upload, not in the current value.
    pub added: Vec<CertificateLine>,
    /// In both.
    pub kept: Vec<CertificateLine>,
    /// In the current value, not in the upload.
    pub removed: Vec<CertificateLine>,
}

/// Compares the elements of two stores by kind and SHA-1.
pub fn diff(current: &Store, upload: &Store) -> Diff {
    let key = |e: &Element| (e.kind, e.sha1());
    let old: HashSet<_> = current.elements.iter().map(key).collect();
    let new: HashSet<_> = upload.elements.iter().map(key).collect();
    let mut d = Diff::default();
    for e in &upload.elements {
        if old.contains(&key(e)) {
            d.kept.push(CertificateLine::of(e));
        } else {
            d.added.push(CertificateLine::of(e));
        }
    }
    d.removed = current
        .elements
        .iter()
        .filter(|e| !new.contains(&key(e)))
        .map(CertificateLine::of)
        .collect();
    d
}

/// The current value's elements, then those of `new` it lacks (a copy already present gains
/// only the properties it lacks, as `sst merge` does), without duplicates and without the
/// elements whose SHA-1 (upper-case hex) is in `remove`.
///
/// # Errors
/// [`Error::RemoveNotFound`] when a thumbprint in `remove` is in neither store.
pub fn merge(current: &Store, new: &Store, remove: &[String]) -> Result<Store, Error> {
    let mut merged = Store::new();
    for e in current.elements.iter().chain(&new.elements) {
        match merged
            .elements
            .iter_mut()
            .find(|m| m.kind == e.kind && m.data == e.data)
        {
            Some(first) => first.merge_missing_properties(e),
            None => merged.elements.push(e.clone()),
        }
    }
    for sha1 in remove {
        let wanted = sha1.to_ascii_uppercase();
        let before = merged.elements.len();
        merged.elements.retain(|e| hex(&e.sha1()) != wanted);
        if merged.elements.len() == before {
            return Err(Error::RemoveNotFound { sha1: wanted });
        }
    }
    Ok(merged)
}

/// What `smimetrust exchange script` asks for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The new store, built from the inputs.
    pub store: Store,
    /// Its bytes (uploaded as they are when there is no merge).
    pub bytes: Vec<u8>,
    /// The current value, to merge with; `None` to replace it.
    pub current: Option<&'a Current>,
    /// Thumbprints (upper-case hex) to leave out of a merge.
    pub remove: &'a [String],
    /// Preflight options; their time is also the script's generation time.
    pub options: Options,
    /// Write the script even when the preflight warns.
    pub allow_warnings: bool,
}

impl<'a> Request<'a> {
    /// A replace of the current value by `store` (serialized as `bytes`), checked with
    /// `options`.
    pub fn new(store: Store, bytes: Vec<u8>, options: Options) -> Self {
        Request {
            store,
            bytes,
            current: None,
            remove: &[],
            options,
            allow_warnings: false,
        }
    }
}

/// Why no script was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The preflight found errors: Exchange would refuse the upload.
    Errors(usize),
    /// The preflight found warnings and they were not allowed.
    Warnings(usize),
}

/// The outcome of [`prepare`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Prepared {
    /// The preflight of the store to upload.
    pub report: Report,
    /// The store to upload: the new store, or the merge.
    pub store: Store,
    /// Its bytes, as embedded in the script.
    pub bytes: Vec<u8>,
    /// SHA-256 of those bytes.
    pub sha256: [u8; 32],
    /// Against the current value, when merging.
    pub diff: Option<Diff>,
    /// The current value's SHA-256, when merging.
    pub current_sha256: Option<[u8; 32]>,
    /// The upload script, unless refused.
    pub script: Option<String>,
    /// Why there is no script.
    pub refusal: Option<Refusal>,
}

/// Builds the upload (merging with the current value when one is given), runs the preflight
/// on it, and writes the script unless the preflight refuses: on any error, and on warnings
/// unless [`Request::allow_warnings`].
///
/// # Errors
/// [`Error::RemoveNotFound`] for a thumbprint to remove that is not there, [`Error::Sst`] when
/// the merged store cannot be encoded.
pub fn prepare(request: Request<'_>) -> Result<Prepared, Error> {
    let (store, bytes, diff, current_sha256) = match request.current {
        None => (request.store, request.bytes, None, None),
        Some(current) => {
            let merged = merge(&current.store, &request.store, request.remove)?;
            let bytes = if merged == current.store {
                current.bytes.clone()
            } else {
                merged.to_bytes()?
            };
            let d = diff(&current.store, &merged);
            (merged, bytes, Some(d), Some(current.sha256()))
        }
    };
    let report = crate::preflight(&store, &bytes, &request.options);
    let refusal = if report.errors > 0 {
        Some(Refusal::Errors(report.errors))
    } else if report.warnings > 0 && !request.allow_warnings {
        Some(Refusal::Warnings(report.warnings))
    } else {
        None
    };
    let script = refusal.is_none().then(|| {
        let lines = certificate_lines(&store);
        let mode = match current_sha256 {
            Some(sha256) => Mode::Merge {
                current_sha256: sha256,
            },
            None => Mode::Replace,
        };
        script::upload_script(&Plan {
            store: &bytes,
            certificates: &lines,
            mode,
            diff: diff.as_ref(),
            generated: request.options.time,
        })
    });
    let sha256 = sha2::Sha256::digest(&bytes).into();
    Ok(Prepared {
        report,
        store,
        bytes,
        sha256,
        diff,
        current_sha256,
        script,
        refusal,
    })
}

/// Upper-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })
}
