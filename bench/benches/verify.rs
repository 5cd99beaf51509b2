//! Signature verification per provider: `AwsLc` (with the `aws-lc` feature, the default) and
//! `RustCrypto`, on the demo PKI's certificates (`fixtures/demo`).
//!
//! Rows: RSA-2048 PKCS #1 v1.5 SHA-256 (alice, signed by the 2024 S/MIME CA; the same CA key
//! every call, as for the leaf certificates of a batch of messages), ECDSA P-256 SHA-256 (carol,
//! signed by the 2019 CA), and the cost model of one S/MIME message in bulk verification: the
//! SHA-256 of 20 KB of content plus one RSA-2048 verification. Reference rows time aws-lc's RSA
//! verification called directly (no algorithm identifier or SPKI parsing, no policy), with the
//! key built on every call and prepared once, and the bare SHA-256. Compare them with
//! `openssl speed -seconds 3 rsa2048` and `openssl speed -seconds 3 -evp sha256 -bytes 16384`
//! on the same machine; figures are in `docs/performance.md`.
//!
//! `cargo bench -p smimetrust-bench --bench verify`
#![allow(missing_docs, clippy::unwrap_used, clippy::print_stderr)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use der::{Reader, SliceReader, Tag, TagNumber};
use sha2::Digest;
use smimetrust_sig::{self as sig, AlgorithmPolicy, SignatureVerifier};

/// The signed parts of a certificate and its issuer's SPKI.
struct Case {
    tbs: Vec<u8>,
    algorithm: Vec<u8>,
    signature: Vec<u8>,
    issuer_spki: Vec<u8>,
}

fn demo(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/demo")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut objects = smimetrust_store::load_bytes(&path.display().to_string(), &bytes).unwrap();
    objects.remove(0).der
}

/// The SubjectPublicKeyInfo of a certificate, sliced from its DER.
fn spki(cert: &[u8]) -> Vec<u8> {
    let mut r = SliceReader::new(cert).unwrap();
    r.sequence(|r| {
        let tbs = r.tlv_bytes()?;
        let mut t = SliceReader::new(tbs)?;
        let spki = t.sequence(|t| {
            let version = Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(0),
            };
            if Tag::peek(t)? == version {
                t.tlv_bytes()?;
            }
            for _ in 0..5 {
                // serial, signature, issuer, validity, subject
                t.tlv_bytes()?;
            }
            let spki = t.tlv_bytes()?;
            while !t.is_finished() {
                t.tlv_bytes()?;
            }
            Ok::<_, der::Error>(spki.to_vec())
        })?;
        while !r.is_finished() {
            r.tlv_bytes()?;
        }
        Ok::<_, der::Error>(spki)
    })
    .unwrap()
}

fn case(cert: &str, issuer: &str) -> Case {
    let der = demo(cert);
    let p = smimetrust_x509::signed_parts(&der).unwrap();
    Case {
        tbs: p.tbs.to_vec(),
        algorithm: p.algorithm.to_vec(),
        signature: p.signature.to_vec(),
        issuer_spki: spki(&demo(issuer)),
    }
}

fn providers() -> Vec<(&'static str, &'static dyn SignatureVerifier)> {
    #[cfg_attr(not(feature = "aws-lc"), allow(unused_mut))]
    let mut all: Vec<(&'static str, &'static dyn SignatureVerifier)> =
        vec![("rustcrypto", &sig::RustCrypto)];
    #[cfg(feature = "aws-lc")]
    all.insert(0, ("aws-lc", &sig::AwsLc));
    all
}

fn verify(v: &dyn SignatureVerifier, c: &Case) {
    v.verify(
        black_box(&c.issuer_spki),
        black_box(&c.algorithm),
        black_box(&c.tbs),
        black_box(&c.signature),
        AlgorithmPolicy::DEFAULT,
    )
    .unwrap();
}

fn bench(c: &mut Criterion) {
    let rsa = case("leaves/alice.pem", "ca/smime-ca-2024.pem");
    let p256 = case("leaves/carol.pem", "ca/smime-ca-2019-expired.pem");
    let content = vec![0x5au8; 20 * 1024];

    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(1));
    for (name, v) in providers() {
        g.bench_function(format!("rsa-2048 pkcs1 sha-256, {name}"), |b| {
            b.iter(|| verify(v, &rsa))
        });
        g.bench_function(format!("ecdsa p-256 sha-256, {name}"), |b| {
            b.iter(|| verify(v, &p256))
        });
        g.bench_function(
            format!("s/mime message: sha-256 of 20 KB + rsa-2048, {name}"),
            |b| {
                b.iter(|| {
                    let digest = sha2::Sha256::digest(black_box(&content));
                    verify(v, &rsa);
                    digest
                })
            },
        );
    }
    #[cfg(feature = "aws-lc")]
    {
        use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
        // aws-lc alone: the key built on every call (a fresh key), and prepared once.
        let key = rsa_components(&rsa.issuer_spki);
        let components = RsaPublicKeyComponents {
            n: &key.0[..],
            e: &key.1[..],
        };
        g.bench_function(
            "rsa-2048 pkcs1 sha-256, aws-lc called directly, key built per call (reference)",
            |b| {
                b.iter(|| {
                    components
                        .verify(
                            &RSA_PKCS1_2048_8192_SHA256,
                            black_box(&rsa.tbs),
                            black_box(&rsa.signature),
                        )
                        .unwrap()
                })
            },
        );
        let prepared = components
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .unwrap();
        g.bench_function(
            "rsa-2048 pkcs1 sha-256, aws-lc called directly, prepared key (reference)",
            |b| {
                b.iter(|| {
                    prepared
                        .verify_sig(black_box(&rsa.tbs), black_box(&rsa.signature))
                        .unwrap()
                })
            },
        );
    }
    g.finish();

    let mut g = c.benchmark_group("sha-256");
    g.throughput(Throughput::Bytes(content.len() as u64));
    g.bench_function("20 KB, sha2 (reference)", |b| {
        b.iter(|| sha2::Sha256::digest(black_box(&content)))
    });
    #[cfg(feature = "aws-lc")]
    g.bench_function("20 KB, aws-lc (reference)", |b| {
        b.iter(|| aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, black_box(&content)))
    });
    g.finish();
}

/// The modulus and exponent of an rsaEncryption SPKI (big-endian, no leading zeros).
#[cfg(feature = "aws-lc")]
fn rsa_components(spki: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use der::Decode;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki).unwrap();
    let key = spki.subject_public_key.as_bytes().unwrap();
    let mut r = SliceReader::new(key).unwrap();
    r.sequence(|r| {
        let n = der::asn1::UintRef::decode(r)?;
        let e = der::asn1::UintRef::decode(r)?;
        Ok::<_, der::Error>((n.as_bytes().to_vec(), e.as_bytes().to_vec()))
    })
    .unwrap()
}

criterion_group!(benches, bench);
criterion_main!(benches);
