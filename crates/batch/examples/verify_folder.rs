//! Verify every S/MIME message of a folder (or mbox, or file) against a PEM trust file at a
//! given time, in parallel, one line a message in input order.
//!
//! `cargo run -p smimetrust-batch --example verify_folder -- fixtures/smime/pki/trust.pem fixtures/smime/messages 2026-06-01T00:00:00Z`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use smimetrust_batch::{Input, Message, Options, Walk};
use smimetrust_path::{Certificate, OffsetDateTime, TrustAnchor, Validator};
use smimetrust_smime::Verifier;

fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [trust, folder, at] = args.as_slice() else {
        return Err("usage: verify_folder TRUST.pem FOLDER RFC3339-TIME".into());
    };
    let at = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("{at}: {e}"))?;
    let pem = std::fs::read(trust).map_err(|e| format!("{trust}: {e}"))?;
    let mut anchors = Vec::new();
    for block in smimetrust_x509::pem::blocks(&pem).map_err(|e| e.into_error(trust).to_string())? {
        let der = block
            .decode()
            .map_err(|e| e.into_error(trust).to_string())?;
        anchors.push(TrustAnchor::new(Certificate::from_der(der)));
    }
    let validator = Validator::new(&anchors, &[], &[], smimetrust_sig::default_verifier());
    let verifier = Verifier::new(&validator, smimetrust_smime::Options::at(at));

    let walk = Walk::start(&[Input::Path(folder.into())], |_| {}).map_err(|e| e.to_string())?;
    let mut all_valid = true;
    // Each message is formatted on the thread that verified it; lines arrive in input order.
    let line = |m: Message| {
        let code = m.report.code.map_or("", |c| c.as_str());
        (
            m.report.status.is_valid(),
            format!("{:<11} {} {code}", m.report.status.as_str(), m.file),
        )
    };
    let summary = walk.verify(&verifier, &Options::default(), line, |batch| {
        for (valid, text) in batch {
            all_valid &= valid;
            println!("{text}");
        }
        Ok::<(), String>(())
    })?;
    println!("{} messages", summary.messages);
    Ok(all_valid && summary.messages > 0)
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
