//! `smimetrust exchange preflight`

use crate::util::{Dir, demo, s, sst_corpus};

const AT: &str = "2026-06-01T00:00:00Z";

/// The stores Windows wrote, in ../shared/corpus/sst.
const WINDOWS_STORES: [&str; 6] = [
    "windows-generateSSTFromWU-root-2025-08-29.sst",
    "windows-roots-2020-06-10-AskSummoner.sst",
    "windows-roots-2021-10-01-winrootCAupdate.sst",
    "windows-roots-2023-03-06-new-portolfio.sst",
    "windows-syncWithWU-disallowedcert-2025-09-05.sst",
    "windows-syncWithWU-pinrules-2022-05-29.sst",
];

#[test]
fn windows_root_stores_are_refused_for_size() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    for file in WINDOWS_STORES {
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

// `smimetrust exchange script` and `backup-script`

const ROOT: &str = "E963E8DAF0AC1326BC4C9198E595D406061C2DE1";
const CA_2024: &str = "7B4FF124986A7B31B604E2124ADB13F4C0B5AE35";
const CA_2019: &str = "8B99F5DBA45E942AF75B6973DDA8F54178A0AAFC";
/// The generation time of the golden scripts in crates/exchange/tests/golden.
const GOLDEN_AT: &str = "2026-06-01T09:30:00Z";

/// A golden script as the CLI writes it: the files hold `VERSION` for the crate version.
fn golden(name: &str) -> String {
    std::fs::read_to_string(
        crate::util::repo()
            .join("crates/exchange/tests/golden")
            .join(name),
    )
    .unwrap()
    .replace(
        "smimetrust VERSION at",
        &format!("smimetrust {} at", env!("CARGO_PKG_VERSION")),
    )
}

/// The store embedded in a script (the base64 lines of `$newBase64`).
fn embedded(script: &str) -> Vec<u8> {
    use base64::Engine as _;
    let start = script.find("$newBase64 = @(\n").unwrap() + 16;
    let end = start + script[start..].find(") -join ''").unwrap();
    let text: String = script[start..end]
        .lines()
        .map(|l| l.trim().trim_matches('\''))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    crate::util::hex(&sha2::Sha256::digest(bytes))
}

/// The SHA-1s of a store's elements, in order.
fn sha1s(d: &Dir, store: &[u8]) -> Vec<String> {
    d.write("listed.sst", store);
    let out = d
        .run(&["sst", "list", "listed.sst", "--format", "json"])
        .code(0);
    out.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sha1"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn script_is_written_only_when_the_preflight_passes() {
    let d = Dir::new();
    let store = demo().join("contoso-cas.sst");
    // An expired CA: refused, nothing written.
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&store),
            "-o",
            "upload.ps1",
            "--at",
            AT,
        ])
        .code(1);
    assert!(
        out.stdout.contains(&format!("error[expired] {CA_2019}")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("no script written"), "{}", out.stdout);
    assert!(!d.path("upload.ps1").exists());

    // Without it: written, and a single .sst is embedded byte for byte.
    d.run(&[
        "sst",
        "remove",
        s(&store),
        "--sha1",
        CA_2019,
        "-o",
        "ready.sst",
    ])
    .code(0);
    let out = d
        .run(&[
            "exchange",
            "script",
            "ready.sst",
            "-o",
            "upload.ps1",
            "--at",
            AT,
        ])
        .code(0);
    assert!(out.stdout.contains("wrote upload.ps1"), "{}", out.stdout);
    let script = String::from_utf8(d.read("upload.ps1")).unwrap();
    assert_eq!(embedded(&script), d.read("ready.sst"));
    assert!(script.contains(&format!(
        "$newSha256 = '{}'",
        sha256_hex(&d.read("ready.sst"))
    )));
    assert!(!script.contains("$expectedCurrentSha256"));

    // The same store from `sst create --name`, at the golden time: the golden replace script.
    d.run(&[
        "sst",
        "create",
        "-o",
        "named.sst",
        s(&demo().join("ca/root.cer")),
        s(&demo().join("ca/smime-ca-2024.pem")),
        "--name",
        &format!("{ROOT}=Contoso Demo Root CA"),
    ])
    .code(0);
    d.run(&[
        "exchange",
        "script",
        "named.sst",
        "-o",
        "golden.ps1",
        "--at",
        GOLDEN_AT,
    ])
    .code(0);
    assert!(
        String::from_utf8(d.read("golden.ps1")).unwrap() == golden("upload-replace.ps1"),
        "the CLI writes what the library's golden file holds"
    );
}

