//! The crate's one error type.

/// What can go wrong reading a saved current value or building a merged upload.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The saved current value is neither a serialized store, nor base64 text, nor one decimal
    /// number per line.
    #[error(
        "not a saved SMIMECertificateIssuingCA value: expected the raw .sst bytes, base64 text, or one decimal number (0-255) per line as PowerShell prints a byte[]"
    )]
    CurrentUnrecognized,
    /// A line of a decimal-per-line value is not a number from 0 to 255.
    #[error(
        "line {line}: {text:?} is not a byte value (0 to 255); a decimal value has one number per line"
    )]
    CurrentBadDecimal {
        /// The line number, from 1.
        line: usize,
        /// The line (trimmed, shortened, control characters replaced).
        text: String,
    },
    /// Base64 text that does not decode.
    #[error("not valid base64: {reason}")]
    CurrentBadBase64 {
        /// The decoder's explanation.
        reason: String,
    },
    /// The decoded value is not a serialized certificate store.
    #[error(
        "the {encoding} value decodes to {len} bytes that are not a certificate store: {source}"
    )]
    CurrentNotSst {
        /// `raw`, `base64` or `decimal`.
        encoding: &'static str,
        /// The decoded length.
        len: usize,
        /// Why the store reader refused it.
        source: smimetrust_sst::Error,
    },
    /// A certificate asked to be removed is in neither the current value nor the new store.
    #[error(
        "no certificate with SHA-1 {sha1} is in the current value or the inputs; nothing to remove"
    )]
    RemoveNotFound {
        /// The thumbprint asked for (upper-case hex).
        sha1: String,
    },
    /// The merged store cannot be encoded.
    #[error("the merged store: {0}")]
    Sst(#[from] smimetrust_sst::Error),
}

smimetrust_x509::code_enum! {
    /// The codes of this crate's own errors.
    pub enum ErrorCode {
        /// The saved current value is none of the forms read.
        CurrentUnrecognized = "current-unrecognized",
        /// The saved value's decimal bytes do not parse.
        CurrentBadDecimal = "current-bad-decimal",
        /// The saved value's base64 does not decode.
        CurrentBadBase64 = "current-bad-base64",
        /// The saved value is not a serialized store.
        CurrentNotSst = "current-not-sst",
        /// A certificate asked to be removed is nowhere.
        RemoveNotFound = "remove-not-found",
    }
}

impl Error {
    /// The stable kebab-case code, documented in `docs/diagnostics.md` (for [`Error::Sst`],
    /// the store codec's).
    pub fn code(&self) -> &'static str {
        match self {
            Error::CurrentUnrecognized => ErrorCode::CurrentUnrecognized.as_str(),
            Error::CurrentBadDecimal { .. } => ErrorCode::CurrentBadDecimal.as_str(),
            Error::CurrentBadBase64 { .. } => ErrorCode::CurrentBadBase64.as_str(),
            Error::CurrentNotSst { .. } => ErrorCode::CurrentNotSst.as_str(),
            Error::RemoveNotFound { .. } => ErrorCode::RemoveNotFound.as_str(),
            Error::Sst(e) => e.code().as_str(),
        }
    }
}
