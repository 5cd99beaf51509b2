//! The SST corpus in `../shared/corpus/sst`: every file against `corpus-manifest.tsv` and its
//! `.expected.tsv`, byte-exact round trips, and the Windows-checked vectors rebuilt from their
//! inputs. Skips with a message when the corpus is absent.

#![allow(clippy::unwrap_used, clippy::print_stderr)] // test code: a panic is a failed test

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use sha1::{Digest, Sha1};
use smimetrust_sst::{Element, ElementKind, Form, Store, parse, prop};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/sst");
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("skipping: SST corpus not found at {}", dir.display());
        None
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

struct Row {
    file: String,
    outcome: String,
    detail: String,
    offset: String,
}

fn manifest() -> Vec<Row> {
    include_str!("corpus-manifest.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("file\t") && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "bad manifest line {l:?}");
            Row {
                file: f[0].into(),
                outcome: f[1].into(),
                detail: f[2].into(),
                offset: f[3].into(),
            }
        })
        .collect()
}

/// Every data file of the corpus, relative to it (not the companions, notes or inputs).
fn corpus_files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for sub in ["", "crafted/"] {
        for entry in fs::read_dir(dir.join(sub)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            if entry.file_type().unwrap().is_file()
                && !name.ends_with(".expected.tsv")
                && !name.ends_with(".md")
            {
                out.insert(format!("{sub}{name}"));
            }
        }
    }
    out
}

#[test]
fn every_corpus_file_is_in_the_manifest_and_behaves_as_listed() {
    let Some(dir) = corpus() else { return };
    let rows = manifest();
    let listed: BTreeSet<String> = rows.iter().map(|r| r.file.clone()).collect();
    let missing: Vec<_> = corpus_files(&dir).difference(&listed).cloned().collect();
    assert!(
        missing.is_empty(),
        "corpus files missing from corpus-manifest.tsv: {missing:?}"
    );

    for row in &rows {
        let bytes = fs::read(dir.join(&row.file)).unwrap();
        let result = parse(&bytes);
        match row.outcome.as_str() {
            "store" | "element" => {
                let view = result.unwrap_or_else(|e| panic!("{}: {e} [{}]", row.file, e.code()));
                let form = if row.outcome == "store" {
                    Form::Store
                } else {
                    Form::Element
                };
                assert_eq!(view.form(), form, "{}", row.file);
                assert_eq!(
                    view.elements().len().to_string(),
                    row.detail,
                    "{}",
                    row.file
                );
                assert_eq!(
                    view.duplicates().len().to_string(),
                    row.offset,
                    "{}",
                    row.file
                );
            }
            "error" => {
                let err = result.expect_err(&row.file);
                assert_eq!(err.code().as_str(), row.detail, "{}: {err}", row.file);
                let offset = err.offset().map_or("-".to_string(), |o| o.to_string());
                assert_eq!(offset, row.offset, "{}: {err}", row.file);
            }
            "other" => assert!(result.is_err(), "{}", row.file),
            other => panic!("unknown outcome {other}"),
        }
    }
}

#[test]
fn elements_match_expected_tsv() {
    let Some(dir) = corpus() else { return };
    let mut checked = 0;
    for row in manifest() {
        let expected = dir.join(format!("{}.expected.tsv", row.file));
        let Ok(tsv) = fs::read_to_string(&expected) else {
            continue;
        };
        let bytes = fs::read(dir.join(&row.file)).unwrap();
        let view = parse(&bytes).unwrap();
        let lines: Vec<&str> = tsv.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), view.elements().len(), "{}", row.file);
        for (line, e) in lines.iter().zip(view.elements()) {
            let f: Vec<&str> = line.split('\t').collect();
            let sha1 = hex(&Sha1::digest(e.data));
            let props: Vec<_> = e.properties().collect();
            let prop3 = e.property(prop::SHA1_HASH);
            let got = [
                f[0].to_string(),
                e.offset.to_string(),
                e.kind.record_id().to_string(),
                e.data.len().to_string(),
                sha1.clone(),
                match prop3 {
                    None => String::new(),
                    Some(p) if hex(p.data) == sha1 => "yes".into(),
                    Some(_) => "no".into(),
                },
                e.friendly_name().transpose().unwrap().unwrap_or_default(),
                props
                    .iter()
                    .map(|p| p.id.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                props
                    .iter()
                    .map(|p| p.data.len().to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            ];
            assert_eq!(got.join("\t"), *line, "{}", row.file);
            checked += 1;
        }
    }
    assert!(checked >= 1900, "only {checked} elements checked");
}

#[test]
fn read_then_write_is_byte_exact() {
    let Some(dir) = corpus() else { return };
    for row in manifest() {
        if row.outcome != "store" && row.outcome != "element" {
            continue;
        }
        let bytes = fs::read(dir.join(&row.file)).unwrap();
        let view = parse(&bytes).unwrap();
        let written = if row.outcome == "store" {
            view.to_owned().to_bytes().unwrap()
        } else {
            view.elements()[0].to_owned().to_bytes().unwrap()
        };
        assert!(written == bytes, "{}: round trip differs", row.file);
        // The borrowed view's raw slices tile the input exactly.
        let mut at = if row.outcome == "store" { 8 } else { 0 };
        for e in view.elements() {
            assert_eq!(e.offset, at, "{}", row.file);
            at += e.raw(&bytes).unwrap().len();
        }
    }
}

fn input(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join("inputs").join(name)).unwrap()
}

fn store_of(elements: Vec<Element>) -> Vec<u8> {
    Store::from(elements).to_bytes().unwrap()
}

