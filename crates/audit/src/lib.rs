//! The pre-import audit of a set of CA certificates meant to be trusted (an `.sst` for Exchange
//! Online, a PEM bundle): everything an admin should know before uploading it.
//!
//! Every finding has a stable code (documented in `docs/diagnostics.md`) and a severity. The
//! audit looks at each certificate on its own and at the set as a whole (duplicates, issuers
//! missing from the set); it does not need network access or the clock (time is a parameter).
//!
//! ```
//! use smimetrust_audit::{AuditOptions, FindingCode, OffsetDateTime, audit_loaded};
//! use smimetrust_store::{Input, load};
//!
//! let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/demo");
//! let loaded = load(&[Input::Path(format!("{dir}/contoso-cas.sst").into())])?;
//! let at = OffsetDateTime::from_unix_timestamp(1_780_272_000)?; // 2026-06-01
//! let options = AuditOptions::at(at).with_verifier(smimetrust_sig::default_verifier());
//! let audit = audit_loaded(&loaded, &options);
//! assert_eq!(audit.summary.certificates, 3);
//! assert!(audit.findings.iter().any(|f| f.code == FindingCode::Expired));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

use std::collections::HashMap;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280;
use der::Encode;
/// The types this crate's API takes, re-exported so that a caller adds no dependency.
pub use time::{Duration, OffsetDateTime};

pub use smimetrust_sig::{AlgorithmPolicy, SignatureVerifier};
use smimetrust_store::{Loaded, Object, ObjectKind};
use smimetrust_x509::Certificate;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Worth knowing; never fails a check.
    Info,
    /// Fails a check only under `--strict`.
    Warning,
    /// The set is not fit to upload as it is.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing the audit found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// What was found.
    pub code: FindingCode,
    /// How bad it is.
    pub severity: Severity,
    /// The certificate's SHA-1 (upper-case hex), when the finding is about one.
    pub sha1: Option<String>,
    /// The certificate's subject, when known.
    pub subject: Option<String>,
    /// What was found and what to do, lower case, no trailing period.
    pub message: String,
}

impl Finding {
    /// A finding about the set, not one certificate.
    pub fn new(code: FindingCode, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            code,
            severity,
            sha1: None,
            subject: None,
            message: message.into(),
        }
    }
}

/// What to audit against.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct AuditOptions<'a> {
    /// The time to judge validity at (the caller reads the clock).
    pub time: OffsetDateTime,
    /// Certificates expiring within this window of `time` get `expiring-soon`.
    pub expiring_within: Duration,
    /// Algorithm policy; with `strict`, SHA-1 and small keys are errors rather than warnings.
    pub algorithms: AlgorithmPolicy,
    /// Verifies self-signatures when given.
    pub verifier: Option<&'a dyn SignatureVerifier>,
}

impl<'a> AuditOptions<'a> {
    /// Audit at `time`, with a 30-day expiry window, the default algorithm policy and no
    /// signature checks.
    pub fn at(time: OffsetDateTime) -> Self {
        AuditOptions {
            time,
            expiring_within: Duration::days(30),
            algorithms: AlgorithmPolicy::DEFAULT,
            verifier: None,
        }
    }

