//! The loader and the certificate model against the shared corpus (Windows-, .NET-, Wine- and
//! OpenSSL-made files) and data made at test time. Corpus tests say so and pass when
//! `../shared` is absent.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use smimetrust_sst::{Element, ElementKind, Property, Store, prop};
use smimetrust_store::{
    Input, InputFormat, Loaded, Object, ObjectKind, load, load_bytes, pem_bundle, sort_for_store,
};
use smimetrust_x509::{Certificate, pkcs7};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/sst");

/// The corpus folder, or `None` (with a message) when it is absent.
fn corpus(test: &str) -> Option<PathBuf> {
    let dir = Path::new(CORPUS);
    if dir.is_dir() {
        Some(dir.to_path_buf())
    } else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("{test}: skipped, {CORPUS} is absent");
        None
    }
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn input(name: &str, bytes: &[u8]) -> Input {
    Input::Bytes {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

fn pem(label: &str, der: &[u8], crlf: bool) -> String {
    let ending = if crlf {
        pem_rfc7468::LineEnding::CRLF
    } else {
        pem_rfc7468::LineEnding::LF
    };
    pem_rfc7468::encode_string(label, ending, der).unwrap()
}

fn sha1_hex(der: &[u8]) -> String {
    Certificate::from_der(der.to_vec()).sha1_hex()
}

struct Inputs {
    ca: Vec<u8>,
    leaf: Vec<u8>,
    ed: Vec<u8>,
    crl: Vec<u8>,
    my_name: Vec<u8>,
    ms: Vec<u8>,
}

fn inputs(dir: &Path) -> Inputs {
    Inputs {
        ca: read(dir, "inputs/gen-rsa2048-root-ca.der"),
        leaf: read(dir, "inputs/gen-p256-smime-leaf.der"),
        ed: read(dir, "inputs/gen-ed25519-selfsigned.der"),
        crl: read(dir, "inputs/wine-test-signedCRL.der"),
        my_name: read(dir, "inputs/dotnet-MyName.der"),
        ms: read(dir, "inputs/dotnet-MsCertificate.der"),
    }
}

#[test]
fn pem_with_crlf_text_around_and_several_blocks() {
    let Some(dir) = corpus("pem_with_crlf_text_around_and_several_blocks") else {
        return;
    };
    let i = inputs(&dir);
    let text = format!(
        "Bag Attributes\r\n    friendlyName: CA\r\n{}\r\nsome text between\r\n{}{}trailing words",
        pem("CERTIFICATE", &i.ca, true),
        pem("X509 CERTIFICATE", &i.leaf, true),
        pem("X509 CRL", &i.crl, false),
    );
    let objects = load_bytes("bundle.pem", text.as_bytes()).unwrap();
    let summary: Vec<(ObjectKind, &[u8], usize, InputFormat)> = objects
        .iter()
        .map(|o| (o.kind, o.der.as_slice(), o.source.index, o.source.format))
        .collect();
    assert_eq!(
        summary,
        vec![
            (ObjectKind::Certificate, &i.ca[..], 0, InputFormat::Pem),
            (ObjectKind::Certificate, &i.leaf[..], 1, InputFormat::Pem),
            (ObjectKind::Crl, &i.crl[..], 2, InputFormat::Pem),
        ]
    );
    assert!(
        objects
            .iter()
            .all(|o| o.properties.is_empty() && o.source.name == "bundle.pem")
    );
}

#[test]
fn trusted_certificate_keeps_the_certificate_only() {
    let Some(dir) = corpus("trusted_certificate_keeps_the_certificate_only") else {
        return;
    };
    let ca = read(&dir, "inputs/gen-rsa2048-root-ca.der");
    // OpenSSL's TRUSTED CERTIFICATE: the certificate followed by an X509_CERT_AUX SEQUENCE.
    let mut trusted = ca.clone();
    trusted.extend([
        0x30, 0x0c, 0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x04,
    ]);
    let objects = load_bytes(
        "t.pem",
        pem("TRUSTED CERTIFICATE", &trusted, false).as_bytes(),
    )
    .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].der, ca);
}

