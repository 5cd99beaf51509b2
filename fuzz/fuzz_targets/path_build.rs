//! Path building and validation over arbitrary certificate sets: never panics, and the work
//! budget bounds the time. Input: a sequence of `u16` little-endian length + DER chunks; the
//! first chunk is the trust anchor, the last the leaf, the others the intermediate pool.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smimetrust_x509::Certificate;
use smimetrust_path::{Options, TrustAnchor, Validator};

fn chunks(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while data.len() >= 2 && out.len() < 64 {
        let len = usize::from(u16::from_le_bytes([data[0], data[1]]));
        data = &data[2..];
        let take = len.min(data.len());
        out.push(data[..take].to_vec());
        data = &data[take..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let mut certs: Vec<Certificate> = chunks(data).into_iter().map(Certificate::from_der).collect();
    if certs.len() < 2 {
        return;
    }
    let leaf = certs.pop().unwrap_or_else(|| unreachable!());
    let anchors = vec![TrustAnchor::new(certs.remove(0))];
    let verifier = smimetrust_sig::default_verifier();
    let validator = Validator::new(&anchors, &certs, &[], verifier);
    let time = time::macros::datetime!(2025-01-01 00:00 UTC);
    let _ = validator.verify(&leaf, &Options::at(time));
});
