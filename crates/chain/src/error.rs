//! The one error type of this crate.

use std::fmt;

/// Everything that can go wrong loading inputs or reading a PKCS#7 bundle.
///
/// Every variant names the input (the path as given, `-` for standard input) and, where it
/// applies, the byte offset in that input ([`Error::offset`]). Each has a stable kebab-case
/// [`code`](Error::code); errors from the SST codec keep the codec's own code (`sst-…`) and
/// offset.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    #[error("{file}: cannot read: {}", io_message(source))]
    Io {
        /// The path as given (or as found while walking a folder).
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The input has no bytes.
    #[error("{file}: empty file")]
    Empty {
        /// The input's name.
        file: String,
    },

    /// The input is none of the formats this crate reads.
    #[error(
        "{file}: not a certificate, CRL, PKCS#7 bundle or serialized store{}",
        Detail(detail)
    )]
    Unrecognized {
        /// The input's name.
        file: String,
        /// Why, when there is more to say (e.g. "truncated DER SEQUENCE at byte 0").
        detail: Option<String>,
    },

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

    /// A serialized store or lone element with a framing error.
    #[error("{file}: {source}")]
    Sst {
        /// The input's name.
        file: String,
        /// The codec's error, with its own code and offset.
        #[source]
        source: smimetrust_sst::Error,
    },

    /// An input that yields nothing: a folder without a single certificate, CRL or CTL, or a PEM
    /// file whose blocks are all of other kinds.
    #[error("{file}: {detail}")]
    NoObjects {
        /// The input's name.
        file: String,
        /// What was found instead.
        detail: String,
    },

    /// A signature, certificate or path does not validate (see [`Reason`](crate::Reason)).
    #[error("{0}")]
    Invalid(Box<crate::Invalid>),

    /// Output that does not fit the 32-bit DER length of a PKCS#7 bundle.
    #[error("{len} bytes are too many for one PKCS#7 bundle (4 GiB at most)")]
    TooLarge {
        /// The size asked for.
        len: usize,
    },
}

/// ` (detail)` when there is one.
struct Detail<'a>(&'a Option<String>);

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(d) => write!(f, " ({d})"),
            None => Ok(()),
        }
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

/// The OS message in lower case ("no such file or directory (os error 2)").
fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => format!("{:?}", err.kind()).to_lowercase(),
    }
}

impl Error {
    /// Every code this crate's own variants return. [`Error::Sst`] returns the codec's codes,
    /// listed in [`smimetrust_sst::Error::CODES`]; [`Error::all_codes`] yields both.
    pub const CODES: &'static [&'static str] = &[
        "input-io",
        "input-empty",
        "input-unrecognized",
        "input-pem",
        "input-pkcs7",
        "input-no-objects",
        "output-too-large",
    ];

    /// The stable diagnostic code, e.g. `input-unrecognized` or `sst-record-overrun`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "input-io",
            Error::Empty { .. } => "input-empty",
            Error::Unrecognized { .. } => "input-unrecognized",
            Error::Pem { .. } => "input-pem",
            Error::Pkcs7 { .. } => "input-pkcs7",
            Error::Sst { source, .. } => source.code(),
            Error::NoObjects { .. } => "input-no-objects",
            Error::TooLarge { .. } => "output-too-large",
            Error::Invalid(invalid) => invalid.reason.code(),
        }
    }

    /// Every code [`Error::code`] can return: this crate's, then the SST codec's.
    pub fn all_codes() -> impl Iterator<Item = &'static str> {
        Self::CODES
            .iter()
            .chain(smimetrust_sst::Error::CODES)
            .chain(crate::Reason::CODES)
            .copied()
    }

    /// The byte offset in the named input the error applies to, where there is one. For a
    /// PEM-wrapped PKCS#7 bundle this is where the PEM block starts in the file.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Pem { offset, .. } => Some(*offset),
            Error::Pkcs7 {
                offset, pem_block, ..
            } => Some(pem_block.unwrap_or(*offset)),
            Error::Sst { source, .. } => source.offset(),
            Error::Io { .. }
            | Error::Empty { .. }
            | Error::Unrecognized { .. }
            | Error::NoObjects { .. }
            | Error::TooLarge { .. }
            | Error::Invalid(_) => None,
        }
    }

    /// The name of the input the error is about (empty for [`Error::TooLarge`] and for
    /// [`crate::pkcs7::read`] on bare bytes).
    pub fn file(&self) -> &str {
        match self {
            Error::Io { file, .. }
            | Error::Empty { file }
            | Error::Unrecognized { file, .. }
            | Error::Pem { file, .. }
            | Error::Pkcs7 { file, .. }
            | Error::Sst { file, .. }
            | Error::NoObjects { file, .. } => file,
            Error::TooLarge { .. } | Error::Invalid(_) => "",
        }
    }

    /// The same error naming `name` (e.g. for an error from [`crate::pkcs7::read`], which only
    /// sees bytes).
    pub fn in_file(mut self, name: &str) -> Self {
        match &mut self {
            Error::Io { file, .. }
            | Error::Empty { file }
            | Error::Unrecognized { file, .. }
            | Error::Pem { file, .. }
            | Error::Pkcs7 { file, .. }
            | Error::Sst { file, .. }
            | Error::NoObjects { file, .. } => name.clone_into(file),
            Error::TooLarge { .. } | Error::Invalid(_) => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_are_lower_case() {
        let e = Error::Unrecognized {
            file: "a.bin".into(),
            detail: None,
        };
        assert_eq!(
            e.to_string(),
            "a.bin: not a certificate, CRL, PKCS#7 bundle or serialized store"
        );
        let e = Error::Pkcs7 {
            file: String::new(),
            offset: 4,
            pem_block: None,
            reason: "x".into(),
        };
        assert_eq!(e.to_string(), "malformed PKCS#7 bundle at byte 4: x");
        let e = e.in_file("b.p7b");
        assert_eq!(e.to_string(), "b.p7b: malformed PKCS#7 bundle at byte 4: x");
        let e = Error::Io {
            file: "c".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(e.to_string().starts_with("c: cannot read: "));
        assert!(!e.to_string().contains("Not"), "{e}");
    }

    #[test]
    fn codes_are_listed_and_unique() {
        let all: Vec<&str> = Error::all_codes().collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len());
        for code in all {
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{code}"
            );
        }
        let sst = Error::Sst {
            file: "x.sst".into(),
            source: smimetrust_sst::Error::RecordOverrun {
                offset: 8,
                id: 32,
                length: 100,
                available: 4,
            },
        };
        assert_eq!(sst.code(), "sst-record-overrun");
        assert_eq!(sst.offset(), Some(8));
        assert!(sst.to_string().starts_with("x.sst: record at byte 8"));
    }
}
