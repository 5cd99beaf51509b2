//! Revocation from CRLs (RFC 5280 6.3): direct and indirect CRLs, distribution points and
//! issuing distribution points (scope, reasons), CRL signers other than the certificate's
//! issuer (validated to the same trust anchor), and delta CRLs over a complete CRL.
//!
//! The verdict does not depend on the order the CRLs were given in. The CRLs considered for a
//! certificate are those in scope for one of its distribution points (issuer or cRLIssuer,
//! issuingDistributionPoint names and certificate kinds). A CRL is *usable* when it has no
//! problem of its own (unknown critical extension or entry extension, no cRLNumber, an
//! extension that does not decode) and its signer checks out. A *scope* is an issuer with one
//! issuingDistributionPoint; its CRLs are ordered by cRLNumber, then thisUpdate.
//!
//! 1. **Listings.** Every usable CRL that lists the certificate (a complete CRL, or a delta CRL
//!    over a usable complete CRL it applies to) revokes it, however old or new, expired or not
//!    yet valid: a CRL its issuer signed says the certificate was revoked. Except:
//!    removeFromCRL entries never revoke; a certificateHold entry revokes only while the newest
//!    state of its scope (the newest usable complete CRL, overridden by the newest usable delta
//!    CRL that applies to it) still lists it on hold; and an entry whose reason says the
//!    certificate was good until then (affiliationChanged, superseded, cessationOfOperation,
//!    certificateHold, privilegeWithdrawn) revokes only when its revocationDate is not after
//!    the validation time ([`Options::time`](crate::Options::time)). keyCompromise,
//!    cACompromise, aACompromise, unspecified and no reason code revoke for every validation
//!    time.
//! 2. **Coverage.** Freshness is judged on the newest usable complete CRL of each scope and
//!    the newest usable delta CRL that applies to it (every delta CRL that applies must be
//!    usable): both must be current (thisUpdate <= t <= nextUpdate) at the revocation time
//!    ([`Options::revocation_time`](crate::Options::revocation_time), by default the validation
//!    time). Such a scope covers the reasons its issuingDistributionPoint and the distribution
//!    point allow; the certificate is covered once every reason is. An older current CRL does
//!    not stand in for a newer one that is not current.
//!
//! Not covered, with [`Revocation::WhereAvailable`]: `revocation-unknown` when a CRL from the
//! certificate's issuer was given, a `revocation-unchecked` warning ([`Status::Unchecked`])
//! when none was.

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
    /// revocationDate.
    date: OffsetDateTime,
    /// The reasonCode entry extension, when present.
    reason: Option<CrlReason>,
}

impl Entry {
    fn is_hold(&self) -> bool {
        self.reason == Some(CrlReason::CertificateHold)
    }

    fn is_removal(&self) -> bool {
        self.reason == Some(CrlReason::RemoveFromCRL)
    }

    /// Whether this entry revokes the certificate for validation time `time`: a compromise
    /// (key, CA, AA) or an unspecified reason for every time, any other reason only from its
    /// revocationDate on (the certificate was good before: affiliation changed, superseded,
    /// ceased, held, privilege withdrawn); removeFromCRL never.
    fn revokes_at(&self, time: OffsetDateTime) -> bool {
        match self.reason {
            None
            | Some(
                CrlReason::Unspecified
                | CrlReason::KeyCompromise
                | CrlReason::CaCompromise
                | CrlReason::AaCompromise,
            ) => true,
            Some(CrlReason::RemoveFromCRL) => false,
            Some(_) => self.date <= time,
        }
    }

