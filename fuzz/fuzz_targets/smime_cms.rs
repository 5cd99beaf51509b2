//! CMS SignedData parsing and verification (DER and BER): arbitrary bytes as an opaque
//! signature, and as a detached one over a fixed content (first byte chooses LF or CRLF
//! content, to exercise canonicalisation). Never panics.
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
    let verifier = Verifier::new(&validator, Options::at(common::AT));
    let _ = verifier.verify_cms(data, None);
    let content: &[u8] = if data.first().is_some_and(|b| b & 1 == 1) {
        b"Content-Type: text/plain\n\nhello\n"
    } else {
        b"Content-Type: text/plain\r\n\r\nhello\r\n"
    };
    let _ = verifier.verify_cms(data, Some(content));
});