    /// The same options with self-signatures checked by `verifier`.
    pub fn with_verifier(mut self, verifier: &'a dyn SignatureVerifier) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// The same options with another expiry window.
    pub fn expiring_within(mut self, window: Duration) -> Self {
        self.expiring_within = window;
        self
    }

    /// The same options with another algorithm policy.
    pub fn algorithms(mut self, policy: AlgorithmPolicy) -> Self {
        self.algorithms = policy;
        self
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// Certificates audited (after duplicates).
    pub certificates: usize,
    /// Self-issued CA certificates.
    pub roots: usize,
    /// Other CA certificates.
    pub intermediates: usize,
    /// Certificates that are not CAs.
    pub leaves: usize,
    /// Findings with severity error.
    pub errors: usize,
    /// Findings with severity warning.
    pub warnings: usize,
    /// The earliest notAfter among the certificates.
    pub earliest_expiry: Option<OffsetDateTime>,
}

/// The audit's result: findings in certificate order, then set-wide ones, and a summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Audit {
    /// What was found.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
}

smimetrust_x509::code_enum! {
    /// The code of a [`Finding`], documented in `docs/diagnostics.md`.
    pub enum FindingCode {
        /// The certificate does not parse as X.509.
        CertificateUnparsed = "certificate-unparsed",
        /// The certificate has expired.
        Expired = "expired",
        /// The certificate expires within the window.
        ExpiringSoon = "expiring-soon",
        /// The certificate is not valid yet.
        NotYetValid = "not-yet-valid",
        /// A certificate in a CA list is not a CA.
        NotACa = "not-a-ca",
        /// A certificate's issuer is not in the set.
        ChainIncomplete = "chain-incomplete",
        /// The same certificate twice.
        DuplicateCertificate = "duplicate-certificate",
        /// Signed with MD5 or SHA-1.
        WeakSignature = "weak-signature",
        /// An RSA or DSA key under 2048 bits.
        WeakKey = "weak-key",
        /// The extended key usage (or store restriction) excludes S/MIME.
        EkuExcludesEmail = "eku-excludes-email",
        /// A critical extension no validator here processes.
        UnknownCriticalExtension = "unknown-critical-extension",
        /// A self-signed certificate whose signature does not verify.
        SelfSignatureInvalid = "self-signature-invalid",
        /// The inputs hold no certificate.
        NoCertificates = "no-certificates",
        /// The store is larger than the limit of where it is going (reported by
        /// `smimetrust-exchange`'s preflight, over Exchange Online's limit).
        StoreTooLarge = "store-too-large",
    }
}

/// Whether these extended key usages allow S/MIME.
fn allows_email(oids: &[ObjectIdentifier]) -> bool {
    oids.iter()
        .any(|o| *o == rfc5280::ID_KP_EMAIL_PROTECTION || *o == rfc5280::ANY_EXTENDED_KEY_USAGE)
}

struct Subject<'c> {
    cert: &'c Certificate,
    sha1: String,
    subject: Option<String>,
}

impl Subject<'_> {
    fn finding(&self, code: FindingCode, severity: Severity, message: String) -> Finding {
        Finding {
            code,
            severity,
            sha1: Some(self.sha1.clone()),
            subject: self.subject.clone(),
            message,
        }
    }
}

fn date(t: OffsetDateTime) -> String {
    t.date().to_string()
}

/// Audits the certificates among `objects` (CRLs and CTLs are ignored). Duplicates (same SHA-1)
/// are reported once and audited once.
pub fn audit(objects: &[Object], options: &AuditOptions<'_>) -> Audit {
    let mut findings = Vec::new();
    let mut summary = Summary::default();
    let mut seen: HashMap<[u8; 20], usize> = HashMap::new();
    let mut certs: Vec<Certificate> = Vec::new();
    let mut restrictions: Vec<Option<Vec<ObjectIdentifier>>> = Vec::new();
    for o in objects.iter().filter(|o| o.kind == ObjectKind::Certificate) {
        let cert = Certificate::from_der(o.der.clone());
        if let Some(&first) = seen.get(&cert.sha1()) {
            let subject = cert.info().map(|i| i.subject.clone());
            findings.push(Finding {
                code: FindingCode::DuplicateCertificate,
                severity: Severity::Warning,
                sha1: Some(cert.sha1_hex()),
                subject,
                message: format!(
                    "appears more than once (first as certificate {first}); Exchange keeps one copy, remove the others"
                ),
            });
            continue;
        }
        seen.insert(cert.sha1(), certs.len());
        restrictions.push(eku_restriction(o));
        certs.push(cert);
    }
    if certs.is_empty() {
        findings.push(Finding {
            code: FindingCode::NoCertificates,
            severity: Severity::Error,
            sha1: None,
            subject: None,
            message: "the input holds no certificates; an empty upload would clear the organisation's S/MIME trust".into(),
        });
    }

    // Subject DER -> certificates with that subject, for issuer lookups.
    let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (i, c) in certs.iter().enumerate() {
        if let Some(p) = c.parsed()
            && let Ok(der) = p.tbs_certificate().subject().to_der()
        {
            by_subject.entry(der).or_default().push(i);
        }
    }

    for (cert, restriction) in certs.iter().zip(&restrictions) {
        let s = Subject {
            cert,
            sha1: cert.sha1_hex(),
            subject: cert.info().map(|i| i.subject.clone()),
        };
        audit_one(
            &s,
            restriction.as_deref(),
            &certs,
            &by_subject,
            options,
            &mut findings,
            &mut summary,
        );
    }

    summary.certificates = certs.len();
    summary.errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    summary.warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    Audit { findings, summary }
}

