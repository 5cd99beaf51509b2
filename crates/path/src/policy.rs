//! Certificate policy processing: the valid_policy_tree of RFC 5280 6.1.2 (a), (d)-(f), 6.1.3
//! (d)-(f), 6.1.4 (a)-(b), (h)-(j) and 6.1.5 (a)-(b), (g).

use const_oid::ObjectIdentifier;

use super::view::{ANY_POLICY, View};

/// The tree may not grow beyond this many nodes (pathological policy mappings make it grow
/// exponentially; cf. CVE-2023-0464).
const MAX_NODES: usize = 10_000;

#[derive(Debug, Clone)]
struct Node {
    policy: ObjectIdentifier,
    expected: Vec<ObjectIdentifier>,
    /// Index of the parent in the level above (unused at depth 0).
    parent: usize,
    live: bool,
}

/// The policy state of RFC 5280 6.1.2.
#[derive(Debug, Clone)]
pub(crate) struct PolicyState {
    /// `levels[d]` holds the nodes of depth d; `None` is the NULL tree.
    levels: Option<Vec<Vec<Node>>>,
    explicit_policy: usize,
    policy_mapping: usize,
    inhibit_any_policy: usize,
    nodes: usize,
}

fn counter(set: bool, n: usize) -> usize {
    if set { 0 } else { n + 1 }
}

impl PolicyState {
    /// The initial state for a path of `n` certificates (RFC 5280 6.1.2).
    pub(crate) fn new(
        n: usize,
        require_explicit_policy: bool,
        inhibit_policy_mapping: bool,
        inhibit_any_policy: bool,
    ) -> PolicyState {
        PolicyState {
            levels: Some(vec![vec![Node {
                policy: ANY_POLICY,
                expected: vec![ANY_POLICY],
                parent: 0,
                live: true,
            }]]),
            explicit_policy: counter(require_explicit_policy, n),
            policy_mapping: counter(inhibit_policy_mapping, n),
            inhibit_any_policy: counter(inhibit_any_policy, n),
            nodes: 1,
        }
    }

    fn grow(&mut self, by: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(by);
        if self.nodes > MAX_NODES {
            return Err(format!(
                "the policy tree grows beyond {MAX_NODES} nodes; the path is pathological"
            ));
        }
        Ok(())
    }

    /// RFC 5280 6.1.3 (d)-(f) for certificate `i` of `n` (1 = below the anchor, n = the leaf).
    pub(crate) fn process(&mut self, cert: &View<'_>, i: usize, n: usize) -> Result<(), String> {
        match (&cert.policies, self.levels.is_some()) {
            (Some(policies), true) => {
                let any_allowed = self.inhibit_any_policy > 0 || (i < n && cert.self_issued);
                let mut added = 0;
                if let Some(levels) = self.levels.as_mut() {
                    let Some(prev) = levels.last() else {
                        return Ok(());
                    };
                    let mut next: Vec<Node> = Vec::new();
                    // (d)(1)
                    for p in policies.iter().filter(|p| **p != ANY_POLICY) {
                        let mut matched = false;
                        for (idx, node) in prev.iter().enumerate() {
                            if node.live && node.expected.contains(p) {
                                next.push(Node {
                                    policy: *p,
                                    expected: vec![*p],
                                    parent: idx,
                                    live: true,
                                });
                                matched = true;
                            }
                        }
                        if !matched
                            && let Some(idx) = prev
                                .iter()
                                .position(|node| node.live && node.policy == ANY_POLICY)
                        {
                            next.push(Node {
                                policy: *p,
                                expected: vec![*p],
                                parent: idx,
                                live: true,
                            });
                        }
                    }
                    // (d)(2)
                    if any_allowed && policies.contains(&ANY_POLICY) {
                        for (idx, node) in prev.iter().enumerate().filter(|(_, n)| n.live) {
                            for e in &node.expected {
                                let exists = next.iter().any(|c| c.parent == idx && c.policy == *e);
                                if !exists {
                                    next.push(Node {
                                        policy: *e,
                                        expected: vec![*e],
                                        parent: idx,
                                        live: true,
                                    });
                                }
                            }
                        }
                    }
                    added = next.len();
                    levels.push(next);
                }
                self.grow(added)?;
                // (d)(3)
                self.prune();
            }
            // (e)
            (None, _) => self.levels = None,
            (Some(_), false) => {}
        }
        // (f)
        if self.explicit_policy == 0 && self.levels.is_none() {
            return Err(
                "no valid certificate policy remains and an explicit policy is required".to_owned(),
            );
        }
        Ok(())
    }