#[test]
fn script_builds_inputs_and_refuses_warnings_unless_allowed() {
    let d = Dir::new();
    let ca = demo().join("ca");
    let alice = demo().join("leaves/alice.pem");
    let (root, ca_2024) = (ca.join("root.cer"), ca.join("smime-ca-2024.pem"));
    let inputs = [s(&root), s(&ca_2024), s(&alice)];
    let mut args = vec!["exchange", "script"];
    args.extend(inputs);
    args.extend(["-o", "upload.ps1", "--at", AT]);
    let out = d.run(&args).code(1);
    assert!(out.stdout.contains("warning[not-a-ca]"), "{}", out.stdout);
    assert!(out.stdout.contains("--allow-warnings"), "{}", out.stdout);
    assert!(!d.path("upload.ps1").exists());
    args.push("--allow-warnings");
    d.run(&args).code(0);
    let script = String::from_utf8(d.read("upload.ps1")).unwrap();
    let listed = sha1s(&d, &embedded(&script));
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[..2], [ROOT, CA_2024]);
}

#[test]
fn windows_root_stores_get_no_script() {
    let Some(corpus) = sst_corpus() else { return };
    let d = Dir::new();
    for file in WINDOWS_STORES {
        let path = corpus.join(file);
        let out = d
            .run(&[
                "exchange",
                "script",
                s(&path),
                "-o",
                "upload.ps1",
                "--at",
                AT,
                "--format",
                "json",
            ])
            .code(1);
        let json = out.json();
        assert_eq!(json["summary"]["written"], false, "{file}");
        assert!(!d.path("upload.ps1").exists(), "{file}");
        let codes: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        let size = std::fs::metadata(&path).unwrap().len();
        // All but the small pin-rules store are over the limit; that one has expired
        // certificates.
        assert_eq!(codes.contains(&"store-too-large"), size > 70_000, "{file}");
        if size <= 70_000 {
            assert!(codes.contains(&"expired"), "{file}: {codes:?}");
        }
    }
}

#[test]
fn merge_with_reads_raw_base64_and_decimal_alike() {
    use base64::Engine as _;
    let d = Dir::new();
    d.run(&[
        "sst",
        "create",
        "-o",
        "current.sst",
        s(&demo().join("ca/root.cer")),
    ])
    .code(0);
    let current = d.read("current.sst");
    let b64 = base64::engine::general_purpose::STANDARD.encode(&current);
    // [Convert]::ToBase64String with line breaks, and what `$bytes > file` prints in 5.1.
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    d.write("current.b64", wrapped.as_bytes());
    let decimal: String = current.iter().map(|b| format!("{b}\r\n")).collect();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(decimal.encode_utf16().flat_map(u16::to_le_bytes));
    d.write("current.txt", &utf16);

    let new = demo().join("ca/smime-ca-2024.pem");
    let mut scripts = Vec::new();
    for (file, encoding) in [
        ("current.sst", "raw"),
        ("current.b64", "base64"),
        ("current.txt", "decimal"),
    ] {
        let out_name = format!("{file}.ps1");
        let out = d
            .run(&[
                "exchange",
                "script",
                s(&new),
                "--merge-with",
                file,
                "-o",
                &out_name,
                "--at",
                GOLDEN_AT,
                "--format",
                "json",
            ])
            .code(0);
        let json = out.json();
        assert_eq!(json["summary"]["mode"], "merge");
        assert_eq!(json["summary"]["current_encoding"], encoding);
        assert_eq!(json["summary"]["current_sha256"], sha256_hex(&current));
        assert_eq!(json["diff"]["added"][0]["sha1"], CA_2024);
        assert_eq!(json["diff"]["kept"][0]["sha1"], ROOT);
        assert_eq!(json["diff"]["removed"].as_array().unwrap().len(), 0);
        let script = String::from_utf8(d.read(&out_name)).unwrap();
        assert!(script.contains(&format!(
            "$expectedCurrentSha256 = '{}'",
            sha256_hex(&current)
        )));
        let upload = embedded(&script);
        assert_eq!(json["summary"]["sha256"], sha256_hex(&upload));
        // The current value first, then the new certificate.
        assert_eq!(sha1s(&d, &upload), [ROOT, CA_2024]);
        scripts.push(script);
    }
    assert!(
        scripts.iter().all(|s| *s == scripts[0]),
        "one script whatever the encoding"
    );
    assert!(
        scripts[0] == golden("upload-merge.ps1"),
        "the golden merge script"
    );
}

