//! Trust material for path validation: anchors, intermediates and CRLs, from loaded inputs.

use der::Decode;
use smimetrust_path::{ObjectIdentifier, SignatureVerifier, TrustAnchor, Validator};
use smimetrust_x509::Certificate;

use crate::{Loaded, Object, ObjectKind};

/// Trust anchors (with their Windows EKU restrictions), the untrusted intermediates and the
/// CRLs (DER) that validation uses; [`Trust::validator`] makes the [`Validator`] over them.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Trust {
    /// The trust anchors: every certificate of the trusted inputs.
    pub anchors: Vec<TrustAnchor>,
    /// Certificates that may complete a path but are not trusted.
    pub intermediates: Vec<Certificate>,
    /// Every CRL given, and every CRL the trusted inputs hold (a store may carry them).
    pub crls: Vec<Vec<u8>>,
}

impl Trust {
    /// Trust material from three loads: the trusted certificates (and CRLs a store holds),
    /// the intermediates, and CRLs. CRLs and CTLs among the trusted inputs are no anchors; CRLs
    /// and CTLs among the intermediates are ignored.
    pub fn new(trusted: &Loaded, intermediates: &Loaded, crls: &Loaded) -> Trust {
        Trust {
            anchors: trusted.objects.iter().filter_map(anchor).collect(),
            intermediates: intermediates
                .objects
                .iter()
                .filter_map(Object::certificate)
                .collect(),
            crls: crls
                .objects
                .iter()
                .chain(&trusted.objects)
                .filter(|o| o.kind == ObjectKind::Crl)
                .map(|o| o.der.clone())
                .collect(),
        }
    }

    /// A validator over this material with `verifier`.
    pub fn validator<'a>(&'a self, verifier: &'a dyn SignatureVerifier) -> Validator<'a> {
        Validator::new(&self.anchors, &self.intermediates, &self.crls, verifier)
    }
}

/// The trust anchor for a loaded certificate, with its EKU restriction when the object carries
/// SST property 9 (`CERT_ENHKEY_USAGE_PROP_ID`). A property value that does not decode as a
/// `SEQUENCE OF OBJECT IDENTIFIER` restricts the anchor to nothing (failing closed). `None` for
/// CRLs and CTLs.
pub fn anchor(o: &Object) -> Option<TrustAnchor> {
    let cert = o.certificate()?;
    let restriction = o
        .properties
        .iter()
        .find(|p| p.id == smimetrust_sst::prop::ENHKEY_USAGE)
        .map(|p| Vec::<ObjectIdentifier>::from_der(&p.data).unwrap_or_default());
    Some(match restriction {
        Some(oids) => TrustAnchor::with_purposes(cert, oids),
        None => TrustAnchor::new(cert),
    })
}
