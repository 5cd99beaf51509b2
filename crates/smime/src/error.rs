//! The one error type of this crate: input that cannot be read as a message or a CMS structure.
//!
//! A verification *failure* (a bad signature, an untrusted signer) is not an error: it is a
//! [`Report`](crate::Report) with status `invalid`. An [`Error`] means the input could not be
//! read at all; it becomes a report with status `error` and the error's code.

use std::fmt;

/// Why an input could not be read. Each variant has a stable kebab-case [`code`](Error::code)
/// documented in `docs/diagnostics.md`; offsets are byte positions in the CMS structure (the
/// decoded signature, for one inside a message) or in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The MIME structure is broken: a multipart/signed without its two parts, a signature part
    /// whose transfer encoding does not decode, headers that do not parse.
    #[error("malformed mime: {detail}")]
    Mime {
        /// What is wrong, naming the part.
        detail: String,
    },

    /// The MIME structure can be read in more than one way (a field or parameter given twice,
    /// a header line without a colon, a line that starts like a delimiter but is none, …): a
    /// mail client may show another structure than the one verified, so none is.
    #[error("ambiguous mime: {detail}")]
    Ambiguous {
        /// What can be read two ways, naming the field or the byte.
        detail: String,
    },

    /// The MIME structure is too deeply nested or has too many parts to be processed safely.
    #[error("mime structure too complex: {detail}")]
    TooComplex {
        /// What limit was reached.
        detail: String,
    },

    /// The CMS structure is broken.
    #[error("malformed cms at byte {offset}: {detail}")]
    Cms {
        /// Where, in the CMS bytes.
        offset: usize,
        /// What is wrong (lower case).
        detail: String,
    },

    /// A detached signature (no encapsulated content) was given without its content.
    #[error(
        "the signature is detached and no content was given (the signed content must be given beside it)"
    )]
    DetachedContentMissing,

    /// More signature layers (nested or side by side) than the limit.
    #[error("more than {limit} signature layers")]
    TooManyLayers {
        /// The limit.
        limit: usize,
    },
}

smimetrust_x509::code_enum! {
    /// The stable code of an [`Error`].
    pub enum ErrorCode {
        /// The MIME structure does not parse.
        MimeMalformed = "mime-malformed",
        /// The MIME structure can be read in more than one way.
        MimeAmbiguous = "mime-ambiguous",
        /// More MIME parts or nesting than the limits allow.
        MimeTooComplex = "mime-too-complex",
        /// The CMS structure does not parse.
        CmsMalformed = "cms-malformed",
        /// A detached signature without its content.
        DetachedContentMissing = "detached-content-missing",
        /// Signatures nested deeper than the limit.
        TooManyLayers = "too-many-layers",
    }
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Mime { .. } => ErrorCode::MimeMalformed,
            Error::Ambiguous { .. } => ErrorCode::MimeAmbiguous,
            Error::TooComplex { .. } => ErrorCode::MimeTooComplex,
            Error::Cms { .. } => ErrorCode::CmsMalformed,
            Error::DetachedContentMissing => ErrorCode::DetachedContentMissing,
            Error::TooManyLayers { .. } => ErrorCode::TooManyLayers,
        }
    }

    /// The byte offset, for CMS errors.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Cms { offset, .. } => Some(*offset),
            _ => None,
        }
    }

    pub(crate) fn cms(offset: usize, detail: impl fmt::Display) -> Self {
        Error::Cms {
            offset,
            detail: detail.to_string(),
        }
    }

    pub(crate) fn ambiguous(detail: impl Into<String>) -> Self {
        Error::Ambiguous {
            detail: detail.into(),
        }
    }

    pub(crate) fn mime(detail: impl Into<String>) -> Self {
        Error::Mime {
            detail: detail.into(),
        }
    }
}

impl From<smimetrust_x509::tlv::WalkError> for Error {
    fn from(e: smimetrust_x509::tlv::WalkError) -> Self {
        Error::Cms {
            offset: e.offset,
            detail: e.reason,
        }
    }
}
