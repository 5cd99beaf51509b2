//! `smimetrust chain verify`

use crate::util::{Dir, demo, s};

const AT: &str = "2026-06-01T00:00:00Z";

#[test]
fn demo_leaves_validate_to_the_demo_root() {
    let d = Dir::new();
    let (leaves, ca) = (demo().join("leaves"), demo().join("ca"));
    let root = ca.join("root.cer");
    let out = d
        .run(&[
            "chain",
            "verify",
            s(&leaves),
            "--trust",
            s(&root),
            "--intermediates",
            s(&ca),
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(1);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    // Folder order: alice, bob, carol.
    assert_eq!(lines[0]["status"], "valid");
    assert_eq!(lines[0]["sha1"], "DE98029E77BE14ADAD0BC3B37495B5D7545D6AAF");
    let path: Vec<&str> = lines[0]["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sha1"].as_str().unwrap())
        .collect();
    assert_eq!(
        path,
        [
            "DE98029E77BE14ADAD0BC3B37495B5D7545D6AAF",
            "7B4FF124986A7B31B604E2124ADB13F4C0B5AE35",
            "E963E8DAF0AC1326BC4C9198E595D406061C2DE1"
        ]
    );
    assert_eq!(lines[1]["status"], "valid");
    assert_eq!(lines[2]["status"], "invalid");
    assert_eq!(lines[2]["code"], "expired");
    assert!(lines[2]["message"].as_str().unwrap().contains("2024-06-01"));

    // Alice alone: valid, exit 0; human output names the path.
    let alice = leaves.join("alice.pem");
    let out = d
        .run(&[
            "chain",
            "verify",
            s(&alice),
            "--trust",
            s(&root),
            "--intermediates",
            s(&ca),
            "--at",
            AT,
            "--email",
            "alice@contoso.example",
        ])
        .code(0);
    assert!(
        out.stdout
            .starts_with("valid    DE98029E77BE14ADAD0BC3B37495B5D7545D6AAF"),
        "{}",
        out.stdout
    );
    // The wrong address, the wrong purpose, a missing intermediate, the wrong time.
    let base = [
        "chain",
        "verify",
        s(&alice),
        "--trust",
        s(&root),
        "--intermediates",
        s(&ca),
        "--at",
        AT,
        "--format",
        "json",
    ];
    let code = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let out = d.run(&args).code(1);
        out.json()["code"].as_str().unwrap().to_string()
    };
    assert_eq!(
        code(&["--email", "mallory@contoso.example"]),
        "name-mismatch"
    );
    assert_eq!(code(&["--purpose", "server"]), "extended-key-usage");
    let out = d
        .run(&[
            "chain",
            "verify",
            s(&alice),
            "--trust",
            s(&root),
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(1);
    assert_eq!(out.json()["code"], "unknown-issuer");
    let out = d
        .run(&[
            "chain",
            "verify",
            s(&alice),
            "--trust",
            s(&root),
            "--intermediates",
            s(&ca),
            "--at",
            "2024-06-01T00:00:00Z",
            "--format",
            "json",
        ])
        .code(1);
    assert_eq!(out.json()["code"], "not-yet-valid");
}

#[test]
fn an_sst_trust_store_and_its_eku_restriction_are_honoured() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let alice = demo().join("leaves/alice.pem");
    let ca2024 = ca.join("smime-ca-2024.pem");
    let verify = |trust: &str, intermediates: bool| {
        let mut args = vec![
            "chain",
            "verify",
            s(&alice),
            "--trust",
            trust,
            "--at",
            AT,
            "--format",
            "json",
        ];
        if intermediates {
            args.extend_from_slice(&["--intermediates", s(&ca2024)]);
        }
        d.run(&args)
    };
    // Every certificate of a trust store is an anchor (as in Exchange's list): the
    // intermediate alone suffices.
    d.run(&[
        "sst",
        "create",
        "-o",
        "both.sst",
        s(&ca.join("root.cer")),
        s(&ca2024),
    ])
    .code(0);
    let out = verify("both.sst", false).code(0);
    assert_eq!(out.json()["path"].as_array().unwrap().len(), 2);
    d.run(&["sst", "create", "-o", "trust.sst", s(&ca.join("root.cer"))])
        .code(0);
    verify("trust.sst", true).code(0);

    // Restrict the root to serverAuth with an EKU property, as Windows stores can: now the
    // S/MIME leaf under it must not validate.
    let root_sha1 = "E963E8DAF0AC1326BC4C9198E595D406061C2DE1";
    let mut store = smimetrust_sst::Store::from_bytes(&d.read("trust.sst")).unwrap();
    let server_auth = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");
    for e in &mut store.elements {
        if crate::util::hex(&e.sha1()) == root_sha1 {
            let eku = smimetrust_sst::prop::encode_oids(&[server_auth]).unwrap();
            e.set_property(smimetrust_sst::prop::ENHKEY_USAGE, eku);
        }
    }
    d.write("restricted.sst", &store.to_bytes().unwrap());
    let out = verify("restricted.sst", true).code(1);
    assert_eq!(out.json()["code"], "anchor-restricted");
}

#[test]
fn usage_errors() {
    let d = Dir::new();
    let alice = demo().join("leaves/alice.pem");
    let root = demo().join("ca/root.cer");
    d.run(&["chain", "verify", s(&alice)]).code(2); // --trust is required
    d.run(&[
        "chain",
        "verify",
        s(&alice),
        "--trust",
        s(&alice),
        "--policy",
        "not-an-oid",
    ])
    .code(2);
    d.run(&[
        "chain",
        "verify",
        s(&alice),
        "--trust",
        s(&root),
        "--ip",
        "300.1.1.1",
    ])
    .code(2);
    d.run(&[
        "chain",
        "verify",
        s(&alice),
        "--trust",
        s(&root),
        "--at",
        "tomorrow",
    ])
    .code(2);
}

#[test]
fn revocation_modes() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let alice = demo().join("leaves/alice.pem");
    let args = |mode: &'static str| {
        vec![
            "chain".to_string(),
            "verify".into(),
            s(&alice).into(),
            "--trust".into(),
            s(&ca.join("root.cer")).into(),
            "--intermediates".into(),
            s(&ca).into(),
            "--at".into(),
            AT.into(),
            "--format".into(),
            "json".into(),
            "--revocation".into(),
            mode.into(),
        ]
    };
    let run = |mode| {
        let a = args(mode);
        d.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // The demo PKI publishes no CRLs: fine unless revocation is required.
    run("available").code(0);
    run("off").code(0);
    let out = run("required").code(1);
    assert_eq!(out.json()["code"], "revocation-unknown");
}

#[test]
fn the_webpki_profile_rejects_an_smime_leaf_for_server_use() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let alice = demo().join("leaves/alice.pem");
    let root = ca.join("root.cer");
    let base = [
        "chain",
        "verify",
        s(&alice),
        "--trust",
        s(&root),
        "--intermediates",
        s(&ca),
        "--at",
        AT,
        "--format",
        "json",
    ];
    d.run(&base).code(0);
    let mut args = base.to_vec();
    args.extend_from_slice(&["--purpose", "server", "--profile", "webpki"]);
    let out = d.run(&args).code(1);
    assert_eq!(out.json()["code"], "extended-key-usage");
    args.truncate(base.len());
    args.extend_from_slice(&["--profile", "nonsense"]);
    d.run(&args).code(2);
}
