//! CMS SignedData parsing and verification (DER and BER): arbitrary bytes as an opaque
//! signature, and as a detached one over a fixed content (first byte chooses LF or CRLF
//! content, to exercise canonicalisation). Never panics.
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
    let verifier = Verifier::new(
        &validator,
        Options::at(time::macros::datetime!(2026-06-01 00:00 UTC)),
    );
    let _ = verifier.verify_cms(data, None);
    let content: &[u8] = if data.first().is_some_and(|b| b & 1 == 1) {
        b"Content-Type: text/plain\n\nhello\n"
    } else {
        b"Content-Type: text/plain\r\n\r\nhello\r\n"
    };
    let _ = verifier.verify_cms(data, Some(content));
});
