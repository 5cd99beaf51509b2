//! `smimetrust sst …`

use std::fs;

use crate::util::{Dir, demo, s, sst_corpus};

const ROOT_SST: &str = "windows-generateSSTFromWU-root-2025-08-29.sst";

fn list_json(dir: &Dir, file: &str) -> Vec<serde_json::Value> {
    let out = dir.run(&["sst", "list", file, "--format", "json"]).code(0);
    out.json().as_array().unwrap().clone()
}

#[test]
fn create_from_the_demo_pki_then_list() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let out = d.run(&["sst", "create", "-o", "demo.sst", s(&ca)]).code(0);
    assert!(out.stdout.contains("wrote demo.sst"), "{}", out.stdout);
    assert!(
        out.stdout.contains("3 certificates (1 root, 2 CA, 0 leaf)"),
        "{}",
        out.stdout
    );

    let items = list_json(&d, "demo.sst");
    assert_eq!(items.len(), 3);
    // Roots first, then intermediates by subject.
    assert_eq!(items[0]["is_ca"], true);
    assert_eq!(items[0]["self_signed"], true);
    assert!(
        items[0]["subject"]
            .as_str()
            .unwrap()
            .contains("Contoso Demo Root CA")
    );
    assert_eq!(items[1]["self_signed"], false);
    let subjects: Vec<&str> = items[1..]
        .iter()
        .map(|i| i["subject"].as_str().unwrap())
        .collect();
    let mut sorted = subjects.clone();
    sorted.sort();
    assert_eq!(subjects, sorted);
    for item in &items {
        // What Windows writes for a freshly imported certificate: the SHA-1 property only.
        assert_eq!(
            item["properties"],
            serde_json::json!([{"id": 3, "name": "sha1_hash", "length": 20}])
        );
        assert_eq!(item["kind"], "certificate");
        assert_eq!(item["sha1"].as_str().unwrap().len(), 40);
        assert_eq!(item["sha256"].as_str().unwrap().len(), 64);
        assert!(item["not_after"].as_str().unwrap().ends_with('Z'));
        assert!(item["warnings"].as_array().unwrap().is_empty());
    }
    // The store is a valid SST: 8-byte header, end marker.
    let bytes = d.read("demo.sst");
    assert_eq!(&bytes[..8], b"\0\0\0\0CERT");
    assert_eq!(&bytes[bytes.len() - 12..], &[0; 12]);
}

#[test]
fn create_sets_friendly_names_and_refuses_unknown_thumbprints() {
    let d = Dir::new();
    let root = demo().join("ca/root.cer");
    let first = list_json(&d, s(&root));
    let sha1 = first[0]["sha1"].as_str().unwrap().to_string();
    let lower_with_colons: String = sha1
        .to_lowercase()
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    let name_arg = format!("{lower_with_colons}=Contoso Root ✓");
    d.run(&[
        "sst",
        "create",
        "-o",
        "named.sst",
        "--name",
        &name_arg,
        s(&root),
    ])
    .code(0);
    let items = list_json(&d, "named.sst");
    assert_eq!(items[0]["friendly_name"], "Contoso Root ✓");
    let ids: Vec<u64> = items[0]["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [11, 3],
        "friendly name, then SHA-1, as Windows orders them"
    );

    let bad = format!("{}=x", "00".repeat(20));
    let out = d
        .run(&["sst", "create", "-o", "x.sst", "--name", &bad, s(&root)])
        .code(2);
    assert!(
        out.stderr.contains("error[name-unknown-sha1]"),
        "{}",
        out.stderr
    );
    assert!(!d.path("x.sst").exists(), "nothing written on error");
}

