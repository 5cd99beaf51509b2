//! A certificate as path validation needs it: the signed parts and the subject public key sliced
//! from the original DER, the names normalized, and every extension the validator processes
//! decoded once.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280 as oids;
use der::{Decode, Tag};
use time::OffsetDateTime;
use x509_cert::certificate::Version;
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    BasicConstraints, CertificatePolicies, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage,
    NameConstraints, PolicyConstraints, PolicyMappings, SubjectAltName,
};

use super::name::NormName;
use crate::{CertRef, Invalid, Reason};
use smimetrust_x509::Certificate;
use smimetrust_x509::tlv::{self, Walker};

/// `id-dsa` (1.2.840.10040.4.1).
pub(crate) const ID_DSA: ObjectIdentifier = const_oid::db::rfc5912::ID_DSA;
/// `anyPolicy` (2.5.29.32.0).
pub(crate) const ANY_POLICY: ObjectIdentifier = const_oid::db::rfc5280::ANY_POLICY;
/// `inhibitAnyPolicy` (2.5.29.54).
const INHIBIT_ANY_POLICY: ObjectIdentifier = const_oid::db::rfc5912::ID_CE_INHIBIT_ANY_POLICY;

/// Extensions the validator processes (or, for the key identifiers, distribution points and
/// issuer names, may ignore), so may be critical.
pub const KNOWN: &[ObjectIdentifier] = &[
    oids::ID_CE_BASIC_CONSTRAINTS,
    oids::ID_CE_KEY_USAGE,
    oids::ID_CE_EXT_KEY_USAGE,
    oids::ID_CE_SUBJECT_ALT_NAME,
    oids::ID_CE_NAME_CONSTRAINTS,
    oids::ID_CE_CERTIFICATE_POLICIES,
    oids::ID_CE_POLICY_MAPPINGS,
    oids::ID_CE_POLICY_CONSTRAINTS,
    INHIBIT_ANY_POLICY,
    oids::ID_CE_SUBJECT_KEY_IDENTIFIER,
    oids::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    oids::ID_CE_CRL_DISTRIBUTION_POINTS,
    oids::ID_CE_ISSUER_ALT_NAME,
];

/// One certificate, read for path validation.
pub(crate) struct View<'a> {
    /// The certificate.
    pub cert: &'a Certificate,
    /// How failures name it.
    pub cert_ref: CertRef,
    /// The TBSCertificate exactly as signed.
    pub tbs: &'a [u8],
    /// The outer signature AlgorithmIdentifier, DER.
    pub sig_alg: &'a [u8],
    /// The signature value (the BIT STRING's bytes).
    pub signature: &'a [u8],
    /// The signature BIT STRING's unused-bits octet (anything but 0 is a bad signature).
    pub unused_bits: u8,
    /// The SubjectPublicKeyInfo, DER.
    pub spki: &'a [u8],
    /// The subject public key's algorithm.
    pub key_alg: ObjectIdentifier,
    /// The key algorithm's parameters, DER (`None` when absent or NULL).
    pub key_params: Option<&'a [u8]>,
    /// The subject public key BIT STRING, DER (tag and length included).
    pub key_bits: &'a [u8],
    /// The subject, normalized for comparison.
    pub subject: NormName,
    /// The issuer, normalized.
    pub issuer: NormName,
    /// Subject and issuer normalize to the same name.
    pub self_issued: bool,
    /// Version 3 (extensions allowed; version 1 and 2 certificates are never CAs).
    pub v3: bool,
    /// The serial number's content octets.
    pub serial: &'a [u8],
    /// Validity.
    pub not_before: OffsetDateTime,
    /// Validity.
    pub not_after: OffsetDateTime,
    /// subjectKeyIdentifier.
    pub ski: Option<&'a [u8]>,
    /// authorityKeyIdentifier keyIdentifier.
    pub aki: Option<&'a [u8]>,
    /// basicConstraints.
    pub basic: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extKeyUsage purposes.
    pub eku: Option<Vec<ObjectIdentifier>>,
    /// subjectAltName entries (empty when absent).
    pub san: Vec<GeneralName>,
    /// Whether the certificate has a subjectAltName extension (empty or not).
    pub has_san: bool,
    /// Subject emailAddress attributes.
    pub subject_emails: Vec<String>,
    /// nameConstraints.
    pub name_constraints: Option<NameConstraints>,
    /// certificatePolicies policy identifiers.
    pub policies: Option<Vec<ObjectIdentifier>>,
    /// policyMappings (issuerDomainPolicy, subjectDomainPolicy).
    pub mappings: Option<Vec<(ObjectIdentifier, ObjectIdentifier)>>,
    /// policyConstraints.
    pub policy_constraints: Option<PolicyConstraints>,
    /// inhibitAnyPolicy SkipCerts.
    pub inhibit_any: Option<u32>,
    /// cRLDistributionPoints.
    pub crl_dps: Option<Vec<DistributionPoint>>,
    /// The first critical extension this validator does not process.
    pub unknown_critical: Option<ObjectIdentifier>,
    /// Every extension marked critical.
    pub critical: Vec<ObjectIdentifier>,
    /// Whether there is an authorityKeyIdentifier extension (with or without keyIdentifier).
    pub has_aki: bool,
}

