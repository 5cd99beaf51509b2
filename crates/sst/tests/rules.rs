//! Reading rules on small synthetic inputs (no corpus needed).

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use smimetrust_sst::{
    Element, ElementKind, Error, ErrorCode, Form, Store, parse, parse_element, parse_store, prop,
};

/// A minimal "certificate": one DER SEQUENCE.
const CERT: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x07];
const CERT2: [u8; 5] = [0x30, 0x03, 0x02, 0x01, 0x08];

fn rec(id: u32, enc: u32, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&id.to_le_bytes());
    v.extend_from_slice(&enc.to_le_bytes());
    v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn store(records: &[Vec<u8>]) -> Vec<u8> {
    let mut v = b"\0\0\0\0CERT".to_vec();
    for r in records {
        v.extend_from_slice(r);
    }
    v.extend_from_slice(&[0; 12]);
    v
}

#[test]
fn properties_belong_to_the_following_element() {
    let name = prop::encode_utf16("second");
    let bytes = store(&[rec(32, 1, &CERT), rec(11, 1, &name), rec(32, 1, &CERT2)]);
    let view = parse(&bytes).unwrap();
    assert_eq!(view.elements()[0].friendly_name(), None);
    assert_eq!(
        view.elements()[1].friendly_name().unwrap().unwrap(),
        "second"
    );
    assert_eq!(view.elements()[1].offset, 8 + 17);
}

#[test]
fn dangling_properties_are_an_error() {
    let bytes = store(&[rec(32, 1, &CERT), rec(11, 1, &[0, 0])]);
    assert_eq!(
        parse(&bytes).unwrap_err(),
        Error::DanglingProperties {
            offset: 25,
            count: 1
        }
    );
    let lone = rec(11, 1, &[0, 0]);
    assert_eq!(parse(&lone).unwrap_err().code(), "sst-dangling-properties");
}

#[test]
fn encoding_types() {
    // X509 | PKCS7 is accepted and kept verbatim.
    let bytes = store(&[rec(32, 0x1_0001, &CERT)]);
    let view = parse(&bytes).unwrap();
    assert_eq!(view.elements()[0].encoding, 0x1_0001);
    assert_eq!(view.to_owned().to_bytes().unwrap(), bytes);
    for enc in [0, 2, 0x1_0000] {
        let bytes = store(&[rec(32, enc, &CERT)]);
        assert_eq!(parse(&bytes).unwrap_err().code(), "sst-bad-encoding-type");
    }
}

#[test]
fn context_data_must_be_one_der_sequence() {
    for data in [
        &[0x31, 0x00][..],
        &[0x30, 0x05, 0x00],
        &[0x30, 0x00, 0x00],
        &[0x30, 0x80, 0, 0],
    ] {
        let bytes = store(&[rec(32, 1, data)]);
        let err = parse(&bytes).unwrap_err();
        assert_eq!(err.code(), "sst-not-der", "{data:?}: {err}");
        assert_eq!(err.offset(), Some(20));
    }
    assert_eq!(
        parse(&store(&[rec(33, 1, &[])])).unwrap_err().code(),
        "sst-empty-element"
    );
    // Zero-length properties are fine.
    assert!(parse(&store(&[rec(104, 1, &[]), rec(32, 1, &CERT)])).is_ok());
}

#[test]
fn end_marker_rules() {
    let mut bytes = store(&[rec(32, 1, &CERT)]);
    let n = bytes.len();
    bytes[n - 8] = 1; // end marker with an encoding type
    assert_eq!(parse(&bytes).unwrap_err().code(), "sst-bad-end-marker");
    let mut lone = rec(32, 1, &CERT);
    lone.extend_from_slice(&[0; 12]);
    assert_eq!(
        parse_element(&lone).unwrap_err().code(),
        "sst-trailing-data"
    );
    let mut lone = rec(11, 1, &[0, 0]);
    lone.extend_from_slice(&[0; 12]);
    assert_eq!(
        parse_element(&lone).unwrap_err().code(),
        "sst-unexpected-end-marker"
    );
}

