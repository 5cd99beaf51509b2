//! `smimetrust verify`: every row of `fixtures/smime/expected.tsv` end to end, the demo
//! messages, mbox archives, folders, standard input, exit codes, output order and usage errors.

use std::path::Path;

use crate::util::{Dir, demo, repo, s};

const AT: &str = "2026-06-01T00:00:00Z";

fn smime() -> std::path::PathBuf {
    repo().join("fixtures/smime")
}

fn lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Each row: file, status, code, layers (kind:status,…), extra args, note.
#[test]
fn fixture_rows_verify_as_expected() {
    let d = Dir::new();
    let table = std::fs::read_to_string(smime().join("expected.tsv")).unwrap();
    let root = repo();
    let mut failures = Vec::new();
    let mut rows = 0;
    for row in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [file, status, code, layers, extra, ..] = cols[..] else {
            panic!("bad row {row:?}");
        };
        rows += 1;
        let path = smime().join(file);
        let mut args = vec!["verify", s(&path), "--format", "json"];
        args.extend(["--trust", "fixtures/smime/pki/trust.pem"]);
        let extra: Vec<String> = if extra == "-" {
            Vec::new()
        } else {
            extra
                .split_whitespace()
                .map(|a| {
                    if a.starts_with("fixtures/") {
                        root.join(a).to_str().unwrap().to_owned()
                    } else {
                        a.to_owned()
                    }
                })
                .collect()
        };
        if !extra.iter().any(|a| a == "--at") {
            args.extend(["--at", AT]);
        }
        let trust = root.join("fixtures/smime/pki/trust.pem");
        args[5] = s(&trust);
        args.extend(extra.iter().map(String::as_str));
        let out = d.run(&args);
        let got = lines(&out.stdout);
        if file.ends_with(".mbox") {
            // One line per entry: valid, digest mismatch, not signed.
            let statuses: Vec<&str> = got.iter().map(|l| l["status"].as_str().unwrap()).collect();
            let indexes: Vec<u64> = got.iter().map(|l| l["index"].as_u64().unwrap()).collect();
            if statuses != ["valid", "invalid", "not-signed"] || indexes != [0, 1, 2] {
                failures.push(format!("{file}: {statuses:?} {indexes:?}"));
            }
            if got[1]["code"] != "digest-mismatch" || out.code != 1 {
                failures.push(format!("{file}: {}", out.stdout));
            }
            continue;
        }
        let [line] = &got[..] else {
            failures.push(format!(
                "{file}: {} lines: {}{}",
                got.len(),
                out.stdout,
                out.stderr
            ));
            continue;
        };
        let got_layers: Vec<String> = line["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                format!(
                    "{}:{}",
                    l["kind"].as_str().unwrap(),
                    l["status"].as_str().unwrap()
                )
            })
            .collect();
        let want_layers = if layers == "-" {
            String::new()
        } else {
            layers.to_owned()
        };
        let want_code = if code == "-" {
            serde_json::Value::Null
        } else {
            code.into()
        };
        let want_exit = if status == "valid" || status == "valid-weak" {
            0
        } else {
            1
        };
        if line["status"] != status
            || line["code"] != want_code
            || got_layers.join(",") != want_layers
            || out.code != want_exit
        {
            failures.push(format!(
                "{file} {extra:?}: want {status} {code} {layers} exit {want_exit}, got exit {}: {}",
                out.code, out.stdout
            ));
        }
        if status == "invalid" && line["message"].as_str().is_none_or(str::is_empty) {
            failures.push(format!("{file}: an invalid message says why"));
        }
    }
    assert!(rows >= 35, "{rows} rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every row of `fixtures/attacks/expected.tsv` (file, status, code, warnings, args, why): the
/// adversarial messages of docs/security.md get the verdict the row gives, the code (`*`: any),
/// every warning code listed, and the exit code of the status (0 only for valid and
/// valid-weak).
#[test]
fn attack_rows_get_their_verdicts() {
    let d = Dir::new();
    let dir = repo().join("fixtures/attacks");
    let table = std::fs::read_to_string(dir.join("expected.tsv")).unwrap();
    let root = repo();
    let mut failures = Vec::new();
    let mut rows = 0;
    for row in table.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [file, status, code, warnings, extra, why, ..] = cols[..] else {
            panic!("bad row {row:?}");
        };
        rows += 1;
        let path = dir.join(file);
        let trust = dir.join("pki/trust.pem");
        let mut args: Vec<String> = ["verify", s(&path), "--format", "json", "--trust", s(&trust)]
            .map(str::to_owned)
            .to_vec();
        let extra: Vec<String> = if extra == "-" {
            Vec::new()
        } else {
            extra
                .split_whitespace()
                .map(|a| {
                    if a.starts_with("fixtures/") {
                        root.join(a).to_str().unwrap().to_owned()
                    } else {
                        a.to_owned()
                    }
                })
                .collect()
        };
        if !extra.iter().any(|a| a == "--at") {
            args.extend(["--at".to_owned(), AT.to_owned()]);
        }
        args.extend(extra.iter().cloned());
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = d.run(&argv);
        let got = lines(&out.stdout);
        let [line] = &got[..] else {
            failures.push(format!(
                "{file}: {} lines: {}{}",
                got.len(),
                out.stdout,
                out.stderr
            ));
            continue;
        };
        let want_exit = if status == "valid" || status == "valid-weak" {
            0
        } else {
            1
        };
        let code_ok = match code {
            "*" => true,
            "-" => line["code"].is_null(),
            c => line["code"] == c,
        };
        let got_warnings: Vec<&str> = line["warnings"]
            .as_array()
            .map(|w| w.iter().filter_map(|w| w["code"].as_str()).collect())
            .unwrap_or_default();
        let missing: Vec<&str> = if warnings == "-" {
            Vec::new()
        } else {
            warnings
                .split(',')
                .filter(|w| !got_warnings.contains(w))
                .collect()
        };
        if line["status"] != status || !code_ok || !missing.is_empty() || out.code != want_exit {
            failures.push(format!(
                "{file} {extra:?}: want {status} {code} warnings {warnings} exit {want_exit} ({why}); got exit {}, missing warnings {missing:?}: {}",
                out.code, out.stdout
            ));
        }
    }
    assert!(rows >= 40, "{rows} rows");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `verify messages/NAME --trust pki/trust.pem --at AT --format json` on a fixture: its lines,
/// after checking the exit code.
fn fixture_json(d: &Dir, name: &str, exit: i32) -> Vec<serde_json::Value> {
    verify_json(d, &smime().join("messages").join(name), &[], exit)
}

/// The JSON lines of `verify PATH --trust <the fixtures' trust> --at AT --format json EXTRA...`,
/// after checking the exit code.
#[track_caller]
fn verify_json(d: &Dir, path: &Path, extra: &[&str], exit: i32) -> Vec<serde_json::Value> {
    verify_json_input(d, path, extra, None, exit)
}

/// [`verify_json`] with `stdin` on standard input.
#[track_caller]
fn verify_json_input(
    d: &Dir,
    path: &Path,
    extra: &[&str],
    stdin: Option<&[u8]>,
    exit: i32,
) -> Vec<serde_json::Value> {
    let trust = smime().join("pki/trust.pem");
    let mut args = vec![
        "verify",
        s(path),
        "--trust",
        s(&trust),
        "--at",
        AT,
        "--format",
        "json",
    ];
    args.extend(extra);
    lines(&d.run_stdin(&args, stdin).code(exit).stdout)
}

#[test]
fn signer_details_in_json() {
    let d = Dir::new();
    let line = &fixture_json(&d, "two-signers.detached.eml", 0)[0];
    let signers = line["signers"].as_array().unwrap();
    assert_eq!(signers.len(), 2, "{line}");
    for signer in signers {
        assert_eq!(signer["status"], "valid");
        assert_eq!(signer["digest_algorithm"], "sha-256");
        assert_eq!(signer["sha1"].as_str().unwrap().len(), 40);
        assert!(signer["signing_time"].as_str().unwrap().ends_with('Z'));
        // Signer, intermediate, root.
        assert_eq!(signer["chain"].as_array().unwrap().len(), 3, "{signer}");
        assert!(
            signer["email"]
                .as_str()
                .unwrap()
                .ends_with("@smime.example")
        );
    }
    let algs: Vec<&str> = signers
        .iter()
        .map(|s| s["signature_algorithm"].as_str().unwrap())
        .collect();
    assert!(
        algs.iter()
            .any(|a| a.contains("ecdsa") || a.contains("ecPublicKey")),
        "{algs:?}"
    );

    // The email mismatch is a warning unless required.
    let line = &fixture_json(&d, "email-mismatch.detached.eml", 0)[0];
    let codes: Vec<&str> = line["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"email-mismatch"), "{line}");
    // No CRL was given: the path's revocation was not checked, and the report says so.
    assert!(codes.contains(&"revocation-unchecked"), "{line}");
    assert_eq!(line["from"], "someone-else@smime.example");
}

#[test]
fn sha1_is_weak_unless_allowed_and_strict_fails_it() {
    let d = Dir::new();
    let msg = smime().join("messages/rsa-sha1.detached.eml");
    let trust = smime().join("pki/trust.pem");
    let base = ["verify", s(&msg), "--trust", s(&trust), "--at", AT];
    let out = d.run(&base).code(0);
    assert!(out.stdout.starts_with("valid-weak"), "{}", out.stdout);
    assert!(out.stdout.contains("warning[weak-sha1]"), "{}", out.stdout);
    let mut strict = base.to_vec();
    strict.push("--strict");
    d.run(&strict).code(1);
    strict.push("--allow-sha1");
    let out = d.run(&strict).code(0);
    assert!(out.stdout.starts_with("valid "), "{}", out.stdout);
}

#[test]
fn demo_messages_at_the_readme_date() {
    let d = Dir::new();
    let out = d
        .run(&[
            "verify",
            s(&demo().join("messages")),
            "--trust",
            s(&demo().join("contoso-cas.sst")),
            "--at",
            "2026-12-01T00:00:00Z",
        ])
        .code(1);
    // Folder order: alice-signed, alice-tampered, bob-signed, carol-expired.
    let got: Vec<(&str, &str)> = out
        .stdout
        .lines()
        .filter(|l| l.contains(".eml"))
        .map(|l| {
            let status = l.split_whitespace().next().unwrap();
            let file = l.split_whitespace().nth(1).unwrap();
            (status, file.rsplit('/').next().unwrap())
        })
        .collect();
    assert_eq!(
        got,
        [
            ("valid", "alice-signed.eml"),
            ("invalid", "alice-tampered.eml"),
            ("valid", "bob-signed.eml"),
            ("invalid", "carol-expired.eml"),
        ],
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("[digest-mismatch]"), "{}", out.stdout);
    assert!(out.stdout.contains("[expired]"), "{}", out.stdout);
    assert!(
        out.stdout.trim_end().ends_with(
            "4 messages: 2 valid, 0 valid-weak, 2 invalid, 0 partially signed, 0 not signed, 0 encrypted, 0 errors; 2 with revocation unchecked"
        ),
        "{}",
        out.stdout
    );
}

/// `n` messages in the folder `dir` of `d`, `m0000.eml` on: every seventh (from the fourth) with
/// a wrong digest, the others valid.
fn mixed_folder(d: &Dir, dir: &str, n: usize) {
    let msgs = smime().join("messages");
    let valid = std::fs::read(msgs.join("rsa-sha256.detached.eml")).unwrap();
    let bad = std::fs::read(msgs.join("wrong-digest.detached.eml")).unwrap();
    for i in 0..n {
        let bytes = if i % 7 == 3 { &bad } else { &valid };
        d.write(&format!("{dir}/m{i:04}.eml"), bytes);
    }
}

/// The lines of a [`mixed_folder`] run: all `n`, in name order, each with its status.
#[track_caller]
fn assert_mixed_in_order(got: &[serde_json::Value], n: usize, what: &str) {
    assert_eq!(got.len(), n, "{what}");
    for (i, l) in got.iter().enumerate() {
        let file = l["file"].as_str().unwrap();
        assert!(
            file.ends_with(&format!("m{i:04}.eml")),
            "{what}: {file} at {i}"
        );
        let want = if i % 7 == 3 { "invalid" } else { "valid" };
        assert_eq!(l["status"], want, "{what}: {i}");
    }
}

/// Files named on the command line: `.mbox` and files of other names that start with a `From `
/// line are mbox archives; `.eml` (and `.p7m`, `.p7s`, `.msg`) files are single messages,
/// taken by their name without being looked into first, as in folders.
#[test]
fn named_files_are_messages_or_mboxes_by_name_then_by_content() {
    let d = Dir::new();
    let msgs = smime().join("messages");
    let mbox = std::fs::read(msgs.join("archive.mbox")).unwrap();
    let valid = std::fs::read(msgs.join("rsa-sha256.detached.eml")).unwrap();
    d.write("Inbox", &mbox);
    d.write("archive.txt", &mbox);
    d.write("one.eml", &valid);
    let (inbox, txt, one) = (d.path("Inbox"), d.path("archive.txt"), d.path("one.eml"));
    let got = verify_json(
        &d,
        &msgs.join("archive.mbox"),
        &[s(&inbox), s(&txt), s(&one)],
        1,
    );
    let summary: Vec<(String, serde_json::Value)> = got
        .iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap();
            let name = Path::new(file).file_name().unwrap().to_str().unwrap();
            (name.to_owned(), l["index"].clone())
        })
        .collect();
    let mut want = Vec::new();
    for name in ["archive.mbox", "Inbox", "archive.txt"] {
        for i in 0..3 {
            want.push((name.to_owned(), serde_json::Value::from(i)));
        }
    }
    want.push(("one.eml".to_owned(), serde_json::Value::Null));
    assert_eq!(summary, want);
    assert_eq!(got.last().unwrap()["status"], "valid");
}

