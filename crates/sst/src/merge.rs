//! Merging stores and removing elements by thumbprint, with the one identity rule that
//! [`Store::diff`] also uses.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use crate::{Element, ElementKind, Property, Store};

/// What identifies an element when stores are merged or compared: its kind and the SHA-1 of
/// its data (the thumbprint Windows matches copies by). A CRL or CTL is never the same element
/// as a certificate, even with the same bytes.
pub(crate) type Key = (ElementKind, [u8; 20]);

pub(crate) fn key(e: &Element) -> Key {
    (e.kind, e.sha1())
}

/// The one rule for the properties of a dropped copy (here and in `smimetrust-store`'s
/// loader): appends the properties of `later` whose ids `kept` lacks, in `later`'s order; a
/// repeated id in `later` is taken once (its first record).
pub fn merge_missing(kept: &mut Vec<Property>, later: &[Property]) {
    let mut ids: HashSet<u32> = kept.iter().map(|p| p.id).collect();
    for p in later {
        if ids.insert(p.id) {
            kept.push(p.clone());
        }
    }
}

/// What [`Store::merge`] made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Merged {
    /// The union: every element at the position of its first copy.
    pub store: Store,
    /// Each later copy left out, in input order.
    pub dropped: Vec<Dropped>,
}

/// A later copy of an element that [`Store::merge`] left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dropped {
    /// The store it was in: its position among the stores given, from 0.
    pub input: usize,
    /// Its index in that store's elements.
    pub index: usize,
    /// The store the kept (first) copy came from.
    pub first_input: usize,
    /// The kept copy's index in that store's elements.
    pub first_index: usize,
    /// The kept copy's index in the merged store.
    pub kept: usize,
}

impl Store {
    /// The union of `stores`, in order, without duplicates.
    ///
    /// Two elements are the same when they have the same kind and the same SHA-1 of their data
    /// (so a CRL or CTL never collapses with a certificate of the same bytes). The first copy
    /// is kept where it is, with its properties as they are; each later copy is dropped (and
    /// reported in [`Merged::dropped`]), but its properties whose ids the kept copy lacks are
    /// appended to the kept copy. Duplicates within one store are treated like duplicates
    /// across stores. Merging one store without duplicates returns it unchanged.
    pub fn merge<'a>(stores: impl IntoIterator<Item = &'a Store>) -> Merged {
        let mut merged = Merged::default();
        // Key -> (index in the merged store, input, index in that input).
        let mut seen: HashMap<Key, (usize, usize, usize)> = HashMap::new();
        for (input, store) in stores.into_iter().enumerate() {
            seen.reserve(store.elements.len());
            for (index, e) in store.elements.iter().enumerate() {
                match seen.entry(key(e)) {
                    Entry::Occupied(first) => {
                        let &(kept, first_input, first_index) = first.get();
                        if let Some(k) = merged.store.elements.get_mut(kept) {
                            merge_missing(&mut k.properties, &e.properties);
                        }
                        merged.dropped.push(Dropped {
                            input,
                            index,
                            first_input,
                            first_index,
                            kept,
                        });
                    }
                    Entry::Vacant(slot) => {
                        slot.insert((merged.store.elements.len(), input, index));
                        merged.store.elements.push(e.clone());
                    }
                }
            }
        }
        merged
    }

    /// Removes every element (of any kind) whose SHA-1 is one of `thumbprints`, all or
    /// nothing: when one of them matches no element, the store is left unchanged. Giving the
    /// same thumbprint twice is the same as giving it once.
    ///
    /// Returns how many elements were removed (copies of one element all go).
    ///
    /// # Errors
    /// The first thumbprint that no element has.
    pub fn remove_thumbprints(&mut self, thumbprints: &[[u8; 20]]) -> Result<usize, [u8; 20]> {
        let wanted: HashSet<&[u8; 20]> = thumbprints.iter().collect();
        let hashes: Vec<[u8; 20]> = self.elements.iter().map(Element::sha1).collect();
        let present: HashSet<&[u8; 20]> = hashes.iter().filter(|h| wanted.contains(h)).collect();
        if let Some(missing) = thumbprints.iter().find(|t| !present.contains(t)) {
            return Err(*missing);
        }
        let before = self.elements.len();
        let mut hashes = hashes.iter();
        self.elements
            .retain(|_| hashes.next().is_none_or(|h| !wanted.contains(h)));
        Ok(before - self.elements.len())
    }
}

/// Parses a SHA-1 thumbprint as people paste them: 40 hexadecimal digits in either case, with
/// any spaces or colons between them (`F1 8B …`, `f1:8b:…`). `None` for anything else.
pub fn parse_thumbprint(text: &str) -> Option<[u8; 20]> {
    let mut out = [0u8; 20];
    let mut digits = 0usize;
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != ':') {
        let value = u8::try_from(c.to_digit(16)?).ok()?;
        let byte = out.get_mut(digits / 2)?;
        *byte = (*byte << 4) | value;
        digits += 1;
    }
    (digits == 40).then_some(out)
}