#[test]
fn der_certificate_crl_and_ctl() {
    let Some(dir) = corpus("der_certificate_crl_and_ctl") else {
        return;
    };
    let i = inputs(&dir);
    for (der, kind) in [
        (&i.ca, ObjectKind::Certificate),
        (&i.ed, ObjectKind::Certificate),
        (&i.crl, ObjectKind::Crl),
        (
            &read(&dir, "inputs/wine-test-signedCTLWithCTLInnerContent.der"),
            ObjectKind::Ctl,
        ),
    ] {
        let objects = load_bytes("x.der", der).unwrap();
        assert_eq!(objects.len(), 1);
        assert_eq!(objects[0].kind, kind);
        assert_eq!(&objects[0].der, der);
        assert_eq!(objects[0].source.format, InputFormat::Der);
    }
}

#[test]
fn windows_p7b_is_reproduced_byte_for_byte() {
    let Some(dir) = corpus("windows_p7b_is_reproduced_byte_for_byte") else {
        return;
    };
    let i = inputs(&dir);
    let windows = read(&dir, "dotnet-StoreSavedAsPfxData.p7b");
    assert_eq!(pkcs7::write_certs_only(&[&i.my_name, &i.ms], &[]), windows);
    let (certs, crls) = pkcs7::read(&windows).unwrap();
    assert_eq!(certs, vec![i.my_name.clone(), i.ms.clone()]);
    assert!(crls.is_empty());

    let objects = load_bytes("store.p7b", &windows).unwrap();
    assert_eq!(objects.len(), 2);
    assert!(
        objects
            .iter()
            .all(|o| o.source.format == InputFormat::Pkcs7)
    );
    assert_eq!(objects[1].der, i.ms);

    // CRLs go in [1] and come back.
    let with_crl = pkcs7::write_certs_only(&[&i.ca], &[&i.crl]);
    let objects = load_bytes("c.p7b", &with_crl).unwrap();
    let kinds: Vec<ObjectKind> = objects.iter().map(|o| o.kind).collect();
    assert_eq!(kinds, [ObjectKind::Certificate, ObjectKind::Crl]);
    assert_eq!(objects[1].der, i.crl);
}

#[test]
fn wine_bare_p7_and_pem_wrapped_p7() {
    let Some(dir) = corpus("wine_bare_p7_and_pem_wrapped_p7") else {
        return;
    };
    let i = inputs(&dir);
    let wine = read(&dir, "wine8-write-p7-3certs.p7b");
    let (certs, crls) = pkcs7::read(&wine).unwrap();
    assert_eq!(certs, vec![i.ed.clone(), i.leaf.clone(), i.ca.clone()]);
    assert!(crls.is_empty());
    assert_eq!(load_bytes("wine.p7b", &wine).unwrap().len(), 3);

    let windows = read(&dir, "dotnet-StoreSavedAsPfxData.p7b");
    let text = format!("p7b below\n{}", pem("PKCS7", &windows, true));
    let (certs, _) = pkcs7::read(text.as_bytes()).unwrap();
    assert_eq!(certs, vec![i.my_name.clone(), i.ms.clone()]);
    let objects = load_bytes("p7.pem", text.as_bytes()).unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0].source.format, InputFormat::Pkcs7);
    assert_eq!(objects[0].der, i.my_name);
}

#[test]
fn sst_store_and_lone_element_carry_properties() {
    let Some(dir) = corpus("sst_store_and_lone_element_carry_properties") else {
        return;
    };
    let bytes = read(&dir, "wine8-write-3certs-friendly-names.sst");
    let objects = load_bytes("w.sst", &bytes).unwrap();
    let names: Vec<String> = objects
        .iter()
        .map(|o| {
            let p = o
                .properties
                .iter()
                .find(|p| p.id == prop::FRIENDLY_NAME)
                .unwrap();
            match p.value().unwrap() {
                smimetrust_sst::PropertyValue::Text(t) => t,
                other => panic!("{other:?}"),
            }
        })
        .collect();
    assert_eq!(
        names,
        [
            "Ed25519 Ümläut",
            "Alice (S/MIME) – ünïcødé ✓",
            "SST Test Root CA"
        ]
    );
    assert!(objects.iter().all(|o| o.source.format == InputFormat::Sst));

    let element = read(&dir, "dotnet-StoreSavedAsSerializedCerData.element.bin");
    let objects = load_bytes("e.bin", &element).unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].source.format, InputFormat::SstElement);
    assert_eq!(objects[0].der, read(&dir, "inputs/dotnet-MyName.der"));
    assert_eq!(objects[0].properties[0].id, prop::KEY_PROV_INFO);

    // A store with a CRL and one with a CTL.
    let objects = load_bytes(
        "c.sst",
        &read(&dir, "wine-test-serializedStoreWithCertAndCRL.sst"),
    )
    .unwrap();
    assert_eq!(objects[1].kind, ObjectKind::Crl);
    let objects = load_bytes("t.sst", &read(&dir, "crafted/cert_and_ctl.sst")).unwrap();
    assert!(objects.iter().any(|o| o.kind == ObjectKind::Ctl));
}

