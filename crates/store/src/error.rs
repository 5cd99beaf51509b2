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

    /// A PEM block or PKCS#7 bundle that does not decode, or output too large to encode.
    #[error(transparent)]
    Format(#[from] smimetrust_x509::Error),

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

/// The OS message in lower case ("no such file or directory (os error 2)").
fn io_message(err: &std::io::Error) -> String {
    let text = err.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => format!("{:?}", err.kind()).to_lowercase(),
    }
}

/// The stable code of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `input-io`, `input-empty`, `input-unrecognized` or `input-no-objects`.
    Input(InputCode),
    /// A PEM block or PKCS#7 bundle that does not decode, or output too large.
    Format(smimetrust_x509::ErrorCode),
    /// A framing error of the `.sst` codec.
    Sst(smimetrust_sst::ErrorCode),
}

smimetrust_x509::code_enum! {
    /// The codes of this crate's own errors.
    pub enum InputCode {
        /// A file or folder could not be read.
        InputIo = "input-io",
        /// The input has no bytes.
        InputEmpty = "input-empty",
        /// The input is none of the formats read.
        InputUnrecognized = "input-unrecognized",
        /// An input that yields nothing.
        InputNoObjects = "input-no-objects",
    }
}

impl ErrorCode {
    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Input(c) => c.as_str(),
            ErrorCode::Format(c) => c.as_str(),
            ErrorCode::Sst(c) => c.as_str(),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Error {
    /// The stable diagnostic code, e.g. `input-unrecognized` or `sst-record-overrun`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Io { .. } => ErrorCode::Input(InputCode::InputIo),
            Error::Empty { .. } => ErrorCode::Input(InputCode::InputEmpty),
            Error::Unrecognized { .. } => ErrorCode::Input(InputCode::InputUnrecognized),
            Error::Format(e) => ErrorCode::Format(e.code()),
            Error::Sst { source, .. } => ErrorCode::Sst(source.code()),
            Error::NoObjects { .. } => ErrorCode::Input(InputCode::InputNoObjects),
        }
    }

    /// The byte offset in the named input the error applies to, where there is one. For a
    /// PEM-wrapped PKCS#7 bundle this is where the PEM block starts in the file.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Format(e) => e.offset(),
            Error::Sst { source, .. } => source.offset(),
            Error::Io { .. }
            | Error::Empty { .. }
            | Error::Unrecognized { .. }
            | Error::NoObjects { .. } => None,
        }
    }

    /// The name of the input the error is about (empty for an output too large and for
    /// [`smimetrust_x509::pkcs7::read`] on bare bytes).
    pub fn file(&self) -> &str {
        match self {
            Error::Io { file, .. }
            | Error::Empty { file }
            | Error::Unrecognized { file, .. }
            | Error::Sst { file, .. }
            | Error::NoObjects { file, .. } => file,
            Error::Format(e) => e.file(),
        }
    }

    /// The same error naming `name` (e.g. for an error from [`smimetrust_x509::pkcs7::read`],
    /// which only sees bytes).
    pub fn in_file(mut self, name: &str) -> Self {
        match &mut self {
            Error::Io { file, .. }
            | Error::Empty { file }
            | Error::Unrecognized { file, .. }
            | Error::Sst { file, .. }
            | Error::NoObjects { file, .. } => name.clone_into(file),
            Error::Format(e) => *e = e.clone().in_file(name),
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
        // The formats' errors keep their own message, renamed with the input.
        let e = Error::from(smimetrust_x509::Error::TooLarge { len: 1 }).in_file("b.p7b");
        assert_eq!(e.file(), "");
        let e = Error::Io {
            file: "c".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        assert!(e.to_string().starts_with("c: cannot read: "));
        assert!(!e.to_string().contains("Not"), "{e}");
    }

    #[test]
    fn codes_are_kebab_case() {
        for code in InputCode::ALL {
            assert!(
                code.as_str()
                    .bytes()
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
