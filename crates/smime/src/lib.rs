//! S/MIME signature verification on top of `smimetrust-path` (validation) and `smimetrust-sig` (signatures).
//!
//! A [`Verifier`] holds a [`Validator`] (trust anchors, extra intermediates, CRLs) and the
//! [`Options`]; [`Verifier::verify`] takes one input and returns a [`Report`]:
//!
//! * an RFC 5322 message: the signature is found wherever it is, `multipart/signed` (protocol
//!   `application/pkcs7-signature` or `application/x-pkcs7-signature`) or opaque
//!   `application/(x-)pkcs7-mime` signed-data, at the top or inside a multipart; the signed
//!   content is searched again for nested layers (sign inside sign), each reported;
//!   enveloped-data is reported as an `encrypted` layer;
//! * a bare CMS SignedData (`.p7m`, `.p7s`) in DER, BER, PEM or base64; a detached one with its
//!   content given separately.
//!
//! The detached content of `multipart/signed` is the first part's raw bytes exactly as they
//! are in the message (headers parsed with `mailparse`, multipart bodies split lazily and only
//! where the signature is searched for, each part a slice of the input),
//! with bare LF line ends read as CRLF (RFC 8551 3.1.1: files saved with LF-only lines still
//! verify). CMS is read from DER or BER (indefinite lengths, chunked OCTET STRINGs) without
//! re-encoding anything signed: certificates keep their bytes, and signatures over signed
//! attributes are checked over the attributes exactly as encoded (the `[0]` tag replaced by
//! `SET`), never over a re-encoding (`der` sorts SET OF when decoding).
//!
//! Every signer is checked (a layer is valid only when all its signers are): its certificate is
//! found by issuer and serial number or by subject key identifier among the message's
//! certificates and the validator's; with signed attributes, contentType must equal the
//! eContentType and messageDigest the digest of the content; the signature (RSA PKCS#1 v1.5,
//! RSA-PSS, ECDSA, Ed25519, DSA; SHA-1 to SHA-512) is verified with the validator's
//! [`SignatureVerifier`](smimetrust_sig::SignatureVerifier); the certificate is
//! validated for S/MIME at the time given or at its signingTime, with the CRLs of the message and
//! the validator. The message's From address is compared with the certificate's addresses.
//!
//! The library reads no clock and no file: time is [`Options::at`]'s argument, inputs are
//! byte slices (or a reader for [`mbox::Mbox`]).
//!
//! ```
//! use smimetrust_path::{Certificate, TrustAnchor, Validator};
//! use smimetrust_smime::{Options, Status, Verifier};
//! use smimetrust_x509::pem;
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/smime");
//! let trust = std::fs::read(format!("{dir}/pki/trust.pem"))?;
//! let mut anchors = Vec::new();
//! for block in pem::blocks(&trust).map_err(|e| e.into_error("trust.pem"))? {
//!     anchors.push(TrustAnchor::new(Certificate::from_der(block.decode().map_err(|e| e.into_error("trust.pem"))?)));
//! }
//! // Trust anchors, extra intermediates, CRLs, and the signature verifier.
//! let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
//! let verifier = Verifier::new(&validator, Options::at(time::macros::datetime!(2026-06-01 0:00 UTC)));
//!
//! let message = std::fs::read(format!("{dir}/messages/rsa-sha256.detached.eml"))?;
//! let report = verifier.verify(&message, None);
//! assert_eq!(report.status, Status::Valid);
//! assert_eq!(report.signers[0].chain.len(), 3); // signer, intermediate, root
//!
//! let tampered = std::fs::read(format!("{dir}/messages/wrong-digest.detached.eml"))?;
//! let report = verifier.verify(&tampered, None);
//! assert_eq!(report.status, Status::Invalid);
//! assert_eq!(report.code.map(|c| c.as_str()), Some("digest-mismatch"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod body;
mod ctype;
#[cfg(test)]
mod differential;
mod digest;
mod error;
mod identity;
pub mod mbox;
mod mime;
mod report;
mod signer;
mod walk;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use smimetrust_x509::Certificate;