#[test]
fn sst_framing_errors_keep_the_codec_code_and_offset() {
    let Some(dir) = corpus("sst_framing_errors_keep_the_codec_code_and_offset") else {
        return;
    };
    for (file, code) in [
        ("crafted/truncated_in_second_cert.sst", "sst-record-overrun"),
        ("crafted/bad_magic.sst", "sst-bad-magic"),
        ("crafted/bad_version_1.sst", "sst-bad-version"),
        ("crafted/no_end_marker.sst", "sst-missing-end-marker"),
    ] {
        let err = load_bytes(file, &read(&dir, file)).unwrap_err();
        assert_eq!(err.code(), code, "{file}: {err}");
        assert!(err.to_string().starts_with(&format!("{file}: ")), "{err}");
        assert!(err.offset().is_some(), "{file}");
    }
    let err = load_bytes("e.sst", &read(&dir, "crafted/empty_file.sst")).unwrap_err();
    assert_eq!(err.code(), "input-empty");
    assert!(
        load_bytes("h.sst", &read(&dir, "crafted/header_and_end_marker.sst"))
            .unwrap()
            .is_empty()
    );
}

fn codes(loaded: &Loaded) -> Vec<&'static str> {
    loaded.warnings.iter().map(|w| w.code.as_str()).collect()
}

#[test]
fn folders_are_walked_in_name_order_skipping_junk() {
    let Some(dir) = corpus("folders_are_walked_in_name_order_skipping_junk") else {
        return;
    };
    let i = inputs(&dir);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("b/deeper")).unwrap();
    std::fs::write(root.join("z-ca.der"), &i.ca).unwrap();
    std::fs::write(root.join("b/leaf.pem"), pem("CERTIFICATE", &i.leaf, false)).unwrap();
    std::fs::copy(
        dir.join("wine8-write-3certs-friendly-names.sst"),
        root.join("b/deeper/store.bin"),
    )
    .unwrap();
    std::fs::write(root.join("a-notes.txt"), "not a certificate\n").unwrap();
    std::fs::write(
        root.join("b/key.pem"),
        pem("PRIVATE KEY", &[0x30, 0x03, 0x02, 0x01, 0x00], false),
    )
    .unwrap();
    std::fs::write(root.join("empty.cer"), b"").unwrap();
    // Junk that only looks like a store (a zero first u32) is skipped too.
    std::fs::write(root.join("zeros.bin"), [0u8; 64]).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("crl.der"), &i.crl).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(elsewhere.path().join("crl.der"), root.join("c-link.crl")).unwrap();

    let loaded = load(&[Input::Path(root.to_path_buf())]).unwrap();
    let found: Vec<(String, usize)> = loaded
        .objects
        .iter()
        .map(|o| {
            let rel = Path::new(&o.source.name).strip_prefix(root).unwrap();
            (rel.display().to_string(), o.source.index)
        })
        .collect();
    let mut expected = vec![
        ("b/deeper/store.bin".to_string(), 0),
        ("b/deeper/store.bin".to_string(), 1),
        ("b/deeper/store.bin".to_string(), 2),
    ];
    #[cfg(unix)]
    expected.push(("c-link.crl".to_string(), 0));
    assert_eq!(found, expected);
    // b/leaf.pem repeats the store's leaf, z-ca.der its CA.
    let dropped: Vec<String> = loaded
        .duplicates
        .iter()
        .map(|d| {
            let rel = Path::new(&d.dropped.name).strip_prefix(root).unwrap();
            rel.display().to_string()
        })
        .collect();
    assert_eq!(dropped, ["b/leaf.pem", "z-ca.der"]);
    assert_eq!(
        codes(&loaded),
        [
            "input-skipped-file",      // a-notes.txt
            "input-skipped-pem-block", // b/key.pem's block
            "input-skipped-file",      // b/key.pem
            "input-skipped-file",      // empty.cer
            "input-skipped-file",      // zeros.bin
        ]
    );
    assert!(loaded.warnings[0].message.contains("a-notes.txt"));
    assert!(loaded.warnings[2].message.contains("key.pem"));

    // An empty folder, or one with only junk, is an error.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("junk"), b"junk").unwrap();
    let err = load(&[Input::Path(empty.path().to_path_buf())]).unwrap_err();
    assert_eq!(err.code(), "input-no-objects");

    // A damaged store inside a folder is an error, not a skip.
    std::fs::copy(
        dir.join("crafted/truncated_in_second_cert.sst"),
        empty.path().join("store.sst"),
    )
    .unwrap();
    let err = load(&[Input::Path(empty.path().to_path_buf())]).unwrap_err();
    assert_eq!(err.code(), "sst-record-overrun");
    assert!(err.to_string().contains("store.sst"), "{err}");
}

