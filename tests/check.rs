//! `smimetrust check`

use crate::util::{Dir, demo, s, sst_corpus};

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn the_demo_store_fails_on_its_expired_intermediate() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let out = d.run(&["check", s(&ca), "--at", AT]).code(1);
    assert!(
        out.stdout
            .contains("error[expired] 8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("not ready to upload"), "{}", out.stdout);

    let out = d
        .run(&["check", s(&ca), "--at", AT, "--format", "json"])
        .code(1);
    let json = out.json();
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["summary"]["certificates"], 3);
    assert_eq!(json["summary"]["roots"], 1);
    assert_eq!(json["findings"][0]["code"], "expired");
    assert_eq!(json["findings"][0]["severity"], "error");

    // Without the expired CA the store is ready.
    let out = d
        .run(&[
            "check",
            s(&ca.join("root.cer")),
            s(&ca.join("smime-ca-2024.pem")),
            "--at",
            AT,
        ])
        .code(0);
    assert!(
        out.stdout
            .contains("0 errors, 0 warnings — ready to upload"),
        "{}",
        out.stdout
    );
    // Before the 2019 CA expired, everything is fine.
    d.run(&["check", s(&ca), "--at", "2024-03-01T00:00:00Z"])
        .code(0);
}

#[test]
fn expiry_window_strict_mode_and_leaf_findings() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let (root, ca2024) = (ca.join("root.cer"), ca.join("smime-ca-2024.pem"));
    let good = [s(&root), s(&ca2024)];
    // The 2024 CA expires on 2034-01-01: 60 days before, it is expiring soon (a warning).
    let args = [
        "check",
        good[0],
        good[1],
        "--at",
        "2033-11-15T00:00:00Z",
        "--expiring-within",
        "60d",
    ];
    let out = d.run(&args).code(0);
    assert!(
        out.stdout.contains("warning[expiring-soon]"),
        "{}",
        out.stdout
    );
    let mut strict = args.to_vec();
    strict.push("--strict");
    d.run(&strict).code(1);

    // Leaf certificates in a CA list; an intermediate without its root.
    let alice = demo().join("leaves/alice.pem");
    let out = d
        .run(&[
            "check",
            s(&alice),
            s(&ca.join("smime-ca-2024.pem")),
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(0);
    let codes: Vec<String> = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["not-a-ca", "chain-incomplete"], "{}", out.stdout);

    // Duplicates are found across inputs.
    let out = d
        .run(&["check", s(&ca), s(&ca), "--at", AT, "--format", "json"])
        .code(1);
    let dups = out.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "duplicate-certificate")
        .count();
    assert_eq!(dups, 3);

    d.run(&["check", s(&ca), "--at", "yesterday"]).code(2);
    d.run(&["check", s(&ca), "--expiring-within", "soon"])
        .code(2);
}

#[test]
fn a_windows_root_store_is_audited() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    let file = corpus.join("windows-generateSSTFromWU-root-2025-08-29.sst");
    let out = d
        .run(&[
            "check",
            s(&file),
            "--at",
            "2026-11-22T00:00:00Z",
            "--format",
            "json",
        ])
        .code(1);
    let json = out.json();
    assert_eq!(json["summary"]["certificates"], 507);
    assert_eq!(json["summary"]["roots"], 507);
    let findings = json["findings"].as_array().unwrap();
    let count = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert!(count("expired") > 50);
    // Roots restricted to other purposes by their EKU property are flagged.
    assert!(count("eku-excludes-email") > 50);
    assert!(count("weak-signature") > 100);
    assert_eq!(json["summary"]["earliest_expiry"], "2004-01-07T23:59:59Z");
}