pub use error::{Error, ErrorCode};
pub use report::{
    ChainEntry, Code, FailureCode, Layer, LayerKind, NoticeCode, Part, Report, SignerReport,
    Status, Warning, WarningCode,
};
/// The types this crate's API takes, re-exported so that a caller adds no dependency.
pub use smimetrust_path::{Options as ValidationOptions, Validator};
pub use time::OffsetDateTime;

use smimetrust_x509::cms::Sid;
use walk::State;

/// What to verify for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Validation of signer certificates: time, purpose (S/MIME by default), policies,
    /// revocation, profile ([`Profile::Compat`](smimetrust_path::Profile::Compat) by
    /// default), algorithm policy. Its `email` is ignored: the From address is
    /// compared instead (see [`Options::require_email_match`]).
    pub chain: smimetrust_path::Options,
    /// Validate each signer's certificate at its signingTime attribute instead of
    /// `chain.time` (which is used, with a `signing-time-missing` warning, when a signer has
    /// none).
    pub at_signing_time: bool,
    /// SHA-1 does not make a signature `valid-weak` (it is still reported as a warning).
    pub allow_sha1: bool,
    /// A From address missing from the signer's certificate makes the signer invalid
    /// (`email-mismatch`) instead of a warning.
    pub require_email_match: bool,
    /// Signature layers followed, outermost first (default 8).
    pub max_layers: usize,
    /// Signers per layer (default 16).
    pub max_signers: usize,
    /// Multipart entities split in one input (default 256): a bound on the work and the
    /// recursion that hostile nesting can cause.
    pub max_multiparts: usize,
}

impl Options {
    /// Defaults, validating at `time`: S/MIME purpose, the compat profile, CRLs used where
    /// given, SHA-1 weak, From mismatches a warning.
    pub fn at(time: time::OffsetDateTime) -> Self {
        let mut chain = smimetrust_path::Options::at(time);
        chain.profile = smimetrust_path::Profile::Compat;
        Options {
            chain,
            at_signing_time: false,
            allow_sha1: false,
            require_email_match: false,
            max_layers: 8,
            max_signers: 16,
            max_multiparts: 256,
        }
    }
}

/// The validator's certificates, indexed for finding signers.
pub(crate) struct CertIndex<'v> {
    by_serial: HashMap<&'v [u8], Vec<&'v Certificate>>,
    by_ski: HashMap<&'v [u8], Vec<&'v Certificate>>,
    /// Every certificate's bytes.
    by_der: HashSet<Der<'v>>,
}

/// Certificate bytes as a set key, hashed by their length and last 32 bytes (inside the
/// signature, so as good as unique) and compared whole: a membership test costs no digest of
/// the certificate.
#[derive(PartialEq, Eq)]
struct Der<'a>(&'a [u8]);

impl std::hash::Hash for Der<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let tail = self
            .0
            .get(self.0.len().saturating_sub(32)..)
            .unwrap_or_default();
        self.0.len().hash(state);
        tail.hash(state);
    }
}

impl<'v> CertIndex<'v> {
    fn new(certs: impl Iterator<Item = &'v Certificate>) -> Self {
        let mut by_serial: HashMap<&'v [u8], Vec<&'v Certificate>> = HashMap::new();
        let mut by_ski: HashMap<&'v [u8], Vec<&'v Certificate>> = HashMap::new();
        let mut by_der = HashSet::new();
        for c in certs {
            by_der.insert(Der(c.der()));
            if let Some(f) = c.raw_fields() {
                by_serial.entry(f.serial).or_default().push(c);
            }
            if let Some(ski) = c.info().and_then(|i| i.subject_key_id.as_deref()) {
                by_ski.entry(ski).or_default().push(c);
            }
        }
        CertIndex {
            by_serial,
            by_ski,
            by_der,
        }
    }

