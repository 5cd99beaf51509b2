//! What the S/MIME targets share: the fixture root as the one trust anchor, and the validation
//! time of the fixtures.

use std::sync::OnceLock;

use smimetrust_x509::Certificate;
use smimetrust_path::TrustAnchor;

const TRUST: &str = include_str!("../../fixtures/smime/pki/trust.pem");

/// The validation time of fixtures/smime.
pub const AT: time::OffsetDateTime = time::macros::datetime!(2026-06-01 00:00 UTC);

/// The fixture root, parsed once.
pub fn anchors() -> &'static [TrustAnchor] {
    static ANCHORS: OnceLock<Vec<TrustAnchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let (_, der) = pem_rfc7468::decode_vec(TRUST.as_bytes()).unwrap_or_default();
        vec![TrustAnchor::new(Certificate::from_der(der))]
    })
}
