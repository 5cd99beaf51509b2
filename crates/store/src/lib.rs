//! Inputs for smimetrust: files, folders, bytes and standard input read by what they hold into
//! certificates, CRLs and CTLs, and the stores and trust material made of them.
//!
//! * [`load`] reads files, folders and in-memory inputs, detected by content: serialized stores
//!   (`.sst`) and lone elements, DER certificates, CRLs, CTLs and PKCS#7 bundles, PEM text. It
//!   collapses duplicates and reports what it skipped.
//! * [`build_store`] makes a Windows serialized store of objects; [`pem_bundle`] PEM text.
//! * [`Trust`] is trust material for path validation: anchors (with their Windows EKU
//!   restrictions), intermediates and CRLs.
//!
//! ```
//! use smimetrust_store::{Input, ObjectKind, load};
//! use smimetrust_x509::pkcs7;
//!
//! // A certificate-shaped DER SEQUENCE (a strict parser rejects it; it is still loaded).
//! let cert = vec![0x30, 0x08, 0x30, 0x00, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00];
//! let p7b = pkcs7::write_certs_only(&[&cert], &[]);
//! let loaded = load(&[
//!     Input::Bytes { name: "a.p7b".into(), bytes: p7b },
//!     Input::Bytes { name: "a.cer".into(), bytes: cert.clone() },
//! ])?;
//! assert_eq!(loaded.objects.len(), 1);
//! assert_eq!(loaded.objects[0].kind, ObjectKind::Certificate);
//! assert_eq!(loaded.objects[0].der, cert);
//! assert_eq!(loaded.duplicates[0].dropped.name, "a.cer");
//! # Ok::<(), smimetrust_store::Error>(())
//! ```
#![forbid(unsafe_code)]

use rayon::prelude::*;

/// Inputs shorter than this are mapped on the calling thread: handing a few items to the
/// thread pool costs more than the work (and on first use waits for the pool's threads to
/// start, about a millisecond of a command's start-up).
const PARALLEL_MIN: usize = 32;

/// `items` mapped with `f`, in order: on all cores when there are enough of them.
pub(crate) fn map_items<'a, T: Sync, R: Send>(
    items: &'a [T],
    f: impl Fn(&'a T) -> R + Sync + Send,
) -> Vec<R> {
    if items.len() < PARALLEL_MIN {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

mod build;
mod error;
mod load;
mod trust;

use std::fmt;
use std::path::PathBuf;

pub use build::build_store;
pub use error::{Error, ErrorCode, InputCode};
pub use load::{load, load_bytes};
pub use smimetrust_x509::Certificate;
pub use trust::{Trust, anchor};

/// What an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// An X.509 certificate.
    Certificate,
    /// A certificate revocation list.
    Crl,
    /// A certificate trust list (a PKCS#7 SignedData of content type `szOID_CTL`).
    Ctl,
}

impl ObjectKind {
    /// `certificate`, `crl` or `ctl`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Certificate => "certificate",
            ObjectKind::Crl => "crl",
            ObjectKind::Ctl => "ctl",
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<ObjectKind> for smimetrust_sst::ElementKind {
    fn from(kind: ObjectKind) -> Self {
        match kind {
            ObjectKind::Certificate => smimetrust_sst::ElementKind::Certificate,
            ObjectKind::Crl => smimetrust_sst::ElementKind::Crl,
            ObjectKind::Ctl => smimetrust_sst::ElementKind::Ctl,
        }
    }
}

/// How an input (or the part of it an object came from) was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputFormat {
    /// A PEM block of its own (`CERTIFICATE`, `X509 CRL`, …).
    Pem,
    /// A DER file holding one certificate, CRL or CTL.
    Der,
    /// A member of a PKCS#7 bundle (DER, BER or PEM-wrapped).
    Pkcs7,
    /// An element of a serialized store file.
    Sst,
    /// A lone serialized element.
    SstElement,
}

impl InputFormat {
    /// `pem`, `der`, `pkcs7`, `sst` or `sst-element`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Pem => "pem",
            InputFormat::Der => "der",
            InputFormat::Pkcs7 => "pkcs7",
            InputFormat::Sst => "sst",
            InputFormat::SstElement => "sst-element",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an object came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Source {
    /// The path as given (for files found in a folder: the folder path joined with the file's
    /// path inside it), or `-` / the name given with [`Input::Bytes`].
    pub name: String,
    /// The object's position among that file's objects, from 0.
    pub index: usize,
    /// How it was encoded.
    pub format: InputFormat,
}

/// One certificate, CRL or CTL read from an input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Object {
    /// Certificate, CRL or CTL.
    pub kind: ObjectKind,
    /// The original bytes, never re-encoded.
    pub der: Vec<u8>,
    /// The SST property records when it came from a store or lone element, else empty.
    pub properties: Vec<smimetrust_sst::Property>,
    /// Where it came from.
    pub source: Source,
}

impl Source {
    /// Object `index` of the input `name`, encoded as `format`.
    pub fn new(name: impl Into<String>, index: usize, format: InputFormat) -> Source {
        Source {
            name: name.into(),
            index,
            format,
        }
    }
}

impl Object {
    /// An object of `kind` with these bytes, from `source`, without properties.
    pub fn new(kind: ObjectKind, der: Vec<u8>, source: Source) -> Object {
        Object {
            kind,
            der,
            properties: Vec::new(),
            source,
        }
    }

    /// SHA-1 of the bytes (the thumbprint Windows shows).
    pub fn sha1(&self) -> [u8; 20] {
        use sha1::Digest;
        sha1::Sha1::digest(&self.der).into()
    }

    /// The certificate (a copy of the bytes, parsed), for objects of kind
    /// [`ObjectKind::Certificate`].
    pub fn certificate(&self) -> Option<Certificate> {
        (self.kind == ObjectKind::Certificate).then(|| Certificate::from_der(self.der.clone()))
    }
}

/// One input to [`load`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a folder.
    Path(PathBuf),
    /// Content already read (e.g. standard input, named `-`).
    Bytes {
        /// The name used in sources and messages.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

/// What [`load`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Loaded {
    /// Every distinct object, in input order.
    pub objects: Vec<Object>,
    /// Each dropped duplicate.
    pub duplicates: Vec<DuplicateNote>,
    /// What was skipped, and why.
    pub warnings: Vec<Warning>,
}

/// A duplicate dropped by [`load`]: same kind, same SHA-1 of the bytes as an earlier object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DuplicateNote {
    /// The SHA-1 in upper-case hex.
    pub sha1: String,
    /// The object kept (the first).
    pub kept: Source,
    /// The copy dropped.
    pub dropped: Source,
}