#[test]
fn explicit_inputs_that_are_not_recognised_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.cer");
    std::fs::write(&junk, b"hello, world").unwrap();
    let err = load(&[Input::Path(junk.clone())]).unwrap_err();
    assert_eq!(err.code(), "input-unrecognized");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: not a certificate, CRL, PKCS#7 bundle or serialized store",
            junk.display()
        )
    );

    let err = load(&[input("-", &[0x30, 0x03, 0x02, 0x01, 0x05])]).unwrap_err();
    assert_eq!(err.code(), "input-unrecognized");
    assert!(err.to_string().starts_with("-: "), "{err}");

    let err = load_bytes("t.der", &[0x30, 0x82, 0x01, 0x00, 0x30]).unwrap_err();
    assert_eq!(err.code(), "input-unrecognized");
    assert!(
        err.to_string().contains("declares 256 content bytes"),
        "{err}"
    );

    let err = load_bytes("e", b"").unwrap_err();
    assert_eq!(
        (err.code().as_str(), err.to_string().as_str()),
        ("input-empty", "e: empty file")
    );

    let key = pem("PRIVATE KEY", &[0x30, 0x00], false);
    let err = load_bytes("key.pem", key.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "input-no-objects");
    assert!(err.to_string().contains("PRIVATE KEY"), "{err}");

    let err = load(&[Input::Path(tmp.path().join("missing.der"))]).unwrap_err();
    assert_eq!(err.code(), "input-io");
    assert!(
        err.to_string()
            .contains("missing.der: cannot read: no such file"),
        "{err}"
    );

    let bad = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    let err = load_bytes("bad.pem", format!("xx\n{bad}").as_bytes()).unwrap_err();
    assert_eq!((err.code().as_str(), err.offset()), ("input-pem", Some(3)));

    let unterminated = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n";
    assert_eq!(
        load_bytes("u.pem", unterminated.as_bytes())
            .unwrap_err()
            .code(),
        "input-pem"
    );

    // A ContentInfo that is not signedData.
    let data = [
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    let err = load_bytes("d.p7", &data).unwrap_err();
    assert_eq!(err.code(), "input-unrecognized");
    assert!(err.to_string().contains("not signedData"), "{err}");

    // A skipped PEM block is a warning when other blocks are usable.
    let mixed = format!(
        "{}{}",
        pem("PRIVATE KEY", &[0x30, 0x00], false),
        pem("CERTIFICATE", &[0x30, 0x03, 0x02, 0x01, 0x05], false)
    );
    let loaded = load(&[input("m.pem", mixed.as_bytes())]).unwrap();
    assert_eq!(loaded.objects.len(), 1);
    assert_eq!(codes(&loaded), ["input-skipped-pem-block"]);
    assert!(loaded.warnings[0].message.starts_with("m.pem: "));
}

