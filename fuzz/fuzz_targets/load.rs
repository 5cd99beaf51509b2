//! The input loader on arbitrary bytes (PEM, DER, PKCS#7, SST): never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(objects) = smimetrust_store::load_bytes("fuzz", data) {
        for o in &objects {
            let cert = smimetrust_x509::Certificate::from_der(o.der.clone());
            let _ = cert.info();
        }
        let _ = smimetrust_store::pem_bundle(&objects);
    }
});
