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
        let mut all: Vec<&str> = smimetrust_sst::Error::CODES.to_vec();
        all.extend(smimetrust_store::Error::all_codes());
        all.extend(smimetrust_store::Warning::CODES);
        all.extend(smimetrust_audit::FINDING_CODES);
        all.extend(smimetrust_sig::Weakness::CODES);
        all.extend(smimetrust_path::Reason::CODES);
        all.extend(smimetrust_exchange::CODES);
        all.extend(smimetrust_smime::all_codes());
        all.extend(CLI_CODES);
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