    /// Removes nodes (above the deepest level) that have no live children, bottom up; the
    /// tree becomes NULL when the root goes.
    fn prune(&mut self) {
        let Some(levels) = self.levels.as_mut() else {
            return;
        };
        // Children of dead parents die too.
        for d in 1..levels.len() {
            let (above, below) = levels.split_at_mut(d);
            if let (Some(parents), Some(children)) = (above.last(), below.first_mut()) {
                for child in children.iter_mut() {
                    if !parents.get(child.parent).is_some_and(|p| p.live) {
                        child.live = false;
                    }
                }
            }
        }
        for d in (0..levels.len().saturating_sub(1)).rev() {
            let mut has_child = vec![false; levels.get(d).map_or(0, Vec::len)];
            if let Some(children) = levels.get(d + 1) {
                for c in children.iter().filter(|c| c.live) {
                    if let Some(slot) = has_child.get_mut(c.parent) {
                        *slot = true;
                    }
                }
            }
            if let Some(level) = levels.get_mut(d) {
                for (node, has) in level.iter_mut().zip(has_child) {
                    if !has {
                        node.live = false;
                    }
                }
            }
        }
        if !levels
            .first()
            .and_then(|l| l.first())
            .is_some_and(|root| root.live)
        {
            self.levels = None;
        }
    }

    /// RFC 5280 6.1.4 (a)-(b) and (h)-(j), preparing for the certificate below `cert`.
    pub(crate) fn prepare(&mut self, cert: &View<'_>) -> Result<(), String> {
        if let Some(mappings) = &cert.mappings {
            // (a)
            if mappings
                .iter()
                .any(|(i, s)| *i == ANY_POLICY || *s == ANY_POLICY)
            {
                return Err("a policy mapping maps to or from anyPolicy".to_owned());
            }
            // (b)
            let mut issuer_policies: Vec<ObjectIdentifier> = Vec::new();
            for (i, _) in mappings {
                if !issuer_policies.contains(i) {
                    issuer_policies.push(*i);
                }
            }
            let mut added = 0;
            let mut deleted = false;
            if let Some(levels) = self.levels.as_mut() {
                let depth = levels.len().saturating_sub(1);
                let parents_len = if depth > 0 {
                    levels.get(depth - 1).map_or(0, Vec::len)
                } else {
                    0
                };
                let _ = parents_len;
                if let Some(level) = levels.get_mut(depth) {
                    for id_p in &issuer_policies {
                        let mapped: Vec<ObjectIdentifier> = mappings
                            .iter()
                            .filter(|(i, _)| i == id_p)
                            .map(|(_, s)| *s)
                            .collect();
                        if self.policy_mapping > 0 {
                            let mut found = false;
                            for node in level.iter_mut().filter(|n| n.live && n.policy == *id_p) {
                                node.expected.clone_from(&mapped);
                                found = true;
                            }
                            if !found
                                && let Some(parent) = level
                                    .iter()
                                    .find(|n| n.live && n.policy == ANY_POLICY)
                                    .map(|n| n.parent)
                            {
                                level.push(Node {
                                    policy: *id_p,
                                    expected: mapped,
                                    parent,
                                    live: true,
                                });
                                added += 1;
                            }
                        } else {
                            for node in level.iter_mut().filter(|n| n.live && n.policy == *id_p) {
                                node.live = false;
                                deleted = true;
                            }
                        }
                    }
                }
            }
            self.grow(added)?;
            if deleted {
                self.prune();
            }
        }
        // (h)
        if !cert.self_issued {
            self.explicit_policy = self.explicit_policy.saturating_sub(1);
            self.policy_mapping = self.policy_mapping.saturating_sub(1);
            self.inhibit_any_policy = self.inhibit_any_policy.saturating_sub(1);
        }
        // (i)
        if let Some(pc) = &cert.policy_constraints {
            if let Some(r) = pc.require_explicit_policy {
                self.explicit_policy = self
                    .explicit_policy
                    .min(usize::try_from(r).unwrap_or(usize::MAX));
            }
            if let Some(m) = pc.inhibit_policy_mapping {
                self.policy_mapping = self
                    .policy_mapping
                    .min(usize::try_from(m).unwrap_or(usize::MAX));
            }
        }
        // (j)
        if let Some(skip) = cert.inhibit_any {
            self.inhibit_any_policy = self
                .inhibit_any_policy
                .min(usize::try_from(skip).unwrap_or(usize::MAX));
        }
        Ok(())
    }

