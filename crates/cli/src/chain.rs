//! `smimetrust chain verify`: RFC 5280 path validation of one or many leaves.

use std::io::{self, BufWriter, Write};
use std::net::IpAddr;
use std::path::PathBuf;

use const_oid::ObjectIdentifier;
use rayon::prelude::*;
use serde::Serialize;
use smimetrust_path::{Options, PolicyOptions, Profile, Purpose as LibPurpose, Revocation};
use smimetrust_sig::AlgorithmPolicy;
use smimetrust_store::{Loaded, ObjectKind, Trust};
use smimetrust_x509::Certificate;

use crate::args::{ChainVerifyArgs, Format, ProfileArg, Purpose, RevocationMode, ValidationArgs};
use crate::error::{CliError, Code, Result};
use crate::render;

const ANY_POLICY: &str = "2.5.29.32.0";

/// Loads one group of arguments, naming the group in an error.
fn load(paths: &[PathBuf], what: &str) -> Result<Loaded> {
    crate::output::load(paths).map_err(|mut err| {
        err.message = format!("{what}: {}", err.message);
        err
    })
}

fn policies(args: &[String]) -> Result<Vec<ObjectIdentifier>> {
    if args.is_empty() {
        return Ok(vec![ObjectIdentifier::new_unwrap(ANY_POLICY)]);
    }
    args.iter()
        .map(|p| {
            let dotted = if p.eq_ignore_ascii_case("anyPolicy") {
                ANY_POLICY
            } else {
                p
            };
            ObjectIdentifier::new(dotted).map_err(|_| {
                CliError::new(
                    Code::Usage,
                    format!("--policy {p:?}: not a dotted OID or anyPolicy"),
                )
            })
        })
        .collect()
}

#[derive(Serialize)]
struct PathEntry {
    sha1: String,
    subject: String,
}

#[derive(Serialize)]
struct Warning {
    code: String,
    message: String,
}

#[derive(Serialize)]
struct LeafReport {
    file: String,
    sha1: String,
    status: &'static str,
    code: Option<&'static str>,
    message: Option<String>,
    path: Vec<PathEntry>,
    warnings: Vec<Warning>,
}

/// Loads --trust (anchors, and the CRLs a store holds), --intermediates and --crl.
pub fn load_trust(args: &ValidationArgs) -> Result<Trust> {
    let trust = load(&args.trust, "--trust")?;
    let optional = |paths: &[PathBuf], what| {
        if paths.is_empty() {
            Ok(Loaded::default())
        } else {
            load(paths, what)
        }
    };
    let intermediates = optional(&args.intermediates, "--intermediates")?;
    let crls = optional(&args.crl, "--crl")?;
    let trust = Trust::new(&trust, &intermediates, &crls);
    if trust.anchors.is_empty() {
        return Err(CliError::new(
            Code::Usage,
            "--trust: no trust anchor certificates given",
        ));
    }
    Ok(trust)
}

/// The validation options of the flags, at `time`; `profile` when --profile is not given.
pub fn options(
    args: &ValidationArgs,
    time: time::OffsetDateTime,
    profile: ProfileArg,
) -> Result<Options> {
    let mut options = Options::at(time);
    options.purpose = match args.purpose {
        Purpose::Smime => LibPurpose::Smime,
        Purpose::Server => LibPurpose::Server,
        Purpose::Client => LibPurpose::Client,
        Purpose::Any => LibPurpose::Any,
    };
    options.profile = match args.profile.unwrap_or(profile) {
        ProfileArg::Rfc5280 => Profile::Rfc5280,
        ProfileArg::Webpki => Profile::WebPki,
        ProfileArg::Compat => Profile::Compat,
    };
    options.revocation = match args.revocation {
        RevocationMode::Off => Revocation::Off,
        RevocationMode::Available => Revocation::WhereAvailable,
        RevocationMode::Required => Revocation::Required,
    };
    let mut policy = PolicyOptions::default();
    policy.initial_policy_set = policies(&args.policy)?;
    policy.require_explicit_policy = args.require_explicit_policy;
    policy.inhibit_policy_mapping = args.inhibit_policy_mapping;
    policy.inhibit_any_policy = args.inhibit_any_policy;
    options.policy = policy;
    Ok(options)
}

