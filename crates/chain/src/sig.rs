//! Signature verification behind a small provider trait (as rustls does with crypto providers),
//! and the algorithm policy.
//!
//! Three providers, with identical outcomes (they share the parsing and policy front half, and
//! differ only in the arithmetic):
//!
//! * [`RustCrypto`] (module `sig::rustcrypto`), pure Rust: RSA PKCS#1 v1.5 and PSS, ECDSA
//!   P-256/P-384/P-521, Ed25519, DSA; SHA-1, SHA-224, SHA-256, SHA-384, SHA-512.
//! * `AwsLc` (module `sig::awslc`, cargo feature `aws-lc`, on by default): aws-lc-rs 1.19 for
//!   RSA PKCS#1 v1.5 and PSS and ECDSA P-256/P-384/P-521 (RSA-2048 about 3.5x, P-256 about 4x
//!   faster; RSA keys prepared once and cached), RustCrypto for everything else and whenever
//!   aws-lc does not verify.
//! * `Ring` (module `sig::ring`, cargo feature `ring`, off by default): ring 0.17 for RSA
//!   PKCS#1 v1.5 and PSS and ECDSA P-256/P-384 (RSA-2048 and P-256 about 3x and 4x faster),
//!   RustCrypto for everything else and whenever ring does not verify.
//!
//! [`DEFAULT`] and [`default_verifier`] are `AwsLc` when the `aws-lc` feature is on, otherwise
//! `Ring` when the `ring` feature is on (`--no-default-features --features ring`), otherwise
//! [`RustCrypto`] (`--no-default-features`).

use crate::reason::{Invalid, Reason};

#[cfg(feature = "aws-lc")]
pub mod awslc;
mod front;
#[cfg(feature = "ring")]
pub mod ring;
pub mod rustcrypto;

#[cfg(feature = "aws-lc")]
pub use self::awslc::AwsLc;
#[cfg(feature = "ring")]
pub use self::ring::Ring;
pub use rustcrypto::RustCrypto;

/// The default provider: [`AwsLc`] (the `aws-lc` feature is on).
#[cfg(feature = "aws-lc")]
pub static DEFAULT: &dyn SignatureVerifier = &AwsLc;

/// The default provider: [`Ring`] (the `ring` feature is on, `aws-lc` is off).
#[cfg(all(feature = "ring", not(feature = "aws-lc")))]
pub static DEFAULT: &dyn SignatureVerifier = &Ring;

/// The default provider: [`RustCrypto`] (the `aws-lc` and `ring` features are off).
#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
pub static DEFAULT: &dyn SignatureVerifier = &RustCrypto;

/// The default provider (the same as [`DEFAULT`]): `AwsLc` with the `aws-lc` feature,
/// otherwise `Ring` with the `ring` feature, otherwise [`RustCrypto`].
pub fn default_verifier() -> &'static dyn SignatureVerifier {
    DEFAULT
}

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
    pub fn code(self) -> &'static str {
        match self {
            Weakness::Sha1 => "weak-sha1",
            Weakness::SmallKey(_) => "weak-key",
        }
    }

    /// Every warning code, for documentation checks.
    pub const CODES: &'static [&'static str] = &["weak-sha1", "weak-key"];
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
    /// [`Invalid`] with reason `BadSignature`, `UnsupportedAlgorithm`, `WeakAlgorithm` or
    /// `BadPublicKey`; `certificate` is left `None` for the caller to fill in.
    fn verify(
        &self,
        spki: &[u8],
        algorithm: &[u8],
        message: &[u8],
        signature: &[u8],
        policy: AlgorithmPolicy,
    ) -> Result<Vec<Weakness>, Invalid>;
}

/// Shorthand for an [`Invalid`] about no particular certificate.
pub(crate) fn invalid(reason: Reason, detail: impl Into<String>) -> Invalid {
    Invalid {
        reason,
        certificate: None,
        detail: detail.into(),
    }
}
