//! The CA/Browser Forum Baseline Requirements (BR) server-certificate profile, applied on top
//! of RFC 5280 when [`Options::profile`](super::Options::profile) is
//! [`Profile::WebPki`](super::Profile::WebPki), as pyca/cryptography's
//! `PolicyBuilder().server_verifier` and rustls-webpki do. x509-limbo's `webpki::` family is
//! the test suite.
//!
//! Applied to every certificate of the path:
//! * keys: RSA (`rsaEncryption`) of at least 2048 bits with a modulus length divisible by 8, or
//!   ECDSA on P-256, P-384 or P-521 (BR 6.1.5, 7.1.3.1); DSA, other curves (P-192), RSA-PSS
//!   keys, Ed25519 and anything else are rejected (`webpki::forbidden-*`);
//! * signatures (below the anchor): RSA PKCS #1 v1.5 or RSASSA-PSS with SHA-256/384/512, ECDSA
//!   with SHA-256/384/512 (BR 7.1.3.2); DSA and SHA-1 signatures are rejected;
//! * a nameConstraints extension needs a non-empty permittedSubtrees or excludedSubtrees (BR
//!   7.1.2.5.2; `webpki::nc::intermediate-permitted-excluded-subtrees-*`);
//! * an authorityInfoAccess extension below the anchor must decode and hold at least one
//!   AccessDescription (BR 7.1.2.7.7, 7.1.2.10.3; `webpki::malformed-aia`).
//!
//! Applied to a self-issued trust anchor (a root CA): no extKeyUsage (BR 7.1.2.1.2;
//! `webpki::eku::root-has-eku`); an authorityKeyIdentifier, when present, has only a
//! keyIdentifier, equal to the subjectKeyIdentifier (BR 7.1.2.1.3; `webpki::aki::*`).
//!
//! Applied to the leaf when validating for [`Purpose::Server`]: extKeyUsage present,
//! non-critical, with serverAuth and without anyExtendedKeyUsage (BR 7.1.2.7.10, 7.1.2.7.6;
//! `webpki::eku::ee-*`); basicConstraints cA false (BR 7.1.2.7.8;
//! `webpki::ee-basicconstraints-ca`); subjectAltName critical only with an empty subject (BR
//! 7.1.2.7.12; `webpki::san::san-critical-with-nonempty-subject`). Names asked for are matched
//! against the subjectAltName only, never the commonName (BR 7.1.2.7.12; `webpki::san::no-san`),
//! exactly: IP addresses by their octets, DNS names by their A-labels, a wildcard only as the
//! whole leftmost label over at least two labels (as without the profile).
//!
//! Not implemented:
//! * the commonName consistency rule of BR 7.1.4.3 (a commonName, when present, is a
//!   character-for-character copy of a subjectAltName entry; `webpki::cn::*`): it is an
//!   issuance rule (a linter's check, e.g. zlint's), and x509-limbo contradicts it itself
//!   (`webpki::san::leftmost-wildcard-san`, `webpki::san::exact-localhost-ip-san` and
//!   `webpki::nc::nc-permits-dns-san-pattern` expect success for leaves with `CN=example.com`
//!   and no such subjectAltName entry);
//! * rejecting wildcards over public suffixes of more than one label (`*.co.uk`,
//!   `*.s3.amazonaws.com`; BR 3.2.2.6): it needs the Public Suffix List, which this crate does
//!   not carry (`*.com` and `*` are rejected by the single-label rule).

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280 as oids;
use der::Decode;
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, NameConstraints};

use super::profile::Role;
use super::view::View;
use super::{ANY_EKU, Purpose, SERVER_AUTH, invalid};
use crate::{Invalid, Reason};

/// `authorityInfoAccess` (1.3.6.1.5.5.7.1.1).
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = const_oid::db::rfc5912::ID_PE_AUTHORITY_INFO_ACCESS;

/// Signature algorithms of BR 7.1.3.2: sha{256,384,512}WithRSAEncryption, RSASSA-PSS,
/// ecdsa-with-SHA{256,384,512}.
const SIGNATURE_ALGORITHMS: &[ObjectIdentifier] = &[
    const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
    const_oid::db::rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
    const_oid::db::rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
    const_oid::db::rfc5912::ID_RSASSA_PSS,
    const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
    const_oid::db::rfc5912::ECDSA_WITH_SHA_384,
    const_oid::db::rfc5912::ECDSA_WITH_SHA_512,
];

