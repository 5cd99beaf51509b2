//! S/MIME verification of arbitrary input as a message, a CMS file or an mbox entry: never
//! panics, whatever the MIME nesting, transfer encodings or CMS inside. The trust anchor is the
//! fixture root, so well-formed seeds (fixtures/smime/messages) reach signature and path checks.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use smimetrust_chain::path::{TrustAnchor, Validator};
use smimetrust_chain::Certificate;
use smimetrust_smime::{Options, Verifier};

const TRUST: &str = include_str!("../../fixtures/smime/pki/trust.pem");

fn anchors() -> &'static [TrustAnchor] {
    static ANCHORS: OnceLock<Vec<TrustAnchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let (_, der) = pem_rfc7468::decode_vec(TRUST.as_bytes()).unwrap_or_default();
        vec![TrustAnchor::new(Certificate::from_der(der))]
    })
}

fuzz_target!(|data: &[u8]| {
    let validator = Validator::new(anchors(), &[], &[], smimetrust_chain::sig::default_verifier());
    let mut options = Options::at(time::macros::datetime!(2026-06-01 00:00 UTC));
    options.at_signing_time = data.first().is_some_and(|b| b & 1 == 1);
    let verifier = Verifier::new(&validator, options);
    let _ = verifier.verify(data, None);
    for entry in smimetrust_smime::mbox::Mbox::new(data, 1 << 20).take(4) {
        if let Ok(message) = entry {
            let _ = verifier.verify_message(&message);
        }
    }
});