#[test]
fn merge_shows_the_diff_and_removes_only_on_request() {
    let d = Dir::new();
    // The current value holds the root and the expired 2019 CA, with the name Windows gave it.
    d.run(&[
        "sst",
        "create",
        "-o",
        "current.sst",
        s(&demo().join("ca/root.cer")),
        s(&demo().join("ca/smime-ca-2019-expired.pem")),
        "--name",
        &format!("{CA_2019}=Old CA"),
    ])
    .code(0);
    let new = demo().join("ca/smime-ca-2024.pem");
    let base = [
        "exchange",
        "script",
        s(&new),
        "--merge-with",
        "current.sst",
        "--at",
        AT,
    ];
    // Kept as it is, the expired CA blocks the upload.
    let mut args = base.to_vec();
    args.extend(["-o", "upload.ps1"]);
    let out = d.run(&args).code(1);
    assert!(
        out.stdout.contains(&format!("error[expired] {CA_2019}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "kept     {CA_2019} CN=Contoso Demo S/MIME CA 2019"
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "leave them out of the merge with --remove {CA_2019}"
        )),
        "{}",
        out.stdout
    );
    assert!(!d.path("upload.ps1").exists());
    // Removed on request.
    let mut args = base.to_vec();
    let lower = CA_2019.to_lowercase();
    args.extend(["-o", "upload.ps1", "--remove", &lower]);
    let out = d.run(&args).code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("current value: current.sst (raw, "),
        "{}",
        out.stdout
    );
    assert_eq!(
        lines[1..4],
        [
            format!("added    {CA_2024} CN=Contoso Demo S/MIME CA 2024,O=Contoso Demo,C=US"),
            format!("kept     {ROOT} CN=Contoso Demo Root CA,O=Contoso Demo,C=US"),
            format!(
                "removed  {CA_2019} CN=Contoso Demo S/MIME CA 2019,O=Contoso Demo,C=US  \"Old CA\""
            ),
        ]
    );
    assert!(
        lines[4].ends_with("wrote upload.ps1 (merge: 1 added, 1 kept, 1 removed)"),
        "{}",
        out.stdout
    );
    let script = String::from_utf8(d.read("upload.ps1")).unwrap();
    assert_eq!(sha1s(&d, &embedded(&script)), [ROOT, CA_2024]);
    // A thumbprint that is nowhere.
    let mut args = base.to_vec();
    let nowhere = "00".repeat(20);
    args.extend(["-o", "other.ps1", "--remove", &nowhere]);
    let out = d.run(&args).code(2);
    assert!(
        out.stderr.contains("error[remove-not-found]"),
        "{}",
        out.stderr
    );
    assert!(!d.path("other.ps1").exists());
    // --remove needs --merge-with.
    d.run(&[
        "exchange",
        "script",
        s(&new),
        "-o",
        "x.ps1",
        "--remove",
        ROOT,
    ])
    .code(2);
}

#[test]
fn script_never_overwrites_without_force_nor_an_input() {
    let d = Dir::new();
    let root = demo().join("ca/root.cer");
    d.write("upload.ps1", b"keep me");
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&root),
            "-o",
            "upload.ps1",
            "--at",
            AT,
        ])
        .code(2);
    assert!(
        out.stderr.contains("error[output-exists]"),
        "{}",
        out.stderr
    );
    assert_eq!(d.read("upload.ps1"), b"keep me");
    d.run(&[
        "exchange",
        "script",
        s(&root),
        "-o",
        "upload.ps1",
        "--at",
        AT,
        "--force",
    ])
    .code(0);
    assert!(
        String::from_utf8(d.read("upload.ps1"))
            .unwrap()
            .starts_with("<#\n")
    );
    // The output may not be the current value it reads.
    d.run(&["sst", "create", "-o", "current.sst", s(&root)])
        .code(0);
    let before = d.read("current.sst");
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&root),
            "--merge-with",
            "current.sst",
            "-o",
            "current.sst",
            "--force",
        ])
        .code(2);
    assert!(
        out.stderr.contains("error[output-is-input]"),
        "{}",
        out.stderr
    );
    assert_eq!(d.read("current.sst"), before);
}