/// [`audit`] of what `smimetrust_store::load` returned, with a `duplicate-certificate` finding
/// for each duplicate the loader collapsed.
pub fn audit_loaded(loaded: &Loaded, options: &AuditOptions<'_>) -> Audit {
    let mut result = audit(&loaded.objects, options);
    let subjects: HashMap<String, Option<String>> = loaded
        .objects
        .iter()
        .filter(|o| o.kind == ObjectKind::Certificate)
        .map(|o| {
            let c = Certificate::from_der(o.der.clone());
            (c.sha1_hex(), c.info().map(|i| i.subject.clone()))
        })
        .collect();
    let mut dups: Vec<Finding> = loaded
        .duplicates
        .iter()
        .map(|d| Finding {
            code: FindingCode::DuplicateCertificate,
            severity: Severity::Warning,
            sha1: Some(d.sha1.clone()),
            subject: subjects.get(&d.sha1).cloned().flatten(),
            message: format!(
                "appears more than once ({} #{} and {} #{}); keep one copy",
                d.kept.name, d.kept.index, d.dropped.name, d.dropped.index
            ),
        })
        .collect();
    result.summary.warnings += dups.len();
    dups.append(&mut result.findings);
    result.findings = dups;
    result
}

fn eku_restriction(o: &Object) -> Option<Vec<ObjectIdentifier>> {
    let p = o
        .properties
        .iter()
        .find(|p| p.id == smimetrust_sst::prop::ENHKEY_USAGE)?;
    match p.value() {
        Ok(smimetrust_sst::PropertyValue::Oids(oids)) => Some(oids),
        _ => Some(Vec::new()),
    }
}