/// Folders are walked depth first, each folder's entries (files and subfolders together) in
/// byte order of their names.
#[test]
fn folder_walk_order_is_by_name_depth_first() {
    let d = Dir::new();
    let valid = std::fs::read(smime().join("messages/rsa-sha256.detached.eml")).unwrap();
    let names = [
        "b.eml",
        "a.eml",
        "a b.eml",
        "A.eml",
        "a/1.eml",
        "a/0/z.eml",
        "c/d/2.eml",
        "ab.eml",
    ];
    for name in names {
        d.write(&format!("in/{name}"), &valid);
    }
    let got: Vec<String> = verify_json(&d, &d.path("in"), &[], 0)
        .iter()
        .map(|l| {
            let file = l["file"].as_str().unwrap();
            let at = file.find("/in/").unwrap() + 4;
            file[at..].to_owned()
        })
        .collect();
    let want = [
        "A.eml",
        "a/0/z.eml",
        "a/1.eml",
        "a b.eml",
        "a.eml",
        "ab.eml",
        "b.eml",
        "c/d/2.eml",
    ];
    assert_eq!(got, want);
}

#[test]
fn folders_mbox_stdin_and_order() {
    let d = Dir::new();
    let msgs = smime().join("messages");
    let trust = smime().join("pki/trust.pem");
    // Many copies in a folder, with junk: output in name order, junk skipped.
    let valid = std::fs::read(msgs.join("rsa-sha256.detached.eml")).unwrap();
    mixed_folder(&d, "in", 300);
    d.write("in/notes.txt", b"not a message");
    d.write("in/README", b"plain text, no headers");
    let got = verify_json(&d, &d.path("in"), &["--jobs", "2"], 1);
    assert_mixed_in_order(&got, 300, "--jobs 2");
    // A folder entry that cannot be read (a dangling link) is an io-error line in its place,
    // the walk goes on, and the exit code is 2.
    #[cfg(unix)]
    {
        d.write("links/a.eml", &valid);
        d.write("links/c.eml", &valid);
        std::os::unix::fs::symlink(d.path("links/nowhere"), d.path("links/b.eml")).unwrap();
        let got = verify_json(&d, &d.path("links"), &[], 2);
        let summary: Vec<_> = got
            .iter()
            .map(|l| {
                let file = l["file"].as_str().unwrap();
                (
                    file[file.len() - 5..].to_string(),
                    l["status"].clone(),
                    l["code"].clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("a.eml".to_string(), "valid".into(), serde_json::Value::Null),
                ("b.eml".to_string(), "error".into(), "io-error".into()),
                ("c.eml".to_string(), "valid".into(), serde_json::Value::Null),
            ]
        );
    }
    // An mbox on standard input.
    let mbox = std::fs::read(msgs.join("archive.mbox")).unwrap();
    let got = verify_json_input(&d, Path::new("-"), &[], Some(&mbox), 1);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["file"], "-");
    assert_eq!(got[0]["index"], 0);
    // One message on standard input.
    let out = d
        .run_stdin(
            &["verify", "-", "--trust", s(&trust), "--at", AT],
            Some(&valid),
        )
        .code(0);
    assert!(out.stdout.contains("1 messages: 1 valid"), "{}", out.stdout);
}

