//! End-to-end tests of the `smimetrust` binary: one test binary, a fresh temporary folder per
//! test, real files in and out. Corpus-based tests skip with a message when `../shared` is absent.

#![allow(clippy::unwrap_used, clippy::print_stderr, missing_docs)] // test code

mod util;

mod chain;
mod check;
mod exchange;
mod sst;
mod verify;

mod diagnostics {
    //! Every code the libraries and the binary can report is documented, once.

    use std::collections::BTreeSet;

    /// Codes the binary itself reports (errors, warnings, notes).
    const CLI_CODES: &[&str] = &[
        "usage",
        "io-error",
        "output-exists",
        "output-is-input",
        "name-unknown-sha1",
        "remove-not-found",
        "properties-dropped",
        "ctl-dropped",
        "duplicate-dropped",
        "duplicate-element",
        "certificate-unparsed",
        "certificate-not-der",
        "sha1-property-mismatch",
        "no-messages",
    ];

    #[test]
    fn every_code_has_one_heading_in_docs_diagnostics() {
        let doc = std::fs::read_to_string(crate::util::repo().join("docs/diagnostics.md")).unwrap();
        let headings: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
            .collect();
        let unique: BTreeSet<&str> = headings.iter().copied().collect();
        assert_eq!(unique.len(), headings.len(), "a code is documented twice");
        // Every code, by the enum that defines it. A code defined by two enums must mean the
        // same in both (SHARED); within one enum each is unique.
        fn strs<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().map(|c| f(*c)).collect()
        }
        let by_enum: Vec<(&str, Vec<&str>)> = vec![
            ("sst", strs(smimetrust_sst::ErrorCode::ALL, |c| c.as_str())),
            (
                "x509",
                strs(smimetrust_x509::ErrorCode::ALL, |c| c.as_str()),
            ),
            (
                "store errors",
                strs(smimetrust_store::InputCode::ALL, |c| c.as_str()),
            ),
            (
                "store warnings",
                strs(smimetrust_store::WarningCode::ALL, |c| c.as_str()),
            ),
            (
                "sig reasons",
                strs(smimetrust_sig::Reason::ALL, |c| c.as_str()),
            ),
            (
                "sig warnings",
                strs(smimetrust_sig::WarningCode::ALL, |c| c.as_str()),
            ),
            (
                "path reasons",
                smimetrust_path::Reason::ALL
                    .iter()
                    .filter(|r| !matches!(r, smimetrust_path::Reason::Signature(_)))
                    .map(|r| r.as_str())
                    .collect(),
            ),
            (
                "path warnings",
                strs(smimetrust_path::NoticeCode::ALL, |c| c.as_str()),
            ),
            (
                "audit",
                strs(smimetrust_audit::FindingCode::ALL, |c| c.as_str()),
            ),
            (
                "smime errors",
                strs(smimetrust_smime::ErrorCode::ALL, |c| c.as_str()),
            ),
            (
                "smime failures",
                strs(smimetrust_smime::FailureCode::ALL, |c| c.as_str()),
            ),
            (
                "smime warnings",
                strs(smimetrust_smime::NoticeCode::ALL, |c| c.as_str()),
            ),
            ("smime io", vec![smimetrust_smime::Code::IoError.as_str()]),
            (
                "exchange",
                strs(smimetrust_exchange::ErrorCode::ALL, |c| c.as_str()),
            ),
            ("cli", CLI_CODES.to_vec()),
        ];
        const SHARED: &[&str] = &[
            // The audit's findings that are the validator's reasons or weaknesses.
            "expired",
            "not-yet-valid",
            "unknown-critical-extension",
            "weak-key",
            // A failure with --require-email-match, a warning without.
            "email-mismatch",
            "from-missing",
            "from-unparseable",
            "from-group",
            "from-multiple",
            // The binary's and the batch's unreadable input.
            "io-error",
            // `sst remove` and the Exchange merge's removal.
            "remove-not-found",
            // The audit's finding and `sst list`'s warning.
            "certificate-unparsed",
        ];
        let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
        for (source, codes) in &by_enum {
            let unique: BTreeSet<&str> = codes.iter().copied().collect();
            assert_eq!(unique.len(), codes.len(), "{source} lists a code twice");
            for code in codes {
                assert!(
                    code.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                    "{code} is not kebab-case"
                );
                if let Some(other) = seen.insert(code, source) {
                    assert!(
                        SHARED.contains(code),
                        "{code} is defined by {other} and by {source}"
                    );
                }
            }
        }
        let all: Vec<&str> = seen.keys().copied().collect();
        for code in &all {
            assert!(
                unique.contains(code),
                "{code} is not documented in docs/diagnostics.md"
            );
        }
        let all: BTreeSet<&str> = all.into_iter().collect();
        for h in &unique {
            assert!(
                all.contains(h),
                "docs/diagnostics.md documents {h}, which nothing reports"
            );
        }
        // The binary's sources mention each of its codes.
        let src: String = ["sst.rs", "render.rs", "output.rs", "error.rs", "verify.rs"]
            .iter()
            .map(|f| {
                std::fs::read_to_string(crate::util::repo().join("crates/cli/src").join(f)).unwrap()
            })
            .collect();
        for code in CLI_CODES {
            assert!(src.contains(code), "{code} not found in crates/cli/src");
        }
    }
}
