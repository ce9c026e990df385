//! The words of a registry: unit kinds (word, export codes, level, UBND rule, default bloc) and
//! blocs (label, codes), compiled in from `data/vocabulary.toml` and extended by a spec.
//!
//! Matching is folded like unit names ([`crate::text::names::fold`]: case, NFC/NFD, old/new
//! tone placement) and `_` reads as `-`, so "Quận", "QUẬN", "quan" and "quan" all name `quận`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::text::names;

/// Where a kind sits in the administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A provincial agency (sở, ban, văn phòng …).
    Agency,
    /// A province or centrally-run city.
    Province,
    /// A district-level unit (quận, huyện, thị xã, thành phố thuộc tỉnh).
    District,
    /// A commune-level unit (xã, phường, thị trấn, đặc khu).
    Commune,
}

/// One unit kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    /// The word a letter prints, lower case ("quận").
    pub word: String,
    /// Other spellings offices export ("quan").
    #[serde(default)]
    pub codes: Vec<String>,
    /// Its level.
    pub level: Level,
    /// Whether it is a people's committee (a list may write "UBND " before it).
    pub local: bool,
    /// The code or label of its bloc, used when the registry's bloc cell is empty.
    pub bloc: String,
    /// How the commune level of a parent is named when every member is of this kind
    /// ("cấp phường"); default the commune level of `data/wording.toml` ("cấp xã").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<String>,
}

/// One bloc.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bloc {
    /// The words a letter prints ("Khối sở, ngành").
    pub label: String,
    /// Other spellings ("so-nganh").
    #[serde(default)]
    pub codes: Vec<String>,
}

/// The kinds and blocs a registry may use, and the column names of values files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vocabulary {
    /// Unit kinds.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// Blocs.
    #[serde(default)]
    pub blocs: Vec<Bloc>,
    /// Column names of values files; a spec adds its own with `[vocabulary.columns]`.
    #[serde(default)]
    pub columns: Columns,
    /// Name prefixes matching drops (compiled in only; read by [`crate::text::names`]).
    #[serde(default, skip_serializing)]
    pub names: NamePrefixes,
    /// [`Vocabulary::columns`] as [`header_key`]s, made on first use (every data row is
    /// checked against `totals`, so each name is folded once, not once per row).
    #[serde(skip)]
    column_keys: OnceLock<Columns>,
}

/// Words written before a local unit's name that matching ignores ("UBND").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamePrefixes {
    /// "UBND", "Ủy ban nhân dân".
    pub prefixes: Vec<String>,
}

/// Kinds, blocs and column names a spec adds: its `[vocabulary]` table, or a file in the format
/// of `data/vocabulary.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Additions {
    /// Kinds to add or replace.
    #[serde(default)]
    pub kinds: Vec<Kind>,
    /// Blocs to add or replace.
    #[serde(default)]
    pub blocs: Vec<Bloc>,
    /// Column names added to the built-in ones (an export's own header: "Tên cơ quan").
    #[serde(default)]
    pub columns: Columns,
}

/// The headers values files give each column, matched folded (case, NFD, tone, `_` as space).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The unit's id or code ("id", "mã đơn vị").
    #[serde(default)]
    pub id: Vec<String>,
    /// The unit's name ("đơn vị", "tên đơn vị").
    #[serde(default)]
    pub name: Vec<String>,
    /// The parent's name ("đơn vị cấp trên").
    #[serde(default)]
    pub parent: Vec<String>,
    /// The indicator of a long table ("chỉ tiêu").
    #[serde(default)]
    pub indicator: Vec<String>,
    /// The value of a long table ("giá trị", "tỷ lệ").
    #[serde(default)]
    pub value: Vec<String>,
    /// Numerator columns, also as a suffix of wide headers ("tử số").
    #[serde(default)]
    pub numerator: Vec<String>,
    /// Denominator columns, also as a suffix ("mẫu số").
    #[serde(default)]
    pub denominator: Vec<String>,
    /// Columns always ignored ("STT", "Ghi chú").
    #[serde(default)]
    pub ignored: Vec<String>,
    /// A unit's target in the export: whole columns of a long table, or suffixes of wide
    /// headers ("Tỷ lệ hồ sơ trực tuyến (chỉ tiêu)").
    #[serde(default)]
    pub target: Vec<String>,
    /// Unit cells of totals rows, skipped ("Tổng cộng", "Toàn tỉnh").
    #[serde(default)]
    pub totals: Vec<String>,
}

