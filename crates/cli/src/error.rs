//! Failures the binary reports: a stable code, one line of text, an exit code.

use std::fmt;
use std::io;
use std::path::Path;

smimetrust_x509::code_enum! {
    /// The codes the binary itself reports (errors and warnings), each documented in
    /// `docs/diagnostics.md`; the libraries' codes pass through as they are.
    pub enum Code {
        /// Arguments that do not make sense together, or a value that does not parse.
        Usage = "usage",
        /// A file that cannot be read or written.
        IoError = "io-error",
        /// The output file exists (without `--force`).
        OutputExists = "output-exists",
        /// The output would overwrite an input.
        OutputIsInput = "output-is-input",
        /// `--name` names a thumbprint that is in no input.
        NameUnknownSha1 = "name-unknown-sha1",
        /// `sst remove` names a thumbprint that is not in the store.
        RemoveNotFound = "remove-not-found",
        /// Converting to a format without properties dropped them.
        PropertiesDropped = "properties-dropped",
        /// Converting to PEM or PKCS#7 dropped a CTL.
        CtlDropped = "ctl-dropped",
        /// A duplicate certificate was dropped.
        DuplicateDropped = "duplicate-dropped",
        /// A store holds the same element twice.
        DuplicateElement = "duplicate-element",
        /// A certificate the strict parser rejects.
        CertificateUnparsed = "certificate-unparsed",
        /// A certificate that is not canonical DER.
        CertificateNotDer = "certificate-not-der",
        /// The SHA-1 property does not match the element.
        Sha1PropertyMismatch = "sha1-property-mismatch",
        /// No messages in the paths given.
        NoMessages = "no-messages",
    }
}

impl From<Code> for &'static str {
    fn from(code: Code) -> &'static str {
        code.as_str()
    }
}

/// A user-visible failure. Rendered as `error[CODE]: MESSAGE`.
#[derive(Debug)]
pub struct CliError {
    /// Stable kebab-case code, documented in docs/diagnostics.md.
    pub code: &'static str,
    /// One line naming the file (and the byte offset where one applies).
    pub message: String,
    /// 2 for usage, input and I/O errors (the only kind so far).
    exit: u8,
    broken_pipe: bool,
}

impl CliError {
    /// A usage, input or I/O error (exit status 2).
    pub fn new(code: impl Into<&'static str>, message: impl Into<String>) -> Self {
        CliError {
            code: code.into(),
            message: message.into(),
            exit: 2,
            broken_pipe: false,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, what: &str, err: io::Error) -> Self {
        CliError {
            broken_pipe: err.kind() == io::ErrorKind::BrokenPipe,
            ..CliError::new(Code::IoError, format!("{}: {what}: {err}", path.display()))
        }
    }

    /// An I/O error writing to standard output.
    pub fn stdout(err: io::Error) -> Self {
        CliError::io(Path::new("<stdout>"), "cannot write", err)
    }

    /// A library error from reading `input`.
    pub fn chain(err: smimetrust_store::Error) -> Self {
        CliError::new(err.code().as_str(), err.to_string())
    }

    /// An SST codec error for `input`.
    pub fn sst(input: &str, err: &smimetrust_sst::Error) -> Self {
        CliError::new(err.code().as_str(), format!("{input}: {err}"))
    }

    pub fn exit_code(&self) -> u8 {
        self.exit
    }

    pub fn is_broken_pipe(&self) -> bool {
        self.broken_pipe
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.code, self.message)
    }
}

impl std::error::Error for CliError {}

pub type Result<T> = std::result::Result<T, CliError>;
