//! What a verification found: one [`Report`] per message.

use std::fmt;

use time::OffsetDateTime;

use crate::ErrorCode;

/// The verdict on a message, a layer or a signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// Every signature verifies and every signer's certificate validates.
    Valid,
    /// Valid, but with SHA-1 (unless allowed) or a key under 2048 bits somewhere.
    ValidWeak,
    /// A signature or a signer's certificate fails; [`Report::code`] says why.
    Invalid,
    /// Signatures verify, but below unsigned MIME structure: they cover some parts of the
    /// message, not the whole body ([`Report::parts`] lists which).
    PartiallySigned,
    /// No S/MIME signature anywhere in the message.
    NotSigned,
    /// The message is encrypted (enveloped-data) and carries no signature outside the
    /// encryption: nothing to verify without the recipient's key.
    Encrypted,
    /// The input could not be read as a message or CMS structure.
    Error,
}

impl Status {
    /// `valid`, `valid-weak`, `invalid`, `partially-signed`, `not-signed`, `encrypted` or
    /// `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::ValidWeak => "valid-weak",
            Status::Invalid => "invalid",
            Status::PartiallySigned => "partially-signed",
            Status::NotSigned => "not-signed",
            Status::Encrypted => "encrypted",
            Status::Error => "error",
        }
    }

    /// Whether this is `valid` or `valid-weak`.
    pub fn is_valid(self) -> bool {
        matches!(self, Status::Valid | Status::ValidWeak)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of layer of a message was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LayerKind {
    /// `multipart/signed` with an `application/(x-)pkcs7-signature` part (clear-signed).
    MultipartSigned,
    /// `application/(x-)pkcs7-mime` signed-data (opaque-signed).
    OpaqueSigned,
    /// A bare CMS SignedData file with its content inside (`.p7m`).
    OpaqueCms,
    /// A bare detached CMS SignedData file whose content was given separately (`.p7s`).
    DetachedCms,
    /// `application/(x-)pkcs7-mime` enveloped-data (or authEnveloped-data): encrypted.
    Encrypted,
}

impl LayerKind {
    /// `multipart-signed`, `opaque-signed`, `opaque-cms`, `detached-cms` or `encrypted`.
    pub fn as_str(self) -> &'static str {
        match self {
            LayerKind::MultipartSigned => "multipart-signed",
            LayerKind::OpaqueSigned => "opaque-signed",
            LayerKind::OpaqueCms => "opaque-cms",
            LayerKind::DetachedCms => "detached-cms",
            LayerKind::Encrypted => "encrypted",
        }
    }
}

/// One layer, outermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Layer {
    /// What it is.
    pub kind: LayerKind,
    /// Its verdict (`encrypted` for an encrypted layer).
    pub status: Status,
    /// Why it is not valid.
    pub code: Option<Code>,
}

/// A certificate of a signer's path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ChainEntry {
    /// SHA-1 thumbprint, upper-case hex.
    pub sha1: String,
    /// Subject, RFC 4514.
    pub subject: String,
}

/// One signer of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct SignerReport {
    /// The index of its layer in [`Report::layers`].
    pub layer: usize,
    /// The signer certificate's subject (`None` when no certificate matched).
    pub subject: Option<String>,
    /// The signer certificate's first email address (SAN rfc822Name, else subject
    /// emailAddress); the one matching the From address when there is one.
    pub email: Option<String>,
    /// The signer certificate's SHA-1 thumbprint.
    pub sha1: Option<String>,
    /// The signingTime attribute.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser::time_opt"))]
    pub signing_time: Option<OffsetDateTime>,
    /// The time the certificate was validated at.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser::time"))]
    pub validated_at: OffsetDateTime,
    /// `sha-256`, …, or the dotted OID when unknown.
    pub digest_algorithm: String,
    /// The signature algorithm's name (`rsaEncryption`, `ecdsa-with-SHA256`, `id-Ed25519`, …)
    /// or dotted OID.
    pub signature_algorithm: String,
    /// `valid`, `valid-weak` or `invalid`.
    pub status: Status,
    /// Why it is invalid.
    pub code: Option<Code>,
    /// What failed, naming the certificate where there is one.
    pub message: Option<String>,
    /// The validated path, signer first, trust anchor last (empty unless it validated).
    pub chain: Vec<ChainEntry>,
}

/// Something worth knowing that did not decide the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Warning {
    /// What kind of warning.
    pub code: WarningCode,
    /// What, naming the signer or certificate.
    pub message: String,
}