/// The key two spellings share: folded like unit names, `_` read as `-`.
pub fn key(s: &str) -> String {
    names::fold(s).replace('_', "-")
}

/// The key a column header or cell is matched by: folded like unit names, `_` read as a space
/// ("Tên_đơn_vị", "TÊN ĐƠN VỊ" and "tên đơn vị" are one).
pub fn header_key(h: &str) -> String {
    if h.contains('_') {
        names::fold(&h.replace('_', " "))
    } else {
        names::fold(h)
    }
}

impl Columns {
    /// Each list with `f` applied to every name.
    fn map(&self, f: impl Fn(&str) -> String) -> Columns {
        let m = |l: &[String]| l.iter().map(|a| f(a)).collect();
        Columns {
            id: m(&self.id),
            name: m(&self.name),
            parent: m(&self.parent),
            indicator: m(&self.indicator),
            value: m(&self.value),
            numerator: m(&self.numerator),
            denominator: m(&self.denominator),
            ignored: m(&self.ignored),
            target: m(&self.target),
            totals: m(&self.totals),
        }
    }

    /// Each list with `extra`'s names appended, those it already has (by [`header_key`])
    /// left out.
    fn extended(&mut self, extra: &Columns) {
        for (list, more) in [
            (&mut self.id, &extra.id),
            (&mut self.name, &extra.name),
            (&mut self.parent, &extra.parent),
            (&mut self.indicator, &extra.indicator),
            (&mut self.value, &extra.value),
            (&mut self.numerator, &extra.numerator),
            (&mut self.denominator, &extra.denominator),
            (&mut self.ignored, &extra.ignored),
            (&mut self.target, &extra.target),
            (&mut self.totals, &extra.totals),
        ] {
            for name in more {
                if !list.iter().any(|a| header_key(a) == header_key(name)) {
                    list.push(name.clone());
                }
            }
        }
    }
}