/// A CertRef for a certificate.
pub(crate) fn cert_ref(cert: &Certificate) -> CertRef {
    CertRef {
        sha1: cert.sha1_hex(),
        subject: cert
            .info()
            .map_or_else(|| "(unparsed)".to_owned(), |i| i.subject.clone()),
    }
}

fn malformed(cert: &Certificate, detail: impl Into<String>) -> Invalid {
    Invalid {
        reason: Reason::Malformed,
        certificate: Some(cert_ref(cert)),
        detail: detail.into(),
    }
}

/// The signed parts of a certificate or CRL, sliced from its original bytes.
pub(crate) struct Parts<'a> {
    /// The to-be-signed part, DER.
    pub tbs: &'a [u8],
    /// The signature AlgorithmIdentifier, DER.
    pub alg: &'a [u8],
    /// The signature BIT STRING's unused-bits octet.
    pub unused_bits: u8,
    /// The signature BIT STRING's bytes.
    pub signature: &'a [u8],
}

/// The signed parts of a `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }` (a certificate or
/// a CRL), from the original bytes.
pub(crate) fn signed_parts(der: &[u8]) -> Option<Parts<'_>> {
    let outer = tlv::single_sequence(der).ok()?;
    let mut children = Walker::inside(&outer);
    let tbs = children.next_tlv()?.ok()?;
    let alg = children.next_tlv()?.ok()?;
    let bits = children.next_tlv()?.ok()?;
    if !children.is_empty()
        || tbs.tag != Tag::Sequence
        || alg.tag != Tag::Sequence
        || bits.tag != Tag::BitString
    {
        return None;
    }
    let (&unused, signature) = bits.content.split_first()?;
    Some(Parts {
        tbs: tbs.raw,
        alg: alg.raw,
        unused_bits: unused,
        signature,
    })
}

/// The SubjectPublicKeyInfo of a TBSCertificate, and the signature algorithm inside it.
fn tbs_parts(tbs: &[u8]) -> Option<(&[u8], &[u8])> {
    let outer = tlv::single_sequence(tbs).ok()?;
    let mut children = Walker::inside(&outer);
    let mut first = children.next_tlv()?.ok()?;
    if tlv::is_context(first.tag, 0) {
        first = children.next_tlv()?.ok()?; // the serial number
    }
    let _ = first;
    let sig = children.next_tlv()?.ok()?;
    for _ in 0..3 {
        children.next_tlv()?.ok()?; // issuer, validity, subject
    }
    let spki = children.next_tlv()?.ok()?;
    Some((spki.raw, sig.raw))
}

