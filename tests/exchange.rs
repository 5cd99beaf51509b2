//! `smimetrust exchange preflight`

use crate::util::{Dir, demo, s, sst_corpus};

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn windows_root_stores_are_refused_for_size() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    for file in [
        "windows-generateSSTFromWU-root-2025-08-29.sst",
        "windows-roots-2020-06-10-AskSummoner.sst",
        "windows-roots-2021-10-01-winrootCAupdate.sst",
        "windows-roots-2023-03-06-new-portolfio.sst",
        "windows-syncWithWU-disallowedcert-2025-09-05.sst",
        "windows-syncWithWU-pinrules-2022-05-29.sst",
    ] {
        let path = corpus.join(file);
        let out = d
            .run(&[
                "exchange",
                "preflight",
                s(&path),
                "--at",
                AT,
                "--format",
                "json",
            ])
            .code(1);
        let json = out.json();
        let size = std::fs::metadata(&path).unwrap().len();
        assert_eq!(
            json["summary"]["bytes"], size,
            "{file}: the store is checked as it is"
        );
        let too_large = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "store-too-large");
        assert_eq!(too_large, size > 70_000, "{file}");
    }
}

#[test]
fn an_expired_ca_is_refused_by_name_and_its_removal_makes_the_store_ready() {
    let d = Dir::new();
    let store = demo().join("contoso-cas.sst");
    let out = d
        .run(&["exchange", "preflight", s(&store), "--at", AT])
        .code(1);
    assert!(
        out.stdout
            .contains("error[expired] 8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Exchange Online would refuse this upload"),
        "{}",
        out.stdout
    );

    d.run(&[
        "sst",
        "remove",
        s(&store),
        "--sha1",
        "8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC",
        "-o",
        "ready.sst",
    ])
    .code(0);
    let out = d
        .run(&[
            "exchange",
            "preflight",
            "ready.sst",
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(0);
    let json = out.json();
    assert_eq!(json["summary"]["ready"], true);
    assert_eq!(json["summary"]["certificates"], 2);
    assert_eq!(json["summary"]["bytes"], d.read("ready.sst").len());
}

#[test]
fn inputs_are_built_into_a_store_and_limits_are_adjustable() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let alice = demo().join("leaves/alice.pem");
    // A leaf in a CA list is a warning, not a refusal.
    let out = d
        .run(&[
            "exchange",
            "preflight",
            s(&ca.join("root.cer")),
            s(&ca.join("smime-ca-2024.pem")),
            s(&alice),
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(0);
    let json = out.json();
    let codes: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["not-a-ca"]);
    // The same store against a tiny limit.
    let out = d
        .run(&[
            "exchange",
            "preflight",
            s(&ca.join("root.cer")),
            "--at",
            AT,
            "--max-bytes",
            "100",
            "--format",
            "json",
        ])
        .code(1);
    let message = out.json()["findings"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.contains("over Exchange's limit of 100"),
        "{message}"
    );
    assert!(
        message.contains("E963E8DAF0AC1326BC4C9198E595D406061C2DE1"),
        "{message}"
    );
}
