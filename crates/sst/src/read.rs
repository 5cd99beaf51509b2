//! Zero-copy framing of store files and lone elements.

use std::collections::HashMap;

use crate::{Element, ElementKind, Error, Property, Store};

/// The 8-byte header of a store file: version 0, then `"CERT"`.
pub const HEADER: [u8; 8] = [0, 0, 0, 0, b'C', b'E', b'R', b'T'];
/// The 12 zero bytes that close a store file.
pub const END_MARKER: [u8; 12] = [0; 12];
/// `X509_ASN_ENCODING`, the encoding type Windows writes in every record.
pub const X509_ASN_ENCODING: u32 = 1;
/// `PKCS_7_ASN_ENCODING`, accepted in addition to [`X509_ASN_ENCODING`].
pub const PKCS_7_ASN_ENCODING: u32 = 0x1_0000;

const RECORD_HEADER: usize = 12;

/// Which serialized form an input had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Form {
    /// A store file: header, element groups, end marker (`CertSaveStore`, `.sst`).
    Store,
    /// One element group without header or end marker
    /// (`CertSerializeCertificateStoreElement`, the registry `Blob` value).
    Element,
}

/// A borrowed view of one property record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PropertyRef<'a> {
    /// The property id.
    pub id: u32,
    /// The record's encoding-type field (1 in everything Windows writes).
    pub encoding: u32,
    /// The value bytes.
    pub data: &'a [u8],
    /// Where the record starts in the input.
    pub offset: usize,
}

impl PropertyRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> Property {
        Property {
            id: self.id,
            encoding: self.encoding,
            data: self.data.to_vec(),
        }
    }
}

/// A borrowed view of one element: its property records and its context record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ElementRef<'a> {
    /// Certificate, CRL or CTL.
    pub kind: ElementKind,
    /// The context record's encoding-type field.
    pub encoding: u32,
    /// The element's data: the original DER bytes, untouched.
    pub data: &'a [u8],
    /// Where the element's first record (a property, or the context record) starts.
    pub offset: usize,
    /// Where [`data`](Self::data) starts.
    pub data_offset: usize,
    /// The element's property records, already checked while framing.
    props: &'a [u8],
}

impl<'a> ElementRef<'a> {
    /// The property records in file order.
    pub fn properties(&self) -> PropertyIter<'a> {
        PropertyIter {
            bytes: self.props,
            offset: self.offset,
        }
    }

    /// The first property with this id.
    pub fn property(&self, id: u32) -> Option<PropertyRef<'a>> {
        self.properties().find(|p| p.id == id)
    }

    /// The exact bytes of this element as a lone serialized element.
    pub fn raw(&self, input: &'a [u8]) -> Option<&'a [u8]> {
        input.get(self.offset..self.data_offset + self.data.len())
    }

    /// An owned copy.
    pub fn to_owned(&self) -> Element {
        Element {
            kind: self.kind,
            encoding: self.encoding,
            data: self.data.to_vec(),
            properties: self.properties().map(|p| p.to_owned()).collect(),
        }
    }
}

/// Iterator over an element's property records (see [`ElementRef::properties`]).
#[derive(Debug, Clone)]
pub struct PropertyIter<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for PropertyIter<'a> {
    type Item = PropertyRef<'a>;

    fn next(&mut self) -> Option<PropertyRef<'a>> {
        // The bytes were framed by the parser; a short read here simply ends the iteration.
        let (id, encoding, len) = record_header(self.bytes)?;
        let end = RECORD_HEADER.checked_add(usize::try_from(len).ok()?)?;
        let data = self.bytes.get(RECORD_HEADER..end)?;
        let item = PropertyRef {
            id,
            encoding,
            data,
            offset: self.offset,
        };
        self.bytes = self.bytes.get(end..)?;
        self.offset += end;
        Some(item)
    }
}

/// A parsed input: its form and its elements, borrowing the input bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRef<'a> {
    form: Form,
    elements: Vec<ElementRef<'a>>,
}

/// Two elements with the same kind and the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Duplicate {
    /// Index of the later copy.
    pub index: usize,
    /// Index of the first copy.
    pub first: usize,
}

impl<'a> StoreRef<'a> {
    /// Whether the input was a store file or a lone element.
    pub fn form(&self) -> Form {
        self.form
    }

    /// The elements in file order.
    pub fn elements(&self) -> &[ElementRef<'a>] {
        &self.elements
    }

