//! From a new store (and, for a merge, the current value) to what gets uploaded: the merged
//! store, the difference with the current value, the preflight verdict and the script.

use sha2::Digest as _;

use smimetrust_sst::{Element, ElementKind, Store};
use smimetrust_x509::Certificate;
use time::OffsetDateTime;

use crate::current::Current;
use crate::script::{self, Mode, Plan};
use crate::{Error, Options, Report};

/// Upper-case hex, as Windows and Exchange show thumbprints (the script writer uses it too).
pub(crate) use smimetrust_x509::hex;

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

/// Compares the elements of two stores by kind and SHA-1 ([`Store::diff`]): added and kept in
/// the upload's order, removed in the current value's; a later copy of an element within one
/// store is not listed again.
pub fn diff(current: &Store, upload: &Store) -> Diff {
    let d = current.diff(upload);
    let mut kept: Vec<usize> = d.common.iter().map(|c| c.new).collect();
    kept.sort_unstable();
    Diff {
        added: lines(upload, &d.added),
        kept: lines(upload, &kept),
        removed: lines(current, &d.removed),
    }
}

/// The lines of the elements of `store` at `indices`.
fn lines(store: &Store, indices: &[usize]) -> Vec<CertificateLine> {
    indices
        .iter()
        .filter_map(|&i| store.elements.get(i).map(CertificateLine::of))
        .collect()
}

/// The current value's elements, then those of `new` it lacks ([`Store::merge`]: a copy
/// already present is kept as it is and gains only the properties it lacks, as `sst merge`
/// does), without duplicates and without the elements whose SHA-1 is in `remove` (40 hex
/// digits, either case).
///
/// # Errors
/// [`Error::RemoveNotFound`] when a thumbprint in `remove` is in neither store; nothing is
/// removed then.
pub fn merge(current: &Store, new: &Store, remove: &[String]) -> Result<Store, Error> {
    let mut merged = Store::merge([current, new]).store;
    let thumbprints = remove
        .iter()
        .map(|s| {
            smimetrust_sst::parse_thumbprint(s).ok_or_else(|| Error::RemoveNotFound {
                sha1: s.to_ascii_uppercase(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    merged
        .remove_thumbprints(&thumbprints)
        .map_err(|sha1| Error::RemoveNotFound { sha1: hex(&sha1) })?;
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
