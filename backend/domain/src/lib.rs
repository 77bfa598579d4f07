//! Quartiersnetz domain rules: plain Rust without I/O, so they can be tested on their own and,
//! where the browser needs the same rule, compiled to wasm.
//!
//! One module per domain module of the server (tenancy, accounts, areas, indicators, boards,
//! directory, surveys); a new one adds a sibling and keeps storage and transport out of it.

/// The one way an enum gets its stored word: `as_str`, `ALL`, `Display` and `FromStr` from one
/// table, so the word in the database, the API and the code cannot drift apart. An unknown word
/// becomes `$err` (a function of the word, cut to 40 characters). Exported, so that the
/// server's own enums use the same table.
#[macro_export]
macro_rules! str_enum {
    ($t:ident, $err_ty:ty, $err:expr, { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            pub const ALL: [$t; [$($s),+].len()] = [$(Self::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $t {
            type Err = $err_ty;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL
                    .into_iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $err(s.chars().take(40).collect::<String>()))
            }
        }
    };
}

// The survey rules (and the postcode lookup they use) are all the browser runs; everything else
// is the server's, behind the `full` feature, so the wasm client compiles none of it (no
// geometry, projections, CSV or encodings).
#[cfg(feature = "full")]
pub mod accounts;
pub mod areas;
#[cfg(feature = "full")]
pub mod boards;
#[cfg(feature = "full")]
pub mod csv_in;
#[cfg(feature = "full")]
pub mod csv_out;
#[cfg(feature = "full")]
pub mod directory;
#[cfg(feature = "full")]
pub mod indicators;
#[cfg(feature = "full")]
pub mod members;
pub mod surveys;
#[cfg(feature = "full")]
pub mod tenancy;
pub mod text;