    /// RFC 5280 6.1.5 (a), (b) and (g) for the leaf, then the final check. Returns the
    /// user-constrained policy set (`None`: the tree is NULL; a set holding anyPolicy: any).
    pub(crate) fn finish(
        mut self,
        leaf: &View<'_>,
        initial: &[ObjectIdentifier],
    ) -> Result<Option<Vec<ObjectIdentifier>>, String> {
        // (a)
        self.explicit_policy = self.explicit_policy.saturating_sub(1);
        // (b)
        if leaf
            .policy_constraints
            .as_ref()
            .is_some_and(|pc| pc.require_explicit_policy == Some(0))
        {
            self.explicit_policy = 0;
        }
        // (g)
        if !initial.contains(&ANY_POLICY)
            && let Some(levels) = self.levels.as_mut()
        {
            let n = levels.len().saturating_sub(1);
            // The valid_policy_node_set: nodes whose parent is anyPolicy.
            let mut node_set_policies: Vec<ObjectIdentifier> = Vec::new();
            for d in 1..levels.len() {
                let (above, below) = levels.split_at_mut(d);
                let (Some(parents), Some(children)) = (above.last(), below.first_mut()) else {
                    continue;
                };
                for child in children.iter_mut().filter(|c| c.live) {
                    let parent_any = parents
                        .get(child.parent)
                        .is_some_and(|p| p.live && p.policy == ANY_POLICY);
                    if parent_any {
                        node_set_policies.push(child.policy);
                        if child.policy != ANY_POLICY && !initial.contains(&child.policy) {
                            child.live = false;
                        }
                    }
                }
            }
            let mut added = 0;
            if let Some(level) = levels.get_mut(n)
                && n > 0
                && let Some(any_idx) = level
                    .iter()
                    .position(|node| node.live && node.policy == ANY_POLICY)
            {
                let parent = level.get(any_idx).map_or(0, |node| node.parent);
                for p in initial {
                    if !node_set_policies.contains(p) {
                        level.push(Node {
                            policy: *p,
                            expected: vec![*p],
                            parent,
                            live: true,
                        });
                        added += 1;
                    }
                }
                if let Some(node) = level.get_mut(any_idx) {
                    node.live = false;
                }
            }
            self.grow(added)?;
            self.prune();
            if let Some(levels) = &self.levels
                && levels.len() > 1
                && !levels.last().is_some_and(|l| l.iter().any(|n| n.live))
            {
                self.levels = None;
            }
        }
        if self.explicit_policy == 0 && self.levels.is_none() {
            return Err(
                "no certificate policy acceptable to the initial policy set remains and an explicit policy is required"
                    .to_owned(),
            );
        }
        Ok(self.levels.as_ref().map(|levels| {
            let mut out: Vec<ObjectIdentifier> = Vec::new();
            if let Some(last) = levels.last() {
                for node in last.iter().filter(|n| n.live) {
                    if !out.contains(&node.policy) {
                        out.push(node.policy);
                    }
                }
            }
            out
        }))
    }
}
