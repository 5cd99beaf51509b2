//! Why a certificate or path does not validate: the [`Reason`] of an [`Invalid`], each with a
//! stable code and a sentence that says what to do.
//!
//! Sections are owned by modules: add variants only inside the section of the module that
//! returns them, and keep `as_str()`, `advice()`, `rank()` and `ALL` in step (a unit test checks).

use std::fmt;

/// A certificate named in a validation failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertRef {
    /// SHA-1 thumbprint, upper-case hex.
    pub sha1: String,
    /// Subject (RFC 4514), or `"(unparsed)"`.
    pub subject: String,
}

impl fmt::Display for CertRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.subject, self.sha1)
    }
}

/// Why something does not validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    // ---- signatures (crate smimetrust-sig) ----
    /// A signature (of a certificate or CRL) the provider did not accept: `bad-signature`,
    /// `unsupported-algorithm`, `weak-algorithm` or `bad-public-key`.
    Signature(smimetrust_sig::Reason),

    // ---- path validation ----
    /// The certificate does not parse as X.509.
    Malformed,
    /// The validation time is after notAfter.
    Expired,
    /// The validation time is before notBefore.
    NotYetValid,
    /// No issuer was found among the intermediates and trust anchors.
    UnknownIssuer,
    /// An issuing certificate is not a CA (basicConstraints cA missing or false).
    NotCa,
    /// A pathLenConstraint is exceeded.
    PathLenExceeded,
    /// An issuing certificate's key usage lacks keyCertSign (or cRLSign for a CRL issuer).
    IssuerKeyUsage,
    /// The end-entity key usage does not allow the purpose (digitalSignature/nonRepudiation
    /// for S/MIME signing).
    KeyUsage,
    /// An extended key usage does not allow the purpose.
    ExtendedKeyUsage,
    /// The trust anchor's EKU restriction (SST property 9) excludes the purpose.
    AnchorRestricted,
    /// A name violates a name constraint (DN, rfc822, DNS, IP, URI).
    NameConstraints,
    /// The certificate policy processing leaves no valid policy where one is required.
    Policy,
    /// A critical extension this validator does not process.
    UnknownCriticalExtension,
    /// The certificate is revoked by a CRL.
    Revoked,
    /// Revocation status cannot be determined (no usable CRL, CRL signature or scope problem).
    RevocationUnknown,
    /// The email address, DNS name or IP address asked for is not in the certificate.
    NameMismatch,
    /// Path building gave up: the work budget for untrusted input was used up.
    BudgetExceeded,
}

