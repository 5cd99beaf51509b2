//! Reading a saved current value: raw, base64, decimal per line; good errors otherwise.

#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use base64::Engine as _;
use smimetrust_exchange::{Encoding, Error, parse_current};

fn store() -> Vec<u8> {
    common::build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]).1
}

fn decimal(bytes: &[u8], eol: &str) -> String {
    bytes.iter().map(|b| format!("{b}{eol}")).collect()
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend(u.to_le_bytes());
    }
    out
}

#[test]
fn the_three_encodings_give_the_same_value() {
    let bytes = store();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let cases: Vec<(Vec<u8>, Encoding)> = vec![
        (bytes.clone(), Encoding::Raw),
        (b64.clone().into_bytes(), Encoding::Base64),
        (format!("{b64}\n").into_bytes(), Encoding::Base64),
        (wrapped.into_bytes(), Encoding::Base64),
        // Without padding.
        (
            b64.trim_end_matches('=').as_bytes().to_vec(),
            Encoding::Base64,
        ),
        (decimal(&bytes, "\n").into_bytes(), Encoding::Decimal),
        (decimal(&bytes, "\r\n").into_bytes(), Encoding::Decimal),
        // Windows PowerShell 5.1's `>` writes UTF-16LE with a byte-order mark.
        (utf16le_bom(&decimal(&bytes, "\r\n")), Encoding::Decimal),
        // UTF-8 with a byte-order mark (PowerShell 5.1's Out-File -Encoding utf8).
        (
            [&[0xEF, 0xBB, 0xBF][..], decimal(&bytes, "\r\n").as_bytes()].concat(),
            Encoding::Decimal,
        ),
    ];
    for (input, encoding) in cases {
        let current = parse_current(&input).unwrap();
        assert_eq!(current.encoding, encoding);
        assert_eq!(current.bytes, bytes);
        assert_eq!(current.store.elements.len(), 2);
        assert_eq!(current.store.to_bytes().unwrap(), bytes);
    }
}

#[test]
fn an_empty_value_is_nothing_uploaded() {
    for input in [&b""[..], b"\n", b"  \r\n\r\n", &[0xFF, 0xFE]] {
        let current = parse_current(input).unwrap();
        assert_eq!(current.encoding, Encoding::Empty);
        assert!(current.bytes.is_empty());
        assert!(current.store.elements.is_empty());
    }
    assert_eq!(
        smimetrust_exchange::Current::empty().sha256(),
        // SHA-256 of no bytes.
        [
            0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f,
            0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
            0x78, 0x52, 0xb8, 0x55
        ]
    );
}

#[test]
fn errors_say_what_is_wrong() {
    let bytes = store();
    // A number out of range, with its line.
    let mut text = decimal(&bytes, "\n");
    text.insert_str(text.find("\n67\n").unwrap() + 1, "300\n");
    let e = parse_current(text.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "current-bad-decimal");
    assert!(
        matches!(e, Error::CurrentBadDecimal { line: 5, ref text } if text == "300"),
        "{e}"
    );
    // Something else in the middle of the numbers.
    let e = parse_current(b"0\n0\nzero\n").unwrap_err();
    assert!(matches!(e, Error::CurrentBadDecimal { line: 3, .. }), "{e}");
    // Base64 that breaks off.
    let e = parse_current(b"AAAAAENFUlQ=A").unwrap_err();
    assert_eq!(e.code(), "current-bad-base64", "{e}");
    // Base64 of something that is not a store.
    let pem = std::fs::read_to_string(common::demo("ca/smime-ca-2024.pem")).unwrap();
    let inner: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let e = parse_current(inner.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "current-not-sst", "{e}");
    assert!(e.to_string().contains("base64 value decodes to"), "{e}");
    // A PEM file, a DER certificate, a damaged store.
    let e = parse_current(pem.as_bytes()).unwrap_err();
    assert_eq!(e.code(), "current-unrecognized");
    let e = parse_current(&common::root_der()).unwrap_err();
    assert_eq!(e.code(), "current-unrecognized");
    let e = parse_current(&bytes[..bytes.len() - 5]).unwrap_err();
    assert_eq!(e.code(), "current-not-sst");
    assert!(matches!(
        e,
        Error::CurrentNotSst {
            encoding: "raw",
            ..
        }
    ));
}
