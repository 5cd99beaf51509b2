//! The owned store model and the writer.

use std::fmt;

use const_oid::ObjectIdentifier;
use sha1::{Digest, Sha1};

use crate::prop::{self, PropertyValue};
use crate::read::{self, END_MARKER, HEADER, X509_ASN_ENCODING};
use crate::{ElementRef, Error};

/// What an element holds, from its context record id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ElementKind {
    /// Record id 32: an X.509 certificate.
    Certificate,
    /// Record id 33: a certificate revocation list.
    Crl,
    /// Record id 34: a certificate trust list.
    Ctl,
}

impl ElementKind {
    /// The context record id: 32, 33 or 34.
    pub fn record_id(self) -> u32 {
        match self {
            ElementKind::Certificate => 32,
            ElementKind::Crl => 33,
            ElementKind::Ctl => 34,
        }
    }

    /// The kind for a context record id, `None` for property ids.
    pub fn from_record_id(id: u32) -> Option<Self> {
        match id {
            32 => Some(ElementKind::Certificate),
            33 => Some(ElementKind::Crl),
            34 => Some(ElementKind::Ctl),
            _ => None,
        }
    }

    /// `certificate`, `crl` or `ctl`, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ElementKind::Certificate => "certificate",
            ElementKind::Crl => "crl",
            ElementKind::Ctl => "ctl",
        }
    }
}

impl fmt::Display for ElementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ElementKind::Certificate => "certificate",
            ElementKind::Crl => "CRL",
            ElementKind::Ctl => "CTL",
        })
    }
}

/// One property record: `{id, encoding type, bytes}`, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Property {
    /// The property id (see [`prop`](crate::prop) for the known ones).
    pub id: u32,
    /// The encoding-type field (1 in everything Windows writes).
    pub encoding: u32,
    /// The value bytes.
    pub data: Vec<u8>,
}

impl Property {
    /// A property with encoding type 1, as Windows writes them.
    pub fn new(id: u32, data: Vec<u8>) -> Self {
        Property {
            id,
            encoding: X509_ASN_ENCODING,
            data,
        }
    }

    /// The value decoded according to the id.
    ///
    /// # Errors
    /// [`Error::BadProperty`] when the data does not fit the id's layout.
    pub fn value(&self) -> Result<PropertyValue, Error> {
        prop::decode(self.id, &self.data)
    }
}

/// One element: a certificate, CRL or CTL with its properties in file order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Element {
    /// Certificate, CRL or CTL.
    pub kind: ElementKind,
    /// The context record's encoding-type field.
    pub encoding: u32,
    /// The original DER bytes, never re-encoded.
    pub data: Vec<u8>,
    /// The property records, in the order they are written (before the context record).
    pub properties: Vec<Property>,
}

/// A store: an ordered list of elements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Store {
    /// The elements, in file order.
    pub elements: Vec<Element>,
}

impl From<Vec<Element>> for Store {
    fn from(elements: Vec<Element>) -> Store {
        Store { elements }
    }
}

fn record_len(len: usize) -> Result<u32, Error> {
    u32::try_from(len).map_err(|_| Error::TooLarge { len })
}

fn write_record(out: &mut Vec<u8>, id: u32, encoding: u32, data: &[u8]) {
    // Lengths were checked against u32 when the element or property was made or parsed; a
    // caller that pushed a larger Vec into a pub field is caught in `Element::check`.
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&id.to_le_bytes());
    out.extend_from_slice(&encoding.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(data);
}

impl Element {
    /// An element of these parts, encoding type 1, as they are: nothing is checked (for
    /// comparing inputs that may not be valid elements; [`Element::check`] checks).
    pub fn from_parts(kind: ElementKind, data: Vec<u8>, properties: Vec<Property>) -> Self {
        Element {
            kind,
            encoding: X509_ASN_ENCODING,
            data,
            properties,
        }
    }

    /// A new element with no properties and encoding type 1.
    ///
    /// # Errors
    /// [`Error::EmptyElement`], [`Error::NotDer`] when `data` is not one DER SEQUENCE, or
    /// [`Error::TooLarge`].
    pub fn new(kind: ElementKind, data: Vec<u8>) -> Result<Self, Error> {
        let element = Element {
            kind,
            encoding: X509_ASN_ENCODING,
            data,
            properties: Vec::new(),
        };
        element.check()?;
        Ok(element)
    }

    /// A certificate element with the properties Windows writes for a freshly imported
    /// certificate: the friendly name (11) when given, then the SHA-1 hash (3).
    ///
    /// # Errors
    /// As for [`Element::new`].
    pub fn certificate(der: Vec<u8>, friendly_name: Option<&str>) -> Result<Self, Error> {
        let mut element = Element::new(ElementKind::Certificate, der)?;
        if let Some(name) = friendly_name {
            element.set_friendly_name(name);
        }
        element.set_property(prop::SHA1_HASH, element.sha1().to_vec());
        Ok(element)
    }