impl Reason {
    /// Every reason, in documentation order.
    pub const ALL: &'static [Reason] = &[
        Reason::Signature(smimetrust_sig::Reason::BadSignature),
        Reason::Signature(smimetrust_sig::Reason::UnsupportedAlgorithm),
        Reason::Signature(smimetrust_sig::Reason::WeakAlgorithm),
        Reason::Signature(smimetrust_sig::Reason::BadPublicKey),
        Reason::Malformed,
        Reason::Expired,
        Reason::NotYetValid,
        Reason::UnknownIssuer,
        Reason::NotCa,
        Reason::PathLenExceeded,
        Reason::IssuerKeyUsage,
        Reason::KeyUsage,
        Reason::ExtendedKeyUsage,
        Reason::AnchorRestricted,
        Reason::NameConstraints,
        Reason::Policy,
        Reason::UnknownCriticalExtension,
        Reason::Revoked,
        Reason::RevocationUnknown,
        Reason::NameMismatch,
        Reason::BudgetExceeded,
    ];

    /// The stable kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Signature(r) => r.as_str(),
            Reason::Malformed => "certificate-malformed",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not-yet-valid",
            Reason::UnknownIssuer => "unknown-issuer",
            Reason::NotCa => "issuer-not-ca",
            Reason::PathLenExceeded => "path-length-exceeded",
            Reason::IssuerKeyUsage => "issuer-key-usage",
            Reason::KeyUsage => "key-usage",
            Reason::ExtendedKeyUsage => "extended-key-usage",
            Reason::AnchorRestricted => "anchor-restricted",
            Reason::NameConstraints => "name-constraints",
            Reason::Policy => "policy",
            Reason::UnknownCriticalExtension => "unknown-critical-extension",
            Reason::Revoked => "revoked",
            Reason::RevocationUnknown => "revocation-unknown",
            Reason::NameMismatch => "name-mismatch",
            Reason::BudgetExceeded => "budget-exceeded",
        }
    }

    /// One sentence telling the user what to do.
    pub fn advice(self) -> &'static str {
        match self {
            Reason::Signature(smimetrust_sig::Reason::BadSignature) => {
                "the certificate was altered or was not issued by this issuer; get it again from its CA"
            }
            Reason::Signature(smimetrust_sig::Reason::UnsupportedAlgorithm) => {
                "the algorithm is not supported; ask the CA for a certificate signed with RSA, ECDSA or Ed25519 and SHA-2"
            }
            Reason::Signature(smimetrust_sig::Reason::WeakAlgorithm) => {
                "the algorithm or key is too weak for the policy in force; reissue with SHA-256 and RSA-2048 or better"
            }
            Reason::Signature(_) => {
                "the issuer's public key is malformed or does not match the signature algorithm"
            }
            Reason::Malformed => "the certificate does not parse; get a correct copy from its CA",
            Reason::Expired => {
                "the certificate has expired; renew it, or validate at a time within its validity period"
            }
            Reason::NotYetValid => {
                "the certificate is not valid yet; check the clock, or validate at a later time"
            }
            Reason::UnknownIssuer => {
                "add the issuing CA certificate to the trust store or the intermediates"
            }
            Reason::NotCa => {
                "an issuing certificate is not marked as a CA (basicConstraints); it cannot issue certificates"
            }
            Reason::PathLenExceeded => "the chain is longer than a CA's pathLenConstraint allows",
            Reason::IssuerKeyUsage => {
                "an issuing certificate's key usage does not allow signing certificates or CRLs"
            }
            Reason::KeyUsage => {
                "the certificate's key usage does not allow this purpose; S/MIME signing needs digitalSignature or nonRepudiation"
            }
            Reason::ExtendedKeyUsage => {
                "the certificate's extended key usage does not include this purpose (emailProtection for S/MIME)"
            }
            Reason::AnchorRestricted => {
                "the trust anchor is only trusted for other purposes (its EKU restriction property); change it in the store"
            }
            Reason::NameConstraints => {
                "a name in the certificate is outside what an issuing CA is allowed to certify"
            }
            Reason::Policy => {
                "no certificate policy acceptable to the path's constraints and the initial policy set remains"
            }
            Reason::UnknownCriticalExtension => {
                "the certificate has a critical extension this validator does not understand, so it must be rejected"
            }
            Reason::Revoked => "the certificate has been revoked by its CA; do not trust it",
            Reason::RevocationUnknown => "supply a current CRL from the issuing CA",
            Reason::NameMismatch => {
                "the certificate is not issued to the address or name asked for"
            }
            Reason::BudgetExceeded => {
                "the intermediate set is pathological; remove unrelated or cross-signed certificates"
            }
        }
    }

    /// How specific this failure is, for choosing one reason when every candidate path fails
    /// (higher wins): a path that got as far as a revocation or policy check says more than one
    /// that found no issuer.
    pub fn rank(self) -> u8 {
        match self {
            Reason::BudgetExceeded => 0,
            Reason::UnknownIssuer => 1,
            Reason::Malformed => 2,
            Reason::Signature(smimetrust_sig::Reason::BadSignature) => 4,
            Reason::Signature(smimetrust_sig::Reason::WeakAlgorithm) => 6,
            Reason::Signature(_) => 3,
            Reason::NotCa | Reason::IssuerKeyUsage | Reason::PathLenExceeded => 5,
            Reason::Expired | Reason::NotYetValid => 7,
            Reason::UnknownCriticalExtension => 8,
            Reason::NameConstraints | Reason::Policy | Reason::AnchorRestricted => 9,
            Reason::KeyUsage | Reason::ExtendedKeyUsage | Reason::NameMismatch => 10,
            Reason::RevocationUnknown => 11,
            Reason::Revoked => 12,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A validation failure: why, which certificate, and the particulars.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invalid {
    /// Why.
    pub reason: Reason,
    /// The certificate the failure is about, when there is one.
    pub certificate: Option<CertRef>,
    /// Particulars (times, OIDs, names), lower case, no trailing period.
    pub detail: String,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(c) = &self.certificate {
            write!(f, "{c}: ")?;
        }
        f.write_str(&self.detail)?;
        if !self.detail.is_empty() {
            f.write_str(": ")?;
        }
        f.write_str(self.reason.advice())
    }
}

impl std::error::Error for Invalid {}

impl From<smimetrust_sig::Reason> for Reason {
    fn from(r: smimetrust_sig::Reason) -> Reason {
        Reason::Signature(r)
    }
}

/// A signature the provider did not accept, about no particular certificate yet.
impl From<smimetrust_sig::Error> for Invalid {
    fn from(e: smimetrust_sig::Error) -> Invalid {
        Invalid {
            reason: e.reason.into(),
            certificate: None,
            detail: e.detail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_every_reason_is_listed() {
        let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        for r in Reason::ALL {
            assert!(!r.advice().is_empty());
            assert!(
                r.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-')
            );
        }
        for r in smimetrust_sig::Reason::ALL {
            assert!(Reason::ALL.contains(&Reason::from(*r)));
        }
    }
}