smimetrust_x509::code_enum! {
    /// The failures of a signer this crate finds (besides validation's and the signature's).
    pub enum FailureCode {
        /// The messageDigest attribute is not the digest of the content.
        DigestMismatch = "digest-mismatch",
        /// The contentType attribute is not the eContentType.
        ContentTypeMismatch = "content-type-mismatch",
        /// A signed attribute RFC 5652 requires is missing.
        MissingSignedAttribute = "missing-signed-attribute",
        /// A signed attribute does not decode, or appears twice.
        MalformedSignedAttribute = "malformed-signed-attribute",
        /// No certificate matches the signer identifier.
        SignerNotFound = "signer-not-found",
        /// The signature does not cover the content in any of its readings.
        ContentMismatch = "content-mismatch",
        /// A SignedData without a SignerInfo.
        NoSigners = "no-signers",
        /// The From address is not in the signer's certificate (with the match required).
        EmailMismatch = "email-mismatch",
        /// The message has no From field, or one without a mailbox (with the match
        /// required).
        FromMissing = "from-missing",
        /// The From field does not parse as RFC 5322 mailboxes (with the match required).
        FromUnparseable = "from-unparseable",
        /// The From field is a group (with the match required).
        FromGroup = "from-group",
        /// More than one From field, or more than one mailbox in it (with the match
        /// required).
        FromMultiple = "from-multiple",
        /// Validating at the signing time, the signingTime is after the verification time.
        SigningTimeInFuture = "signing-time-in-future",
        /// S/MIME content that is not id-data (RFC 8551 3.1).
        UnexpectedContentType = "unexpected-content-type",
        /// Not validated: the layer was already invalid.
        NotValidated = "not-validated",
    }
}

smimetrust_x509::code_enum! {
    /// The warnings this crate adds to the signature's weaknesses.
    pub enum NoticeCode {
        /// The From address is not in the signer's certificate.
        EmailMismatch = "email-mismatch",
        /// Asked to validate at the signing time, but the signer has no signingTime
        /// attribute: validated at the given time instead.
        SigningTimeMissing = "signing-time-missing",
        /// A multipart/signed message whose protocol is not S/MIME (e.g. OpenPGP).
        NotSmimeSigned = "not-smime-signed",
        /// A multipart/signed without a protocol parameter whose second part is an S/MIME
        /// signature (as Thunderbird 52 wrote): verified.
        ProtocolMissing = "protocol-missing",
        /// A SignedData without signers (certificates only): nothing is signed.
        CertsOnly = "certs-only",
        /// An attached message (message/rfc822) carries its own signature, which is not this
        /// message's.
        SignedAttachment = "signed-attachment",
        /// The From field has no mailbox.
        FromMissing = "from-missing",
        /// The From field does not parse.
        FromUnparseable = "from-unparseable",
        /// The From field is a group.
        FromGroup = "from-group",
        /// More than one From field or mailbox.
        FromMultiple = "from-multiple",
        /// A From display name is an address other than its mailbox.
        DisplayNameAddress = "display-name-address",
        /// A header field inside the signed body differs from the message's own.
        ProtectedHeaderMismatch = "protected-header-mismatch",
        /// More parts than are listed.
        PartsTruncated = "parts-truncated",
    }
}

/// The code of a [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningCode {
    /// `weak-sha1` or `weak-key`.
    Weak(smimetrust_sig::WarningCode),
    /// One of this crate's.
    Notice(NoticeCode),
    /// One of path validation's (`revocation-unchecked`).
    Path(smimetrust_path::NoticeCode),
}

impl WarningCode {
    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::Weak(c) => c.as_str(),
            WarningCode::Notice(c) => c.as_str(),
            WarningCode::Path(c) => c.as_str(),
        }
    }
}

impl From<smimetrust_path::WarningCode> for WarningCode {
    fn from(c: smimetrust_path::WarningCode) -> Self {
        match c {
            smimetrust_path::WarningCode::Weak(w) => WarningCode::Weak(w),
            smimetrust_path::WarningCode::Notice(n) => WarningCode::Path(n),
        }
    }
}

impl From<smimetrust_sig::WarningCode> for WarningCode {
    fn from(c: smimetrust_sig::WarningCode) -> Self {
        WarningCode::Weak(c)
    }
}

impl From<NoticeCode> for WarningCode {
    fn from(c: NoticeCode) -> Self {
        WarningCode::Notice(c)
    }
}