    /// The reason, as RFC 5280 5.3.1 names it.
    fn reason_name(&self) -> &'static str {
        match self.reason {
            None => "no reason code",
            Some(CrlReason::Unspecified) => "unspecified",
            Some(CrlReason::KeyCompromise) => "keyCompromise",
            Some(CrlReason::CaCompromise) => "cACompromise",
            Some(CrlReason::AffiliationChanged) => "affiliationChanged",
            Some(CrlReason::Superseded) => "superseded",
            Some(CrlReason::CessationOfOperation) => "cessationOfOperation",
            Some(CrlReason::CertificateHold) => "certificateHold",
            Some(CrlReason::RemoveFromCRL) => "removeFromCRL",
            Some(CrlReason::PrivilegeWithdrawn) => "privilegeWithdrawn",
            Some(CrlReason::AaCompromise) => "aACompromise",
        }
    }
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
            let mut reason = None;
            let mut unknown_critical = None;
            for e in rc.crl_entry_extensions.as_deref().unwrap_or_default() {
                if e.critical && !KNOWN_ENTRY.contains(&e.extn_id) {
                    unknown_critical = Some(e.extn_id);
                }
                if e.extn_id == oids::ID_CE_CRL_REASONS {
                    match CrlReason::from_der(e.extn_value.as_bytes()) {
                        Ok(r) => reason = Some(r),
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
            let Some(date) = to_time(&rc.revocation_date) else {
                problem = Some("an entry's revocation date is out of range".to_owned());
                continue;
            };
            entries.push(Entry {
                serial: rc.serial_number.as_bytes().to_vec(),
                issuer: current_issuer.clone(),
                date,
                reason,
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

    /// Whether `other` has the same scope: the same issuer and issuingDistributionPoint.
    fn same_scope(&self, other: &Crl<'_>) -> bool {
        self.issuer == other.issuer && self.idp_der == other.idp_der
    }

    /// Why this CRL is not current at `at`, when it is not.
    fn stale_at(&self, at: OffsetDateTime) -> Option<&'static str> {
        if self.this_update > at {
            Some("is not yet valid")
        } else if self.next_update.is_some_and(|n| n < at) {
            Some("has expired")
        } else {
            None
        }
    }

    /// `the crl of <issuer> <why>` (`the delta crl of …` for a delta CRL).
    fn describe(&self, why: &str) -> String {
        format!(
            "the {}crl of {} {why}",
            if self.is_delta() { "delta " } else { "" },
            self.issuer_text
        )
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

/// Which of two CRLs is newer: by cRLNumber, then thisUpdate (then, for a total order, by
/// their SHA-256).
fn cmp_age(a: &Crl<'_>, b: &Crl<'_>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let by_number = match (&a.number, &b.number) {
        (Some(x), Some(y)) => cmp_numbers(x, y),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => Ordering::Equal,
    };
    by_number
        .then_with(|| a.this_update.cmp(&b.this_update))
        .then_with(|| a.sha256.cmp(&b.sha256))
}

/// What [`CrlSet::check`] found for a certificate it does not reject.
pub(crate) enum Status {
    /// Covered by usable, current CRLs, or revocation checking is off.
    Checked,
    /// [`Revocation::WhereAvailable`] and no CRL from the certificate's issuer: not checked;
    /// why, lower case.
    Unchecked(String),
}

/// Why CRLs could not be used, each once, in the order found.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    fn add(&mut self, note: String) {
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }
}

/// What checking a CRL's signer needs: the validator (for signers other than the issuer), the
/// path above the certificate (the trust anchor first), the DSA parameters the issuer's key
/// inherits; and the CRLs checked so far for this certificate, by SHA-256: usable, or why not.
struct Signers<'x, 'v> {
    v: &'x Validator<'v>,
    issuers: &'x [&'x View<'x>],
    params: Option<&'x [u8]>,
    checked: HashMap<[u8; 32], Result<(), String>>,
}

/// The newest state of one scope (see [`CrlSet::newest`]).
struct ScopeState<'c> {
    complete: &'c Crl<'c>,
    delta: Option<&'c Crl<'c>>,
    delta_problem: Option<String>,
}

/// `revoked`, naming the CRL and the entry.
fn revoked(cert: &View<'_>, crl: &Crl<'_>, entry: &Entry) -> Invalid {
    invalid(
        Reason::Revoked,
        cert,
        format!(
            "listed in the {}crl of {} (revoked {}, {})",
            if crl.is_delta() { "delta " } else { "" },
            crl.issuer_text,
            super::fmt_time(entry.date),
            entry.reason_name()
        ),
    )
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
    /// `params`: the DSA parameters the issuer's key inherits. See the module docs for the
    /// rules; the result does not depend on the order the CRLs were given in.
    pub(crate) fn check(
        &self,
        v: &Validator<'_>,
        s: &mut Search<'_>,
        cert: &View<'_>,
        issuers: &[&View<'_>],
        params: Option<&[u8]>,
        mode: Revocation,
    ) -> Result<Status, Invalid> {
        if mode == Revocation::Off {
            return Ok(Status::Checked);
        }
        let none_given = || {
            format!(
                "no crl from {} was given",
                cert.cert.info().map_or("its issuer", |i| i.issuer.as_str())
            )
        };
        // No CRL at all: none can speak for the certificate (what follows would find none
        // relevant), and only `Required` makes that a failure.
        if mode != Revocation::Required
            && self.crls.is_empty()
            && self.base.is_none_or(|b| b.crls.is_empty())
        {
            return Ok(Status::Unchecked(none_given()));
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
                Revocation::Required => Err(invalid(Reason::RevocationUnknown, cert, none_given())),
                _ => Ok(Status::Unchecked(none_given())),
            };
        }
        // Those in scope for one of its distribution points, newest first: whatever order they
        // were given in, they are looked at in this one.
        let mut in_scope: Vec<&Crl<'_>> = relevant
            .iter()
            .filter_map(|&i| self.get(i))
            .filter(|c| dps.iter().any(|dp| Self::in_scope(c, dp, cert)))
            .collect();
        in_scope.sort_by(|a, b| cmp_age(b, a));
        let time = s.options.time;
        let current_at = s.options.revocation_time.unwrap_or(time);
        let mut notes = Notes::default();
        let mut signers = Signers {
            v,
            issuers,
            params,
            checked: HashMap::new(),
        };

        // 1. Listings. Every usable CRL that lists the certificate revokes it, however old or
        // new it is (the reason code and `time` permitting), except holds, which count only
        // in the newest state of their scope (below), and removals, which never revoke.
        let mut held: Vec<&Crl<'_>> = Vec::new();
        for &crl in &in_scope {
            let Some(entry) = crl.entry(cert.serial, &cert.issuer) else {
                continue;
            };
            if entry.is_removal() {
                continue;
            }
            if crl.is_delta() {
                // A delta CRL speaks only over a usable complete CRL it applies to.
                let mut applies = false;
                for &base in &in_scope {
                    if base.is_delta() || base.problem.is_some() || !crl.is_delta_for(base) {
                        continue;
                    }
                    if self.usable(s, base, &mut signers)?.is_ok() {
                        applies = true;
                        break;
                    }
                }
                if !applies {
                    continue;
                }
            }
            if let Err(why) = self.usable(s, crl, &mut signers)? {
                notes.add(crl.describe(&why));
                continue;
            }
            if entry.is_hold() {
                if !held.iter().any(|h| h.same_scope(crl)) {
                    held.push(crl);
                }
                continue;
            }
            if entry.revokes_at(time) {
                return Err(revoked(cert, crl, entry));
            }
        }
        // A hold revokes while the newest state of its scope (the newest usable complete CRL
        // and its newest usable delta CRL) still lists it; a newer CRL without it, or with
        // removeFromCRL, released it.
        for scope in held {
            let mut ignored = Notes::default();
            let Some(state) = self.newest(s, scope, &in_scope, &mut signers, &mut ignored)? else {
                continue;
            };
            let listed = state
                .delta
                .and_then(|d| Some((d.entry(cert.serial, &cert.issuer)?, d)))
                .or_else(|| {
                    let c = state.complete;
                    Some((c.entry(cert.serial, &cert.issuer)?, c))
                });
            if let Some((entry, crl)) = listed
                && entry.is_hold()
                && entry.revokes_at(time)
            {
                return Err(revoked(cert, crl, entry));
            }
        }

        // 2. Coverage: for each distribution point, the scopes in scope for it, each judged on
        // its newest usable complete CRL (and that CRL's newest usable delta CRL), which must
        // be current at `current_at`; the certificate is covered once the scopes found so
        // cover every reason.
        let mut mask: u16 = 0;
        for dp in &dps {
            let mut seen: Vec<&Crl<'_>> = Vec::new();
            for &crl in &in_scope {
                if crl.is_delta()
                    || !Self::in_scope(crl, dp, cert)
                    || seen.iter().any(|c| c.same_scope(crl))
                {
                    continue;
                }
                seen.push(crl);
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
                let Some(state) = self.newest(s, crl, &in_scope, &mut signers, &mut notes)? else {
                    continue;
                };
                if let Some(p) = state.delta_problem {
                    notes.add(format!("the crl of {}: {p}", state.complete.issuer_text));
                    continue;
                }
                if let Some(stale) = state.complete.stale_at(current_at) {
                    notes.add(state.complete.describe(stale));
                    continue;
                }
                if let Some(d) = state.delta
                    && let Some(stale) = d.stale_at(current_at)
                {
                    notes.add(d.describe(stale));
                    continue;
                }
                mask |= interim;
                if mask == ALL_REASONS {
                    return Ok(Status::Checked);
                }
            }
        }
        let detail = if notes.0.is_empty() {
            if mask == 0 {
                "no crl given covers it".to_owned()
            } else {
                "the crls given cover only some revocation reasons".to_owned()
            }
        } else {
            notes.0.join("; ")
        };
        Err(invalid(Reason::RevocationUnknown, cert, detail))
    }

    /// Whether `crl` can be used at all: no problem of its own, and a signature by a signer
    /// that checks out (remembered in `signers` for this certificate's check). `Err`: budget.
    fn usable(
        &self,
        s: &mut Search<'_>,
        crl: &Crl<'_>,
        signers: &mut Signers<'_, '_>,
    ) -> Result<Result<(), String>, Invalid> {
        if let Some(p) = &crl.problem {
            return Ok(Err(format!("is unusable: {p}")));
        }
        if let Some(known) = signers.checked.get(&crl.sha256) {
            return Ok(known.clone());
        }
        let verdict = match self.check_signer(signers.v, s, crl, signers.issuers, signers.params) {
            Ok(()) => Ok(()),
            Err(e) if e.reason == Reason::BudgetExceeded => return Err(e),
            Err(e) => Err(format!("cannot be trusted: {}", e.detail)),
        };
        signers.checked.insert(crl.sha256, verdict.clone());
        Ok(verdict)
    }

    /// The newest state of the scope of `scope` (same issuer and issuingDistributionPoint)
    /// among `in_scope` (newest first): its newest usable complete CRL and, of the delta CRLs
    /// that apply to that one, the newest usable one (`delta_problem` when one of them cannot
    /// be used). `None` when no complete CRL of the scope is usable; why CRLs were passed over
    /// goes to `notes`.
    fn newest<'c>(
        &self,
        s: &mut Search<'_>,
        scope: &Crl<'_>,
        in_scope: &[&'c Crl<'c>],
        signers: &mut Signers<'_, '_>,
        notes: &mut Notes,
    ) -> Result<Option<ScopeState<'c>>, Invalid> {
        let mut complete = None;
        for &c in in_scope {
            if c.is_delta() || !c.same_scope(scope) {
                continue;
            }
            match self.usable(s, c, signers)? {
                Ok(()) => {
                    complete = Some(c);
                    break;
                }
                Err(why) => notes.add(c.describe(&why)),
            }
        }
        let Some(complete) = complete else {
            return Ok(None);
        };
        // Every delta CRL that applies must be usable; the newest is used.
        let mut delta = None;
        let mut delta_problem = None;
        for &d in in_scope {
            if !d.is_delta_for(complete) {
                continue;
            }
            match self.usable(s, d, signers)? {
                Ok(()) => {
                    if delta.is_none() {
                        delta = Some(d);
                    }
                }
                Err(why) => {
                    if delta_problem.is_none() {
                        delta_problem = Some(format!("its delta crl {why}"));
                    }
                }
            }
        }
        Ok(Some(ScopeState {
            complete,
            delta,
            delta_problem,
        }))
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
