//! x509-limbo (`../shared/corpus/x509-limbo/limbo.json.gz`, 208 cases), run like rustls-webpki's
//! `tests/x509_limbo.rs`: every case either agrees with its expected result or is listed, with
//! a reason, in `tests/data/limbo-exceptions.tsv`. The test fails on an unlisted divergence,
//! on a listed case that now agrees (shrink the list), and on any false accept in the
//! `rfc5280`, `pathlen`, `crl`, `cve` and `pathological` families unless its reason starts
//! with `KNOWN FALSE ACCEPT` (a release blocker being worked on) or `DELIBERATE:` (a decided
//! divergence, argued in the reason). Prints a summary.
//! Every case is validated with the default signature provider and with `sig::RustCrypto`: the
//! results must be identical. Skips with a message when the corpus is absent.

#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)] // test code

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

use serde_json::Value;
use smimetrust_path::{Options, Profile, Purpose, TrustAnchor, Validator};
use smimetrust_store::ObjectKind;
use smimetrust_x509::Certificate;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Cases without a validation time are valid from 1970 to 2969: any fixed instant works.
const DEFAULT_TIME: &str = "2026-01-01T00:00:00Z";

fn corpus() -> Option<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/x509-limbo/limbo.json.gz");
    let Ok(file) = std::fs::File::open(&path) else {
        assert!(
            std::env::var_os("SMIMETRUST_REQUIRE_CORPUS").is_none(),
            "the shared corpus is absent and SMIMETRUST_REQUIRE_CORPUS is set"
        );
        eprintln!("skipping: {} not found", path.display());
        return None;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    Some(serde_json::from_str(&text).unwrap())
}

fn certs(pems: &Value) -> Vec<Certificate> {
    pems.as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            smimetrust_store::load_bytes("limbo", p.as_str().unwrap().as_bytes()).unwrap()
        })
        .filter(|o| o.kind == ObjectKind::Certificate)
        .map(|o| Certificate::from_der(o.der))
        .collect()
}