#[test]
fn duplicates_collapse_and_merge_missing_properties() {
    let Some(dir) = corpus("duplicates_collapse_and_merge_missing_properties") else {
        return;
    };
    let i = inputs(&dir);
    let mut first = Element::new(ElementKind::Certificate, i.ca.clone()).unwrap();
    first.set_friendly_name("First");
    let mut second = Element::certificate(i.ca.clone(), Some("Second")).unwrap();
    second.set_property(prop::ENHKEY_USAGE, vec![0x30, 0x00]);
    let store = |e: Element| Store::from(vec![e]).to_bytes().unwrap();
    let loaded = load(&[
        input("one.sst", &store(first)),
        input("ca.der", &i.ca),
        input("two.sst", &store(second)),
        input("leaf.der", &i.leaf),
    ])
    .unwrap();
    assert_eq!(loaded.objects.len(), 2);
    assert_eq!(loaded.duplicates.len(), 2);
    let d = &loaded.duplicates[1];
    assert_eq!(d.sha1, "C8FCEFB3612F4179D7DA95515207F626ABE3BACB");
    assert_eq!(
        (d.kept.name.as_str(), d.dropped.name.as_str()),
        ("one.sst", "two.sst")
    );
    let ids: Vec<u32> = loaded.objects[0].properties.iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        [prop::FRIENDLY_NAME, prop::SHA1_HASH, prop::ENHKEY_USAGE]
    );
    let name = &loaded.objects[0].properties[0];
    assert_eq!(
        name.data,
        prop::encode_utf16("First"),
        "the kept value wins"
    );

    // load_bytes does not collapse.
    let twice = Store::from(vec![
        Element::new(ElementKind::Certificate, i.ca.clone()).unwrap(),
        Element::new(ElementKind::Certificate, i.ca.clone()).unwrap(),
    ])
    .to_bytes()
    .unwrap();
    assert_eq!(load_bytes("t.sst", &twice).unwrap().len(), 2);
    let loaded = load(&[input("t.sst", &twice)]).unwrap();
    assert_eq!(loaded.objects.len(), 1);
    assert_eq!(loaded.duplicates[0].dropped.index, 1);
}

