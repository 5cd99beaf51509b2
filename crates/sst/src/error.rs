//! The one error type of this crate.

use crate::ElementKind;

/// Everything that can go wrong reading, decoding or building a serialized store.
///
/// Offsets are byte positions in the input given to the parser (for a store file: from the start
/// of the file). Every variant has a stable kebab-case [`code`](Error::code), documented in the
/// project's `docs/diagnostics.md`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input has no bytes at all.
    #[error("empty input: neither a store header nor a serialized element")]
    Empty,

    /// The input starts like a store but is shorter than the 8-byte header.
    #[error("truncated store header: {len} bytes where 8 are needed")]
    TruncatedHeader {
        /// How many bytes the input has.
        len: usize,
    },

    /// The header's version field is not 0.
    #[error("unsupported store version {version} at byte 0 (Windows writes version 0)")]
    BadVersion {
        /// The version found.
        version: u32,
    },

    /// The header's type field is not `"CERT"` (0x54524543).
    #[error("bad store magic {found:#010x} at byte 4: expected 0x54524543 (\"CERT\")")]
    BadMagic {
        /// The little-endian value found at byte 4.
        found: u32,
    },

    /// Fewer than the 12 bytes of a record header are left.
    #[error("truncated record header at byte {offset}: {available} bytes left where 12 are needed")]
    TruncatedRecord {
        /// Where the record starts.
        offset: usize,
        /// How many bytes are left from there.
        available: usize,
    },

    /// A record's length field is larger than the bytes that remain.
    #[error(
        "record at byte {offset} (id {id}) declares {length} data bytes but only {available} remain"
    )]
    RecordOverrun {
        /// Where the record starts.
        offset: usize,
        /// The record's id.
        id: u32,
        /// The declared data length.
        length: u32,
        /// The bytes left after the record header.
        available: usize,
    },

    /// A store ends without the 12 zero bytes of the end marker.
    #[error(
        "missing end marker: the store ends at byte {offset} without the 12 zero bytes that close it"
    )]
    MissingEndMarker {
        /// The length of the input (where the end marker was expected).
        offset: usize,
    },

    /// Bytes follow the end marker (or a lone element's context record).
    #[error("{length} unexpected bytes after the end of the data at byte {offset}")]
    TrailingData {
        /// Where the unexpected bytes start.
        offset: usize,
        /// How many there are.
        length: usize,
    },

    /// A record with id 0 whose other fields are not zero.
    #[error(
        "malformed end marker at byte {offset}: id 0 with encoding type {encoding:#x} and length {length}"
    )]
    BadEndMarker {
        /// Where the record starts.
        offset: usize,
        /// Its encoding-type field.
        encoding: u32,
        /// Its length field.
        length: u32,
    },

    /// A record's encoding-type field is not X509_ASN_ENCODING (1), optionally with
    /// PKCS_7_ASN_ENCODING (0x10000).
    #[error(
        "record at byte {offset} (id {id}) has encoding type {encoding:#x}; expected 1 (X509_ASN_ENCODING)"
    )]
    BadEncodingType {
        /// Where the record starts.
        offset: usize,
        /// The record's id.
        id: u32,
        /// The encoding type found.
        encoding: u32,
    },

    /// A certificate, CRL or CTL record with no data.
    #[error("empty {kind} record at byte {offset}")]
    EmptyElement {
        /// Where the record starts.
        offset: usize,
        /// What the record should have held.
        kind: ElementKind,
    },

    /// The data of a certificate, CRL or CTL record is not one DER SEQUENCE spanning the record.
    #[error("{kind} data at byte {offset} is not a DER SEQUENCE spanning the record: {reason}")]
    NotDer {
        /// Where the data starts.
        offset: usize,
        /// What the record should have held.
        kind: ElementKind,
        /// What is wrong with it.
        reason: String,
    },

    /// Property records that no certificate, CRL or CTL record follows.
    #[error(
        "{count} property record(s) from byte {offset} are not followed by a certificate, CRL or CTL record"
    )]
    DanglingProperties {
        /// Where the first of them starts.
        offset: usize,
        /// How many there are.
        count: usize,
    },

    /// An end marker inside a lone serialized element, which has none.
    #[error("end marker at byte {offset} inside a lone serialized element")]
    UnexpectedEndMarker {
        /// Where the record starts.
        offset: usize,
    },

    /// A property value that does not decode as its id says it should.
    #[error("property {id} ({name}) is malformed: {reason}")]
    BadProperty {
        /// The property id.
        id: u32,
        /// The property's name (`"unknown"` for ids this crate does not name).
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// Data too large for a record's 32-bit length field.
    #[error("{len} bytes are too many for one store record (the length field is 32 bits)")]
    TooLarge {
        /// The size asked for.
        len: usize,
    },
}