    /// Whether a certificate with exactly these bytes is indexed.
    fn contains(&self, der: &[u8]) -> bool {
        self.by_der.contains(&Der(der))
    }

    fn find(&self, sid: &Sid<'_>) -> Option<&'v Certificate> {
        let list = match *sid {
            Sid::IssuerSerial { serial, .. } => self.by_serial.get(serial)?,
            Sid::Ski(ski) => self.by_ski.get(ski)?,
        };
        list.iter().copied().find(|c| sid.matches(c))
    }
}

/// Verifies S/MIME messages and CMS signatures; see the [crate docs](crate). Shareable across
/// threads: verify many messages in parallel with one `Verifier` (signatures of intermediates
/// are then verified once).
pub struct Verifier<'v> {
    validator: &'v Validator<'v>,
    options: Options,
    index: CertIndex<'v>,
    parsed: ParsedCerts,
}

/// CA certificates parsed from messages, kept across messages: the same intermediates come with
/// message after message, and parsing one costs about as much as hashing 10 KB. Only CAs: end
/// entities are many, and keeping them costs more in memory (page faults) than parsing again.
/// Bounded: emptied when full.
#[derive(Default)]
struct ParsedCerts {
    inner: Mutex<ParsedInner>,
}

#[derive(Default)]
struct ParsedInner {
    map: HashMap<u64, Vec<Arc<Certificate>>>,
    /// Certificates in `map`.
    len: usize,
}

impl ParsedCerts {
    /// Certificates kept at most.
    const CAPACITY: usize = 1024;
    /// Certificates kept under one key at most (hostile input can make keys collide).
    const PER_KEY: usize = 4;

    /// The certificate with bytes `der`, parsed now or earlier.
    fn get(&self, der: &[u8]) -> Arc<Certificate> {
        if let Some(c) = self.lookup(der) {
            return c;
        }
        // Parsed outside the lock; another thread may parse the same certificate meanwhile,
        // which costs time, not correctness.
        let cert = Arc::new(Certificate::from_der(der.to_vec()));
        if cert.info().is_some_and(|i| i.is_ca) {
            self.insert(&cert);
        }
        cert
    }

    /// Keyed like `Der`: the length and the last 32 bytes; the bytes are compared whole.
    fn key(der: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
        KEYS.get_or_init(Default::default).hash_one(Der(der))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ParsedInner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lookup(&self, der: &[u8]) -> Option<Arc<Certificate>> {
        let inner = self.lock();
        let list = inner.map.get(&Self::key(der))?;
        list.iter().find(|c| c.der() == der).map(Arc::clone)
    }

    fn insert(&self, cert: &Arc<Certificate>) {
        let key = Self::key(cert.der());
        let mut inner = self.lock();
        if inner.len >= Self::CAPACITY {
            inner.map.clear();
            inner.len = 0;
        }
        let list = inner.map.entry(key).or_default();
        if list.len() < Self::PER_KEY && !list.iter().any(|c| c.der() == cert.der()) {
            list.push(Arc::clone(cert));
            inner.len += 1;
        }
    }
}

/// An object identifier from its dotted form, at compile time.
pub(crate) const fn oid(s: &str) -> const_oid::ObjectIdentifier {
    const_oid::ObjectIdentifier::new_unwrap(s)
}

/// Whether `bytes` look like a MIME entity (a header line first: a name of visible ASCII
/// characters, then a colon) rather than CMS text. For telling message files in a folder from
/// other files; a message is verified whatever it starts with.
pub fn looks_like_message(bytes: &[u8]) -> bool {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    match line.iter().position(|&b| b == b':') {
        Some(colon) => line
            .get(..colon)
            .is_some_and(|name| !name.is_empty() && name.iter().all(|b| b.is_ascii_graphic())),
        None => false,
    }
}

/// CMS bytes in `input`, if it is a CMS file: DER/BER, PEM (`PKCS7`, `CMS`) or bare base64.
fn cms_bytes(input: &[u8]) -> Option<Cow<'_, [u8]>> {
    if input.first() == Some(&0x30) {
        return Some(Cow::Borrowed(input));
    }
    let trimmed = input.trim_ascii_start();
    if trimmed.starts_with(b"-----BEGIN") {
        let (label, der) = pem_rfc7468::decode_vec(trimmed).ok()?;
        return matches!(label, "PKCS7" | "CMS").then_some(Cow::Owned(der));
    }
    if trimmed.is_empty()
        || !trimmed
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n \t".contains(b))
    {
        return None;
    }
    let compact: Vec<u8> = trimmed
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()?;
    (der.first() == Some(&0x30)).then_some(Cow::Owned(der))
}