pub fn verify(args: &ChainVerifyArgs) -> Result<u8> {
    let time = crate::check::parse_time(args.at.as_deref())?;
    let ip = args
        .ip
        .as_deref()
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| CliError::new(Code::Usage, format!("--ip {s:?}: not an IP address")))
        })
        .transpose()?;
    let mut options = options(&args.validation, time, ProfileArg::Rfc5280)?;
    let leaves = load(&args.leaves, "leaf")?;
    let mut trust = load_trust(&args.validation)?;
    // The pool: the intermediates, plus any CA certificates among the leaf inputs (a bundle
    // that carries its own chain). Plain leaves stay out, so 10,000 leaves cost no index.
    trust.intermediates.extend(
        leaves
            .objects
            .par_iter()
            .filter(|o| o.kind == ObjectKind::Certificate)
            .map(|o| Certificate::from_der(o.der.clone()))
            .filter(|c| c.info().is_some_and(|i| i.is_ca))
            .collect::<Vec<_>>(),
    );
    let verifier = smimetrust_sig::default_verifier();
    let validator = trust.validator(verifier);
    options.email = args.email.clone();
    options.dns_name = args.dns_name.clone();
    options.ip = ip;
    options.algorithms = if args.strict {
        AlgorithmPolicy::STRICT
    } else {
        AlgorithmPolicy::DEFAULT
    };

    let reports: Vec<LeafReport> = leaves
        .objects
        .par_iter()
        .filter(|o| o.kind == ObjectKind::Certificate)
        .map(|o| {
            let leaf = Certificate::from_der(o.der.clone());
            let sha1 = leaf.sha1_hex();
            match validator.verify(&leaf, &options) {
                Ok(path) => LeafReport {
                    file: o.source.name.clone(),
                    sha1,
                    status: "valid",
                    code: None,
                    message: None,
                    path: path
                        .path
                        .iter()
                        .map(|c| PathEntry {
                            sha1: c.sha1.clone(),
                            subject: c.subject.clone(),
                        })
                        .collect(),
                    warnings: path
                        .warnings
                        .iter()
                        .map(|w| Warning {
                            code: w.code.to_string(),
                            message: w.message.clone(),
                        })
                        .collect(),
                },
                Err(invalid) => LeafReport {
                    file: o.source.name.clone(),
                    sha1,
                    status: "invalid",
                    code: Some(invalid.reason.as_str()),
                    message: Some(invalid.to_string()),
                    path: Vec::new(),
                    warnings: Vec::new(),
                },
            }
        })
        .collect();

    let mut out = BufWriter::new(io::stdout().lock());
    let invalid = reports.iter().filter(|r| r.status != "valid").count();
    match args.format {
        Format::Json => {
            for r in &reports {
                render::json(&mut out, r)?;
            }
        }
        Format::Human => {
            let mut w = || -> io::Result<()> {
                for r in &reports {
                    match r.code {
                        None => {
                            let subjects: Vec<String> = r
                                .path
                                .iter()
                                .map(|p| render::printable(&p.subject))
                                .collect();
                            writeln!(out, "valid    {} {}", r.sha1, subjects.join(" <- "))?;
                        }
                        Some(code) => writeln!(
                            out,
                            "invalid  {} [{code}] {}",
                            r.sha1,
                            render::with_hint(code, r.message.as_deref().unwrap_or(""))
                        )?,
                    }
                    for warning in &r.warnings {
                        writeln!(
                            out,
                            "    warning[{}]: {}",
                            warning.code,
                            render::printable(&warning.message)
                        )?;
                    }
                }
                if reports.len() > 1 {
                    writeln!(out, "{} valid, {invalid} invalid", reports.len() - invalid)?;
                }
                Ok(())
            };
            w().map_err(CliError::stdout)?;
        }
    }
    out.flush().map_err(CliError::stdout)?;
    Ok(u8::from(invalid > 0))
}