/// A folder whose files are not in the page cache (dropped after they were written, where the
/// file system allows it) verifies the same, in order: the reads that wait for the disk and the
/// read-ahead they start change nothing in the output.
#[cfg(target_os = "linux")]
#[test]
fn files_read_from_the_disk_verify_the_same() {
    let d = Dir::new();
    mixed_folder(&d, "cold", 600);
    let drop_from_cache = || {
        for entry in std::fs::read_dir(d.path("cold")).unwrap() {
            let file = std::fs::File::open(entry.unwrap().path()).unwrap();
            // Dirty pages stay in the cache: written back first, then dropped.
            file.sync_all().unwrap();
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
        }
    };
    for jobs in ["1", "2", "3"] {
        drop_from_cache();
        let got = verify_json(&d, &d.path("cold"), &["--jobs", jobs], 1);
        assert_mixed_in_order(&got, 600, &format!("--jobs {jobs}"));
    }
}

/// A FIFO given as a message path (as process substitution's `/dev/fd/N` is) is opened once
/// and read from its first byte; an mbox through one is read message by message.
#[cfg(target_os = "linux")]
#[test]
fn a_fifo_is_read_once_from_its_first_byte() {
    use rustix::fs::{CWD, FileType, Mode};
    let d = Dir::new();
    let msgs = smime().join("messages");
    // The top-level headers are not signed: a From header of its own goes first.
    let mut message = b"From: first@smime.example\r\n".to_vec();
    message.extend(std::fs::read(msgs.join("rsa-sha256.detached.eml")).unwrap());
    let mbox = std::fs::read(msgs.join("archive.mbox")).unwrap();
    for (name, bytes, exit) in [("one.eml", message, 0), ("archive", mbox, 1)] {
        let fifo = d.path(name);
        rustix::fs::mknodat(CWD, &fifo, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).unwrap();
        let path = fifo.clone();
        let writer = std::thread::spawn(move || std::fs::write(&path, &bytes).unwrap());
        let got = verify_json(&d, &fifo, &[], exit);
        // Should the run not have opened it, a reader lets the writer finish.
        let _unblock = rustix::fs::open(
            &fifo,
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::NONBLOCK,
            Mode::empty(),
        );
        writer.join().unwrap();
        if name == "one.eml" {
            assert_eq!(got.len(), 1);
            assert_eq!(got[0]["status"], "valid");
            assert_eq!(
                got[0]["from"], "first@smime.example",
                "the first bytes were read"
            );
        } else {
            assert_eq!(got.len(), 3);
            for (i, l) in got.iter().enumerate() {
                assert_eq!(l["index"], i);
                assert_eq!(l["file"], s(&fifo));
            }
        }
    }
}