#[test]
fn windows_checked_vectors_rebuilt_from_their_inputs() {
    let Some(dir) = corpus() else { return };
    let expect = |name: &str, got: Vec<u8>| {
        let want = fs::read(dir.join(name)).unwrap();
        assert!(got == want, "{name}: rebuilt bytes differ");
    };
    let big = input(&dir, "wine-test-bigCert.tbs.der");
    let crl = input(&dir, "wine-test-signedCRL.der");
    let plain = Element::new(ElementKind::Certificate, big.clone()).unwrap();
    let mut named = plain.clone();
    named.set_friendly_name("WineTest");

    expect(
        "wine-test-serializedStoreWithCert.sst",
        store_of(vec![plain.clone()]),
    );
    expect(
        "wine-test-serializedStoreWithCertAndCRL.sst",
        store_of(vec![
            plain.clone(),
            Element::new(ElementKind::Crl, crl).unwrap(),
        ]),
    );
    expect(
        "wine-test-serializedStoreWithCertWithFriendlyName.sst",
        store_of(vec![named.clone()]),
    );
    expect(
        "wine-test-serializedStoreWithCertAndHash.sst",
        store_of(vec![Element::certificate(big.clone(), None).unwrap()]),
    );
    expect(
        "wine-test-serializedCert.element.bin",
        plain.to_bytes().unwrap(),
    );
    expect(
        "wine-test-serializedCertWithFriendlyName.element.bin",
        named.to_bytes().unwrap(),
    );

    // .NET: the key-provider property (2) cannot be computed without the key; take its bytes
    // from the Windows file and rebuild everything around it.
    let dotnet = fs::read(dir.join("dotnet-StoreSavedAsSerializedStoreData.sst")).unwrap();
    let prov = parse(&dotnet).unwrap().elements()[0]
        .property(prop::KEY_PROV_INFO)
        .unwrap()
        .data
        .to_vec();
    let mut my_name =
        Element::new(ElementKind::Certificate, input(&dir, "dotnet-MyName.der")).unwrap();
    my_name.set_property(prop::KEY_PROV_INFO, prov);
    let ms = Element::new(
        ElementKind::Certificate,
        input(&dir, "dotnet-MsCertificate.der"),
    )
    .unwrap();
    expect(
        "dotnet-StoreSavedAsSerializedStoreData.sst",
        store_of(vec![my_name.clone(), ms]),
    );
    expect(
        "dotnet-StoreSavedAsSerializedCerData.element.bin",
        my_name.to_bytes().unwrap(),
    );

    // Wine 8.0 writes newest first; these are the same bytes Windows writes for such a store.
    let cert = |file: &str, name: &str| {
        let mut e = Element::new(ElementKind::Certificate, input(&dir, file)).unwrap();
        e.set_friendly_name(name);
        e
    };
    expect(
        "wine8-write-3certs-friendly-names.sst",
        store_of(vec![
            cert("gen-ed25519-selfsigned.der", "Ed25519 Ümläut"),
            cert("gen-p256-smime-leaf.der", "Alice (S/MIME) – ünïcødé ✓"),
            cert("gen-rsa2048-root-ca.der", "SST Test Root CA"),
        ]),
    );
    expect(
        "wine8-write-ca-named-leaf-unnamed.sst",
        store_of(vec![
            Element::new(
                ElementKind::Certificate,
                input(&dir, "gen-p256-smime-leaf.der"),
            )
            .unwrap(),
            cert("gen-rsa2048-root-ca.der", "CA name"),
        ]),
    );
}

#[test]
fn windows_property_values_decode() {
    let Some(dir) = corpus() else { return };
    let bytes = fs::read(dir.join("windows-generateSSTFromWU-root-2025-08-29.sst")).unwrap();
    let view = parse(&bytes).unwrap();
    let mut seen = BTreeSet::new();
    for e in view.elements() {
        let owned = e.to_owned();
        for p in &owned.properties {
            p.value()
                .unwrap_or_else(|err| panic!("{}: {err}", hex(&owned.sha1())));
            seen.insert(p.id);
        }
        // SHA-1 and SHA-256 properties agree with the data.
        assert_eq!(owned.property(prop::SHA1_HASH).unwrap().data, owned.sha1());
        if let Some(Ok(oids)) = owned.eku_restriction() {
            assert!(!oids.is_empty());
        }
    }
    assert!(seen.is_superset(&[3, 9, 11, 20, 29, 98, 104, 126].into_iter().collect()));
}

/// Every strict prefix of a valid store or element is an error (never a partial read), and no
/// truncation or byte flip panics.
#[test]
fn truncations_and_flips_never_panic_or_read_partially() {
    let Some(dir) = corpus() else { return };
    for row in manifest() {
        let bytes = fs::read(dir.join(&row.file)).unwrap();
        let valid = row.outcome == "store" || row.outcome == "element";
        let step = if bytes.len() > 20_000 { 997 } else { 1 };
        for cut in (0..bytes.len()).step_by(step) {
            let r = parse(&bytes[..cut]);
            if valid {
                assert!(r.is_err(), "{}: prefix of {cut} bytes parsed", row.file);
            }
        }
        if bytes.len() <= 20_000 {
            let mut copy = bytes.clone();
            for i in 0..copy.len() {
                for mask in [0xFF, 0x80, 0x01] {
                    copy[i] ^= mask;
                    if let Ok(view) = parse(&copy) {
                        for e in view.elements() {
                            for p in &e.to_owned().properties {
                                let _ = p.value();
                            }
                        }
                    }
                    copy[i] ^= mask;
                }
            }
        }
    }
}