    /// Checks the invariants the writer relies on: non-empty DER data, lengths that fit 32 bits.
    ///
    /// # Errors
    /// The first violated invariant.
    pub fn check(&self) -> Result<(), Error> {
        if self.data.is_empty() {
            return Err(Error::EmptyElement {
                offset: 0,
                kind: self.kind,
            });
        }
        record_len(self.data.len())?;
        for p in &self.properties {
            record_len(p.data.len())?;
        }
        read::check_sequence(&self.data).map_err(|reason| Error::NotDer {
            offset: 0,
            kind: self.kind,
            reason,
        })
    }

    /// SHA-1 of the data: the thumbprint Windows shows and property 3 holds.
    pub fn sha1(&self) -> [u8; 20] {
        Sha1::digest(&self.data).into()
    }

    /// The first property with this id.
    pub fn property(&self, id: u32) -> Option<&Property> {
        self.properties.iter().find(|p| p.id == id)
    }

    /// Sets a property: replaces the value in place when the id is present, appends otherwise.
    pub fn set_property(&mut self, id: u32, data: Vec<u8>) {
        match self.properties.iter_mut().find(|p| p.id == id) {
            Some(p) => p.data = data,
            None => self.properties.push(Property::new(id, data)),
        }
    }

    /// Removes every property with this id; returns whether one was present.
    pub fn remove_property(&mut self, id: u32) -> bool {
        let before = self.properties.len();
        self.properties.retain(|p| p.id != id);
        before != self.properties.len()
    }

    /// The friendly name (property 11), if present.
    ///
    /// # Errors
    /// When the property is not valid UTF-16LE.
    pub fn friendly_name(&self) -> Option<Result<String, Error>> {
        self.property(prop::FRIENDLY_NAME)
            .map(|p| prop::decode_utf16(p.id, &p.data))
    }

    /// Sets the friendly name (UTF-16LE with terminating NUL). Inserted before the SHA-1
    /// property when that is present, where Windows writes it.
    pub fn set_friendly_name(&mut self, name: &str) {
        let data = prop::encode_utf16(name);
        if let Some(p) = self
            .properties
            .iter_mut()
            .find(|p| p.id == prop::FRIENDLY_NAME)
        {
            p.data = data;
            return;
        }
        let at = self
            .properties
            .iter()
            .position(|p| p.id == prop::SHA1_HASH)
            .unwrap_or(self.properties.len());
        self.properties
            .insert(at, Property::new(prop::FRIENDLY_NAME, data));
    }

    /// The EKU restriction (property 9) as OIDs, if present.
    ///
    /// # Errors
    /// When the property is not a DER `SEQUENCE OF OID`.
    pub fn eku_restriction(&self) -> Option<Result<Vec<ObjectIdentifier>, Error>> {
        self.property(prop::ENHKEY_USAGE)
            .map(|p| prop::decode_oids(p.id, &p.data))
    }

    /// Appends the properties of `other` whose ids this element lacks, in `other`'s order (a
    /// repeated id in `other` is taken once): what [`Store::merge`] does to the kept copy of an
    /// element for each later copy.
    pub fn merge_missing_properties(&mut self, other: &Element) {
        crate::merge::merge_missing(&mut self.properties, &other.properties);
    }

    /// The encoded size as a lone element (property records plus the context record).
    pub fn encoded_len(&self) -> usize {
        12 + self.data.len()
            + self
                .properties
                .iter()
                .map(|p| 12 + p.data.len())
                .sum::<usize>()
    }

    /// Appends the element's records to `out`.
    fn write(&self, out: &mut Vec<u8>) {
        for p in &self.properties {
            write_record(out, p.id, p.encoding, &p.data);
        }
        write_record(out, self.kind.record_id(), self.encoding, &self.data);
    }

    /// The lone serialized element form (`CertSerializeCertificateStoreElement`).
    ///
    /// # Errors
    /// When [`Element::check`] fails.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        self.check()?;
        let mut out = Vec::with_capacity(self.encoded_len());
        self.write(&mut out);
        Ok(out)
    }
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// Parses a store file or a lone element (see [`crate::parse`]) into an owned store.
    ///
    /// # Errors
    /// As for [`crate::parse`].
    pub fn from_bytes(input: &[u8]) -> Result<Self, Error> {
        crate::parse(input).map(|s| s.to_owned())
    }

    /// The size of the store file [`Store::to_bytes`] writes.
    pub fn encoded_len(&self) -> usize {
        HEADER.len()
            + self
                .elements
                .iter()
                .map(Element::encoded_len)
                .sum::<usize>()
            + END_MARKER.len()
    }

    /// The store file: header, every element's records, end marker.
    ///
    /// # Errors
    /// When an element fails [`Element::check`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.encoded_len());
        out.extend_from_slice(&HEADER);
        for e in &self.elements {
            e.check()?;
            e.write(&mut out);
        }
        out.extend_from_slice(&END_MARKER);
        Ok(out)
    }

    /// Index of the first element with this kind and data.
    pub fn position(&self, kind: ElementKind, data: &[u8]) -> Option<usize> {
        self.elements
            .iter()
            .position(|e| e.kind == kind && e.data == data)
    }
}

impl From<&ElementRef<'_>> for Element {
    fn from(e: &ElementRef<'_>) -> Self {
        e.to_owned()
    }
}
