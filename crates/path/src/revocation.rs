//! Revocation from CRLs (RFC 5280 6.3), complete CRLs only: direct and indirect CRLs,
//! distribution points and issuing distribution points (scope, reasons), CRL signers other
//! than the certificate's issuer (validated to the same trust anchor), and delta CRLs over a
//! complete CRL (every delta CRL that applies must be usable; the newest one is used).

use std::collections::HashMap;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280 as oids;
use der::{Decode, Encode};
use sha2::Digest;
use time::OffsetDateTime;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::crl::CrlReason;
use x509_cert::ext::pkix::crl::dp::IssuingDistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};

use super::name::NormName;
use super::view::{self, View};
use super::{Candidate, Revocation, Search, Validator, invalid};
use crate::{Invalid, Reason};

/// Every reason of ReasonFlags (bits 1 to 8; bit 0 is `unused`).
const ALL_REASONS: u16 = 0x01fe;

/// `issuingDistributionPoint` (2.5.29.28); x509-cert 0.3 gives its type a wrong OID.
const ID_CE_ISSUING_DISTRIBUTION_POINT: ObjectIdentifier =
    const_oid::db::rfc5912::ID_CE_ISSUING_DISTRIBUTION_POINT;
/// `freshestCRL` (2.5.29.46).
const ID_CE_FRESHEST_CRL: ObjectIdentifier = const_oid::db::rfc5912::ID_CE_FRESHEST_CRL;
/// `authorityInfoAccess` (1.3.6.1.5.5.7.1.1).
const ID_PE_AUTHORITY_INFO_ACCESS: ObjectIdentifier =
    const_oid::db::rfc5912::ID_PE_AUTHORITY_INFO_ACCESS;

/// CRL extensions understood (or safely ignored) when critical.
const KNOWN_CRL: &[ObjectIdentifier] = &[
    oids::ID_CE_CRL_NUMBER,
    oids::ID_CE_DELTA_CRL_INDICATOR,
    ID_CE_ISSUING_DISTRIBUTION_POINT,
    oids::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    oids::ID_CE_ISSUER_ALT_NAME,
    ID_CE_FRESHEST_CRL,
    ID_PE_AUTHORITY_INFO_ACCESS,
];

/// CRL entry extensions understood when critical.
const KNOWN_ENTRY: &[ObjectIdentifier] = &[
    oids::ID_CE_CRL_REASONS,
    oids::ID_CE_INVALIDITY_DATE,
    oids::ID_CE_CERTIFICATE_ISSUER,
];

/// A distribution point name or CRL issuer name, comparable.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DpName {
    Dn(NormName),
    Other(Vec<u8>),
}

fn dp_name(g: &GeneralName) -> DpName {
    match g {
        GeneralName::DirectoryName(n) => DpName::Dn(NormName::new(n)),
        other => DpName::Other(other.to_der().unwrap_or_default()),
    }
}

/// The names of a DistributionPointName; a name relative to the CRL issuer is appended to
/// `relative_to`.
fn dp_names(name: &DistributionPointName, relative_to: &NormName) -> Vec<DpName> {
    match name {
        DistributionPointName::FullName(names) => names.iter().map(dp_name).collect(),
        DistributionPointName::NameRelativeToCRLIssuer(rdn) => {
            vec![DpName::Dn(relative_to.with_rdn(rdn))]
        }
    }
}

struct Entry {
    serial: Vec<u8>,
    /// The certificate issuer of the entry (indirect CRLs); `None`: the CRL issuer.
    issuer: Option<NormName>,
    remove_from_crl: bool,
    unknown_critical: Option<ObjectIdentifier>,
}

struct Crl<'a> {
    sha256: [u8; 32],
    tbs: &'a [u8],
    sig_alg: &'a [u8],
    signature: &'a [u8],
    unused_bits: u8,
    issuer: NormName,
    issuer_text: String,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
    entries: Vec<Entry>,
    idp: Option<IssuingDistributionPoint>,
    /// The issuingDistributionPoint extension's value (scope comparison of delta CRLs).
    idp_der: Option<Vec<u8>>,
    /// cRLNumber, big-endian without leading zeros.
    number: Option<Vec<u8>>,
    /// deltaCRLIndicator's BaseCRLNumber (a delta CRL), likewise.
    base_number: Option<Vec<u8>>,
    /// Why the CRL cannot be used at all.
    problem: Option<String>,
}