#[test]
fn cert_info_of_the_generated_certificates() {
    let Some(dir) = corpus("cert_info_of_the_generated_certificates") else {
        return;
    };
    let i = inputs(&dir);
    let ca = Certificate::from_der(i.ca.clone());
    assert_eq!(ca.sha1_hex(), "C8FCEFB3612F4179D7DA95515207F626ABE3BACB");
    assert_eq!(ca.der(), &i.ca[..]);
    let info = ca.info().unwrap();
    assert_eq!(info.subject, "CN=SST Test Root CA,O=SST Test,C=DE");
    assert_eq!(info.issuer, info.subject);
    assert!(info.is_ca && info.self_issued);
    assert_eq!(
        (info.key.algorithm.as_str(), info.key.bits),
        ("RSA", Some(2048))
    );
    assert_eq!(info.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(
        info.subject_key_id.as_deref(),
        Some(
            &[
                0xCB, 0xE5, 0xAB, 0xC5, 0x4C, 0x59, 0x77, 0xAB, 0xBE, 0x68, 0x4C, 0xB7, 0xFD, 0x42,
                0xFC, 0xA4, 0xA9, 0xCA, 0x08, 0x9A
            ][..]
        )
    );
    assert_eq!(info.ext_key_usage, None);
    assert!(info.emails.is_empty());
    assert!(info.not_before < info.not_after);
    assert!(ca.parse_error().is_none() && ca.parsed().is_some());
    assert_eq!(ca.sha256_hex().len(), 64);

    let leaf = Certificate::from_der(i.leaf.clone());
    let l = leaf.info().unwrap();
    assert_eq!(
        l.subject,
        "emailAddress=alice@example.org,CN=alice@example.org"
    );
    assert_eq!(l.issuer, info.subject);
    assert!(!l.is_ca && !l.self_issued);
    assert_eq!(l.emails, ["alice@example.org"]);
    assert_eq!(
        l.ext_key_usage
            .as_ref()
            .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>()),
        Some(vec!["1.3.6.1.5.5.7.3.4".to_string()])
    );
    assert_eq!(
        (l.key.algorithm.as_str(), l.key.bits),
        ("EC P-256", Some(256))
    );
    assert_eq!(l.authority_key_id, info.subject_key_id);
    assert_eq!(l.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(l.serial, l.serial.to_uppercase());

    let ed = Certificate::from_der(i.ed.clone());
    let e = ed.info().unwrap();
    assert_eq!(e.subject, "CN=Ed25519 Ümläut Test");
    assert_eq!((e.key.algorithm.as_str(), e.key.bits), ("Ed25519", None));
    assert_eq!(e.signature_algorithm, "id-Ed25519");
    assert!(e.is_ca && e.self_issued);

    // .NET's MyName has a negative serial: the content octets as encoded.
    let my = Certificate::from_der(i.my_name.clone());
    let m = my.info().unwrap();
    assert_eq!(m.serial, "D5B5BC1C458A558845BFF51CB4DFF31C");
    assert_eq!(m.signature_algorithm, "sha1WithRSASignature");
}

/// Element 66 of Windows' disallowed store (`CN=*.google.com` from `*.EGO.GOV.TR`) encodes the
/// DEFAULT `critical FALSE` of its extensions. Stricter parsers (Python `cryptography`) reject it;
/// `x509-cert` 0.3 accepts it, but re-encoding it would change its bytes and thumbprint.
#[test]
fn windows_certificate_with_encoded_defaults_is_kept_byte_for_byte() {
    let Some(dir) = corpus("windows_certificate_with_encoded_defaults_is_kept_byte_for_byte")
    else {
        return;
    };
    let bytes = read(&dir, "windows-syncWithWU-disallowedcert-2025-09-05.sst");
    let store = smimetrust_sst::parse(&bytes).unwrap();
    let objects = load_bytes("disallowed.sst", &bytes).unwrap();
    assert_eq!(objects.len(), 95);
    let o = &objects[66];
    assert_eq!(o.kind, ObjectKind::Certificate);
    assert_eq!(o.der, store.elements()[66].data);
    let cert = o.certificate().unwrap();
    assert_eq!(cert.sha1_hex(), "4D8547B7F864132A7F62D9B75B068521F10B68E3");
    assert_eq!(cert.der(), store.elements()[66].data);
    assert_eq!(cert.is_canonical_der(), Some(false));
    let info = cert.info().unwrap();
    assert_eq!(
        info.subject,
        "CN=*.google.com,O=Google Inc,L=Mountain View,ST=California,C=US"
    );
    assert!(!info.is_ca);
    assert_eq!(
        info.ext_key_usage
            .as_ref()
            .map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>()),
        Some(vec![
            "1.3.6.1.5.5.7.3.1".to_string(),
            "1.3.6.1.5.5.7.3.2".to_string()
        ])
    );
    // Every other certificate of the file is canonical DER.
    let others = objects
        .iter()
        .filter_map(Object::certificate)
        .filter(|c| c.is_canonical_der() != Some(true))
        .count();
    assert_eq!(others, 1);
}

#[test]
fn every_windows_root_gets_info_or_a_parse_error() {
    let Some(dir) = corpus("every_windows_root_gets_info_or_a_parse_error") else {
        return;
    };
    let mut stats = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".sst") || name.ends_with(".element.bin")) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let store = smimetrust_sst::parse(&bytes).unwrap();
        let objects = load_bytes(&name, &bytes).unwrap();
        assert_eq!(objects.len(), store.elements().len(), "{name}");
        let mut failed = Vec::new();
        let mut noncanonical = Vec::new();
        for (o, e) in objects.iter().zip(store.elements()) {
            assert_eq!(o.der, e.data, "{name}");
            let props: Vec<Property> = e.properties().map(|p| p.to_owned()).collect();
            assert_eq!(o.properties, props, "{name}");
            if let Some(cert) = o.certificate() {
                assert_eq!(cert.der(), e.data);
                assert!(cert.info().is_some() != cert.parse_error().is_some());
                if cert.is_canonical_der() == Some(false) {
                    noncanonical.push(cert.sha1_hex());
                }
                if let Some(why) = cert.parse_error() {
                    failed.push(format!("{} {why}", cert.sha1_hex()));
                }
            }
        }
        if name == "windows-generateSSTFromWU-root-2025-08-29.sst" {
            // Two Windows roots are BER, not canonical DER: re-encoding would change them.
            assert_eq!(
                noncanonical,
                [
                    "D3DD483E2BBF4C05E8AF10F5FA7626CFD3DC3092",
                    "C9A8B9E755805E58E35377A725EBAFC37B27CCD7"
                ]
            );
        }
        stats.push((name, objects.len(), failed));
    }
    for (name, n, failed) in &stats {
        eprintln!("{name}: {n} objects, {} without info", failed.len());
        for f in failed {
            eprintln!("    {f}");
        }
    }
    let root = stats
        .iter()
        .find(|s| s.0 == "windows-generateSSTFromWU-root-2025-08-29.sst")
        .unwrap();
    assert_eq!(root.1, 507);
}

