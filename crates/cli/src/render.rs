//! Rendering: the element listing (human table and JSON) shared by `sst list` and `sst create`.

use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use smimetrust_sst::{Property, PropertyValue, prop};
use smimetrust_store::{Object, ObjectKind};
use smimetrust_x509::Certificate;
use time::format_description::well_known::Rfc3339;

use crate::error::{CliError, Code, Result};

pub use smimetrust_x509::hex;

/// Normalises a thumbprint argument: drops spaces and colons, upper-cases; must be 40 hex digits.
pub fn parse_sha1(arg: &str) -> Result<String> {
    let s: String = arg
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_ascii_uppercase();
    if s.len() == 40 && s.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(s)
    } else {
        Err(CliError::new(
            Code::Usage,
            format!("{arg:?} is not a SHA-1 thumbprint (40 hexadecimal digits)"),
        ))
    }
}

/// The JSON shape of one element (documented in docs/cli/sst.md).
#[derive(Debug, Serialize)]
pub struct Entry {
    pub index: usize,
    pub kind: &'static str,
    pub sha1: String,
    pub sha256: String,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub serial: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub is_ca: Option<bool>,
    pub self_signed: Option<bool>,
    pub friendly_name: Option<String>,
    pub eku_restriction: Option<Vec<String>>,
    pub key: Option<Key>,
    pub signature_algorithm: Option<String>,
    pub properties: Vec<PropertyEntry>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Serialize)]
pub struct Key {
    pub algorithm: String,
    pub bits: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct PropertyEntry {
    pub id: u32,
    pub name: Option<&'static str>,
    pub length: usize,
}

#[derive(Debug, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.to_string())
}

fn kind_str(kind: ObjectKind) -> &'static str {
    match kind {
        ObjectKind::Certificate => "certificate",
        ObjectKind::Crl => "crl",
        ObjectKind::Ctl => "ctl",
        _ => "unknown",
    }
}

fn property_of(props: &[Property], id: u32) -> Option<&Property> {
    props.iter().find(|p| p.id == id)
}

/// Describes every object, in order, with per-element warnings (duplicates, unparsable
/// certificates, malformed properties). Each object is described on its own (in parallel);
/// duplicates are flagged afterwards, in order.
pub fn entries(objects: &[Object]) -> Vec<Entry> {
    use rayon::prelude::*;
    let mut entries: Vec<Entry> = objects
        .par_iter()
        .enumerate()
        .map(|(index, o)| entry(index, o))
        .collect();
    let mut first_by_sha1: HashMap<(&'static str, String), usize> = HashMap::new();
    for e in &mut entries {
        match first_by_sha1.get(&(e.kind, e.sha1.clone())) {
            Some(first) => e.warnings.insert(
                0,
                Warning {
                    code: Code::DuplicateElement.as_str(),
                    message: format!("same bytes as element {first}"),
                },
            ),
            None => {
                first_by_sha1.insert((e.kind, e.sha1.clone()), e.index);
            }
        }
    }
    entries
}

fn entry(index: usize, o: &Object) -> Entry {
    let cert = Certificate::from_der(o.der.clone());
    let sha1 = cert.sha1();
    let mut warnings = Vec::new();

    // A property that does not decode is shown as null, with a warning.
    let mut decoded = |id: u32| match property_of(&o.properties, id).map(Property::value) {
        Some(Ok(value)) => Some(value),
        Some(Err(e)) => {
            warnings.push(Warning {
                code: e.code().as_str(),
                message: e.to_string(),
            });
            None
        }
        None => None,
    };
    let friendly_name = match decoded(prop::FRIENDLY_NAME) {
        Some(PropertyValue::Text(t)) => Some(t),
        _ => None,
    };
    let eku_restriction = match decoded(prop::ENHKEY_USAGE) {
        Some(PropertyValue::Oids(oids)) => Some(oids.iter().map(ToString::to_string).collect()),
        _ => None,
    };
    if let Some(p) = property_of(&o.properties, prop::SHA1_HASH)
        && p.data != sha1
    {
        warnings.push(Warning {
            code: Code::Sha1PropertyMismatch.as_str(),
            message: format!(
                "the SHA-1 property holds {} but the data hashes to {}",
                hex(&p.data),
                hex(&sha1)
            ),
        });
    }
    let info = if o.kind == ObjectKind::Certificate {
        if let Some(reason) = cert.parse_error() {
            warnings.push(Warning {
                code: Code::CertificateUnparsed.as_str(),
                message: format!(
                    "this certificate does not parse as X.509 ({reason}); it is kept byte for byte"
                ),
            });
        } else if cert.is_canonical_der() == Some(false) {
            warnings.push(Warning {
                code: Code::CertificateNotDer.as_str(),
                message: "this certificate is not in canonical DER (strict parsers such as pyca/cryptography reject it, Windows accepts it); it is kept byte for byte".into(),
            });
        }
        cert.info()
    } else {
        None
    };
    Entry {
        index,
        kind: kind_str(o.kind),
        sha1: hex(&sha1),
        sha256: hex(&cert.sha256()),
        subject: info.map(|i| i.subject.clone()),
        issuer: info.map(|i| i.issuer.clone()),
        serial: info.map(|i| i.serial.clone()),
        not_before: info.map(|i| rfc3339(i.not_before)),
        not_after: info.map(|i| rfc3339(i.not_after)),
        is_ca: info.map(|i| i.is_ca),
        self_signed: info.map(|i| i.self_issued),
        friendly_name,
        eku_restriction,
        key: info.map(|i| Key {
            algorithm: i.key.algorithm.clone(),
            bits: i.key.bits,
        }),
        signature_algorithm: info.map(|i| i.signature_algorithm.clone()),
        properties: o
            .properties
            .iter()
            .map(|p| PropertyEntry {
                id: p.id,
                name: prop::name(p.id),
                length: p.data.len(),
            })
            .collect(),
        warnings,
    }
}

/// `root`, `CA`, `leaf`, `CRL`, `CTL`, or `?` for a certificate that does not parse.
fn role(e: &Entry) -> &'static str {
    match (e.kind, e.is_ca, e.self_signed) {
        ("crl", _, _) => "CRL",
        ("ctl", _, _) => "CTL",
        (_, Some(true), Some(true)) => "root",
        (_, Some(true), _) => "CA",
        (_, Some(false), _) => "leaf",
        _ => "?",
    }
}

