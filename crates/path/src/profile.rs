//! RFC 5280 certificate profile rules enforced as validation failures.
//!
//! RFC 5280 section 4 states what conforming CAs MUST (not) issue; section 6 does not ask a
//! validator to check most of it. A certificate that breaks one of these rules was issued by a
//! non-conforming or careless CA (or crafted), so, like pyca/cryptography's verifier and
//! OpenSSL's `-x509_strict`, this validator rejects the path (x509-limbo's `rfc5280` family
//! expects it).
//!
//! Trust anchors are what an administrator chose to trust, and real root stores hold old roots
//! that predate or ignore parts of the profile. So rules that real roots break are not applied
//! to anchors: of the 507 roots of the Windows root store (generateSSTFromWU, 2025-08-29),
//! 18 have serial number 0 and one (EC-ACC) a negative one, 30 a non-critical basicConstraints, 9 no subjectKeyIdentifier, one
//! (Microsoft Root Authority) is version 3 without basicConstraints or keyUsage, and one (HARICA
//! RootCA 2011) a non-critical nameConstraints. The rules applied to anchors are those no such
//! root breaks.
//!
//! Not enforced at all:
//! * basicConstraints criticality (4.2.1.9) on intermediates: issuing CAs under the roots
//!   above share their profile, and path validation reads the extension either way;
//! * policyConstraints criticality (4.2.1.11 says MUST be critical): NIST's PKITS, the RFC 5280
//!   conformance suite, marks it non-critical in its CA certificates (27 valid paths would
//!   fail), as do the US federal PKI certificates it models; pyca/cryptography and OpenSSL do
//!   not enforce it either;
//! * a critical subjectAltName with a non-empty subject (4.2.1.6 says SHOULD NOT);
//! * the syntax of rfc822Name (checked only against rfc822Name constraints, in `name`).

use const_oid::db::rfc5280 as oids;
use x509_cert::ext::pkix::name::GeneralName;

use super::name::is_dns_name;
use super::view::View;
use super::{check_validity, invalid, not_ca};
use crate::{Invalid, Profile, Reason};

/// Where a certificate is in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The trust anchor.
    Anchor,
    /// A certificate below the anchor that issues the next one.
    Intermediate,
    /// The target certificate.
    Leaf,
}

fn malformed(cert: &View<'_>, detail: &str) -> Invalid {
    invalid(Reason::Malformed, cert, detail)
}

/// The profile rules for `cert` in `role`; see the [module docs](self). With
/// [`Profile::Compat`] the issuance rules that do not change a certificate's meaning (key
/// identifier presence, serial number sign, dNSName syntax) are skipped.
pub(crate) fn check(cert: &View<'_>, role: Role, profile: Profile) -> Result<(), Invalid> {
    let anchor = role == Role::Anchor;
    let compat = profile == Profile::Compat;

    // 4.1.2.2: "The serial number MUST be a positive integer" (zero is not positive).
    if !anchor && !compat {
        if cert.serial.first().is_some_and(|b| b & 0x80 != 0) {
            return Err(malformed(
                cert,
                "the serial number is negative (rfc 5280 4.1.2.2)",
            ));
        }
        if cert.serial.iter().all(|&b| b == 0) {
            return Err(malformed(
                cert,
                "the serial number is zero (rfc 5280 4.1.2.2)",
            ));
        }
    }

    // 4.1.2.4: "The issuer field MUST contain a non-empty distinguished name."
    if cert.issuer.is_empty() {
        return Err(malformed(
            cert,
            "the issuer name is empty (rfc 5280 4.1.2.4)",
        ));
    }
    // 4.1.2.6: a CA's subject MUST be a non-empty distinguished name; an empty subject needs a
    // critical subjectAltName (also 4.2.1.6).
    if cert.subject.is_empty() {
        if cert.is_ca() {
            return Err(malformed(
                cert,
                "a ca certificate has an empty subject (rfc 5280 4.1.2.6)",
            ));
        }
        if cert.san.is_empty() || !cert.is_critical(oids::ID_CE_SUBJECT_ALT_NAME) {
            return Err(malformed(
                cert,
                "the subject is empty and there is no critical subjectAltName (rfc 5280 4.2.1.6)",
            ));
        }
    }

    // 4.2.1.1: authorityKeyIdentifier MUST be non-critical, and its keyIdentifier MUST be
    // present except in self-signed certificates (approximated by self-issued, which is
    // lenient towards key-rollover certificates). Not required of anchors: an anchor is a name
    // and a key (RFC 5280 6.1.1 (d)), its AKI is never used, and pyca/cryptography and OpenSSL
    // do not require it either (x509-limbo itself expects `cve::cve-2024-0567`, whose anchor is
    // a cross-certificate without AKI, to validate).
    if cert.is_critical(oids::ID_CE_AUTHORITY_KEY_IDENTIFIER) {
        return Err(malformed(
            cert,
            "the authorityKeyIdentifier extension is critical (rfc 5280 4.2.1.1)",
        ));
    }
    if !anchor && !compat && !cert.self_issued && cert.aki.is_none() {
        return Err(malformed(
            cert,
            if cert.has_aki {
                "the authorityKeyIdentifier has no keyIdentifier (rfc 5280 4.2.1.1)"
            } else {
                "no authorityKeyIdentifier extension, which certificates not self-signed must have (rfc 5280 4.2.1.1)"
            },
        ));
    }

    // 4.2.1.2: subjectKeyIdentifier MUST be non-critical, and present in CA certificates (not
    // required of anchors: old roots lack it).
    if cert.is_critical(oids::ID_CE_SUBJECT_KEY_IDENTIFIER) {
        return Err(malformed(
            cert,
            "the subjectKeyIdentifier extension is critical (rfc 5280 4.2.1.2)",
        ));
    }
    if !anchor && !compat && cert.is_ca() && cert.ski.is_none() {
        return Err(malformed(
            cert,
            "a ca certificate has no subjectKeyIdentifier (rfc 5280 4.2.1.2)",
        ));
    }

    // 4.2.1.3 and 4.2.1.9: keyCertSign only with basicConstraints cA.
    if cert.key_usage.as_ref().is_some_and(|ku| ku.key_cert_sign()) && !cert.is_ca() {
        return Err(malformed(
            cert,
            "key usage asserts keyCertSign but basicConstraints cA is not asserted (rfc 5280 4.2.1.3, 4.2.1.9)",
        ));
    }

    // 4.2.1.10: nameConstraints MUST be critical (not required of anchors) and only in CA
    // certificates.
    if cert.name_constraints.is_some() {
        if !cert.is_ca() {
            return Err(malformed(
                cert,
                "nameConstraints in a certificate that is not a ca (rfc 5280 4.2.1.10)",
            ));
        }
        if !anchor && !cert.is_critical(oids::ID_CE_NAME_CONSTRAINTS) {
            return Err(malformed(
                cert,
                "the nameConstraints extension is not critical (rfc 5280 4.2.1.10)",
            ));
        }
    }

    // 4.2.1.6: a dNSName MUST be in the preferred name syntax (a wildcard leftmost label is
    // tolerated, as everywhere).
    if !anchor
        && !compat
        && let Some(bad) = cert.san.iter().find_map(|n| match n {
            GeneralName::DnsName(d) if !is_dns_name(d.as_str(), true) => Some(d.as_str()),
            _ => None,
        })
    {
        return Err(malformed(
            cert,
            &format!(
                "the subjectAltName dNSName {bad:?} is not a valid dns name (rfc 5280 4.2.1.6)"
            ),
        ));
    }
    Ok(())
}