#[test]
fn sort_for_store_groups_and_orders() {
    let Some(dir) = corpus("sort_for_store_groups_and_orders") else {
        return;
    };
    let i = inputs(&dir);
    let ctl = read(&dir, "inputs/wine-test-signedCTLWithCTLInnerContent.der");
    let bad = vec![0x30, 0x08, 0x30, 0x00, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00];
    let mut loaded = load(&[
        input("ctl", &ctl),
        input("crl", &i.crl),
        input("leaf", &i.leaf),
        input("bad", &bad),
        input("ms", &i.ms),
        input("ca", &i.ca),
        input("ed", &i.ed),
        input("my", &i.my_name),
    ])
    .unwrap();
    sort_for_store(&mut loaded.objects);
    let order: Vec<&str> = loaded
        .objects
        .iter()
        .map(|o| o.source.name.as_str())
        .collect();
    // Roots by subject: "CN=Ed25519…" < "CN=MyName" (v1-style, no basicConstraints)
    // < "CN=SST Test Root CA…"; leaves by subject: "CN=Microsoft…" < "emailAddress=…".
    let ms = Certificate::from_der(i.ms.clone());
    let ms_info = ms.info().unwrap();
    assert!(!ms_info.is_ca && !ms_info.self_issued);
    let my = Certificate::from_der(i.my_name.clone());
    assert!(my.info().unwrap().self_issued && !my.info().unwrap().has_basic_constraints);
    assert_eq!(order, ["ed", "my", "ca", "ms", "leaf", "bad", "crl", "ctl"]);
}

#[test]
fn pem_bundle_round_trips() {
    let Some(dir) = corpus("pem_bundle_round_trips") else {
        return;
    };
    let i = inputs(&dir);
    let loaded = load(&[input("a", &i.ca), input("b", &i.crl), input("c", &i.leaf)]).unwrap();
    let text = pem_bundle(&loaded.objects);
    assert!(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
    assert!(text.contains("-----BEGIN X509 CRL-----\n"));
    assert!(!text.contains('\r'));
    assert!(text.lines().all(|l| l.len() <= 64));
    let back = load_bytes("bundle.pem", text.as_bytes()).unwrap();
    let ders: Vec<&Vec<u8>> = back.iter().map(|o| &o.der).collect();
    assert_eq!(ders, [&i.ca, &i.crl, &i.leaf]);
}

/// Loads `bytes` and checks the result is a value or an error with a code, never a panic.
fn survives(name: &str, bytes: &[u8]) {
    match load_bytes(name, bytes) {
        Ok(objects) => {
            for o in &objects {
                let c = Certificate::from_der(o.der.clone());
                let _ = (c.info(), c.parse_error());
            }
            let mut objects = objects;
            sort_for_store(&mut objects);
            let _ = pem_bundle(&objects);
        }
        Err(e) => {
            assert!(!e.code().as_str().is_empty(), "{e}");
            let _ = e.to_string();
        }
    }
    let _ = pkcs7::read(bytes);
}

#[test]
fn truncated_and_flipped_inputs_never_panic() {
    let Some(dir) = corpus("truncated_and_flipped_inputs_never_panic") else {
        return;
    };
    let i = inputs(&dir);
    let small: Vec<(&str, Vec<u8>)> = vec![
        ("ed.der", i.ed.clone()),
        ("crl.der", i.crl.clone()),
        ("wine.p7b", read(&dir, "wine8-write-p7-3certs.p7b")),
        (
            "element.bin",
            read(&dir, "wine-test-serializedCertWithFriendlyName.element.bin"),
        ),
        (
            "store.sst",
            read(&dir, "wine-test-serializedStoreWithCertAndCRL.sst"),
        ),
        (
            "ctl.der",
            read(&dir, "inputs/wine-test-signedCTLWithCTLInnerContent.der"),
        ),
        ("leaf.pem", pem("CERTIFICATE", &i.leaf, true).into_bytes()),
        (
            "p7.pem",
            pem(
                "PKCS7",
                &read(&dir, "dotnet-StoreSavedAsPfxData.p7b"),
                false,
            )
            .into_bytes(),
        ),
    ];
    for (name, bytes) in &small {
        for cut in 0..bytes.len() {
            survives(name, &bytes[..cut]);
        }
        let step = if bytes.len() > 1500 { 3 } else { 1 };
        for at in (0..bytes.len()).step_by(step) {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[at] ^= flip;
                survives(name, &b);
            }
        }
    }
}