fn to_time(t: &x509_cert::time::Time) -> Option<OffsetDateTime> {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

impl<'a> Crl<'a> {
    fn parse(der: &'a [u8]) -> Option<Crl<'a>> {
        let view::Parts {
            tbs,
            alg: sig_alg,
            unused_bits,
            signature,
        } = view::signed_parts(der)?;
        let list = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der).ok()?;
        let t = &list.tbs_cert_list;
        let issuer = NormName::new(&t.issuer);
        let mut problem = None;
        let exts = t.crl_extensions.as_deref().unwrap_or_default();
        if let Some(e) = exts
            .iter()
            .find(|e| e.critical && !KNOWN_CRL.contains(&e.extn_id))
        {
            problem = Some(format!(
                "it has an unknown critical extension {}",
                e.extn_id
            ));
        }
        // RFC 5280 5.2.3: conforming CRL issuers MUST include cRLNumber, marked non-critical.
        // A CRL without it (or with it critical) is not a conforming CRL: unusable.
        if problem.is_none() {
            match exts.iter().find(|e| e.extn_id == oids::ID_CE_CRL_NUMBER) {
                None => {
                    problem = Some("it has no cRLNumber extension (rfc 5280 5.2.3)".to_owned());
                }
                Some(e) if e.critical => {
                    problem =
                        Some("its cRLNumber extension is critical (rfc 5280 5.2.3)".to_owned());
                }
                Some(_) => {}
            }
        }
        let idp = match exts
            .iter()
            .find(|e| e.extn_id == ID_CE_ISSUING_DISTRIBUTION_POINT)
        {
            None => None,
            Some(e) => match IssuingDistributionPoint::from_der(e.extn_value.as_bytes()) {
                Ok(idp) => Some(idp),
                Err(_) => {
                    problem = Some("its issuingDistributionPoint does not decode".to_owned());
                    None
                }
            },
        };
        let idp_der = exts
            .iter()
            .find(|e| e.extn_id == ID_CE_ISSUING_DISTRIBUTION_POINT)
            .map(|e| e.extn_value.as_bytes().to_vec());
        let mut number_of = |oid: ObjectIdentifier| -> Option<Vec<u8>> {
            let e = exts.iter().find(|e| e.extn_id == oid)?;
            match der::asn1::Uint::from_der(e.extn_value.as_bytes()) {
                Ok(n) => Some(trim(n.as_bytes())),
                Err(_) => {
                    problem = Some(format!("its extension {oid} does not decode"));
                    None
                }
            }
        };
        let number = number_of(oids::ID_CE_CRL_NUMBER);
        let base_number = number_of(oids::ID_CE_DELTA_CRL_INDICATOR);
        if base_number.is_none()
            && exts
                .iter()
                .any(|e| e.extn_id == oids::ID_CE_DELTA_CRL_INDICATOR)
            && problem.is_none()
        {
            problem = Some("its deltaCRLIndicator does not decode".to_owned());
        }
        let mut entries = Vec::new();
        let mut current_issuer: Option<NormName> = None;
        let indirect = idp.as_ref().is_some_and(|i| i.indirect_crl);
        for rc in t.revoked_certificates.as_deref().unwrap_or_default() {
            let mut remove_from_crl = false;
            let mut unknown_critical = None;
            for e in rc.crl_entry_extensions.as_deref().unwrap_or_default() {
                if e.critical && !KNOWN_ENTRY.contains(&e.extn_id) {
                    unknown_critical = Some(e.extn_id);
                }
                if e.extn_id == oids::ID_CE_CRL_REASONS {
                    match CrlReason::from_der(e.extn_value.as_bytes()) {
                        Ok(CrlReason::RemoveFromCRL) => remove_from_crl = true,
                        Ok(_) => {}
                        Err(_) => {
                            problem = Some("an entry's reason code does not decode".to_owned());
                        }
                    }
                }
                if e.extn_id == oids::ID_CE_CERTIFICATE_ISSUER && indirect {
                    match Vec::<GeneralName>::from_der(e.extn_value.as_bytes()) {
                        Ok(names) => {
                            current_issuer = names.iter().find_map(|g| match g {
                                GeneralName::DirectoryName(n) => Some(NormName::new(n)),
                                _ => None,
                            });
                            if current_issuer.is_none() {
                                problem = Some(
                                    "an entry's certificate issuer has no directory name"
                                        .to_owned(),
                                );
                            }
                        }
                        Err(_) => {
                            problem =
                                Some("an entry's certificate issuer does not decode".to_owned());
                        }
                    }
                }
            }
            if let Some(oid) = unknown_critical {
                // RFC 5280 5.3: such a CRL must not be used for any certificate.
                problem = Some(format!("an entry has an unknown critical extension {oid}"));
            }
            entries.push(Entry {
                serial: rc.serial_number.as_bytes().to_vec(),
                issuer: current_issuer.clone(),
                remove_from_crl,
                unknown_critical,
            });
        }
        let this_update = to_time(&t.this_update)?;
        let next_update = match &t.next_update {
            Some(n) => Some(to_time(n)?),
            None => None,
        };
        Some(Crl {
            sha256: sha2::Sha256::digest(der).into(),
            tbs,
            sig_alg,
            signature,
            unused_bits,
            issuer_text: smimetrust_x509::names::rfc4514(&t.issuer),
            issuer,
            this_update,
            next_update,
            entries,
            idp,
            idp_der,
            number,
            base_number,
            problem,
        })
    }

    fn is_delta(&self) -> bool {
        self.base_number.is_some()
    }

    /// Whether this usable-looking delta CRL applies to the complete CRL `base` (same issuer
    /// and scope, based on a CRL no newer than it, and newer than it).
    fn is_delta_for(&self, base: &Crl<'_>) -> bool {
        let (Some(b), Some(n), Some(number)) = (&self.base_number, &base.number, &self.number)
        else {
            return false;
        };
        self.issuer == base.issuer
            && self.idp_der == base.idp_der
            && cmp_numbers(b, n) != std::cmp::Ordering::Greater
            && cmp_numbers(number, n) == std::cmp::Ordering::Greater
    }

    /// The entry for a certificate, by serial and issuer.
    fn entry(&self, serial: &[u8], cert_issuer: &NormName) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.serial == serial && e.issuer.as_ref().unwrap_or(&self.issuer) == cert_issuer
        })
    }
}

