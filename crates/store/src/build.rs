//! Building `.sst` stores from loaded objects, as `smimetrust sst create` and the Exchange
//! commands do.

use std::collections::BTreeMap;

use smimetrust_sst::{Element, Store, prop};

use crate::{Error, InputFormat, Object, ObjectKind, Source};

impl Object {
    /// The store element for this object. Objects that came from a store keep their
    /// properties verbatim; with `fresh`, the others get what Windows writes for a freshly
    /// imported certificate: the SHA-1 hash property (3).
    ///
    /// # Errors
    /// [`Error::Sst`] when the bytes cannot be a store element (not one DER SEQUENCE, too large).
    pub fn to_element(&self, fresh: bool) -> Result<Element, Error> {
        let mut e =
            Element::new(self.kind.into(), self.der.clone()).map_err(|source| Error::Sst {
                file: self.source.name.clone(),
                source,
            })?;
        e.properties = self.properties.clone();
        if fresh && self.properties.is_empty() {
            e.set_property(prop::SHA1_HASH, e.sha1().to_vec());
        }
        Ok(e)
    }

    /// The objects of a store's elements, in order, named `name`.
    pub fn from_store(store: &Store, name: &str) -> Vec<Object> {
        store
            .elements
            .iter()
            .enumerate()
            .map(|(index, e)| Object {
                kind: match e.kind {
                    smimetrust_sst::ElementKind::Crl => ObjectKind::Crl,
                    smimetrust_sst::ElementKind::Ctl => ObjectKind::Ctl,
                    _ => ObjectKind::Certificate,
                },
                der: e.data.clone(),
                properties: e.properties.clone(),
                source: Source {
                    name: name.to_string(),
                    index,
                    format: InputFormat::Sst,
                },
            })
            .collect()
    }
}

/// A new store from `objects`, as `smimetrust sst create` builds it: objects sorted with
/// [`sort_for_store`](crate::sort_for_store), fresh certificates given the SHA-1 property, and
/// friendly names set from `names` (upper-case SHA-1 hex → name; names replace a store's own).
///
/// Returns the store and the thumbprints in `names` that matched no object.
///
/// # Errors
/// [`Error::Sst`] when an object cannot be a store element.
pub fn build_store(
    objects: &mut [Object],
    names: &BTreeMap<String, String>,
) -> Result<(Store, Vec<String>), Error> {
    crate::sort_for_store(objects);
    let mut unused: BTreeMap<&str, ()> = names.keys().map(|k| (k.as_str(), ())).collect();
    let mut elements = Vec::with_capacity(objects.len());
    for o in objects.iter() {
        let mut e = o.to_element(true)?;
        let sha1 = smimetrust_x509::hex(&e.sha1());
        if let Some(name) = names.get(&sha1) {
            e.set_friendly_name(name);
            unused.remove(sha1.as_str());
        }
        elements.push(e);
    }
    Ok((
        Store::from(elements),
        unused.into_keys().map(str::to_string).collect(),
    ))
}