/// The human table, then one summary line.
pub fn human(out: &mut impl Write, entries: &[Entry], total_bytes: Option<usize>) -> Result<()> {
    let mut w = || -> std::io::Result<()> {
        if entries.is_empty() {
            writeln!(out, "(no elements)")?;
        } else {
            writeln!(
                out,
                "{:>4}  {:<40}  {:<10}  {:<4}  SUBJECT",
                "#", "SHA-1", "EXPIRES", "TYPE"
            )?;
        }
        for e in entries {
            let expires = e
                .not_after
                .as_deref()
                .map_or("-", |s| s.get(..10).unwrap_or(s));
            let subject = e.subject.as_deref().unwrap_or("-");
            write!(
                out,
                "{:>4}  {:<40}  {:<10}  {:<4}  {}",
                e.index,
                e.sha1,
                expires,
                role(e),
                printable(subject)
            )?;
            if let Some(name) = &e.friendly_name {
                write!(out, "  \"{}\"", printable(name))?;
            }
            writeln!(out)?;
            for w in &e.warnings {
                writeln!(out, "{:>6}warning[{}]: {}", "", w.code, w.message)?;
            }
        }
        let count = |r: &str| entries.iter().filter(|e| role(e) == r).count();
        let certs = entries.iter().filter(|e| e.kind == "certificate").count();
        write!(
            out,
            "{certs} certificate{} ({} root, {} CA, {} leaf",
            if certs == 1 { "" } else { "s" },
            count("root"),
            count("CA"),
            count("leaf"),
        )?;
        if count("?") > 0 {
            write!(out, ", {} unparsed", count("?"))?;
        }
        write!(out, "), {} CRL, {} CTL", count("CRL"), count("CTL"))?;
        if let Some(bytes) = total_bytes {
            write!(out, "; {bytes} bytes")?;
        }
        writeln!(out)
    };
    w().map_err(CliError::stdout)
}

/// Replaces control characters (newlines, escapes, bidi controls) so untrusted names cannot
/// rewrite the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// The flag that answers a code, for human output: the libraries' advice sentences name no
/// flags, so the binary adds them.
pub fn flag_hint(code: &str) -> Option<&'static str> {
    match code {
        "expired" | "not-yet-valid" => Some("--at TIME validates at another time"),
        "revocation-unknown" => Some("give the issuer's current CRL with --crl"),
        "detached-content-missing" => Some("give the signed file with --content"),
        "unknown-issuer" => Some("give the missing CA with --trust or --intermediates"),
        _ => None,
    }
}

/// `message`, printable, with the [`flag_hint`] for `code` after it.
pub fn with_hint(code: &str, message: &str) -> String {
    match flag_hint(code) {
        Some(hint) => format!("{} ({hint})", printable(message)),
        None => printable(message),
    }
}

/// Writes `value` as JSON followed by a newline.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value)
        .map_err(|e| CliError::stdout(e.into()))
        .and_then(|()| writeln!(out).map_err(CliError::stdout))
}

/// The JSON shape of an audit or preflight finding.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub code: &'a str,
    pub severity: &'a str,
    pub sha1: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub message: &'a str,
}

pub fn json_findings(findings: &[smimetrust_audit::Finding]) -> Vec<JsonFinding<'_>> {
    findings
        .iter()
        .map(|f| JsonFinding {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            sha1: f.sha1.as_deref(),
            subject: f.subject.as_deref(),
            message: &f.message,
        })
        .collect()
}

/// One block per finding: `severity[code] SHA1 SUBJECT`, then the message indented.
pub fn human_findings(
    out: &mut impl Write,
    findings: &[smimetrust_audit::Finding],
) -> std::io::Result<()> {
    for f in findings {
        write!(out, "{}[{}]", f.severity.as_str(), f.code)?;
        if let Some(sha1) = &f.sha1 {
            write!(
                out,
                " {} {}",
                sha1,
                printable(f.subject.as_deref().unwrap_or("(unparsed)"))
            )?;
        }
        writeln!(out, "\n    {}", printable(&f.message))?;
    }
    Ok(())
}