/// What the trust anchor must satisfy to issue the first certificate of a path, besides
/// [`check`]: its validity at `at` (as Windows, OpenSSL, pyca/cryptography and Go check it),
/// no critical extension this validator does not process (RFC 5280 4.2), and, for a version 3
/// anchor, not denying being a CA: basicConstraints, when present, with cA (4.2.1.9), and
/// keyUsage, when present with cA, with keyCertSign (4.2.1.3: an anchor that may not sign
/// certificates cannot issue the path). A version 3 anchor without basicConstraints and
/// without keyCertSign is taken like a version 1 anchor (Microsoft Root Authority); one with
/// keyCertSign and no cA fails [`check`].
pub(crate) fn check_anchor_issuer(
    anchor: &View<'_>,
    at: time::OffsetDateTime,
) -> Result<(), Invalid> {
    check(anchor, Role::Anchor, Profile::Rfc5280)?; // compat relaxes nothing for anchors
    check_validity(anchor, at)?;
    check_unknown_critical(anchor)?;
    if anchor.v3 && anchor.basic.as_ref().is_some_and(|b| !b.ca) {
        return Err(not_ca(anchor));
    }
    if anchor.is_ca()
        && anchor
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.key_cert_sign())
    {
        return Err(invalid(
            Reason::IssuerKeyUsage,
            anchor,
            "the trust anchor's key usage lacks keyCertSign",
        ));
    }
    Ok(())
}

/// RFC 5280 4.2: a critical extension this validator does not process rejects the certificate.
pub(crate) fn check_unknown_critical(cert: &View<'_>) -> Result<(), Invalid> {
    match cert.unknown_critical {
        Some(oid) => Err(invalid(
            Reason::UnknownCriticalExtension,
            cert,
            format!("critical extension {oid}"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code

    use super::*;

    /// Every Windows root, as the anchor that issues a path at 2025-01-01: the anchor rules
    /// reject none that is within its validity period (`tests/windows_roots.rs` covers the
    /// anchor-as-leaf case through the public API).
    #[test]
    fn windows_roots_can_issue() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/sst/windows-generateSSTFromWU-root-2025-08-29.sst");
        let Ok(bytes) = std::fs::read(&path) else {
            assert!(
                std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
                "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
            );
            return; // corpus absent
        };
        let store = smimetrust_sst::parse(&bytes).unwrap();
        let certs: Vec<smimetrust_x509::Certificate> = store
            .elements()
            .iter()
            .filter(|e| e.kind == smimetrust_sst::ElementKind::Certificate)
            .map(|e| smimetrust_x509::Certificate::from_der(e.data.to_vec()))
            .collect();
        assert!(certs.len() > 400);
        let at = time::macros::datetime!(2025-01-01 0:00 UTC);
        let mut rejected = Vec::new();
        for cert in &certs {
            let view = View::new(cert).unwrap();
            if let Err(e) = check_anchor_issuer(&view, at)
                && !matches!(e.reason, Reason::Expired | Reason::NotYetValid)
            {
                rejected.push(e.to_string());
            }
        }
        assert!(rejected.is_empty(), "{}", rejected.join("\n"));
    }
}
