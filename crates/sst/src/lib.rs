//! Reader and writer for Microsoft serialized certificate stores (`.sst`) and lone serialized
//! elements, byte-exact with what Windows writes.
//!
//! A store file is an 8-byte header (`u32` version 0, then `"CERT"`), then element groups, then
//! 12 zero bytes. An element group is zero or more property records followed by one context
//! record (32 certificate, 33 CRL, 34 CTL); every record is `{u32 id, u32 encoding type,
//! u32 length, data}`, little-endian. Properties belong to the context record that *follows*
//! them. A lone element (`CertSerializeCertificateStoreElement`, the registry `Blob` value) is one
//! group without header or end marker.
//!
//! This crate only frames and encodes: it checks that element data is one DER `SEQUENCE` but
//! applies no X.509 policy. Element data and unknown properties are kept verbatim, so reading
//! then writing reproduces a Windows file byte for byte.
//!
//! [`Store::merge`] and [`Store::diff`] share one identity rule: two elements are the same when
//! they have the same kind and the same SHA-1 of their data. A merge keeps the first copy and
//! adds to it the properties of later copies whose ids it lacks; a diff compares the first copy
//! in each store, property by property.
//!
//! ```
//! use smimetrust_sst::{Element, Store, parse};
//!
//! // A certificate-shaped DER SEQUENCE, as a store with a friendly name and the SHA-1 property.
//! let cert = vec![0x30, 0x03, 0x02, 0x01, 0x05];
//! let mut store = Store::new();
//! store.elements.push(Element::certificate(cert.clone(), Some("Demo"))?);
//! let bytes = store.to_bytes()?;
//!
//! let view = parse(&bytes)?;
//! let first = &view.elements()[0];
//! assert_eq!(first.data, &cert[..]);
//! assert_eq!(first.friendly_name().transpose()?.as_deref(), Some("Demo"));
//! assert_eq!(view.to_owned(), store);
//! # Ok::<(), smimetrust_sst::Error>(())
//! ```
#![forbid(unsafe_code)]

mod diff;
mod error;
mod merge;
mod model;
pub mod prop;
mod read;

pub use diff::{Change, Common, Diff, PropertyChange};
pub use error::{Error, ErrorCode};
pub use merge::{Dropped, Merged, merge_missing as merge_missing_properties, parse_thumbprint};
pub use model::{Element, ElementKind, Property, Store};
pub use prop::{FileTime, PropertyValue};
pub use read::{
    Duplicate, END_MARKER, ElementRef, Form, HEADER, PKCS_7_ASN_ENCODING, PropertyIter,
    PropertyRef, StoreRef, X509_ASN_ENCODING, parse, parse_element, parse_store,
};