#[test]
fn unreadable_current_values_are_usage_errors() {
    let d = Dir::new();
    let root = demo().join("ca/root.cer");
    for (content, code) in [
        (
            std::fs::read(demo().join("ca/smime-ca-2024.pem")).unwrap(),
            "current-unrecognized",
        ),
        (b"0\n0\n0\n0\n300\n".to_vec(), "current-bad-decimal"),
        (b"AAAAAENFUlQ=A".to_vec(), "current-bad-base64"),
        (b"AAAAAENFUlQ=".to_vec(), "current-not-sst"),
    ] {
        d.write("current.txt", &content);
        let out = d
            .run(&[
                "exchange",
                "script",
                s(&root),
                "--merge-with",
                "current.txt",
                "-o",
                "up.ps1",
            ])
            .code(2);
        assert!(
            out.stderr
                .contains(&format!("error[{code}]: current.txt: ")),
            "{}",
            out.stderr
        );
        assert!(!d.path("up.ps1").exists());
    }
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&root),
            "--merge-with",
            "current.txt",
            "-o",
            "up.ps1",
        ])
        .code(2);
    assert!(out.stderr.contains("error[current-not-sst]"));
    d.write("current.txt", b"0\n0\n0\n0\n300\n");
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&root),
            "--merge-with",
            "current.txt",
            "-o",
            "up.ps1",
        ])
        .code(2);
    assert!(
        out.stderr.contains("line 5: \"300\" is not a byte value"),
        "{}",
        out.stderr
    );
    // An empty file: nothing uploaded yet, so the merge is the new store alone.
    d.write("empty.sst", b"");
    let out = d
        .run(&[
            "exchange",
            "script",
            s(&root),
            "--merge-with",
            "empty.sst",
            "-o",
            "up.ps1",
            "--at",
            AT,
            "--format",
            "json",
        ])
        .code(0);
    let json = out.json();
    assert_eq!(json["summary"]["current_encoding"], "empty");
    assert_eq!(json["summary"]["current_sha256"], sha256_hex(b""));
    assert_eq!(json["diff"]["added"][0]["sha1"], ROOT);
}

#[test]
fn backup_script_is_written_and_changes_nothing() {
    let d = Dir::new();
    let out = d
        .run(&[
            "exchange",
            "backup-script",
            "-o",
            "get-current.ps1",
            "--at",
            GOLDEN_AT,
        ])
        .code(0);
    assert!(out.stdout.contains("--merge-with"), "{}", out.stdout);
    let script = String::from_utf8(d.read("get-current.ps1")).unwrap();
    assert!(script == golden("backup.ps1"), "the golden backup script");
    assert!(script.contains("(Get-SmimeConfig).SMIMECertificateIssuingCA"));
    assert!(script.contains("[System.IO.File]::WriteAllBytes($Path, $Bytes)"));
    assert!(!script.contains("Set-SmimeConfig"));
    let out = d
        .run(&["exchange", "backup-script", "-o", "get-current.ps1"])
        .code(2);
    assert!(out.stderr.contains("error[output-exists]"));
    d.run(&[
        "exchange",
        "backup-script",
        "-o",
        "get-current.ps1",
        "--force",
    ])
    .code(0);
    // To standard output.
    let out = d.run(&["exchange", "backup-script", "-o", "-"]).code(0);
    assert!(out.stdout.starts_with("<#\n.SYNOPSIS"));
}

#[test]
fn script_to_standard_output_reports_on_standard_error() {
    let d = Dir::new();
    let root = demo().join("ca/root.cer");
    let out = d
        .run(&["exchange", "script", s(&root), "-o", "-", "--at", AT])
        .code(0);
    assert!(out.stdout.starts_with("<#\n.SYNOPSIS"), "{}", out.stdout);
    // The store embedded is the one `sst create` builds from the same input.
    d.run(&["sst", "create", "-o", "root.sst", s(&root)])
        .code(0);
    assert_eq!(embedded(&out.stdout), d.read("root.sst"));
    assert!(
        out.stderr.contains("wrote the script to standard output"),
        "{}",
        out.stderr
    );
}