/// The algorithm parameters (raw, `None` when absent or NULL) and the key BIT STRING (raw) of a
/// SubjectPublicKeyInfo.
fn spki_parts(spki: &[u8]) -> Option<(Option<&[u8]>, &[u8])> {
    let outer = tlv::single_sequence(spki).ok()?;
    let mut children = Walker::inside(&outer);
    let alg = children.next_tlv()?.ok()?;
    let bits = children.next_tlv()?.ok()?;
    let mut alg_children = Walker::inside(&alg);
    alg_children.next_tlv()?.ok()?;
    let params = match alg_children.next_tlv() {
        Some(Ok(p)) if p.tag != Tag::Null => Some(p.raw),
        Some(Ok(_)) | None => None,
        Some(Err(_)) => return None,
    };
    Some((params, bits.raw))
}

impl<'a> View<'a> {
    /// Reads a certificate; `Malformed` when it does not parse strictly, repeats an extension,
    /// or has an extension this validator processes that does not decode.
    pub(crate) fn new(cert: &'a Certificate) -> Result<View<'a>, Invalid> {
        let (Some(parsed), Some(info)) = (cert.parsed(), cert.info()) else {
            return Err(malformed(
                cert,
                cert.parse_error()
                    .unwrap_or("the certificate does not parse"),
            ));
        };
        let Parts {
            tbs,
            alg: sig_alg,
            unused_bits,
            signature,
        } = signed_parts(cert.der())
            .ok_or_else(|| malformed(cert, "the certificate's outer structure is malformed"))?;
        let (spki, inner_alg) =
            tbs_parts(tbs).ok_or_else(|| malformed(cert, "the tbsCertificate is malformed"))?;
        if inner_alg != sig_alg {
            return Err(malformed(
                cert,
                "the signature algorithm differs from the one inside the signed part",
            ));
        }
        let (key_params, key_bits) = spki_parts(spki)
            .ok_or_else(|| malformed(cert, "the subject public key info is malformed"))?;
        let t = parsed.tbs_certificate();
        let subject = NormName::new(t.subject());
        let issuer = NormName::new(t.issuer());
        let v3 = t.version() == Version::V3;

        let exts = t.extensions().map(Vec::as_slice).unwrap_or_default();
        let mut ids: Vec<&ObjectIdentifier> = exts.iter().map(|e| &e.extn_id).collect();
        ids.sort_unstable();
        if let Some(pair) = ids.windows(2).find(|w| w.first() == w.get(1)) {
            return Err(malformed(
                cert,
                format!(
                    "extension {} appears more than once",
                    pair.first().map(|o| o.to_string()).unwrap_or_default()
                ),
            ));
        }
        let critical: Vec<ObjectIdentifier> = exts
            .iter()
            .filter(|e| e.critical)
            .map(|e| e.extn_id)
            .collect();
        let unknown_critical = exts
            .iter()
            .find(|e| e.critical && !KNOWN.contains(&e.extn_id))
            .map(|e| e.extn_id);

        fn get<'b, T>(
            cert: &Certificate,
            exts: &'b [x509_cert::ext::Extension],
        ) -> Result<Option<T>, Invalid>
        where
            T: Decode<'b, Error = der::Error> + const_oid::AssociatedOid,
        {
            match exts.iter().find(|e| e.extn_id == T::OID) {
                None => Ok(None),
                Some(e) => T::from_der(e.extn_value.as_bytes())
                    .map(Some)
                    .map_err(|err| {
                        malformed(cert, format!("extension {} does not decode: {err}", T::OID))
                    }),
            }
        }

        let inhibit_any = match exts.iter().find(|e| e.extn_id == INHIBIT_ANY_POLICY) {
            None => None,
            Some(e) => Some(u32::from_der(e.extn_value.as_bytes()).map_err(|err| {
                malformed(cert, format!("inhibitAnyPolicy does not decode: {err}"))
            })?),
        };
        let san: Option<SubjectAltName> = get(cert, exts)?;
        let subject_emails = t
            .subject()
            .iter()
            .filter(|atv| atv.oid == smimetrust_x509::names::EMAIL_ADDRESS)
            .filter_map(smimetrust_x509::names::attribute_text)
            .collect();
        let policies: Option<CertificatePolicies> = get(cert, exts)?;
        let mappings: Option<PolicyMappings> = get(cert, exts)?;
        let eku: Option<ExtendedKeyUsage> = get(cert, exts)?;
        let dps: Option<CrlDistributionPoints> = get(cert, exts)?;

        Ok(View {
            cert,
            cert_ref: CertRef {
                sha1: cert.sha1_hex(),
                subject: info.subject.clone(),
            },
            tbs,
            sig_alg,
            signature,
            unused_bits,
            spki,
            key_alg: t.subject_public_key_info().algorithm.oid,
            key_params,
            key_bits,
            self_issued: subject == issuer,
            subject,
            issuer,
            v3,
            serial: t.serial_number().as_bytes(),
            not_before: info.not_before,
            not_after: info.not_after,
            // basicConstraints and the key identifiers as the certificate's summary decoded them
            // (it has, or there would be no summary): not decoded again.
            ski: info.subject_key_id.as_deref(),
            has_aki: exts
                .iter()
                .any(|e| e.extn_id == oids::ID_CE_AUTHORITY_KEY_IDENTIFIER),
            aki: info.authority_key_id.as_deref(),
            basic: info.has_basic_constraints.then_some(BasicConstraints {
                ca: info.is_ca,
                path_len_constraint: info.path_len,
            }),
            key_usage: get(cert, exts)?,
            eku: eku.map(|e| e.0),
            has_san: san.is_some(),
            san: san.map(|s| s.0).unwrap_or_default(),
            subject_emails,
            name_constraints: get(cert, exts)?,
            policies: policies.map(|p| p.0.into_iter().map(|i| i.policy_identifier).collect()),
            mappings: mappings.map(|m| {
                m.0.into_iter()
                    .map(|m| (m.issuer_domain_policy, m.subject_domain_policy))
                    .collect()
            }),
            policy_constraints: get(cert, exts)?,
            inhibit_any,
            crl_dps: dps.map(|d| d.0),
            unknown_critical,
            critical,
        })
    }