impl<'v> Verifier<'v> {
    /// A verifier over `validator` (which holds the trust anchors, extra intermediates and
    /// CRLs, and whose signature verifier is used for messages too).
    pub fn new(validator: &'v Validator<'v>, options: Options) -> Self {
        let certs = validator
            .anchors()
            .iter()
            .map(|a| a.certificate())
            .chain(validator.intermediates());
        Verifier {
            validator,
            index: CertIndex::new(certs),
            options,
            parsed: ParsedCerts::default(),
        }
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Verifies one input: with `content`, a detached CMS signature over it; otherwise a CMS
    /// file (DER, BER, PEM or base64; its content inside) or, failing that, a MIME message.
    pub fn verify(&self, input: &[u8], content: Option<&[u8]>) -> Report {
        if content.is_some() {
            return self.verify_cms(input, content);
        }
        if !looks_like_message(input)
            && let Some(der) = cms_bytes(input)
        {
            return self.verify_cms(&der, None);
        }
        self.verify_message(input)
    }

    /// Verifies an RFC 5322 message.
    pub fn verify_message(&self, message: &[u8]) -> Report {
        let mut state = State::new(self.options.max_multiparts, self.options.chain.budget);
        let result = self.root(message, &mut state);
        state.finish(result.err())
    }

    /// Verifies a bare CMS SignedData (DER, BER, PEM or base64): opaque, or detached with
    /// `content`.
    pub fn verify_cms(&self, cms: &[u8], content: Option<&[u8]>) -> Report {
        let mut state = State::new(self.options.max_multiparts, self.options.chain.budget);
        let Some(der) = cms_bytes(cms) else {
            let e = Error::cms(0, "not a CMS structure (DER, BER, PEM or base64)");
            return state.finish(Some(e));
        };
        let result = match content {
            Some(c) => self.signed_layer(
                &der,
                Some(signer::Content::detached(c)),
                LayerKind::DetachedCms,
                &mut state,
            ),
            None => self.opaque(&der, LayerKind::OpaqueCms, &mut state, None),
        };
        state.finish(result.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20,000 nested multiparts (which would overflow the stack of a parser that recurses
    /// without a bound, `mailparse::parse_mail`'s) end in an error.
    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let mut message = String::new();
        for i in 0..20_000 {
            message.push_str(&format!(
                "Content-Type: Multipart/Mixed; boundary=\"b{i}x\"\r\n\r\n--b{i}x\r\n"
            ));
        }
        message.push_str("Content-Type: text/plain\r\n\r\nhi\r\n");
        for i in (0..20_000).rev() {
            message.push_str(&format!("--b{i}x--\r\n"));
        }
        let report = verify_bytes(message.as_bytes());
        assert_eq!(report.status, Status::Error);
        assert_eq!(report.code, Some(Code::Input(ErrorCode::MimeTooComplex)));
        // With a signature at the bottom, the same: the walk never reaches it.
        let signed = message.replace(
            "Content-Type: text/plain\r\n\r\nhi\r\n",
            "Content-Type: application/pkcs7-mime\r\nContent-Transfer-Encoding: base64\r\n\r\nMAA=\r\n",
        );
        assert_eq!(
            verify_bytes(signed.as_bytes()).code,
            Some(Code::Input(ErrorCode::MimeTooComplex))
        );
    }

    fn verify_bytes(message: &[u8]) -> Report {
        let anchors = [];
        let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
        let verifier = Verifier::new(&validator, Options::at(time::OffsetDateTime::UNIX_EPOCH));
        verifier.verify(message, None)
    }

    /// Parts are found one at a time: 200,000 parts are walked, not held.
    #[test]
    fn wide_multiparts_are_walked_lazily() {
        let mut message = b"Content-Type: multipart/mixed; boundary=b\r\n\r\n".to_vec();
        for _ in 0..200_000 {
            message.extend_from_slice(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        }
        message.extend_from_slice(b"--b--\r\n");
        assert_eq!(verify_bytes(&message).status, Status::NotSigned);
    }

    #[test]
    fn multipart_signed_needs_two_parts() {
        let message = b"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b\r\n\r\ntwo\r\n--b\r\n\r\nthree\r\n--b--\r\n";
        let report = verify_bytes(message);
        assert_eq!(report.code, Some(Code::Input(ErrorCode::MimeMalformed)));
        assert!(
            report
                .message
                .as_deref()
                .is_some_and(|m| m.contains("has 3 parts")),
            "{:?}",
            report.message
        );
    }

    #[test]
    fn parsed_certificates_are_shared_and_bounded() {
        let cache = ParsedCerts::default();
        let keep = |der: &[u8]| {
            let c = Arc::new(Certificate::from_der(der.to_vec()));
            cache.insert(&c);
            c
        };
        let a = keep(b"not a certificate");
        assert!(
            cache
                .lookup(b"not a certificate")
                .is_some_and(|c| Arc::ptr_eq(&a, &c))
        );
        // Same length and last 32 bytes (one key), different bytes: both kept, told apart.
        let (x, mut x2) = ([1u8; 40], [1u8; 40]);
        x2[..8].copy_from_slice(&[9; 8]);
        let _ = (keep(&x), keep(&x2));
        assert_eq!(
            cache.lookup(&x2).map(|c| c.der().to_vec()),
            Some(x2.to_vec())
        );
        assert_eq!(cache.lookup(&x).map(|c| c.der().to_vec()), Some(x.to_vec()));
        assert!(cache.lookup(&[1u8; 41]).is_none());
        // End entities (here: bytes that are no certificate at all) are parsed, not kept.
        let _ = cache.get(b"another one");
        assert!(cache.lookup(b"another one").is_none());
        for i in 0..ParsedCerts::CAPACITY as u32 + 10 {
            let _ = keep(&i.to_be_bytes());
        }
        let inner = cache.lock();
        let kept: usize = inner.map.values().map(Vec::len).sum();
        assert_eq!(kept, inner.len);
        assert!(kept <= ParsedCerts::CAPACITY);
        drop(inner);
        // Colliding keys: at most PER_KEY kept under one.
        for i in 0..20u8 {
            let mut z = [0u8; 40];
            z[0] = i;
            let _ = keep(&z);
        }
        assert!(
            cache
                .lock()
                .map
                .values()
                .all(|l| l.len() <= ParsedCerts::PER_KEY)
        );
    }

    #[test]
    fn cms_detection() {
        assert!(cms_bytes(&[0x30, 0x00]).is_some());
        assert!(cms_bytes(b"MAA=\n").is_some());
        assert!(cms_bytes(b"Subject: x\r\n\r\nbody").is_none());
        assert!(looks_like_message(b"Content-Type: text/plain\r\n"));
        assert!(!looks_like_message(b"MIIB\n"));
    }
}
