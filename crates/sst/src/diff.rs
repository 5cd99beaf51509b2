//! Comparing two stores element by element, with the identity rule of [`Store::merge`].

use std::collections::{BTreeMap, HashMap};

use crate::merge::{Key, key};
use crate::{Element, Property, Store};

/// How `other` differs from `self` in [`Store::diff`]: `self` is the old store, `other` the
/// new one. Elements are told apart by kind and SHA-1 of their data; when a store holds copies
/// of one element, only the first copy takes part (as [`Store::merge`] keeps the first copy).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diff {
    /// Indices in the new store of the elements the old one lacks, in the new store's order.
    pub added: Vec<usize>,
    /// Indices in the old store of the elements the new one lacks, in the old store's order.
    pub removed: Vec<usize>,
    /// The elements in both, in the old store's order, with their property changes.
    pub common: Vec<Common>,
}

/// One element that is in both stores of a [`Diff`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Common {
    /// Its index in the old store.
    pub old: usize,
    /// Its index in the new store.
    pub new: usize,
    /// How its properties differ, by ascending property id; empty when they are the same.
    pub properties: Vec<PropertyChange>,
}

/// A property that differs between the two copies of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PropertyChange {
    /// The property id (see [`prop`](crate::prop)).
    pub id: u32,
    /// Added, removed or changed.
    pub change: Change,
}

/// What happened to a property between the old and the new copy of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Change {
    /// Only the new copy has it.
    Added,
    /// Only the old copy has it.
    Removed,
    /// Both have it, with a different value or encoding-type field.
    Changed,
}

impl Change {
    /// `added`, `removed` or `changed`, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

impl Common {
    /// Whether the two copies' properties differ.
    pub fn is_changed(&self) -> bool {
        !self.properties.is_empty()
    }
}

impl Diff {
    /// The elements in both stores whose properties differ, in the old store's order.
    pub fn changed(&self) -> impl Iterator<Item = &Common> {
        self.common.iter().filter(|c| c.is_changed())
    }

    /// How many elements are in both stores with the same properties.
    pub fn unchanged(&self) -> usize {
        self.common.iter().filter(|c| !c.is_changed()).count()
    }

    /// Whether both stores hold the same elements with the same properties (in any order).
    pub fn same_elements(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed().next().is_none()
    }

    /// Whether the elements in both stores come in another order in the new store.
    pub fn reordered(&self) -> bool {
        self.common
            .iter()
            .zip(self.common.iter().skip(1))
            .any(|(a, b)| a.new > b.new)
    }
}

/// Each element's key, and the index of the first element with each key.
fn index(store: &Store) -> (Vec<Key>, HashMap<Key, usize>) {
    let keys: Vec<Key> = store.elements.iter().map(key).collect();
    let mut first = HashMap::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        first.entry(*k).or_insert(i);
    }
    (keys, first)
}

/// The property changes from `old` to `new`, by ascending id. Only the first record with an id
/// counts on each side; records are equal when their encoding-type fields and data are.
fn property_changes(old: &Element, new: &Element) -> Vec<PropertyChange> {
    type Pair<'a> = (Option<&'a Property>, Option<&'a Property>);
    let mut by_id: BTreeMap<u32, Pair<'_>> = BTreeMap::new();
    for p in &old.properties {
        let slot = &mut by_id.entry(p.id).or_default().0;
        if slot.is_none() {
            *slot = Some(p);
        }
    }
    for p in &new.properties {
        let slot = &mut by_id.entry(p.id).or_default().1;
        if slot.is_none() {
            *slot = Some(p);
        }
    }
    by_id
        .into_iter()
        .filter_map(|(id, pair)| {
            let change = match pair {
                (Some(a), Some(b)) if a == b => return None,
                (Some(_), Some(_)) => Change::Changed,
                (None, Some(_)) => Change::Added,
                (Some(_), None) => Change::Removed,
                (None, None) => return None,
            };
            Some(PropertyChange { id, change })
        })
        .collect()
}

impl Store {
    /// What changes from this store (the old one) to `other` (the new one): the elements
    /// added, removed, and in both (with the property ids added, removed or changed). Element
    /// order is not a difference; [`Diff::reordered`] tells whether it changed.
    pub fn diff(&self, other: &Store) -> Diff {
        let (old_keys, old_first) = index(self);
        let (new_keys, new_first) = index(other);
        let mut d = Diff::default();
        for (i, k) in new_keys.iter().enumerate() {
            if new_first.get(k) == Some(&i) && !old_first.contains_key(k) {
                d.added.push(i);
            }
        }
        for (i, (k, old)) in old_keys.iter().zip(&self.elements).enumerate() {
            if old_first.get(k) != Some(&i) {
                continue;
            }
            match new_first
                .get(k)
                .and_then(|&j| Some((j, other.elements.get(j)?)))
            {
                None => d.removed.push(i),
                Some((j, new)) => d.common.push(Common {
                    old: i,
                    new: j,
                    properties: property_changes(old, new),
                }),
            }
        }
        d
    }
}