/// Something skipped while loading. Not an error: the load went on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// What kind of thing was skipped.
    pub code: WarningCode,
    /// What was skipped and why, naming the file.
    pub message: String,
}

smimetrust_x509::code_enum! {
    /// The code of a [`Warning`].
    pub enum WarningCode {
        /// A PEM block that is not a certificate, CRL or PKCS#7 bundle (e.g. a private key).
        InputSkippedPemBlock = "input-skipped-pem-block",
        /// A file in a folder that is not recognised, is empty, or is a symbolic link loop.
        InputSkippedFile = "input-skipped-file",
    }
}

/// Sort group and key of one object for [`sort_for_store`].
fn store_key(o: &Object) -> (u8, String, String) {
    use der::Decode;
    let sha1 = smimetrust_x509::hex(&o.sha1());
    match o.kind {
        ObjectKind::Certificate => match smimetrust_x509::store_class(&o.der) {
            Some((class, subject)) => (class, subject, sha1),
            None => (3, String::new(), sha1),
        },
        ObjectKind::Crl => {
            let issuer =
                x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(
                    &o.der,
                )
                .map(|crl| smimetrust_x509::names::rfc4514(&crl.tbs_cert_list.issuer))
                .unwrap_or_default();
            (4, issuer, sha1)
        }
        ObjectKind::Ctl => (5, String::new(), sha1),
    }
}

/// Sorts objects into a deterministic order for a new store:
///
/// 1. root CAs: self-issued certificates that are CAs (basicConstraints `cA`), or that have no
///    basicConstraints at all (v1 roots);
/// 2. intermediate CAs: other certificates with basicConstraints `cA`;
/// 3. other certificates (leaves);
/// 4. certificates a strict parser rejects;
/// 5. CRLs;
/// 6. CTLs.
///
/// Within a group: by subject string (RFC 4514; a CRL's issuer; empty for the rest), then by
/// SHA-1 hex. Stable for objects equal on both.
///
/// The keys (which need a certificate parse) are computed on all cores for large inputs.
pub fn sort_for_store(objects: &mut [Object]) {
    let keys: Vec<_> = map_items(objects, store_key);
    let mut order: Vec<usize> = (0..objects.len()).collect();
    // Stable: equal keys keep their input order.
    order.sort_by(|&a, &b| keys.get(a).cmp(&keys.get(b)));
    apply_order(objects, order);
}

/// Rearranges `items` so that position `i` holds what was at `order[i]` (`order` is a
/// permutation of `0..items.len()`), by swapping along cycles.
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        loop {
            let next = order.get(current).copied().unwrap_or(start);
            if next == start {
                break;
            }
            items.swap(current, next);
            if let Some(slot) = order.get_mut(current) {
                *slot = current;
            }
            current = next;
        }
        if let Some(slot) = order.get_mut(current) {
            *slot = current;
        }
    }
}

/// [`Certificate::from_der`] for every object of kind [`ObjectKind::Certificate`] (`None` for
/// CRLs and CTLs), index-aligned with `objects`. Hashing and parsing run on all cores for large
/// inputs: for a 10,000-certificate store this is the dominant cost of listing it.
pub fn certificates(objects: &[Object]) -> Vec<Option<Certificate>> {
    map_items(objects, Object::certificate)
}

/// PEM text for objects: `CERTIFICATE` blocks for certificates, `X509 CRL` for CRLs and `PKCS7`
/// for CTLs (a CTL is a PKCS#7 SignedData), in order; LF line ends, 64-column base64.
pub fn pem_bundle(objects: &[Object]) -> String {
    let mut out = String::new();
    for o in objects {
        let label = match o.kind {
            ObjectKind::Certificate => "CERTIFICATE",
            ObjectKind::Crl => "X509 CRL",
            ObjectKind::Ctl => "PKCS7",
        };
        // Only fails for lengths beyond what memory can hold as base64.
        if let Ok(block) = pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, &o.der) {
            out.push_str(&block);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn apply_order_permutes() {
        for order in [vec![2, 0, 1], vec![0, 1, 2], vec![1, 2, 0], vec![2, 1, 0]] {
            let mut items = vec!['a', 'b', 'c'];
            let want: Vec<char> = order.iter().map(|&i| items[i]).collect();
            super::apply_order(&mut items, order);
            assert_eq!(items, want);
        }
    }
}
