//! The offer categories of one Kommune: a managed list that planners extend, rename, order and
//! retire. A Kommune that never changed it has the default taxonomy (`taxonomy::CATEGORIES`).
//!
//! Keys are stable (stored with offers, in filters, exports and links); labels may change.
//! A category is never deleted, only retired: offers keep it and show its label, but it is no
//! longer offered for new entries or as a filter. Restoring brings it back.

use super::taxonomy;
use serde::{Deserialize, Serialize};

/// Longest label, in characters.
pub const LABEL_MAX: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub key: String,
    pub label: String,
    pub retired: bool,
}

/// A Kommune's categories in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Categories(pub Vec<Category>);

/// What a planner does to the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A new category at the end; its key is made from the label.
    Add {
        label: String,
    },
    Rename {
        key: String,
        label: String,
    },
    Retire {
        key: String,
    },
    Restore {
        key: String,
    },
    /// One place up (`up`) or down.
    Move {
        key: String,
        up: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryError {
    #[error("label: 2 to {LABEL_MAX} characters, no control characters")]
    Label,
    #[error("label: {0:?} is already used")]
    Taken(String),
    #[error("unknown category {0:?}")]
    Unknown(String),
    #[error("at least one category must stay in use")]
    LastActive,
}

impl CategoryError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Label => "LABEL_INVALID",
            Self::Taken(_) => "LABEL_TAKEN",
            Self::Unknown(_) => "UNKNOWN_CATEGORY",
            Self::LastActive => "LAST_CATEGORY",
        }
    }

    pub fn german(&self) -> String {
        match self {
            Self::Label => format!(
                "Die Bezeichnung braucht 2 bis {LABEL_MAX} Zeichen und keine Steuerzeichen."
            ),
            Self::Taken(l) => format!("Die Bezeichnung „{l}“ gibt es schon."),
            Self::Unknown(k) => format!("Die Kategorie „{k}“ gibt es nicht."),
            Self::LastActive => "Mindestens eine Kategorie muss in Gebrauch bleiben.".into(),
        }
    }
}

impl Default for Categories {
    fn default() -> Self {
        Self(
            taxonomy::CATEGORIES
                .iter()
                .map(|(key, label)| Category {
                    key: (*key).to_owned(),
                    label: (*label).to_owned(),
                    retired: false,
                })
                .collect(),
        )
    }
}

impl Categories {
    /// The label of a key, also of a retired category (`None` for an unknown key).
    pub fn label(&self, key: &str) -> Option<&str> {
        self.find(key).map(|c| c.label.as_str())
    }

    /// Whether new entries and filters may use the key.
    pub fn is_active(&self, key: &str) -> bool {
        self.find(key).is_some_and(|c| !c.retired)
    }

    /// The categories in use, in order.
    pub fn active(&self) -> impl Iterator<Item = &Category> {
        self.0.iter().filter(|c| !c.retired)
    }

    /// (key, label) of the categories in use, as the forms list them.
    pub fn choices(&self) -> Vec<(String, String)> {
        self.active()
            .map(|c| (c.key.clone(), c.label.clone()))
            .collect()
    }

    fn find(&self, key: &str) -> Option<&Category> {
        self.0.iter().find(|c| c.key == key)
    }

    fn position(&self, key: &str) -> Result<usize, CategoryError> {
        self.0
            .iter()
            .position(|c| c.key == key)
            .ok_or_else(|| CategoryError::Unknown(key.chars().take(40).collect()))
    }

    /// A trimmed label that no other category has (compared without case).
    fn check_label(&self, label: &str, except: Option<&str>) -> Result<String, CategoryError> {
        let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = label.chars().count();
        if !(2..=LABEL_MAX).contains(&n) || label.chars().any(char::is_control) {
            return Err(CategoryError::Label);
        }
        let lower = label.to_lowercase();
        if self
            .0
            .iter()
            .any(|c| Some(c.key.as_str()) != except && c.label.to_lowercase() == lower)
        {
            return Err(CategoryError::Taken(label));
        }
        Ok(label)
    }

    /// Applies a change; the list is unchanged when it is refused.
    ///
    /// # Errors
    /// A bad or taken label, an unknown key, or retiring the last category in use.
    pub fn apply(&mut self, change: &Change) -> Result<(), CategoryError> {
        match change {
            Change::Add { label } => {
                let label = self.check_label(label, None)?;
                let key = self.new_key(&label);
                self.0.push(Category {
                    key,
                    label,
                    retired: false,
                });
            }
            Change::Rename { key, label } => {
                let i = self.position(key)?;
                let label = self.check_label(label, Some(key))?;
                self.0[i].label = label;
            }
            Change::Retire { key } => {
                let i = self.position(key)?;
                if !self.0[i].retired && self.active().count() == 1 {
                    return Err(CategoryError::LastActive);
                }
                self.0[i].retired = true;
            }
            Change::Restore { key } => {
                let i = self.position(key)?;
                self.0[i].retired = false;
            }
            Change::Move { key, up } => {
                let i = self.position(key)?;
                let j = if *up {
                    i.checked_sub(1)
                } else {
                    Some(i + 1).filter(|j| *j < self.0.len())
                };
                if let Some(j) = j {
                    self.0.swap(i, j);
                }
            }
        }
        Ok(())
    }