/// The BR profile rules for `cert` in `role`; see the [module docs](self).
pub(crate) fn check(cert: &View<'_>, role: Role, purpose: Purpose) -> Result<(), Invalid> {
    check_key(cert)?;
    if role != Role::Anchor {
        check_signature_algorithm(cert)?;
        check_aia(cert)?;
    }
    if let Some(nc) = &cert.name_constraints {
        check_name_constraints(cert, nc)?;
    }
    if role == Role::Anchor && cert.self_issued {
        check_root(cert)?;
    }
    if role == Role::Leaf && purpose == Purpose::Server {
        check_server_leaf(cert)?;
    }
    Ok(())
}

/// BR 6.1.5 and 7.1.3.1: RSA of at least 2048 bits, divisible by 8; ECDSA on P-256, P-384 or
/// P-521 (`webpki::forbidden-{p192,dsa,weak-rsa,rsa-not-divisible-by-8}-*`).
fn check_key(cert: &View<'_>) -> Result<(), Invalid> {
    let Some(info) = cert.cert.info() else {
        return Err(invalid(
            Reason::Malformed,
            cert,
            "the certificate does not parse",
        ));
    };
    let key = &info.key;
    match key.algorithm.as_str() {
        "RSA" => {
            let bits = key.bits.unwrap_or(0);
            if bits < 2048 {
                return Err(invalid(
                    Reason::Signature(smimetrust_sig::Reason::WeakAlgorithm),
                    cert,
                    format!(
                        "rsa key of {bits} bits (the ca/b forum baseline requirements need 2048; br 6.1.5)"
                    ),
                ));
            }
            if bits % 8 != 0 {
                return Err(invalid(
                    Reason::Signature(smimetrust_sig::Reason::WeakAlgorithm),
                    cert,
                    format!("rsa key of {bits} bits, not a multiple of 8 (br 6.1.5)"),
                ));
            }
            Ok(())
        }
        "EC P-256" | "EC P-384" | "EC P-521" => Ok(()),
        other => Err(invalid(
            Reason::Signature(smimetrust_sig::Reason::UnsupportedAlgorithm),
            cert,
            format!(
                "{other} keys are not allowed by the ca/b forum baseline requirements (br 6.1.5, 7.1.3.1)"
            ),
        )),
    }
}

/// BR 7.1.3.2: the signature algorithms allowed (no DSA, no SHA-1).
fn check_signature_algorithm(cert: &View<'_>) -> Result<(), Invalid> {
    let oid = x509_cert::spki::AlgorithmIdentifierRef::from_der(cert.sig_alg)
        .map(|a| a.oid)
        .map_err(|_| {
            invalid(
                Reason::Malformed,
                cert,
                "the signature algorithm is malformed",
            )
        })?;
    if SIGNATURE_ALGORITHMS.contains(&oid) {
        return Ok(());
    }
    Err(invalid(
        Reason::Signature(smimetrust_sig::Reason::UnsupportedAlgorithm),
        cert,
        format!(
            "signature algorithm {} is not allowed by the ca/b forum baseline requirements (br 7.1.3.2)",
            smimetrust_x509::names::oid_name(&oid)
        ),
    ))
}

/// The value of extension `oid`, when present.
fn extension<'c>(cert: &View<'c>, oid: ObjectIdentifier) -> Option<&'c [u8]> {
    cert.cert
        .parsed()?
        .tbs_certificate()
        .extensions()?
        .iter()
        .find(|e| e.extn_id == oid)
        .map(|e| e.extn_value.as_bytes())
}

/// BR 7.1.2.7.7 / 7.1.2.10.3: "The AuthorityInfoAccessSyntax MUST contain one or more
/// AccessDescriptions" (`webpki::malformed-aia`).
fn check_aia(cert: &View<'_>) -> Result<(), Invalid> {
    let Some(value) = extension(cert, AUTHORITY_INFO_ACCESS) else {
        return Ok(());
    };
    match AuthorityInfoAccessSyntax::from_der(value) {
        Ok(aia) if !aia.0.is_empty() => Ok(()),
        Ok(_) => Err(invalid(
            Reason::Malformed,
            cert,
            "the authorityInfoAccess extension is empty (br 7.1.2.7.7)",
        )),
        Err(_) => Err(invalid(
            Reason::Malformed,
            cert,
            "the authorityInfoAccess extension does not decode (br 7.1.2.7.7)",
        )),
    }
}