/// `Ok(())` when the case's result is ours too; otherwise what we did.
enum Outcome {
    Agree,
    Diverge(String),
    Skip(&'static str),
}

fn run(case: &Value) -> Outcome {
    if case["max_chain_depth"].is_u64() {
        return Outcome::Skip("max_chain_depth is not an option of this validator");
    }
    if !case["key_usage"].as_array().unwrap().is_empty() {
        return Outcome::Skip("a required leaf key usage is not an option of this validator");
    }
    let anchors: Vec<TrustAnchor> = certs(&case["trusted_certs"])
        .into_iter()
        .map(TrustAnchor::new)
        .collect();
    let pool = certs(&case["untrusted_intermediates"]);
    let leaf = Certificate::from_der(
        smimetrust_store::load_bytes(
            "leaf",
            case["peer_certificate"].as_str().unwrap().as_bytes(),
        )
        .unwrap()
        .remove(0)
        .der,
    );
    let crls: Vec<Vec<u8>> = case["crls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| smimetrust_store::load_bytes("crl", p.as_str().unwrap().as_bytes()).unwrap())
        .map(|o| o.der)
        .collect();
    let time = case["validation_time"].as_str().unwrap_or(DEFAULT_TIME);
    let mut options = Options::at(OffsetDateTime::parse(time, &Rfc3339).unwrap());
    let ekus: Vec<&str> = case["extended_key_usage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    options.purpose = if ekus.contains(&"clientAuth") || case["validation_kind"] == "CLIENT" {
        Purpose::Client
    } else {
        Purpose::Server
    };
    if let Some(name) = case["expected_peer_name"].as_object() {
        let value = name["value"].as_str().unwrap().to_string();
        match name["kind"].as_str().unwrap() {
            "DNS" => options.dns_name = Some(value),
            "IP" => options.ip = Some(value.parse().unwrap()),
            "RFC822" => options.email = Some(value),
            other => panic!("peer name kind {other}"),
        }
    }
    // rustls-webpki's harness runs the `webpki::` cases with its CA/B Forum server profile.
    if case["id"].as_str().unwrap().starts_with("webpki::") {
        options.profile = Profile::WebPki;
    }
    let verifier = smimetrust_sig::default_verifier();
    let validator = Validator::new(&anchors, &pool, &crls, verifier);
    let result = validator.verify(&leaf, &options);
    // The default provider (aws-lc or ring, with their features) and the pure-Rust one agree on
    // every case, down to the error details and warnings.
    let pure =
        Validator::new(&anchors, &pool, &crls, &smimetrust_sig::RustCrypto).verify(&leaf, &options);
    assert_eq!(
        format!("{result:?}"),
        format!("{pure:?}"),
        "{}: the default signature provider and RustCrypto disagree",
        case["id"]
    );
    let expected_ok = case["expected_result"] == "SUCCESS";
    match (result, expected_ok) {
        (Ok(_), true) => Outcome::Agree,
        (Err(_), false) => Outcome::Agree,
        (Ok(_), false) => Outcome::Diverge("SUCCESS".into()),
        (Err(e), true) => Outcome::Diverge(format!("FAILURE {}", e.reason.as_str())),
    }
}

#[test]
fn x509_limbo() {
    let Some(limbo) = corpus() else { return };
    let exceptions: HashMap<String, (String, String)> = include_str!("data/limbo-exceptions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            assert_eq!(f.len(), 3, "bad exceptions line {l:?}");
            (f[0].to_string(), (f[1].to_string(), f[2].to_string()))
        })
        .collect();
    let mut by_family: BTreeMap<String, [usize; 4]> = BTreeMap::new(); // pass, fail, excepted, skip
    let mut problems = Vec::new();
    let mut slowest = (0.0f64, String::new());
    let mut known_false_accepts = Vec::new();
    let mut deliberate = Vec::new();
    for case in limbo["testcases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap().to_string();
        let family = id.split("::").next().unwrap().to_string();
        let start = Instant::now();
        let outcome = run(case);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if family == "pathological" && ms > slowest.0 {
            slowest = (ms, id.clone());
        }
        let counts = by_family.entry(family.clone()).or_default();
        match (outcome, exceptions.get(&id)) {
            (Outcome::Agree, None) => counts[0] += 1,
            (Outcome::Agree, Some(_)) => problems.push(format!(
                "{id}: now agrees; remove it from limbo-exceptions.tsv"
            )),
            (Outcome::Skip(why), _) => {
                counts[3] += 1;
                eprintln!("skip {id}: {why}");
            }
            (Outcome::Diverge(actual), Some((listed, reason))) if *listed == actual => {
                counts[2] += 1;
                let strict_family =
                    ["rfc5280", "pathlen", "crl", "cve", "pathological"].contains(&family.as_str());
                if actual == "SUCCESS" && strict_family {
                    if reason.starts_with("KNOWN FALSE ACCEPT") {
                        known_false_accepts.push(id.clone());
                    } else if reason.starts_with("DELIBERATE:") {
                        // A decided, argued divergence (trust anchor leniency for real root
                        // stores, or a case the corpus contradicts elsewhere): not a blocker.
                        deliberate.push(id.clone());
                    } else {
                        problems.push(format!(
                            "{id}: a false accept in this family must be marked KNOWN FALSE ACCEPT or DELIBERATE:"
                        ));
                    }
                }
            }
            (Outcome::Diverge(actual), _) => {
                counts[1] += 1;
                problems.push(format!(
                    "{id}\t{actual}\texpected {}",
                    case["expected_result"].as_str().unwrap()
                ));
            }
        }
    }
    let mut total = [0usize; 4];
    println!("x509-limbo: family pass / diverge (unlisted) / diverge (listed) / skip");
    for (family, c) in &by_family {
        println!(
            "  {family:<14} {:>4} {:>4} {:>4} {:>4}",
            c[0], c[1], c[2], c[3]
        );
        for i in 0..4 {
            total[i] += c[i];
        }
    }
    println!(
        "  {:<14} {:>4} {:>4} {:>4} {:>4}",
        "total", total[0], total[1], total[2], total[3]
    );
    println!(
        "  slowest pathological case: {:.1} ms, validated with both providers ({})",
        slowest.0, slowest.1
    );
    println!(
        "  known false accepts still open ({}): {}",
        known_false_accepts.len(),
        known_false_accepts.join(", ")
    );
    println!(
        "  deliberate accepts of expected failures ({}): {}",
        deliberate.len(),
        deliberate.join(", ")
    );
    assert!(
        problems.is_empty(),
        "x509-limbo problems:\n{}",
        problems.join("\n")
    );
}