#[test]
fn usage_and_input_errors() {
    let d = Dir::new();
    let trust = smime().join("pki/trust.pem");
    let msg = smime().join("messages/rsa-sha256.detached.eml");
    let out = d
        .run(&["verify", s(&msg), "--trust", s(&trust), "--at", "yesterday"])
        .code(2);
    assert!(out.stderr.contains("error[usage]"), "{}", out.stderr);
    let out = d.run(&["verify", s(&msg)]).code(2);
    assert!(out.stderr.contains("--trust"), "{}", out.stderr);
    let out = d
        .run(&["verify", s(&d.path("missing.eml")), "--trust", s(&trust)])
        .code(2);
    assert!(out.stderr.contains("error[io-error]"), "{}", out.stderr);
    d.write("empty/x.txt", b"");
    let out = d
        .run(&["verify", s(&d.path("empty")), "--trust", s(&trust)])
        .code(2);
    assert!(out.stderr.contains("error[no-messages]"), "{}", out.stderr);
    // Garbage is an error status, not a crash: exit 1.
    let junk = d.write("junk.p7m", &[0x30, 0x82, 0xff, 0xff, 0x01]);
    let out = d
        .run(&["verify", s(&junk), "--trust", s(&trust), "--format", "json"])
        .code(1);
    let line = &lines(&out.stdout)[0];
    assert_eq!(line["status"], "error");
    assert_eq!(line["code"], "cms-malformed");
    // A detached signature without --content.
    let p7s = smime().join("messages/detached.p7s");
    let out = d
        .run(&["verify", s(&p7s), "--trust", s(&trust), "--format", "json"])
        .code(1);
    assert_eq!(lines(&out.stdout)[0]["code"], "detached-content-missing");
    let out = d
        .run(&["verify", s(&msg), "--trust", s(&trust), "--jobs", "0"])
        .code(2);
    assert!(out.stderr.contains("error[usage]"), "{}", out.stderr);
}