impl Vocabulary {
    /// The compiled-in vocabulary (`data/vocabulary.toml`).
    pub fn builtin() -> &'static Vocabulary {
        static V: OnceLock<Vocabulary> = OnceLock::new();
        V.get_or_init(|| {
            // Part of the binary and covered by a test; a failure here is a build defect.
            toml::from_str(include_str!("../../data/vocabulary.toml")).unwrap_or_else(|e| {
                panic!("data/vocabulary.toml compiled into congvan is invalid: {e}")
            })
        })
    }

    /// The column names as [`header_key`]s (folded once per vocabulary).
    pub fn column_keys(&self) -> &Columns {
        self.column_keys
            .get_or_init(|| self.columns.map(header_key))
    }

    /// This vocabulary with `extra`'s entries added; an entry whose word (kind) or label (bloc)
    /// matches an existing one replaces it, keeping the existing codes as well as its own;
    /// column names are added to those of their column.
    pub fn extended(&self, extra: &Additions) -> Vocabulary {
        let mut v = self.clone();
        v.columns.extended(&extra.columns);
        v.column_keys = OnceLock::new();
        for k in &extra.kinds {
            match v.kinds.iter_mut().find(|o| key(&o.word) == key(&k.word)) {
                Some(o) => {
                    let old = std::mem::replace(o, k.clone());
                    o.codes.extend(old.codes);
                }
                None => v.kinds.push(k.clone()),
            }
        }
        for b in &extra.blocs {
            match v.blocs.iter_mut().find(|o| key(&o.label) == key(&b.label)) {
                Some(o) => {
                    let old = std::mem::replace(o, b.clone());
                    o.codes.extend(old.codes);
                }
                None => v.blocs.push(b.clone()),
            }
        }
        v
    }

    /// The kind written `s` (its word or a code, folded).
    pub fn kind(&self, s: &str) -> Option<&Kind> {
        let k = key(s);
        if k.is_empty() {
            return None;
        }
        self.kinds
            .iter()
            .find(|kind| key(&kind.word) == k || kind.codes.iter().any(|c| key(c) == k))
    }

    /// The bloc written `s` (its label or a code, folded).
    pub fn bloc(&self, s: &str) -> Option<&Bloc> {
        let k = key(s);
        if k.is_empty() {
            return None;
        }
        self.blocs
            .iter()
            .find(|b| key(&b.label) == k || b.codes.iter().any(|c| key(c) == k))
    }

    /// The label of bloc `s` when the vocabulary knows it, else `s` as written.
    pub fn bloc_label(&self, s: &str) -> String {
        self.bloc(s)
            .map_or_else(|| s.to_string(), |b| b.label.clone())
    }

    /// Every kind word, in vocabulary order ("sở, ban, …").
    pub fn kind_words(&self) -> Vec<&str> {
        self.kinds.iter().map(|k| k.word.as_str()).collect()
    }

    /// Every spelling of every kind (words and codes), for suggestions.
    pub fn kind_spellings(&self) -> Vec<&str> {
        self.kinds
            .iter()
            .flat_map(|k| {
                std::iter::once(k.word.as_str()).chain(k.codes.iter().map(String::as_str))
            })
            .collect()
    }

    /// `full` without the local kind word it starts with: "huyện An Lão" → "An Lão".
    pub fn strip_kind<'a>(&self, full: &'a str) -> &'a str {
        for k in self.kinds.iter().filter(|k| k.local) {
            if let Some(rest) = full
                .strip_prefix(k.word.as_str())
                .and_then(|r| r.strip_prefix(' '))
            {
                return rest;
            }
        }
        full
    }

    /// Checks that every kind's default bloc is a known bloc; the message names the first that
    /// is not.
    pub fn validate(&self) -> std::result::Result<(), String> {
        for k in &self.kinds {
            if k.word.trim().is_empty() {
                return Err("a kind has an empty word".to_string());
            }
            if self.bloc(&k.bloc).is_none() {
                let labels: Vec<&str> = self.blocs.iter().map(|b| b.label.as_str()).collect();
                return Err(format!(
                    "kind \"{}\" has bloc \"{}\", which is no bloc of the vocabulary (blocs: {})",
                    k.word,
                    k.bloc,
                    labels.join("; ")
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_vocabulary_parses_and_is_consistent() {
        let v = Vocabulary::builtin();
        assert_eq!(v.validate(), Ok(()));
        for code in [
            "so",
            "ban-nganh",
            "quan",
            "huyen",
            "thi-xa",
            "thanh-pho",
            "xa",
            "phuong",
            "thi-tran",
            "dac-khu",
        ] {
            assert!(v.kind(code).is_some(), "{code}");
        }
        assert_eq!(v.kind("QUẬN").map(|k| k.word.as_str()), Some("quận"));
        assert_eq!(
            v.kind("thanh_pho").map(|k| k.word.as_str()),
            Some("thành phố")
        );
        assert_eq!(v.kind("Đặc khu").map(|k| k.level), Some(Level::Commune));
        assert_eq!(v.bloc_label("so-nganh"), "Khối sở, ngành");
        assert_eq!(v.bloc_label("Khối Sở, Ngành"), "Khối sở, ngành");
        assert_eq!(v.bloc_label("Khối khác"), "Khối khác");
        assert!(v.kind("quân").is_none());
        assert!(v.columns.name.iter().any(|c| c == "tên đơn vị"));
        assert!(v.columns.numerator.iter().any(|c| c == "tử số"));
    }

    #[test]
    fn a_spec_entry_adds_or_replaces() {
        let extra: Additions = toml::from_str(
            "[[kinds]]\nword = \"chi cục\"\ncodes = [\"chi-cuc\"]\nlevel = \"agency\"\nlocal = false\nbloc = \"so-nganh\"\n[[blocs]]\nlabel = \"Khối sở, ngành\"\ncodes = [\"SN\"]\n",
        )
        .unwrap();
        let v = Vocabulary::builtin().extended(&extra);
        assert_eq!(v.kind("chi-cuc").map(|k| k.word.as_str()), Some("chi cục"));
        assert_eq!(v.bloc_label("sn"), "Khối sở, ngành");
        assert_eq!(v.bloc_label("so-nganh"), "Khối sở, ngành");
        assert_eq!(v.blocs.len(), Vocabulary::builtin().blocs.len());
    }
}