    /// Elements whose kind and data equal an earlier element's, in file order. Windows never
    /// writes these, but the format allows them; they are kept and reported, not dropped.
    pub fn duplicates(&self) -> Vec<Duplicate> {
        let mut seen: HashMap<(ElementKind, &[u8]), usize> =
            HashMap::with_capacity(self.elements.len());
        let mut out = Vec::new();
        for (index, e) in self.elements.iter().enumerate() {
            if let Some(&first) = seen.get(&(e.kind, e.data)) {
                out.push(Duplicate { index, first });
            } else {
                seen.insert((e.kind, e.data), index);
            }
        }
        out
    }

    /// An owned copy.
    pub fn to_owned(&self) -> Store {
        Store {
            elements: self.elements.iter().map(ElementRef::to_owned).collect(),
        }
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

fn record_header(bytes: &[u8]) -> Option<(u32, u32, u32)> {
    Some((u32_at(bytes, 0)?, u32_at(bytes, 4)?, u32_at(bytes, 8)?))
}

fn encoding_ok(encoding: u32) -> bool {
    encoding == X509_ASN_ENCODING || encoding == X509_ASN_ENCODING | PKCS_7_ASN_ENCODING
}

/// Checks that `data` is exactly one DER SEQUENCE (definite length) and nothing else.
pub(crate) fn check_sequence(data: &[u8]) -> Result<(), String> {
    use der::{Decode, Header, Reader, SliceReader, Tag};
    let mut reader = SliceReader::new(data).map_err(|e| e.to_string())?;
    let header = Header::decode(&mut reader).map_err(|e| e.to_string())?;
    if header.tag() != Tag::Sequence {
        return Err(format!(
            "starts with tag {} instead of SEQUENCE",
            header.tag()
        ));
    }
    let head_len = usize::try_from(reader.position()).map_err(|e| e.to_string())?;
    let body_len = usize::try_from(header.length()).map_err(|e| e.to_string())?;
    let total = head_len.saturating_add(body_len);
    if total == data.len() {
        Ok(())
    } else if total > data.len() {
        Err(format!(
            "the SEQUENCE declares {total} bytes but the record holds {}",
            data.len()
        ))
    } else {
        Err(format!(
            "{} bytes follow the {total}-byte SEQUENCE",
            data.len() - total
        ))
    }
}

/// One framed record.
struct Record<'a> {
    offset: usize,
    id: u32,
    encoding: u32,
    data: &'a [u8],
    end: usize,
}

/// Reads the record at `offset`, checking its length against what remains.
fn read_record(input: &[u8], offset: usize) -> Result<Record<'_>, Error> {
    let rest = input.get(offset..).unwrap_or_default();
    let (id, encoding, length) = record_header(rest).ok_or(Error::TruncatedRecord {
        offset,
        available: rest.len(),
    })?;
    let available = rest.len() - RECORD_HEADER;
    let len = usize::try_from(length).unwrap_or(usize::MAX);
    if len > available {
        return Err(Error::RecordOverrun {
            offset,
            id,
            length,
            available,
        });
    }
    let start = offset + RECORD_HEADER;
    Ok(Record {
        offset,
        id,
        encoding,
        data: &input[start..start + len],
        end: start + len,
    })
}

/// Accumulates property records until the context record that owns them.
struct Framer<'a> {
    input: &'a [u8],
    group_start: Option<usize>,
    pending: usize,
}

impl<'a> Framer<'a> {
    /// Handles one non-end record: returns the element when `rec` is a context record.
    fn take(&mut self, rec: Record<'a>) -> Result<Option<ElementRef<'a>>, Error> {
        if !encoding_ok(rec.encoding) {
            return Err(Error::BadEncodingType {
                offset: rec.offset,
                id: rec.id,
                encoding: rec.encoding,
            });
        }
        let Some(kind) = ElementKind::from_record_id(rec.id) else {
            if self.group_start.is_none() {
                self.group_start = Some(rec.offset);
            }
            self.pending += 1;
            return Ok(None);
        };
        if rec.data.is_empty() {
            return Err(Error::EmptyElement {
                offset: rec.offset,
                kind,
            });
        }
        let data_offset = rec.offset + RECORD_HEADER;
        check_sequence(rec.data).map_err(|reason| Error::NotDer {
            offset: data_offset,
            kind,
            reason,
        })?;
        let start = self.group_start.take().unwrap_or(rec.offset);
        self.pending = 0;
        Ok(Some(ElementRef {
            kind,
            encoding: rec.encoding,
            data: rec.data,
            offset: start,
            data_offset,
            props: &self.input[start..rec.offset],
        }))
    }

    fn dangling(&self) -> Option<Error> {
        self.group_start.map(|offset| Error::DanglingProperties {
            offset,
            count: self.pending,
        })
    }
}

/// Parses a store file or a lone element, telling them apart by the first bytes.
///
/// Input that starts with `"CERT"` at byte 4, or with a zero u32, is read as a store file
/// (and must then have a valid header); anything else as a lone element.
///
/// # Errors
/// The first framing error, with its byte offset; nothing is read partially.
pub fn parse(input: &[u8]) -> Result<StoreRef<'_>, Error> {
    if input.is_empty() {
        return Err(Error::Empty);
    }
    let looks_like_store =
        input.get(4..8) == Some(&HEADER[4..]) || input.get(..4) == Some(&HEADER[..4]);
    if looks_like_store || input.len() < 4 {
        parse_store(input)
    } else {
        parse_element(input)
    }
}