/// `--shard K/N`: the N parts of a folder with files and an mbox are disjoint and their union is
/// the unsharded output, each message once; a part beyond the number of messages is empty and
/// exits 0; bad shards are usage errors.
#[test]
fn shards_partition_the_messages() {
    let d = Dir::new();
    let trust = repo().join("fixtures/smime/pki/trust.pem");
    let messages = smime().join("messages");
    let base = [
        "verify",
        s(&messages),
        "--trust",
        s(&trust),
        "--at",
        AT,
        "--format",
        "json",
    ];
    let whole = d.run(&base);
    let mut all: Vec<String> = whole.stdout.lines().map(str::to_owned).collect();
    assert!(all.len() > 20, "{}", whole.stdout);
    assert!(
        all.iter().any(|l| l.contains("\"index\":")),
        "an mbox entry"
    );
    for n in [1, 2, 3, 7] {
        let mut union = Vec::new();
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let mut args = base.to_vec();
            args.extend(["--shard", &shard]);
            let part = d.run(&args);
            assert_ne!(part.code, 2, "{shard}: {}", part.stderr);
            let lines: Vec<String> = part.stdout.lines().map(str::to_owned).collect();
            assert!(!lines.is_empty(), "{shard} is empty");
            union.extend(lines);
        }
        assert_eq!(
            union.len(),
            all.len(),
            "{n} parts: no message twice, none left out"
        );
        union.sort();
        all.sort();
        assert_eq!(union, all, "{n} parts");
    }
    // More parts than messages: the last parts are empty, and that is no error.
    let one = smime().join("messages/rsa-sha256.detached.eml");
    let out = d.run(&[
        "verify",
        s(&one),
        "--trust",
        s(&trust),
        "--at",
        AT,
        "--format",
        "json",
        "--shard",
        "2/2",
    ]);
    let out = out.code(0);
    assert!(out.stdout.is_empty());
    for bad in ["0/3", "4/3", "1/0", "x", "1-3"] {
        let out = d.run(&["verify", s(&one), "--trust", s(&trust), "--shard", bad]);
        assert_eq!(out.code, 2, "--shard {bad}: {}", out.stderr);
    }
}
