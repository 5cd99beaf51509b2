//! The emitted PowerShell: parsed with a real PowerShell grammar (tree-sitter-powershell), the
//! same commands whatever the certificates say, the embedded store exact, golden files.

#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{
    BACKUP_COMMANDS, GENERATED, HOSTILE, UPLOAD_COMMANDS, build, embedded_store, hostile_store,
    parse, set,
};
use sha2::Digest as _;
use smimetrust_exchange::script::{Mode, Plan, backup_script, comment_text, upload_script};
use smimetrust_exchange::{CertificateLine, certificate_lines, diff, merge};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Checks what every upload script must satisfy; returns the parse.
#[track_caller]
fn check_upload(script: &str, store: &[u8]) -> common::Parsed {
    let parsed = parse(script);
    assert!(parsed.errors.is_empty(), "{:#?}", parsed.errors);
    assert_eq!(parsed.commands, set(UPLOAD_COMMANDS));
    // PowerShell 7 only, or 5.1 only: && and || chains, ternaries, ?? (the grammar has no
    // node for the last two, so they would show up as errors above).
    assert!(!parsed.kinds.contains("pipeline_chain_tail"));
    for banned in [
        "-Encoding Byte",
        "-AsByteStream",
        "??",
        "&&",
        "||",
        "Get-Content",
    ] {
        assert!(!parsed.code.contains(banned), "{banned}");
    }
    assert!(script.is_ascii(), "the script is pure ASCII");
    no_interpolation(&parsed);
    assert!(script.contains("[CmdletBinding(SupportsShouldProcess = $true)]"));
    assert!(parsed.code.contains("$ErrorActionPreference = 'Stop'"));
    let (bytes, lengths) = embedded_store(script);
    assert_eq!(bytes, store, "the base64 decodes to exactly the store");
    let (last, full) = lengths.split_last().unwrap();
    assert!(full.iter().all(|&n| n == 76) && *last <= 76, "{lengths:?}");
    let sha256 = hex(&sha2::Sha256::digest(store));
    assert!(parsed.code.contains(&format!("$newSha256 = '{sha256}'")));
    assert!(
        parsed
            .code
            .contains(&format!("$newLength = {}\n", store.len()))
    );
    parsed
}

/// Double-quoted strings expand `$…` and backtick escapes: the scripts use them only for text
/// with neither, so nothing is ever interpolated into a string.
#[track_caller]
fn no_interpolation(parsed: &common::Parsed) {
    assert!(!parsed.expandable.is_empty());
    for s in &parsed.expandable {
        assert!(!s.contains('$') && !s.contains('`'), "{s}");
    }
    assert!(!parsed.kinds.contains("expandable_here_string_literal"));
    assert!(!parsed.kinds.contains("sub_expression"), "no $( ) anywhere");
    assert_eq!(common::undefined_variables(parsed), Vec::<String>::new());
    assert!(parsed.variables.len() > 20, "{:?}", parsed.variables);
}

#[test]
fn replace_script_parses_and_embeds_the_store() {
    let (store, bytes) = build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let lines = certificate_lines(&store);
    let script = upload_script(&Plan {
        store: &bytes,
        certificates: &lines,
        mode: Mode::Replace,
        diff: None,
        generated: GENERATED,
    });
    let parsed = check_upload(&script, &bytes);
    assert!(!parsed.code.contains("$expectedCurrentSha256"));
    // Each certificate's thumbprint and expiry, for the check at run time.
    assert!(parsed.code.contains(
        "@{ Sha1 = 'E963E8DAF0AC1326BC4C9198E595D406061C2DE1'; NotAfter = [DateTime]::new(2044, 1, 1, 0, 0, 0, [DateTimeKind]::Utc) }"
    ));
    // The order of the steps: backup before the upload, read-back after it.
    let at = |s: &str| parsed.code.find(s).unwrap();
    assert!(
        at("Save-Value -Path $backupPath")
            < at("Set-SmimeConfig -SMIMECertificateIssuingCA $newValue")
    );
    assert!(
        at("Set-SmimeConfig -SMIMECertificateIssuingCA $newValue") < at("$after = Read-IssuingCA")
    );
    assert!(at("Connect-IfNeeded -UserPrincipalName") < at("$current = Read-IssuingCA"));
}