    /// basicConstraints cA on a version 3 certificate.
    pub(crate) fn is_ca(&self) -> bool {
        self.v3 && self.basic.as_ref().is_some_and(|b| b.ca)
    }

    /// Whether the extension `oid` is present and marked critical.
    pub(crate) fn is_critical(&self, oid: ObjectIdentifier) -> bool {
        self.critical.contains(&oid)
    }

    /// The key's parameters are absent (DSA parameter inheritance, RFC 5280 6.1.4 (f)).
    pub(crate) fn needs_inherited_params(&self) -> bool {
        self.key_alg == ID_DSA && self.key_params.is_none()
    }
}

/// `SEQUENCE { SEQUENCE { id-dsa, params }, key }`: a DSA SubjectPublicKeyInfo with inherited
/// parameters, built from original bytes.
pub(crate) fn dsa_spki_with_params(params: &[u8], key_bits: &[u8]) -> Option<Vec<u8>> {
    use der::Encode;
    let oid = ID_DSA.to_der().ok()?;
    let mut alg_content = oid;
    alg_content.extend_from_slice(params);
    let alg = wrap_sequence(&alg_content)?;
    let mut content = alg;
    content.extend_from_slice(key_bits);
    wrap_sequence(&content)
}

fn wrap_sequence(content: &[u8]) -> Option<Vec<u8>> {
    use der::Encode;
    let header = der::Header::new(Tag::Sequence, der::Length::try_from(content.len()).ok()?);
    let mut out = header.to_der().ok()?;
    out.extend_from_slice(content);
    Some(out)
}