/// Parses a store file: header, element groups, end marker, nothing after it.
///
/// # Errors
/// The first framing error, with its byte offset.
pub fn parse_store(input: &[u8]) -> Result<StoreRef<'_>, Error> {
    if input.is_empty() {
        return Err(Error::Empty);
    }
    if input.len() < HEADER.len() {
        return Err(Error::TruncatedHeader { len: input.len() });
    }
    let version = u32_at(input, 0).unwrap_or_default();
    if version != 0 {
        return Err(Error::BadVersion { version });
    }
    let magic = u32_at(input, 4).unwrap_or_default();
    if input[4..8] != HEADER[4..] {
        return Err(Error::BadMagic { found: magic });
    }
    // Every element needs at least 13 bytes: a cheap, safe capacity bound.
    let mut elements = Vec::with_capacity(input.len() / 1024);
    let mut framer = Framer {
        input,
        group_start: None,
        pending: 0,
    };
    let mut offset = HEADER.len();
    loop {
        if offset == input.len() {
            return Err(framer
                .dangling()
                .unwrap_or(Error::MissingEndMarker { offset }));
        }
        let rec = read_record(input, offset)?;
        if rec.id == 0 {
            if rec.encoding != 0 || !rec.data.is_empty() {
                return Err(Error::BadEndMarker {
                    offset,
                    encoding: rec.encoding,
                    length: u32::try_from(rec.data.len()).unwrap_or(u32::MAX),
                });
            }
            if let Some(err) = framer.dangling() {
                return Err(err);
            }
            if rec.end != input.len() {
                return Err(Error::TrailingData {
                    offset: rec.end,
                    length: input.len() - rec.end,
                });
            }
            return Ok(StoreRef {
                form: Form::Store,
                elements,
            });
        }
        offset = rec.end;
        if let Some(element) = framer.take(rec)? {
            elements.push(element);
        }
    }
}

/// Parses a lone serialized element: property records, then one certificate, CRL or CTL record,
/// then nothing.
///
/// # Errors
/// The first framing error, with its byte offset.
pub fn parse_element(input: &[u8]) -> Result<StoreRef<'_>, Error> {
    if input.is_empty() {
        return Err(Error::Empty);
    }
    let mut framer = Framer {
        input,
        group_start: None,
        pending: 0,
    };
    let mut offset = 0;
    while offset < input.len() {
        let rec = read_record(input, offset)?;
        if rec.id == 0 {
            return Err(Error::UnexpectedEndMarker { offset });
        }
        offset = rec.end;
        if let Some(element) = framer.take(rec)? {
            if offset != input.len() {
                return Err(Error::TrailingData {
                    offset,
                    length: input.len() - offset,
                });
            }
            return Ok(StoreRef {
                form: Form::Element,
                elements: vec![element],
            });
        }
    }
    Err(framer.dangling().unwrap_or(Error::Empty))
}

impl ElementRef<'_> {
    /// The friendly name (property 11), if present.
    ///
    /// # Errors
    /// When the property is not valid UTF-16LE.
    pub fn friendly_name(&self) -> Option<Result<String, Error>> {
        self.property(crate::prop::FRIENDLY_NAME)
            .map(|p| crate::prop::decode_utf16(p.id, p.data))
    }

    /// The EKU restriction (property 9) as OIDs, if present.
    ///
    /// # Errors
    /// When the property is not a DER `SEQUENCE OF OID`.
    pub fn eku_restriction(&self) -> Option<Result<Vec<const_oid::ObjectIdentifier>, Error>> {
        self.property(crate::prop::ENHKEY_USAGE)
            .map(|p| crate::prop::decode_oids(p.id, p.data))
    }
}