/// A non-negative INTEGER's content without leading zero octets.
fn trim(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default().to_vec()
}

fn cmp_numbers(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// The CRLs given to a validator, indexed by issuer name.
///
/// A set made by [`CrlSet::with_base`] also holds its base's CRLs: indices below the base's
/// length are the base's.
pub(crate) struct CrlSet<'a> {
    base: Option<&'a CrlSet<'a>>,
    crls: Vec<Crl<'a>>,
    by_issuer: HashMap<NormName, Vec<usize>>,
}

/// A distribution point of a certificate (or the implicit one: the certificate's issuer).
struct Dp {
    names: Option<Vec<DpName>>,
    reasons: Option<u16>,
    crl_issuer: Option<Vec<NormName>>,
}

/// How deep CRL signer paths may nest (a CRL signer's own revocation check may need another
/// CRL signer's path, and so on).
const MAX_NESTING: usize = 2;

impl<'a> CrlSet<'a> {
    pub(crate) fn new(crls: &'a [Vec<u8>]) -> Self {
        let crls: Vec<Crl<'a>> = crls.iter().filter_map(|c| Crl::parse(c)).collect();
        let mut by_issuer: HashMap<NormName, Vec<usize>> = HashMap::new();
        for (i, c) in crls.iter().enumerate() {
            by_issuer.entry(c.issuer.clone()).or_default().push(i);
        }
        CrlSet {
            base: None,
            crls,
            by_issuer,
        }
    }

    /// The CRLs of `base` plus `crls`.
    pub(crate) fn with_base(base: &'a CrlSet<'a>, crls: &'a [Vec<u8>]) -> Self {
        let mut set = CrlSet::new(crls);
        let offset = base.crls.len();
        for indices in set.by_issuer.values_mut() {
            for i in indices.iter_mut() {
                *i += offset;
            }
        }
        set.base = Some(base);
        set
    }