    /// A key from the label: lower-case ASCII letters and digits joined by `_`, umlauts spelt
    /// out, unique within the list.
    fn new_key(&self, label: &str) -> String {
        let mut base = String::new();
        for ch in label.to_lowercase().chars() {
            let spelt = match ch {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                c if c.is_ascii_alphanumeric() => {
                    base.push(c);
                    continue;
                }
                _ => {
                    if !base.is_empty() && !base.ends_with('_') {
                        base.push('_');
                    }
                    continue;
                }
            };
            base.push_str(spelt);
        }
        let mut base: String = base.trim_matches('_').chars().take(32).collect();
        if base.is_empty() {
            base = "kategorie".into();
        }
        let mut key = base.clone();
        let mut n = 2;
        while self.find(&key).is_some() {
            key = format!("{base}_{n}");
            n += 1;
        }
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planners_manage_the_list() {
        let mut c = Categories::default();
        assert!(c.is_active("sport"));
        c.apply(&Change::Add {
            label: "  Digitales &  Medien ".into(),
        })
        .expect("add");
        let added = c.0.last().expect("added");
        assert_eq!(
            (added.key.as_str(), added.label.as_str()),
            ("digitales_medien", "Digitales & Medien")
        );
        c.apply(&Change::Add {
            label: "Digitales / Medien!".into(),
        })
        .expect("same key base");
        assert_eq!(
            c.0.last().map(|x| x.key.as_str()),
            Some("digitales_medien_2")
        );
        c.apply(&Change::Add {
            label: "Übergänge".into(),
        })
        .expect("umlauts");
        assert_eq!(c.0.last().map(|x| x.key.as_str()), Some("uebergaenge"));
        assert_eq!(
            c.apply(&Change::Add {
                label: "beratung".into()
            }),
            Err(CategoryError::Taken("beratung".into())),
            "labels are unique regardless of case"
        );
        assert_eq!(
            c.apply(&Change::Add { label: "x".into() }),
            Err(CategoryError::Label)
        );
        assert_eq!(
            c.apply(&Change::Add {
                label: "a\u{0}b".into()
            }),
            Err(CategoryError::Label)
        );
        c.apply(&Change::Rename {
            key: "sport".into(),
            label: "Sport".into(),
        })
        .expect("rename");
        assert_eq!(c.label("sport"), Some("Sport"));
        c.apply(&Change::Rename {
            key: "sport".into(),
            label: "SPORT".into(),
        })
        .expect("own label in other case");
        c.apply(&Change::Retire {
            key: "sport".into(),
        })
        .expect("retire");
        assert!(!c.is_active("sport"));
        assert_eq!(
            c.label("sport"),
            Some("SPORT"),
            "label stays for old offers"
        );
        assert!(c.choices().iter().all(|(k, _)| k != "sport"));
        c.apply(&Change::Restore {
            key: "sport".into(),
        })
        .expect("restore");
        assert!(c.is_active("sport"));
        assert_eq!(
            c.apply(&Change::Retire {
                key: "zauberei".into()
            }),
            Err(CategoryError::Unknown("zauberei".into()))
        );
    }

    #[test]
    fn order_and_the_last_category() {
        let mut c = Categories(vec![
            Category {
                key: "a".into(),
                label: "Aa".into(),
                retired: false,
            },
            Category {
                key: "b".into(),
                label: "Bb".into(),
                retired: false,
            },
        ]);
        c.apply(&Change::Move {
            key: "b".into(),
            up: true,
        })
        .expect("up");
        assert_eq!(c.0[0].key, "b");
        c.apply(&Change::Move {
            key: "b".into(),
            up: true,
        })
        .expect("first stays first");
        c.apply(&Change::Move {
            key: "a".into(),
            up: false,
        })
        .expect("last stays last");
        assert_eq!(c.0[1].key, "a");
        c.apply(&Change::Retire { key: "a".into() })
            .expect("one left");
        let before = c.clone();
        assert_eq!(
            c.apply(&Change::Retire { key: "b".into() }),
            Err(CategoryError::LastActive)
        );
        assert_eq!(c, before, "unchanged after a refusal");
    }
}