/// BR 7.1.2.5.2: permittedSubtrees and excludedSubtrees cannot both be absent or empty
/// (`webpki::nc::intermediate-permitted-excluded-subtrees-both-{null,empty-sequences}`).
fn check_name_constraints(cert: &View<'_>, nc: &NameConstraints) -> Result<(), Invalid> {
    let permitted = nc
        .permitted_subtrees
        .as_ref()
        .is_some_and(|t| !t.is_empty());
    let excluded = nc.excluded_subtrees.as_ref().is_some_and(|t| !t.is_empty());
    if permitted || excluded {
        return Ok(());
    }
    Err(invalid(
        Reason::NameConstraints,
        cert,
        "nameConstraints has neither permitted nor excluded subtrees (br 7.1.2.5.2)",
    ))
}

/// BR 7.1.2.1.2 (no extKeyUsage in a root CA) and 7.1.2.1.3 (authorityKeyIdentifier: only
/// keyIdentifier, identical to the subjectKeyIdentifier).
fn check_root(cert: &View<'_>) -> Result<(), Invalid> {
    if cert.eku.is_some() {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            cert,
            "a root ca has an extKeyUsage extension (br 7.1.2.1.2)",
        ));
    }
    let Some(value) = extension(cert, oids::ID_CE_AUTHORITY_KEY_IDENTIFIER) else {
        return Ok(());
    };
    let aki = AuthorityKeyIdentifier::from_der(value).map_err(|_| {
        invalid(
            Reason::Malformed,
            cert,
            "the authorityKeyIdentifier does not decode",
        )
    })?;
    if aki.authority_cert_issuer.is_some() || aki.authority_cert_serial_number.is_some() {
        return Err(invalid(
            Reason::Malformed,
            cert,
            "a root ca's authorityKeyIdentifier has authorityCertIssuer or authorityCertSerialNumber (br 7.1.2.1.3)",
        ));
    }
    match (&aki.key_identifier, &cert.ski) {
        (Some(k), Some(ski)) if k.as_bytes() == *ski => Ok(()),
        (None, _) => Err(invalid(
            Reason::Malformed,
            cert,
            "a root ca's authorityKeyIdentifier has no keyIdentifier (br 7.1.2.1.3)",
        )),
        _ => Err(invalid(
            Reason::Malformed,
            cert,
            "a root ca's authorityKeyIdentifier differs from its subjectKeyIdentifier (br 7.1.2.1.3)",
        )),
    }
}

/// The subscriber (server) certificate rules of BR 7.1.2.7 and 7.1.4.3.
fn check_server_leaf(leaf: &View<'_>) -> Result<(), Invalid> {
    // 7.1.2.7.10: extKeyUsage MUST be present with id-kp-serverAuth; anyExtendedKeyUsage MUST
    // NOT be present (`webpki::eku::ee-without-eku`, `webpki::eku::ee-anyeku`).
    let Some(eku) = &leaf.eku else {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            leaf,
            "no extKeyUsage extension (br 7.1.2.7.10)",
        ));
    };
    if eku.contains(&ANY_EKU) {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            leaf,
            "extKeyUsage includes anyExtendedKeyUsage (br 7.1.2.7.10)",
        ));
    }
    if !eku.contains(&SERVER_AUTH) {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            leaf,
            "extKeyUsage does not include serverAuth (br 7.1.2.7.10)",
        ));
    }
    // 7.1.2.7.6: extKeyUsage is not critical (`webpki::eku::ee-critical-eku`).
    if leaf.is_critical(oids::ID_CE_EXT_KEY_USAGE) {
        return Err(invalid(
            Reason::ExtendedKeyUsage,
            leaf,
            "extKeyUsage is critical (br 7.1.2.7.6)",
        ));
    }
    // 7.1.2.7.8: basicConstraints cA MUST be FALSE (`webpki::ee-basicconstraints-ca`).
    if leaf.basic.as_ref().is_some_and(|b| b.ca) {
        return Err(invalid(
            Reason::KeyUsage,
            leaf,
            "a server certificate has basicConstraints cA (br 7.1.2.7.8)",
        ));
    }
    // 7.1.2.7.12: subjectAltName critical only when the subject is empty
    // (`webpki::san::san-critical-with-nonempty-subject`).
    if !leaf.subject.is_empty() && leaf.is_critical(oids::ID_CE_SUBJECT_ALT_NAME) {
        return Err(invalid(
            Reason::Malformed,
            leaf,
            "subjectAltName is critical with a non-empty subject (br 7.1.2.7.12)",
        ));
    }
    Ok(())
}
