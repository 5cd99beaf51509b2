//! The one error type of this crate.

use std::fmt;

/// A PEM block or a PKCS#7 bundle that does not decode, or output too large to encode.
///
/// Each variant names the input (empty when the caller passed bare bytes: see
/// [`Error::in_file`]) and the byte offset of the problem, and has a stable kebab-case
/// [`code`](Error::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A PEM block with a certificate, CRL or PKCS#7 label that does not decode.
    #[error("{}PEM block {label:?} at byte {offset}: {reason}", Prefix(file))]
    Pem {
        /// The input's name.
        file: String,
        /// Where the block's `-----BEGIN` line starts.
        offset: usize,
        /// The block's label.
        label: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A PKCS#7 (CMS SignedData) bundle whose structure is broken.
    #[error(
        "{}malformed PKCS#7 bundle at byte {offset}{}: {reason}",
        Prefix(file),
        InPem(pem_block)
    )]
    Pkcs7 {
        /// The input's name (empty when [`crate::pkcs7::read`] was called on bare bytes).
        file: String,
        /// Where the problem is, in the DER (for a PEM-wrapped bundle: in the decoded block).
        offset: usize,
        /// For a PEM-wrapped bundle, where its `-----BEGIN` line starts in the file.
        pem_block: Option<usize>,
        /// What is wrong.
        reason: String,
    },

    /// Output that does not fit the 32-bit DER length of a PKCS#7 bundle.
    #[error("{len} bytes are too many for one PKCS#7 bundle (4 GiB at most)")]
    TooLarge {
        /// The size asked for.
        len: usize,
    },
}

crate::code_enum! {
    /// The stable code of an [`Error`].
    pub enum ErrorCode {
        /// A PEM block that does not decode.
        InputPem = "input-pem",
        /// A malformed PKCS#7 bundle.
        InputPkcs7 = "input-pkcs7",
        /// More than one PKCS#7 bundle can hold.
        OutputTooLarge = "output-too-large",
    }
}

/// `file: ` unless the name is empty.
struct Prefix<'a>(&'a str);

impl fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "{}: ", self.0)
        }
    }
}

/// ` of the PEM block at byte N` for PEM-wrapped bundles.
struct InPem<'a>(&'a Option<usize>);

impl fmt::Display for InPem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, " of the PEM block at byte {at}"),
            None => Ok(()),
        }
    }
}

impl Error {
    /// The stable diagnostic code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Pem { .. } => ErrorCode::InputPem,
            Error::Pkcs7 { .. } => ErrorCode::InputPkcs7,
            Error::TooLarge { .. } => ErrorCode::OutputTooLarge,
        }
    }

    /// The byte offset in the named input the error applies to. For a PEM-wrapped PKCS#7
    /// bundle this is where the PEM block starts in the file.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Pem { offset, .. } => Some(*offset),
            Error::Pkcs7 {
                offset, pem_block, ..
            } => Some(pem_block.unwrap_or(*offset)),
            Error::TooLarge { .. } => None,
        }
    }

    /// The name of the input the error is about (empty for [`Error::TooLarge`] and for
    /// [`crate::pkcs7::read`] on bare bytes).
    pub fn file(&self) -> &str {
        match self {
            Error::Pem { file, .. } | Error::Pkcs7 { file, .. } => file,
            Error::TooLarge { .. } => "",
        }
    }

    /// The same error naming `name` (e.g. for an error from [`crate::pkcs7::read`], which only
    /// sees bytes).
    pub fn in_file(mut self, name: &str) -> Self {
        match &mut self {
            Error::Pem { file, .. } | Error::Pkcs7 { file, .. } => name.clone_into(file),
            Error::TooLarge { .. } => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file() {
        let e = Error::Pkcs7 {
            file: String::new(),
            offset: 4,
            pem_block: None,
            reason: "x".into(),
        };
        assert_eq!(e.to_string(), "malformed PKCS#7 bundle at byte 4: x");
        let e = e.in_file("b.p7b");
        assert_eq!(e.to_string(), "b.p7b: malformed PKCS#7 bundle at byte 4: x");
        assert_eq!(e.code().as_str(), "input-pkcs7");
    }
}