#[allow(clippy::too_many_arguments)] // one certificate's context; splitting it would obscure it
fn audit_one(
    s: &Subject<'_>,
    restriction: Option<&[ObjectIdentifier]>,
    certs: &[Certificate],
    by_subject: &HashMap<Vec<u8>, Vec<usize>>,
    options: &AuditOptions<'_>,
    findings: &mut Vec<Finding>,
    summary: &mut Summary,
) {
    let (Some(info), Some(parsed)) = (s.cert.info(), s.cert.parsed()) else {
        findings.push(s.finding(
            FindingCode::CertificateUnparsed,
            Severity::Error,
            format!(
                "does not parse as X.509 ({}); it cannot be validated",
                s.cert.parse_error().unwrap_or("unknown reason")
            ),
        ));
        return;
    };
    summary.earliest_expiry = Some(match summary.earliest_expiry {
        Some(t) if t <= info.not_after => t,
        _ => info.not_after,
    });
    let root = info.self_issued && (info.is_ca || !info.has_basic_constraints);
    if root {
        summary.roots += 1;
    } else if info.is_ca {
        summary.intermediates += 1;
    } else {
        summary.leaves += 1;
    }

    // Validity.
    if options.time > info.not_after {
        findings.push(s.finding(
            FindingCode::Expired,
            Severity::Error,
            format!(
                "expired on {}; Exchange Online rejects the whole upload when any certificate has expired: remove it or replace it with its renewal",
                date(info.not_after)
            ),
        ));
    } else if options.time + options.expiring_within > info.not_after {
        let days = (info.not_after - options.time).whole_days();
        findings.push(s.finding(
            FindingCode::ExpiringSoon,
            Severity::Warning,
            format!(
                "expires on {} (in {days} day{}); once it has expired every upload of this set fails: plan its renewal",
                date(info.not_after),
                if days == 1 { "" } else { "s" }
            ),
        ));
    }
    if options.time < info.not_before {
        findings.push(s.finding(
            FindingCode::NotYetValid,
            Severity::Warning,
            format!(
                "not valid before {}; signatures under it fail until then",
                date(info.not_before)
            ),
        ));
    }

    // Role.
    if !info.is_ca && !root {
        findings.push(s.finding(
            FindingCode::NotACa,
            Severity::Warning,
            if info.has_basic_constraints {
                "is not a CA (basicConstraints cA is false): it cannot anchor or issue S/MIME certificates; a trust list needs the issuing CAs, not user certificates".into()
            } else {
                "has no basicConstraints and is not self-issued, so it cannot act as a CA; a trust list needs the issuing CAs".into()
            },
        ));
    }

    // Issuer in the set.
    if !info.self_issued {
        let issuer_der = parsed
            .tbs_certificate()
            .issuer()
            .to_der()
            .unwrap_or_default();
        let candidates = by_subject
            .get(&issuer_der)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let found = candidates.iter().any(|&i| {
            match (
                &info.authority_key_id,
                certs.get(i).and_then(Certificate::info),
            ) {
                (Some(aki), Some(issuer)) => {
                    issuer.subject_key_id.as_ref().is_none_or(|ski| ski == aki)
                }
                _ => true,
            }
        });
        if !found {
            findings.push(s.finding(
                FindingCode::ChainIncomplete,
                Severity::Warning,
                format!(
                    "its issuer ({}) is not in the set; add the issuing CA so that the chain ends at a root the set trusts",
                    info.issuer
                ),
            ));
        }
    }

    // Algorithms.
    let sig = info.signature_algorithm.to_ascii_lowercase();
    if sig.contains("md5") || sig.contains("md2") {
        findings.push(s.finding(
            FindingCode::WeakSignature,
            Severity::Error,
            format!(
                "is signed with {}, which is broken; replace it",
                info.signature_algorithm
            ),
        ));
    } else if sig.contains("sha1") || sig.contains("sha-1") {
        let severity = if options.algorithms.strict {
            Severity::Error
        } else {
            Severity::Warning
        };
        findings.push(s.finding(
            FindingCode::WeakSignature,
            severity,
            format!(
                "is signed with {} (SHA-1){}",
                info.signature_algorithm,
                if root {
                    "; for a root this matters little, as its self-signature is not relied on"
                } else {
                    "; reissue it with SHA-256"
                }
            ),
        ));
    }
    if let Some(bits) = info.key.bits
        && (info.key.algorithm == "RSA"
            || info.key.algorithm == "DSA"
            || info.key.algorithm == "RSA-PSS")
    {
        if bits < 1024 {
            findings.push(s.finding(
                FindingCode::WeakKey,
                Severity::Error,
                format!(
                    "has a {bits}-bit {} key, which is breakable; replace it",
                    info.key.algorithm
                ),
            ));
        } else if bits < 2048 {
            let severity = if options.algorithms.strict {
                Severity::Error
            } else {
                Severity::Warning
            };
            findings.push(s.finding(
                FindingCode::WeakKey,
                severity,
                format!(
                    "has a {bits}-bit {} key; 2048 bits is the minimum today",
                    info.key.algorithm
                ),
            ));
        }
    }

    // Purposes.
    if let Some(oids) = restriction
        && !allows_email(oids)
    {
        findings.push(s.finding(
            FindingCode::EkuExcludesEmail,
            Severity::Warning,
            "the store's EKU restriction (property 9) does not include emailProtection, so Windows will not trust it for S/MIME; remove the restriction or add the purpose".into(),
        ));
    }
    if let Some(oids) = &info.ext_key_usage
        && !allows_email(oids)
    {
        findings.push(s.finding(
            FindingCode::EkuExcludesEmail,
            Severity::Warning,
            "its extended key usage extension does not include emailProtection, so S/MIME certificates under it do not validate".into(),
        ));
    }

    // Extensions the validator cannot process.
    if let Some(exts) = parsed.tbs_certificate().extensions() {
        // The validator's own list: what it cannot process fails every chain.
        for ext in exts.iter().filter(|e| e.critical) {
            if !smimetrust_path::KNOWN_EXTENSIONS.contains(&ext.extn_id) {
                let oid = ext.extn_id.to_string();
                findings.push(s.finding(
                    FindingCode::UnknownCriticalExtension,
                    Severity::Error,
                    format!("has a critical extension {oid} that validators do not understand, so every chain through it fails"),
                ));
            }
        }
    }

    // Self-signature.
    if info.self_issued
        && let Some(verifier) = options.verifier
    {
        let spki = parsed
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .unwrap_or_default();
        if let Some(parts) = s.cert.signed_parts()
            && let Err(e) = verifier.verify(
                &spki,
                parts.algorithm,
                parts.tbs,
                parts.signature,
                options.algorithms,
            )
            && matches!(
                e.reason,
                smimetrust_sig::Reason::BadSignature | smimetrust_sig::Reason::BadPublicKey
            )
        {
            findings.push(s.finding(
                FindingCode::SelfSignatureInvalid,
                Severity::Error,
                format!(
                    "its self-signature does not verify ({}); the certificate is damaged or forged",
                    e.detail
                ),
            ));
        }
    }
}
