//! The certificate and CRL model of smimetrust, and the encodings around it. No I/O.
//!
//! * [`Certificate`] keeps the original DER bytes (never re-encoded: re-encoding changes real
//!   Windows certificates), its SHA-1/SHA-256 thumbprints, and what a strict RFC 5280 parse
//!   reveals ([`CertInfo`]); a certificate the strict parser rejects is still a certificate.
//! * [`names`]: RFC 4514 names and the one OID name table.
//! * [`pem`]: PEM blocks in text; [`tlv`]: the DER/BER TLV walker that keeps every element's
//!   bytes; [`cms`]: the CMS ContentInfo and SignedData reader (signers, signed attributes as
//!   encoded); [`pkcs7`]: certs-only bundles read and written.
//!
//! ```
//! use smimetrust_x509::{Certificate, pkcs7};
//!
//! // A certificate-shaped DER SEQUENCE: a strict parser rejects it, it is still a certificate.
//! let der = vec![0x30, 0x08, 0x30, 0x00, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00];
//! let cert = Certificate::from_der(der.clone());
//! assert!(cert.parsed().is_none());
//! assert_eq!(cert.der(), &der[..]);
//!
//! // A certs-only PKCS#7 bundle round-trips the original bytes.
//! let p7b = pkcs7::write_certs_only(&[&der], &[]);
//! let (certs, crls) = pkcs7::read(&p7b)?;
//! assert_eq!(certs, vec![der]);
//! assert!(crls.is_empty());
//! # Ok::<(), smimetrust_x509::Error>(())
//! ```
#![forbid(unsafe_code)]

mod cert;
pub mod cms;
mod codes;
mod error;
pub mod names;
pub mod pem;
pub mod pkcs7;
pub mod tlv;

pub use cert::{CertInfo, Certificate, KeyInfo, RawFields, SignedParts, signed_parts, store_class};
pub use error::{Error, ErrorCode};

/// The types this crate's API takes and returns, re-exported so that a caller adds no
/// dependency to use them.
pub use {const_oid, der, time, x509_cert};

/// Upper-case hex of `bytes`, as Windows shows thumbprints and serial numbers.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}
