//! Signature verification for smimetrust behind one small trait, [`SignatureVerifier`] (as
//! rustls does with crypto providers), and the [`AlgorithmPolicy`].
//!
//! Two providers with identical outcomes: they share the parsing and policy front half and
//! differ only in the arithmetic.
//!
//! * [`RustCrypto`], pure Rust: RSA PKCS#1 v1.5 and PSS, ECDSA P-256/P-384/P-521, Ed25519,
//!   DSA; SHA-1, SHA-224, SHA-256, SHA-384, SHA-512. Builds anywhere Rust does.
//! * `AwsLc` (cargo feature `aws-lc`, on by default): AWS-LC for RSA PKCS#1 v1.5 and PSS and
//!   ECDSA, [`RustCrypto`] for everything else and whenever AWS-LC does not verify. Its build
//!   needs a C compiler.
//!
//! [`default_verifier`] is `AwsLc` when the `aws-lc` feature is on, otherwise [`RustCrypto`].
//!
//! ```
//! use smimetrust_sig::{AlgorithmPolicy, Reason, SignatureVerifier, default_verifier};
//!
//! // An algorithm identifier this crate does not know (OID 1.2.3.4, no parameters).
//! let algorithm = [0x30, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04];
//! let err = default_verifier()
//!     .verify(&[], &algorithm, b"message", b"signature", AlgorithmPolicy::DEFAULT)
//!     .unwrap_err();
//! assert_eq!(err.reason, Reason::UnsupportedAlgorithm);
//! assert_eq!(err.reason.as_str(), "unsupported-algorithm");
//! ```
#![forbid(unsafe_code)]

use std::fmt;

#[cfg(feature = "aws-lc")]
pub mod awslc;
mod front;
pub mod rustcrypto;

#[cfg(feature = "aws-lc")]
pub use self::awslc::AwsLc;
pub use self::rustcrypto::RustCrypto;

/// The default provider: `AwsLc` with the `aws-lc` feature, otherwise [`RustCrypto`].
pub fn default_verifier() -> &'static dyn SignatureVerifier {
    #[cfg(feature = "aws-lc")]
    {
        &AwsLc
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        &RustCrypto
    }
}

/// Why a signature is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// `bad-signature`: the signature does not verify with the key.
    BadSignature,
    /// `unsupported-algorithm`: the signature or key algorithm is not supported (the dotted
    /// OID is in the detail).
    UnsupportedAlgorithm,
    /// `weak-algorithm`: the algorithm or key size is rejected by the [`AlgorithmPolicy`]
    /// (MD2/MD5, RSA < 1024; in strict mode also SHA-1 and RSA < 2048).
    WeakAlgorithm,
    /// `bad-public-key`: the public key does not decode, or does not fit the algorithm.
    BadPublicKey,
}

impl Reason {
    /// Every reason, in documentation order.
    pub const ALL: &'static [Reason] = &[
        Reason::BadSignature,
        Reason::UnsupportedAlgorithm,
        Reason::WeakAlgorithm,
        Reason::BadPublicKey,
    ];

    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BadSignature => "bad-signature",
            Reason::UnsupportedAlgorithm => "unsupported-algorithm",
            Reason::WeakAlgorithm => "weak-algorithm",
            Reason::BadPublicKey => "bad-public-key",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signature that is not accepted: why, and the particulars (OIDs, sizes), lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Error {
    /// Why.
    pub reason: Reason,
    /// Particulars, lower case, no trailing period.
    pub detail: String,
}

impl Error {
    /// An error for `reason` with `detail`.
    pub fn new(reason: Reason, detail: impl Into<String>) -> Error {
        Error {
            reason,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.reason, self.detail)
        }
    }
}

impl std::error::Error for Error {}

/// What the algorithm policy allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AlgorithmPolicy {
    /// Reject SHA-1 signatures and RSA/DSA keys under 2048 bits (otherwise they are accepted
    /// with a `weak-*` warning). MD2, MD5 and RSA keys under 1024 bits are always rejected.
    pub strict: bool,
}

impl AlgorithmPolicy {
    /// The default policy: SHA-1 and RSA 1024–2047 accepted with a warning.
    pub const DEFAULT: AlgorithmPolicy = AlgorithmPolicy { strict: false };
    /// Strict: SHA-1 and RSA/DSA < 2048 rejected.
    pub const STRICT: AlgorithmPolicy = AlgorithmPolicy { strict: true };
}

/// A weakness of a signature that verified (reported as a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Weakness {
    /// Signed with SHA-1 (`weak-sha1`).
    Sha1,
    /// RSA or DSA key of this many bits, under 2048 (`weak-key`).
    SmallKey(u32),
}

impl Weakness {
    /// The stable warning code: `weak-sha1` or `weak-key`.
    pub fn code(self) -> WarningCode {
        match self {
            Weakness::Sha1 => WarningCode::WeakSha1,
            Weakness::SmallKey(_) => WarningCode::WeakKey,
        }
    }
}

/// The code of a [`Weakness`], as a warning reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum WarningCode {
    /// `weak-sha1`: signed with SHA-1.
    WeakSha1,
    /// `weak-key`: an RSA or DSA key under 2048 bits.
    WeakKey,
}

impl WarningCode {
    /// Every code, in documentation order.
    pub const ALL: &'static [WarningCode] = &[WarningCode::WeakSha1, WarningCode::WeakKey];

    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::WeakSha1 => "weak-sha1",
            WarningCode::WeakKey => "weak-key",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Verifies signatures. Implementations must not panic on any input.
pub trait SignatureVerifier: Send + Sync {
    /// Verifies `signature` over `message`.
    ///
    /// - `spki`: the signer's SubjectPublicKeyInfo, DER.
    /// - `algorithm`: the signature AlgorithmIdentifier, DER, with its parameters (RSA-PSS
    ///   parameters are honoured; DSA keys without parameters are the caller's business).
    ///
    /// Returns the weaknesses of an accepted signature (empty when none).
    ///
    /// # Errors
    /// [`Error`] with the [`Reason`].
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Error>;
}

/// Shorthand for [`Error::new`].
pub(crate) fn invalid(reason: Reason, detail: impl Into<String>) -> Error {
    Error::new(reason, detail)
}