#[test]
fn object_helpers() {
    let source = smimetrust_store::Source::new("x", 0, InputFormat::Der);
    let o = Object::new(ObjectKind::Crl, vec![0x30, 0x00], source);
    assert!(o.certificate().is_none());
    assert_eq!(
        sha1_hex(&o.der),
        Certificate::from_der(o.der.clone()).sha1_hex()
    );
    assert_eq!(InputFormat::SstElement.as_str(), "sst-element");
    assert_eq!(ObjectKind::Ctl.as_str(), "ctl");
    assert_eq!(ElementKind::from(ObjectKind::Crl), ElementKind::Crl);
}

/// `cargo test --release -p smimetrust-store --test loader -- --ignored --nocapture`: loads a
/// store of 10,140 distinct real-sized certificates (the 507 Windows roots, each in 20 variants
/// differing in the last signature byte) and parses every certificate.
#[test]
#[ignore = "timing; run in release"]
fn timing_10k_certificate_store() {
    let Some(dir) = corpus("timing_10k_certificate_store") else {
        return;
    };
    let roots = read(&dir, "windows-generateSSTFromWU-root-2025-08-29.sst");
    let view = smimetrust_sst::parse(&roots).unwrap();
    let mut store = Store::new();
    for variant in 0..20u8 {
        for e in view.elements() {
            let mut der = e.data.to_vec();
            if let Some(last) = der.last_mut() {
                *last ^= variant;
            }
            let mut element = Element::certificate(der, Some("Variant")).unwrap();
            element
                .properties
                .extend(e.properties().map(|p| p.to_owned()));
            store.elements.push(element);
        }
    }
    let bytes = store.to_bytes().unwrap();
    let input = [Input::Bytes {
        name: "big.sst".into(),
        bytes,
    }];
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let loaded = load(&input).unwrap();
        let t_load = start.elapsed().as_secs_f64();
        assert_eq!(loaded.objects.len(), 10_140);
        let start = std::time::Instant::now();
        let certs = smimetrust_store::certificates(&loaded.objects);
        let t_parse = start.elapsed().as_secs_f64();
        assert!(certs.iter().all(|c| c.as_ref().unwrap().info().is_some()));
        let mut objects = load(&input).unwrap().objects;
        let start = std::time::Instant::now();
        sort_for_store(&mut objects);
        let t_sort = start.elapsed().as_secs_f64();
        best = (best.0.min(t_load), best.1.min(t_parse), best.2.min(t_sort));
    }
    let mb = input
        .iter()
        .map(|i| match i {
            Input::Bytes { bytes, .. } => bytes.len(),
            Input::Path(_) => 0,
        })
        .sum::<usize>() as f64
        / 1e6;
    eprintln!(
        "{mb:.1} MB, 10140 certificates: load {:.1} ms, certificates() {:.1} ms, sort_for_store {:.1} ms",
        best.0 * 1e3,
        best.1 * 1e3,
        best.2 * 1e3
    );
}