    /// The CRL at `i` (the base's first).
    fn get(&self, i: usize) -> Option<&Crl<'a>> {
        match self.base {
            Some(b) if i < b.crls.len() => b.crls.get(i),
            Some(b) => self.crls.get(i - b.crls.len()),
            None => self.crls.get(i),
        }
    }

    /// The indices of the CRLs issued by `name`.
    fn issued_by<'s>(&'s self, name: &NormName) -> impl Iterator<Item = usize> + 's {
        let base = self
            .base
            .and_then(|b| b.by_issuer.get(name))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let own = self
            .by_issuer
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        base.iter().chain(own).copied()
    }

    fn distribution_points(cert: &View<'_>) -> Vec<Dp> {
        let mut dps = Vec::new();
        for dp in cert.crl_dps.iter().flatten() {
            let crl_issuer: Option<Vec<NormName>> = dp.crl_issuer.as_ref().map(|names| {
                names
                    .iter()
                    .filter_map(|g| match g {
                        GeneralName::DirectoryName(n) => Some(NormName::new(n)),
                        _ => None,
                    })
                    .collect()
            });
            let relative_to = crl_issuer
                .as_ref()
                .and_then(|c| c.first().cloned())
                .unwrap_or_else(|| cert.issuer.clone());
            dps.push(Dp {
                names: dp
                    .distribution_point
                    .as_ref()
                    .map(|n| dp_names(n, &relative_to)),
                reasons: dp.reasons.map(|r| r.bits()),
                crl_issuer,
            });
        }
        // RFC 5280 6.3.3: then CRLs issued by the certificate issuer and not named in a
        // distribution point, as if by a distribution point named after the issuer.
        dps.push(Dp {
            names: Some(vec![DpName::Dn(cert.issuer.clone())]),
            reasons: None,
            crl_issuer: None,
        });
        dps
    }

    fn in_scope(crl: &Crl<'_>, dp: &Dp, cert: &View<'_>) -> bool {
        let indirect = crl.idp.as_ref().is_some_and(|i| i.indirect_crl);
        match &dp.crl_issuer {
            Some(issuers) => {
                if !indirect || !issuers.contains(&crl.issuer) {
                    return false;
                }
            }
            None => {
                if crl.issuer != cert.issuer {
                    return false;
                }
            }
        }
        if let Some(idp) = &crl.idp {
            if let Some(idp_dp) = &idp.distribution_point {
                let idp_names = dp_names(idp_dp, &crl.issuer);
                let dp_side: Vec<DpName> = match (&dp.names, &dp.crl_issuer) {
                    (Some(names), _) => names.clone(),
                    (None, Some(issuers)) => issuers.iter().cloned().map(DpName::Dn).collect(),
                    (None, None) => vec![DpName::Dn(cert.issuer.clone())],
                };
                if !idp_names.iter().any(|n| dp_side.contains(n)) {
                    return false;
                }
            }
            let is_ca = cert.basic.as_ref().is_some_and(|b| b.ca);
            if (idp.only_contains_user_certs && is_ca)
                || (idp.only_contains_ca_certs && !is_ca)
                || idp.only_contains_attribute_certs
            {
                return false;
            }
        }
        true
    }

    /// RFC 5280 6.3 for `cert`, whose issuer is the last of `issuers` (the trust anchor first);
    /// `params`: the DSA parameters the issuer's key inherits.
    pub(crate) fn check(
        &self,
        v: &Validator<'_>,
        s: &mut Search<'_>,
        cert: &View<'_>,
        issuers: &[&View<'_>],
        params: Option<&[u8]>,
        mode: Revocation,
    ) -> Result<(), Invalid> {
        if mode == Revocation::Off {
            return Ok(());
        }
        // No CRL at all: none can speak for the certificate (what follows would find none
        // relevant), and only `Required` makes that a failure.
        if mode != Revocation::Required
            && self.crls.is_empty()
            && self.base.is_none_or(|b| b.crls.is_empty())
        {
            return Ok(());
        }
        let dps = Self::distribution_points(cert);
        // The CRLs that could speak for this certificate.
        let mut relevant: Vec<usize> = Vec::new();
        for dp in &dps {
            let names: Vec<&NormName> = match &dp.crl_issuer {
                Some(issuers) => issuers.iter().collect(),
                None => vec![&cert.issuer],
            };
            for name in names {
                for i in self.issued_by(name) {
                    if !relevant.contains(&i) {
                        relevant.push(i);
                    }
                }
            }
        }
        if relevant.is_empty() {
            return match mode {
                Revocation::Required => Err(invalid(
                    Reason::RevocationUnknown,
                    cert,
                    format!(
                        "no crl from {} was given",
                        cert.cert.info().map_or("its issuer", |i| i.issuer.as_str())
                    ),
                )),
                _ => Ok(()),
            };
        }
        let time = s.options.time;
        let mut mask: u16 = 0;
        let mut problems: Vec<String> = Vec::new();
        let mut note = |p: String| {
            if !problems.contains(&p) {
                problems.push(p);
            }
        };
        for dp in &dps {
            for &i in &relevant {
                let Some(crl) = self.get(i) else {
                    continue;
                };
                if crl.is_delta() || !Self::in_scope(crl, dp, cert) {
                    continue;
                }
                let interim = match (
                    crl.idp.as_ref().and_then(|i| i.only_some_reasons),
                    dp.reasons,
                ) {
                    (Some(a), Some(b)) => a.bits() & b,
                    (Some(a), None) => a.bits(),
                    (None, Some(b)) => b,
                    (None, None) => ALL_REASONS,
                } & ALL_REASONS;
                if interim & !mask == 0 {
                    continue;
                }
                if let Some(p) = &crl.problem {
                    note(format!("the crl of {} is unusable: {p}", crl.issuer_text));
                    continue;
                }
                if crl.this_update > time {
                    note(format!("the crl of {} is not yet valid", crl.issuer_text));
                    continue;
                }
                if crl.next_update.is_some_and(|n| n < time) {
                    note(format!("the crl of {} has expired", crl.issuer_text));
                    continue;
                }
                match self.check_signer(v, s, crl, issuers, params) {
                    Ok(()) => {}
                    Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                    Err(e) => {
                        note(format!(
                            "the crl of {} cannot be trusted: {}",
                            crl.issuer_text, e.detail
                        ));
                        continue;
                    }
                }
                // Delta CRLs for this complete CRL: all must be usable; the newest is used.
                let mut delta: Option<&Crl<'_>> = None;
                let mut delta_problem = None;
                for &d in &relevant {
                    let Some(d) = self.get(d) else {
                        continue;
                    };
                    if !d.is_delta_for(crl) {
                        continue;
                    }
                    let problem = if let Some(p) = &d.problem {
                        Some(format!("its delta crl is unusable: {p}"))
                    } else if d.this_update > time {
                        Some("its delta crl is not yet valid".to_owned())
                    } else if d.next_update.is_some_and(|n| n < time) {
                        Some("its delta crl has expired".to_owned())
                    } else {
                        match self.check_signer(v, s, d, issuers, params) {
                            Ok(()) => None,
                            Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                            Err(e) => {
                                Some(format!("its delta crl cannot be trusted: {}", e.detail))
                            }
                        }
                    };
                    match problem {
                        Some(p) => delta_problem = Some(p),
                        None => {
                            if delta.is_none_or(|best| {
                                cmp_numbers(
                                    d.number.as_deref().unwrap_or_default(),
                                    best.number.as_deref().unwrap_or_default(),
                                ) == std::cmp::Ordering::Greater
                            }) {
                                delta = Some(d);
                            }
                        }
                    }
                }
                if let Some(p) = delta_problem {
                    note(format!("the crl of {}: {p}", crl.issuer_text));
                    continue;
                }
                let delta_entry = delta.and_then(|d| d.entry(cert.serial, &cert.issuer));
                let entry = match delta_entry {
                    Some(e) => Some((e, delta.map_or(crl, |d| d))),
                    None => crl.entry(cert.serial, &cert.issuer).map(|e| (e, crl)),
                };
                if let Some((entry, listed_in)) = entry {
                    if let Some(oid) = entry.unknown_critical {
                        note(format!(
                            "the crl of {} lists it with an unknown critical entry extension {oid}",
                            listed_in.issuer_text
                        ));
                        continue;
                    }
                    if !entry.remove_from_crl {
                        return Err(invalid(
                            Reason::Revoked,
                            cert,
                            format!(
                                "listed in the {}crl of {}",
                                if listed_in.is_delta() { "delta " } else { "" },
                                listed_in.issuer_text
                            ),
                        ));
                    }
                }
                mask |= interim;
                if mask == ALL_REASONS {
                    return Ok(());
                }
            }
        }
        let detail = if problems.is_empty() {
            if mask == 0 {
                "no crl given covers it".to_owned()
            } else {
                "the crls given cover only some revocation reasons".to_owned()
            }
        } else {
            problems.join("; ")
        };
        Err(invalid(Reason::RevocationUnknown, cert, detail))
    }

    /// Verifies a CRL's signature: by the certificate's issuer (the last of `issuers`), or by
    /// another certificate with the CRL issuer's name whose own path leads to the same trust
    /// anchor (`issuers[0]`).
    fn check_signer(
        &self,
        v: &Validator<'_>,
        s: &mut Search<'_>,
        crl: &Crl<'_>,
        issuers: &[&View<'_>],
        params: Option<&[u8]>,
    ) -> Result<(), Invalid> {
        let (Some(&anchor), Some(&direct)) = (issuers.first(), issuers.last()) else {
            return Err(Invalid {
                reason: Reason::UnknownIssuer,
                certificate: None,
                detail: "empty path".to_owned(),
            });
        };
        let mut last_error: Option<Invalid> = None;
        if direct.subject == crl.issuer {
            match verify_crl(v, s, crl, direct, params) {
                Ok(()) => return Ok(()),
                Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                Err(e) => last_error = Some(e),
            }
        }
        if s.nesting < MAX_NESTING {
            let candidates = v.candidates(&crl.issuer);
            for c in candidates {
                let Some(signer) = v.view(c) else {
                    continue;
                };
                if signer.cert.sha256() == direct.cert.sha256() {
                    continue;
                }
                if signer.needs_inherited_params() {
                    continue;
                }
                match verify_crl(v, s, crl, signer, None) {
                    Ok(()) => {}
                    Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                    Err(e) => {
                        last_error = Some(e);
                        continue;
                    }
                }
                let result = match c {
                    Candidate::Anchor(_) if signer.cert.sha256() == anchor.cert.sha256() => Ok(()),
                    Candidate::Anchor(_) => Err(invalid(
                        Reason::UnknownIssuer,
                        signer,
                        "the crl signer is a different trust anchor",
                    )),
                    Candidate::Intermediate(_) | Candidate::Base(_) => {
                        v.verify_signer(s, signer, anchor)
                    }
                };
                match result {
                    Ok(()) => return Ok(()),
                    Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
                    Err(e) => last_error = Some(e),
                }
            }
        }
        Err(last_error.unwrap_or_else(|| Invalid {
            reason: Reason::UnknownIssuer,
            certificate: None,
            detail: "no certificate of the crl issuer was found".to_owned(),
        }))
    }
}

/// One CRL signature with one key: keyUsage cRLSign (when present), then the signature.
fn verify_crl(
    v: &Validator<'_>,
    s: &mut Search<'_>,
    crl: &Crl<'_>,
    signer: &View<'_>,
    params: Option<&[u8]>,
) -> Result<(), Invalid> {
    if signer.key_usage.as_ref().is_some_and(|ku| !ku.crl_sign()) {
        return Err(invalid(
            Reason::IssuerKeyUsage,
            signer,
            "the crl issuer's key usage lacks cRLSign",
        ));
    }
    v.check_signed(
        s,
        super::Signed {
            sha256: crl.sha256,
            tbs: crl.tbs,
            sig_alg: crl.sig_alg,
            signature: crl.signature,
            unused_bits: crl.unused_bits,
            tag: 2,
        },
        signer,
        params,
    )
    .map(|_| ())
}
