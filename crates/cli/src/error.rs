//! Failures the binary reports: a stable code, one line of text, an exit code.

use std::fmt;
use std::io;
use std::path::Path;

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
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
            exit: 2,
            broken_pipe: false,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, what: &str, err: io::Error) -> Self {
        CliError {
            broken_pipe: err.kind() == io::ErrorKind::BrokenPipe,
            ..CliError::new("io-error", format!("{}: {what}: {err}", path.display()))
        }
    }

    /// An I/O error writing to standard output.
    pub fn stdout(err: io::Error) -> Self {
        CliError::io(Path::new("<stdout>"), "cannot write", err)
    }

    /// A library error from reading `input`.
    pub fn chain(err: smimetrust_store::Error) -> Self {
        CliError::new(err.code(), err.to_string())
    }

    /// An SST codec error for `input`.
    pub fn sst(input: &str, err: &smimetrust_sst::Error) -> Self {
        CliError::new(err.code(), format!("{input}: {err}"))
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
