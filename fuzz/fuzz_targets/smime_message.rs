//! S/MIME verification of arbitrary input as a message, a CMS file or an mbox entry: never
//! panics, whatever the MIME nesting, transfer encodings or CMS inside. The trust anchor is the
//! fixture root, so well-formed seeds (fixtures/smime/messages) reach signature and path checks.
#![no_main]

#[path = "smime_common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use smimetrust_path::Validator;
use smimetrust_smime::{Options, Verifier};

fuzz_target!(|data: &[u8]| {
    let validator = Validator::new(
        common::anchors(),
        &[],
        &[],
        smimetrust_sig::default_verifier(),
    );
    let mut options = Options::at(common::AT);
    options.at_signing_time = data.first().is_some_and(|b| b & 1 == 1);
    let verifier = Verifier::new(&validator, options);
    let _ = verifier.verify(data, None);
    for entry in smimetrust_smime::mbox::Mbox::new(data, 1 << 20).take(4) {
        if let Ok(message) = entry {
            let _ = verifier.verify_message(&message);
        }
    }
});
