//! Validate a certificate for S/MIME against trust anchors at a given time, as RFC 5280 says.
//!
//! `cargo run -p smimetrust-path --example validate_chain -- LEAF.pem ROOT.pem [INTERMEDIATE.pem…] --at 2026-06-01T00:00:00Z`
//!
//! On the demo PKI: `… -- fixtures/demo/leaves/alice.pem fixtures/demo/ca/root.cer
//! fixtures/demo/ca/smime-ca-2024.pem --at 2026-06-01T00:00:00Z`
//! (PEM or DER; one certificate a file).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use smimetrust_path::{Certificate, OffsetDateTime, Options, Purpose, TrustAnchor, Validator};

/// One certificate from a PEM or DER file.
fn certificate(path: &str) -> Result<Certificate, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    if bytes.first() == Some(&0x30) {
        return Ok(Certificate::from_der(bytes));
    }
    let blocks =
        smimetrust_x509::pem::blocks(&bytes).map_err(|e| e.into_error(path).to_string())?;
    let block = blocks.first().ok_or(format!("{path}: no PEM block"))?;
    let der = block.decode().map_err(|e| e.into_error(path).to_string())?;
    Ok(Certificate::from_der(der))
}

fn run() -> Result<bool, String> {
    let mut files = Vec::new();
    let mut at = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--at" {
            let t = args.next().ok_or("--at needs a time")?;
            let t = OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339)
                .map_err(|e| format!("--at {t}: {e}"))?;
            at = Some(t);
        } else {
            files.push(a);
        }
    }
    let (Some(at), [leaf, root, intermediates @ ..]) = (at, files.as_slice()) else {
        return Err("usage: validate_chain LEAF ROOT [INTERMEDIATE…] --at RFC3339".into());
    };
    let leaf = certificate(leaf)?;
    let anchors = [TrustAnchor::new(certificate(root)?)];
    let pool = intermediates
        .iter()
        .map(|p| certificate(p))
        .collect::<Result<Vec<_>, _>>()?;
    let validator = Validator::new(&anchors, &pool, &[], smimetrust_sig::default_verifier());
    let mut options = Options::at(at);
    options.purpose = Purpose::Smime;
    match validator.verify(&leaf, &options) {
        Ok(path) => {
            for c in &path.path {
                println!("{} {}", c.sha1, c.subject);
            }
            for w in &path.warnings {
                println!("warning[{}]: {}", w.code, w.message);
            }
            Ok(true)
        }
        Err(invalid) => {
            println!("invalid[{}]: {invalid}", invalid.reason.as_str());
            Ok(false)
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}