impl Error {
    /// The stable diagnostic code, e.g. `sst-record-overrun`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Empty => ErrorCode::Empty,
            Error::TruncatedHeader { .. } => ErrorCode::TruncatedHeader,
            Error::BadVersion { .. } => ErrorCode::BadVersion,
            Error::BadMagic { .. } => ErrorCode::BadMagic,
            Error::TruncatedRecord { .. } => ErrorCode::TruncatedRecord,
            Error::RecordOverrun { .. } => ErrorCode::RecordOverrun,
            Error::MissingEndMarker { .. } => ErrorCode::MissingEndMarker,
            Error::TrailingData { .. } => ErrorCode::TrailingData,
            Error::BadEndMarker { .. } => ErrorCode::BadEndMarker,
            Error::BadEncodingType { .. } => ErrorCode::BadEncodingType,
            Error::EmptyElement { .. } => ErrorCode::EmptyElement,
            Error::NotDer { .. } => ErrorCode::NotDer,
            Error::DanglingProperties { .. } => ErrorCode::DanglingProperties,
            Error::UnexpectedEndMarker { .. } => ErrorCode::UnexpectedEndMarker,
            Error::BadProperty { .. } => ErrorCode::BadProperty,
            Error::TooLarge { .. } => ErrorCode::TooLarge,
        }
    }

    /// The byte offset in the input the error applies to, where there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Empty | Error::BadProperty { .. } | Error::TooLarge { .. } => None,
            Error::TruncatedHeader { .. } | Error::BadVersion { .. } => Some(0),
            Error::BadMagic { .. } => Some(4),
            Error::TruncatedRecord { offset, .. }
            | Error::RecordOverrun { offset, .. }
            | Error::MissingEndMarker { offset }
            | Error::TrailingData { offset, .. }
            | Error::BadEndMarker { offset, .. }
            | Error::BadEncodingType { offset, .. }
            | Error::EmptyElement { offset, .. }
            | Error::NotDer { offset, .. }
            | Error::DanglingProperties { offset, .. }
            | Error::UnexpectedEndMarker { offset } => Some(*offset),
        }
    }
}

/// The stable code of an [`Error`], documented in `docs/diagnostics.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `sst-empty`.
    Empty,
    /// `sst-truncated-header`.
    TruncatedHeader,
    /// `sst-bad-version`.
    BadVersion,
    /// `sst-bad-magic`.
    BadMagic,
    /// `sst-truncated-record`.
    TruncatedRecord,
    /// `sst-record-overrun`.
    RecordOverrun,
    /// `sst-missing-end-marker`.
    MissingEndMarker,
    /// `sst-trailing-data`.
    TrailingData,
    /// `sst-bad-end-marker`.
    BadEndMarker,
    /// `sst-bad-encoding-type`.
    BadEncodingType,
    /// `sst-empty-element`.
    EmptyElement,
    /// `sst-not-der`.
    NotDer,
    /// `sst-dangling-properties`.
    DanglingProperties,
    /// `sst-unexpected-end-marker`.
    UnexpectedEndMarker,
    /// `sst-bad-property`.
    BadProperty,
    /// `sst-too-large`.
    TooLarge,
}

impl ErrorCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Empty,
        ErrorCode::TruncatedHeader,
        ErrorCode::BadVersion,
        ErrorCode::BadMagic,
        ErrorCode::TruncatedRecord,
        ErrorCode::RecordOverrun,
        ErrorCode::MissingEndMarker,
        ErrorCode::TrailingData,
        ErrorCode::BadEndMarker,
        ErrorCode::BadEncodingType,
        ErrorCode::EmptyElement,
        ErrorCode::NotDer,
        ErrorCode::DanglingProperties,
        ErrorCode::UnexpectedEndMarker,
        ErrorCode::BadProperty,
        ErrorCode::TooLarge,
    ];

    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Empty => "sst-empty",
            ErrorCode::TruncatedHeader => "sst-truncated-header",
            ErrorCode::BadVersion => "sst-bad-version",
            ErrorCode::BadMagic => "sst-bad-magic",
            ErrorCode::TruncatedRecord => "sst-truncated-record",
            ErrorCode::RecordOverrun => "sst-record-overrun",
            ErrorCode::MissingEndMarker => "sst-missing-end-marker",
            ErrorCode::TrailingData => "sst-trailing-data",
            ErrorCode::BadEndMarker => "sst-bad-end-marker",
            ErrorCode::BadEncodingType => "sst-bad-encoding-type",
            ErrorCode::EmptyElement => "sst-empty-element",
            ErrorCode::NotDer => "sst-not-der",
            ErrorCode::DanglingProperties => "sst-dangling-properties",
            ErrorCode::UnexpectedEndMarker => "sst-unexpected-end-marker",
            ErrorCode::BadProperty => "sst-bad-property",
            ErrorCode::TooLarge => "sst-too-large",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