#[test]
fn huge_lengths_are_checked_before_use() {
    let mut bytes = b"\0\0\0\0CERT".to_vec();
    bytes.extend_from_slice(&32u32.to_le_bytes());
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(
        parse(&bytes).unwrap_err(),
        Error::RecordOverrun {
            offset: 8,
            id: 32,
            length: u32::MAX,
            available: 0
        }
    );
}

#[test]
fn forms_and_detection() {
    let lone = rec(32, 1, &CERT);
    assert_eq!(parse(&lone).unwrap().form(), Form::Element);
    assert_eq!(parse_store(&lone).unwrap_err().code(), "sst-bad-version");
    let s = store(&[rec(32, 1, &CERT)]);
    assert_eq!(parse(&s).unwrap().form(), Form::Store);
    assert_eq!(parse(&[0, 0]).unwrap_err().code(), "sst-truncated-header");
    assert_eq!(parse(&[]).unwrap_err().code(), "sst-empty");
}

#[test]
fn building_and_editing() {
    let mut e = Element::certificate(CERT.to_vec(), None).unwrap();
    assert_eq!(e.properties.len(), 1);
    e.set_friendly_name("a");
    e.set_friendly_name("b");
    let ids: Vec<u32> = e.properties.iter().map(|p| p.id).collect();
    assert_eq!(ids, [11, 3]);
    assert_eq!(e.friendly_name().unwrap().unwrap(), "b");
    assert!(e.remove_property(11));
    assert!(!e.remove_property(11));
    assert!(Element::new(ElementKind::Certificate, vec![]).is_err());
    assert!(Element::new(ElementKind::Certificate, vec![0x04, 0x00]).is_err());

    let mut other = Element::new(ElementKind::Certificate, CERT.to_vec()).unwrap();
    other.set_friendly_name("from the other copy");
    e.merge_missing_properties(&other);
    assert_eq!(e.friendly_name().unwrap().unwrap(), "from the other copy");

    let s = Store::from(vec![e.clone(), e]);
    let bytes = s.to_bytes().unwrap();
    assert_eq!(bytes.len(), s.encoded_len());
    let view = parse(&bytes).unwrap();
    assert_eq!(view.duplicates().len(), 1);
    assert_eq!(Store::from_bytes(&bytes).unwrap(), s);
    assert_eq!(s.position(ElementKind::Certificate, &CERT), Some(0));
}

#[test]
fn every_error_has_a_listed_code() {
    let errors = [
        Error::Empty,
        Error::TruncatedHeader { len: 1 },
        Error::BadVersion { version: 1 },
        Error::BadMagic { found: 0 },
        Error::TruncatedRecord {
            offset: 0,
            available: 0,
        },
        Error::RecordOverrun {
            offset: 0,
            id: 0,
            length: 0,
            available: 0,
        },
        Error::MissingEndMarker { offset: 0 },
        Error::TrailingData {
            offset: 0,
            length: 0,
        },
        Error::BadEndMarker {
            offset: 0,
            encoding: 0,
            length: 0,
        },
        Error::BadEncodingType {
            offset: 0,
            id: 0,
            encoding: 0,
        },
        Error::EmptyElement {
            offset: 0,
            kind: ElementKind::Crl,
        },
        Error::NotDer {
            offset: 0,
            kind: ElementKind::Ctl,
            reason: String::new(),
        },
        Error::DanglingProperties {
            offset: 0,
            count: 0,
        },
        Error::UnexpectedEndMarker { offset: 0 },
        Error::BadProperty {
            id: 0,
            name: "x",
            reason: String::new(),
        },
        Error::TooLarge { len: 0 },
    ];
    let codes: Vec<ErrorCode> = errors.iter().map(Error::code).collect();
    assert_eq!(codes, ErrorCode::ALL);
    for e in &errors {
        let msg = e.to_string();
        // Lower-case messages (acronyms such as CTL aside).
        let first: String = msg.chars().take(2).collect();
        assert!(
            first != first.to_uppercase()
                || first
                    .chars()
                    .all(|c| c.is_uppercase() || !c.is_alphabetic()),
            "{msg}"
        );
        assert!(
            !first.chars().next().unwrap().is_uppercase()
                || first.chars().nth(1).unwrap().is_uppercase(),
            "{msg}"
        );
        assert!(!msg.ends_with('.'), "{msg}");
    }
}
