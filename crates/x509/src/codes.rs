//! The shape every stable code of smimetrust takes.

/// Declares a stable-code enum: `#[non_exhaustive]`, `Copy`, with `ALL` (every code, in
/// documentation order), `as_str()` (the kebab-case code of `docs/diagnostics.md`),
/// `Display`, and comparison with `&str`.
///
/// ```
/// smimetrust_x509::code_enum! {
///     /// Colours.
///     pub enum Colour {
///         /// `deep-red`.
///         DeepRed = "deep-red",
///     }
/// }
/// assert_eq!(Colour::DeepRed.as_str(), "deep-red");
/// assert_eq!(Colour::DeepRed, "deep-red");
/// assert_eq!(Colour::ALL, &[Colour::DeepRed]);
/// ```
#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every code, in documentation order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable kebab-case code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::cmp::PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}