#[test]
fn outputs_are_never_clobbered_or_inputs_truncated() {
    let d = Dir::new();
    let root = demo().join("ca/root.cer");
    d.write("out.sst", b"precious");
    let out = d.run(&["sst", "create", "-o", "out.sst", s(&root)]).code(2);
    assert!(
        out.stderr.contains("error[output-exists]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert_eq!(d.read("out.sst"), b"precious");
    d.run(&["sst", "create", "--force", "-o", "out.sst", s(&root)])
        .code(0);
    assert_eq!(&d.read("out.sst")[..8], b"\0\0\0\0CERT");

    let before = d.read("out.sst");
    let out = d
        .run(&["sst", "convert", "out.sst", "-o", "./out.sst", "--force"])
        .code(2);
    assert!(
        out.stderr.contains("error[output-is-input]"),
        "{}",
        out.stderr
    );
    assert_eq!(d.read("out.sst"), before);
    let out = d
        .run(&["sst", "merge", "out.sst", "-o", "out.sst", "--force"])
        .code(2);
    assert!(
        out.stderr.contains("error[output-is-input]"),
        "{}",
        out.stderr
    );
    // No temporary files left behind.
    let names: Vec<_> = fs::read_dir(d.path("."))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn list_every_windows_store() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    for (file, count) in [
        (ROOT_SST, 507),
        ("windows-roots-2020-06-10-AskSummoner.sst", 411),
        ("windows-syncWithWU-pinrules-2022-05-29.sst", 12),
        ("dotnet-StoreSavedAsSerializedCerData.element.bin", 1),
        ("dotnet-StoreSavedAsPfxData.p7b", 2),
        ("wine-test-serializedStoreWithCertAndCRL.sst", 2),
    ] {
        let items = list_json(&d, s(&corpus.join(file)));
        assert_eq!(items.len(), count, "{file}");
    }
    let items = list_json(&d, s(&corpus.join(ROOT_SST)));
    // Windows thumbprints: upper-case hex; the SHA-1 property matches; friendly names decode.
    assert!(items.iter().all(|i| i["friendly_name"].is_string()));
    assert!(items.iter().any(|i| {
        i["eku_restriction"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    }));
    assert_eq!(
        items[0]["properties"].as_array().unwrap().last().unwrap()["id"],
        3
    );

    // The certificate Windows accepts but strict DER rejects: listed, with a warning.
    let items = list_json(
        &d,
        s(&corpus.join("windows-syncWithWU-disallowedcert-2025-09-05.sst")),
    );
    assert_eq!(items.len(), 95);
    let odd = &items[66];
    assert_eq!(odd["sha1"], "4D8547B7F864132A7F62D9B75B068521F10B68E3");
    assert!(odd["subject"].as_str().unwrap().contains("*.google.com"));
    assert_eq!(odd["warnings"][0]["code"], "certificate-not-der");
    // Wine's test vector is a bare TBSCertificate: listed, with null certificate fields.
    let items = list_json(&d, s(&corpus.join("wine-test-serializedStoreWithCert.sst")));
    assert!(items[0]["subject"].is_null());
    assert_eq!(items[0]["warnings"][0]["code"], "certificate-unparsed");
    assert_eq!(items[0]["sha1"], "6E3090715FD92356EBAE2540E622DA192602A608");

    let human = d
        .run(&[
            "sst",
            "list",
            s(&corpus.join("wine-test-serializedStoreWithCertAndCRL.sst")),
        ])
        .code(0);
    assert!(human.stdout.contains("CRL"), "{}", human.stdout);
}

#[test]
fn bad_input_is_one_line_with_file_offset_and_code() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    let file = corpus.join("crafted/truncated_in_second_cert.sst");
    let out = d.run(&["sst", "list", s(&file)]).code(2);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("error[sst-record-overrun]"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("truncated_in_second_cert.sst"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("byte 895"), "{}", out.stderr);
    assert!(out.stdout.is_empty());

    let junk = d.write("junk.txt", b"hello, not a certificate\n");
    let out = d.run(&["sst", "create", "-o", "x.sst", s(&junk)]).code(2);
    assert!(out.stderr.contains("junk.txt"), "{}", out.stderr);
    assert!(out.stderr.contains("error[input-"), "{}", out.stderr);

    let out = d.run(&["sst", "list", "missing.sst"]).code(2);
    assert!(out.stderr.contains("missing.sst"), "{}", out.stderr);
    d.run(&["sst", "frobnicate"]).code(2);
    d.run(&["--help"]).code(0);
    d.run(&["--version"]).code(0);
}

#[test]
fn merge_of_one_store_is_byte_exact_and_merging_dedups() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    let root = corpus.join(ROOT_SST);
    d.run(&["sst", "merge", s(&root), "-o", "same.sst"]).code(0);
    assert!(d.read("same.sst") == fs::read(&root).unwrap());

    let pin = corpus.join("windows-syncWithWU-pinrules-2022-05-29.sst");
    let out = d
        .run(&["sst", "merge", s(&pin), s(&root), "-o", "both.sst"])
        .code(0);
    let items = list_json(&d, "both.sst");
    let pin_items = list_json(&d, s(&pin));
    let root_items = list_json(&d, s(&root));
    let overlap = pin_items
        .iter()
        .filter(|p| root_items.iter().any(|r| r["sha1"] == p["sha1"]))
        .count();
    assert_eq!(items.len(), 12 + 507 - overlap, "{}", out.stdout);
    // First copy wins, later copies add only missing properties: a pinrules certificate
    // (SHA-1 property only) that is also a root gains the root's friendly name.
    if overlap > 0 {
        let shared = items
            .iter()
            .find(|i| {
                root_items.iter().any(|r| r["sha1"] == i["sha1"])
                    && pin_items.iter().any(|p| p["sha1"] == i["sha1"])
            })
            .unwrap();
        assert_eq!(shared["properties"][0]["id"], 3);
        assert!(shared["friendly_name"].is_string());
    }
}

#[test]
fn remove_extract_and_diff() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    let pin = corpus.join("windows-syncWithWU-pinrules-2022-05-29.sst");
    let victim = "F18B538D1BE903B6A6F056435B171589CAF36BF2";
    d.run(&[
        "sst",
        "remove",
        s(&pin),
        "--sha1",
        &victim.to_lowercase(),
        "-o",
        "less.sst",
    ])
    .code(0);
    let items = list_json(&d, "less.sst");
    assert_eq!(items.len(), 11);
    assert!(items.iter().all(|i| i["sha1"] != victim));
    let out = d
        .run(&[
            "sst",
            "remove",
            s(&pin),
            "--sha1",
            &"AB".repeat(20),
            "-o",
            "none.sst",
        ])
        .code(2);
    assert!(
        out.stderr.contains("error[remove-not-found]"),
        "{}",
        out.stderr
    );
    assert!(!d.path("none.sst").exists());

    // diff: identical -> 0; one removed -> 1 with the thumbprint.
    let same = d.run(&["sst", "diff", s(&pin), s(&pin)]).code(0);
    assert!(same.stdout.contains("identical"), "{}", same.stdout);
    let out = d
        .run(&["sst", "diff", s(&pin), "less.sst", "--format", "json"])
        .code(1);
    let report = out.json();
    assert_eq!(report["removed"][0]["sha1"], victim);
    assert!(report["added"].as_array().unwrap().is_empty());
    let human = d.run(&["sst", "diff", "less.sst", s(&pin)]).code(1);
    assert!(
        human.stdout.contains(&format!("+ {victim}")),
        "{}",
        human.stdout
    );

    // A property change is a difference too.
    let named = format!("{victim}=Renamed");
    d.run(&[
        "sst",
        "create",
        "-o",
        "renamed.sst",
        "--name",
        &named,
        s(&pin),
    ])
    .code(0);
    let out = d
        .run(&["sst", "diff", s(&pin), "renamed.sst", "--format", "json"])
        .code(1);
    let changed = &out.json()["changed"];
    assert_eq!(changed.as_array().unwrap().len(), 1);
    assert_eq!(changed[0]["properties"][0]["name"], "friendly_name");
    assert_eq!(changed[0]["properties"][0]["change"], "added");

    // extract: one file per element, named by thumbprint, original bytes.
    d.run(&["sst", "extract", s(&pin), "-o", "der", "--format", "der"])
        .code(0);
    let der = d.read(&format!("der/{victim}.cer"));
    let store = fs::read(&pin).unwrap();
    assert!(store.windows(der.len()).any(|w| w == der.as_slice()));
    assert_eq!(fs::read_dir(d.path("der")).unwrap().count(), 12);
    d.run(&["sst", "extract", s(&pin), "-o", "pem"]).code(0);
    let pem = String::from_utf8(d.read(&format!("pem/{victim}.pem"))).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
    // Extracting again refuses to overwrite.
    d.run(&["sst", "extract", s(&pin), "-o", "pem"]).code(2);
}

#[test]
fn convert_between_sst_p7b_and_pem() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    let pin = corpus.join("windows-syncWithWU-pinrules-2022-05-29.sst");
    let out = d.run(&["sst", "convert", s(&pin), "-o", "pin.p7b"]).code(0);
    assert!(
        out.stderr.contains("warning[properties-dropped]"),
        "{}",
        out.stderr
    );
    let p7 = d.read("pin.p7b");
    assert_eq!(p7[0], 0x30);
    d.run(&["sst", "convert", "pin.p7b", "-o", "pin.pem"])
        .code(0);
    let pem = String::from_utf8(d.read("pin.pem")).unwrap();
    assert_eq!(pem.matches("-----BEGIN CERTIFICATE-----").count(), 12);
    d.run(&["sst", "convert", "pin.pem", "-o", "back.sst"])
        .code(0);
    // Back to an SST: the same certificates, each with the SHA-1 property, as the original.
    assert!(d.read("back.sst") == fs::read(&pin).unwrap());
    // --to overrides the extension.
    d.run(&[
        "sst",
        "convert",
        "pin.pem",
        "-o",
        "bundle.bin",
        "--to",
        "p7b",
    ])
    .code(0);
    assert_eq!(d.read("bundle.bin"), p7);

    // The Windows PKCS#7 sample converts and lists; standard input works.
    let p7b = fs::read(corpus.join("dotnet-StoreSavedAsPfxData.p7b")).unwrap();
    let out = d
        .run_stdin(&["sst", "list", "-", "--format", "json"], Some(&p7b))
        .code(0);
    assert_eq!(out.json().as_array().unwrap().len(), 2);
    let out = d
        .run_stdin(
            &["sst", "convert", "-", "-o", "-", "--to", "sst"],
            Some(&p7b),
        )
        .code(0);
    assert_eq!(&out.raw_stdout[..8], b"\0\0\0\0CERT");
}

#[test]
fn the_committed_demo_store_is_what_create_makes() {
    let d = Dir::new();
    let ca = demo().join("ca");
    d.run(&[
        "sst",
        "create",
        "-o",
        "rebuilt.sst",
        s(&ca),
        "--name",
        "E963E8DAF0AC1326BC4C9198E595D406061C2DE1=Contoso Demo Root CA",
        "--name",
        "7B4FF124986A7B31B604E2124ADB13F4C0B5AE35=Contoso Demo S/MIME CA 2024",
        "--name",
        "8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC=Contoso Demo S/MIME CA 2019 (expired)",
    ])
    .code(0);
    assert!(d.read("rebuilt.sst") == fs::read(demo().join("contoso-cas.sst")).unwrap());
}