#[test]
fn merge_script_checks_the_current_value_before_uploading() {
    let (current, _) = build(&["ca/root.cer"], &[]);
    let (new, _) = build(&["ca/root.cer", "ca/smime-ca-2024.pem"], &[]);
    let merged = merge(&current, &new, &[]).unwrap();
    let bytes = merged.to_bytes().unwrap();
    let d = diff(&current, &merged);
    let lines = certificate_lines(&merged);
    let sha = [0xAB; 32];
    let script = upload_script(&Plan {
        store: &bytes,
        certificates: &lines,
        mode: Mode::Merge {
            current_sha256: sha,
        },
        diff: Some(&d),
        generated: GENERATED,
    });
    let parsed = check_upload(&script, &bytes);
    assert!(
        parsed
            .code
            .contains(&format!("$expectedCurrentSha256 = '{}'", hex(&sha)))
    );
    let at = |s: &str| parsed.code.find(s).unwrap();
    assert!(
        at("if ($currentSha256 -ne $expectedCurrentSha256)")
            < at("Set-SmimeConfig -SMIMECertificateIssuingCA $newValue")
    );
    assert!(
        at("Save-Value -Path $backupPath") < at("if ($currentSha256 -ne $expectedCurrentSha256)")
    );
    assert!(script.contains("SHA-1 7B4FF124986A7B31B604E2124ADB13F4C0B5AE35  (new)"));
    assert!(script.contains("SHA-1 E963E8DAF0AC1326BC4C9198E595D406061C2DE1  (already uploaded)"));
}

#[test]
fn backup_script_parses_and_never_sets() {
    let script = backup_script(GENERATED);
    let parsed = parse(&script);
    assert!(parsed.errors.is_empty(), "{:#?}", parsed.errors);
    assert_eq!(parsed.commands, set(BACKUP_COMMANDS));
    no_interpolation(&parsed);
    assert!(!parsed.code.contains("Set-SmimeConfig"));
    assert!(
        parsed
            .code
            .contains("[System.IO.File]::WriteAllBytes($Path, $Bytes)")
    );
    assert!(script.is_ascii());
}

#[test]
fn hostile_names_stay_in_comments() {
    let (store, bytes) = hostile_store();
    let lines = certificate_lines(&store);
    // The subjects and names do come through from the certificates and the store.
    assert_eq!(lines.len(), HOSTILE.len());
    // (RFC 4514 escapes C0 controls in subjects, so not a raw LF there; U+2028 and the rest
    // pass.)
    assert!(
        lines[0]
            .subject
            .as_deref()
            .unwrap()
            .contains("$(Remove-Item")
    );
    assert!(lines[8].subject.as_deref().unwrap().contains('\u{2028}'));
    assert!(lines[10].subject.as_deref().unwrap().contains('\u{202E}'));
    assert!(
        lines[0]
            .friendly_name
            .as_deref()
            .unwrap()
            .contains("\n$(Remove-Item")
    );
    // The same plan with harmless names: the code must be identical, only comments differ.
    let tame: Vec<CertificateLine> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            CertificateLine::new(
                l.sha1.clone(),
                Some(format!("CN=Tame {i}")),
                l.not_after,
                Some(format!("Tame {i}")),
            )
        })
        .collect();
    let d = smimetrust_exchange::Diff::default();
    for (mode, diff) in [
        (Mode::Replace, None),
        (
            Mode::Merge {
                current_sha256: [7; 32],
            },
            Some(&d),
        ),
    ] {
        let plan = |certificates| Plan {
            store: &bytes,
            certificates,
            mode,
            diff,
            generated: GENERATED,
        };
        let hostile = upload_script(&plan(&lines));
        let tame = upload_script(&plan(&tame));
        let h = check_upload(&hostile, &bytes);
        let t = check_upload(&tame, &bytes);
        assert_eq!(h.code, t.code, "the names changed code");
        assert_eq!(
            h.comments.len(),
            t.comments.len(),
            "the names changed the comments' shape"
        );
        assert_eq!(hostile.lines().count(), tame.lines().count());
        for comment in &h.comments {
            assert!(!comment.contains('\n') || comment.starts_with("<#"));
        }
    }
    // Nor can hostile text passed straight in (not through a certificate) do anything.
    let raw: Vec<CertificateLine> = HOSTILE
        .iter()
        .map(|t| CertificateLine::new(*t, Some((*t).into()), None, Some((*t).into())))
        .collect();
    let script = upload_script(&Plan {
        store: &bytes,
        certificates: &raw,
        mode: Mode::Replace,
        diff: None,
        generated: GENERATED,
    });
    let parsed = check_upload(&script, &bytes);
    // Not hexadecimal thumbprints: never written to code, so no run-time expiry entries.
    assert!(!parsed.code.contains("@{ Sha1"));
}

