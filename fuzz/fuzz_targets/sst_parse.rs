//! The SST reader on arbitrary bytes: never panics; what parses re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smimetrust_sst::{Form, parse};

fuzz_target!(|data: &[u8]| {
    let Ok(view) = parse(data) else { return };
    for e in view.elements() {
        for p in e.properties() {
            let _ = smimetrust_sst::prop::decode(p.id, p.data);
        }
        let _ = e.friendly_name();
        let _ = e.eku_restriction();
    }
    let _ = view.duplicates();
    // A successful parse is exact: writing the owned model back gives the input.
    let written = match view.form() {
        Form::Store => view.to_owned().to_bytes(),
        _ => view.elements()[0].to_owned().to_bytes(),
    };
    assert_eq!(written.as_deref().ok(), Some(data));
});