/// Why a message, layer or signer is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The signer's certificate or a signature does not validate (`expired`,
    /// `bad-signature`, …: `smimetrust-path`'s reasons, the signature's among them).
    Validation(smimetrust_path::Reason),
    /// A signer failure of this crate.
    Signer(FailureCode),
    /// The input is not a readable message or CMS structure.
    Input(ErrorCode),
    /// `io-error`: the input could not be read ([`Report::io_error`]).
    IoError,
}

impl Code {
    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Validation(r) => r.as_str(),
            Code::Signer(c) => c.as_str(),
            Code::Input(c) => c.as_str(),
            Code::IoError => "io-error",
        }
    }
}

impl From<smimetrust_path::Reason> for Code {
    fn from(r: smimetrust_path::Reason) -> Self {
        Code::Validation(r)
    }
}

impl From<smimetrust_sig::Reason> for Code {
    fn from(r: smimetrust_sig::Reason) -> Self {
        Code::Validation(r.into())
    }
}

impl From<FailureCode> for Code {
    fn from(c: FailureCode) -> Self {
        Code::Signer(c)
    }
}

impl From<ErrorCode> for Code {
    fn from(c: ErrorCode) -> Self {
        Code::Input(c)
    }
}

macro_rules! str_like {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    )*};
}
str_like!(Code, WarningCode);

/// One MIME entity of a message outside its signatures, listed when a signature is found
/// below unsigned structure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Part {
    /// Its MIME path: `1`, `2`, `2.1`, … (the IMAP part numbers).
    pub path: String,
    /// Its media type, lower case.
    pub content_type: String,
    /// Its bytes in the message, headers and body.
    pub size: usize,
    /// Whether it is a signed entity (its whole content covered by a signature).
    pub signed: bool,
}

/// The verdict on one message or CMS file. With the `serde` feature it serializes as the JSON
/// line `smimetrust verify --format json` prints (less the file name and index, which the
/// caller adds): the schema is defined here, once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Report {
    /// The overall verdict: `error` if any layer could not be read, else `invalid` if any signed
    /// layer is invalid, else `partially-signed` when the signatures are below unsigned
    /// structure, else `valid-weak` or `valid` when there is a signed layer, else `encrypted`
    /// or `not-signed`.
    pub status: Status,
    /// Why the message is not valid: the code of the first failing layer.
    pub code: Option<Code>,
    /// What failed, in one line.
    pub message: Option<String>,
    /// The From address of the message, when there is one.
    pub from: Option<String>,
    /// The layers, outermost first.
    pub layers: Vec<Layer>,
    /// Every signer of every signed layer.
    pub signers: Vec<SignerReport>,
    /// Warnings (weak algorithms, email mismatch, …).
    pub warnings: Vec<Warning>,
    /// The parts outside signatures, when a signature is below unsigned structure (else
    /// empty, and left out of the JSON).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub parts: Vec<Part>,
    /// The header fields the signature covering the message carries in its signed body
    /// (protected headers: `From`, `Subject`, …); empty when, as usual, no header field is
    /// signed (and then left out of the JSON).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub signed_headers: Vec<String>,
}

#[cfg(feature = "serde")]
mod ser {
    use serde::{Serialize, Serializer};
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    use super::{Code, LayerKind, Status, WarningCode};

    fn rfc3339(t: &OffsetDateTime) -> String {
        t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
    }

    pub(super) fn time<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&rfc3339(t))
    }

    pub(super) fn time_opt<S: Serializer>(
        t: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        t.as_ref().map(rfc3339).serialize(s)
    }

    impl Serialize for Status {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl Serialize for Code {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl Serialize for WarningCode {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl Serialize for LayerKind {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }
}

impl Report {
    /// The report on an input that could not be read (status `error`, code `io-error`):
    /// `message` says what and why, naming the input.
    pub fn io_error(message: impl Into<String>) -> Report {
        Report {
            status: Status::Error,
            code: Some(Code::IoError),
            message: Some(message.into()),
            from: None,
            layers: Vec::new(),
            signers: Vec::new(),
            warnings: Vec::new(),
            parts: Vec::new(),
            signed_headers: Vec::new(),
        }
    }

    /// Whether this is the report of an input that could not be read ([`Report::io_error`]).
    pub fn is_io_error(&self) -> bool {
        self.code == Some(Code::IoError)
    }
}