#[test]
fn comment_text_escapes_what_could_end_a_comment() {
    assert_eq!(comment_text("CN=Plain, O=Org #1"), "CN=Plain, O=Org #1");
    assert_eq!(comment_text("a\nb\rc"), "a\\u{000A}b\\u{000D}c");
    assert_eq!(comment_text("#><#<#>"), "\\u{0023}><\\u{0023}<\\u{0023}>");
    assert_eq!(
        comment_text("\u{2028}\u{2029}\u{0085}\u{202E}\u{0000}"),
        "\\u{2028}\\u{2029}\\u{0085}\\u{202E}\\u{0000}"
    );
    assert_eq!(comment_text("\\u{0041}"), "\\\\u{0041}");
    assert_eq!(comment_text("Zürich 🔐"), "Z\\u{00FC}rich \\u{1F510}");
    for text in HOSTILE {
        let c = comment_text(text);
        assert!(c.bytes().all(|b| (0x20..0x7F).contains(&b)), "{c}");
        assert!(!c.contains("#>") && !c.contains("<#"), "{c}");
    }
    let long = "x".repeat(500);
    assert_eq!(
        comment_text(&long),
        format!("{} ... (300 more characters)", "x".repeat(200))
    );
}

/// Compares `text` with a committed golden file; `SMIMETRUST_BLESS=1` rewrites it.
/// The crate version in the scripts' header is written as `VERSION`, so that a release does
/// not change the golden files.
#[track_caller]
fn golden(name: &str, text: &str) {
    let text: &str = &text.replace(
        &format!("smimetrust {} at", env!("CARGO_PKG_VERSION")),
        "smimetrust VERSION at",
    );
    let path = common::repo()
        .join("crates/exchange/tests/golden")
        .join(name);
    if std::env::var_os("SMIMETRUST_BLESS").is_some() {
        std::fs::write(&path, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with SMIMETRUST_BLESS=1 to create it",
            path.display()
        )
    });
    if want != text {
        let line = want
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(text.lines().count()));
        panic!(
            "{name} differs from the golden file from line {}:\n  golden: {:?}\n  now:    {:?}\nreview the change, then run with SMIMETRUST_BLESS=1",
            line + 1,
            want.lines().nth(line),
            text.lines().nth(line)
        );
    }
}

#[test]
fn golden_replace() {
    let (store, bytes) = build(
        &["ca/root.cer", "ca/smime-ca-2024.pem"],
        &[(
            "E963E8DAF0AC1326BC4C9198E595D406061C2DE1",
            "Contoso Demo Root CA",
        )],
    );
    let lines = certificate_lines(&store);
    let script = upload_script(&Plan {
        store: &bytes,
        certificates: &lines,
        mode: Mode::Replace,
        diff: None,
        generated: GENERATED,
    });
    check_upload(&script, &bytes);
    golden("upload-replace.ps1", &script);
}

#[test]
fn golden_merge() {
    let (current, current_bytes) = build(&["ca/root.cer"], &[]);
    let (new, _) = build(&["ca/smime-ca-2024.pem"], &[]);
    let merged = merge(&current, &new, &[]).unwrap();
    let bytes = merged.to_bytes().unwrap();
    let d = diff(&current, &merged);
    let lines = certificate_lines(&merged);
    let script = upload_script(&Plan {
        store: &bytes,
        certificates: &lines,
        mode: Mode::Merge {
            current_sha256: sha2::Sha256::digest(&current_bytes).into(),
        },
        diff: Some(&d),
        generated: GENERATED,
    });
    check_upload(&script, &bytes);
    golden("upload-merge.ps1", &script);
}

#[test]
fn golden_backup() {
    golden("backup.ps1", &backup_script(GENERATED));
}
