//! The surface forms of the gazetteer data (`data/places/places.tsv`) and the patterns the
//! place automaton matches, in its pattern order.
//!
//! The build script includes this file too (`build.rs`): it builds the automaton for the embedded
//! data once, when the binary is built, so that a run does not spend a third of a second on it.
//! [`digest`] ties the prebuilt automaton to the exact pattern list; if the two ever differ, the
//! automaton is built at run time instead. This file uses nothing but `std`.

use std::borrow::Cow;

/// The place kinds a data line may have; lines of any other kind are skipped.
pub const KINDS: [&str; 5] = ["continent", "region", "country", "state", "city"];

/// One line of the data, its columns as written.
pub struct Line<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub admin: &'a str,
    pub population: &'a str,
    /// Surface forms separated by `|`, each with an optional marker (see [`Pattern`]).
    pub surface: &'a str,
}

/// The data lines with six columns and a known kind, in file order (comments, blank lines and
/// malformed lines skipped).
pub fn lines(tsv: &str) -> impl Iterator<Item = Line<'_>> {
    tsv.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|line| {
        let mut cols = line.split('\t');
        let mut col = || cols.next();
        let (kind, name, country, admin, population, surface) =
            (col()?, col()?, col()?, col()?, col()?, col()?);
        if col().is_some() {
            return None;
        }
        KINDS.contains(&kind).then_some(Line { kind, name, country, admin, population, surface })
    })
}

/// One pattern of a line: a surface form as written, or its all-capitals spelling.
pub struct Pattern<'a> {
    /// The form's marker: `~` a common word, `^` only after a comma, `@` a demonym, `%` a
    /// person's name, none a name.
    pub marker: Option<u8>,
    pub text: Cow<'a, str>,
    /// Whether this is the all-capitals spelling of the form ("BOSTON" in a dateline).
    pub capitals: bool,
}

/// The patterns of a line's surface column (forms separated by `|`), in the automaton's order:
/// each form, then its all-capitals spelling if it has one. Both the build script and the run
/// take the patterns from here, so their order cannot differ.
pub fn line_patterns(surface: &str) -> impl Iterator<Item = Pattern<'_>> {
    surface_forms(surface).flat_map(|(marker, form)| {
        let written = Pattern { marker, text: Cow::Borrowed(form), capitals: false };
        let upper =
            capitals(form, marker).map(|u| Pattern { marker, text: Cow::Owned(u), capitals: true });
        std::iter::once(written).chain(upper)
    })
}

/// The forms of a surface column with their marker.
fn surface_forms(surface: &str) -> impl Iterator<Item = (Option<u8>, &str)> {
    surface.split('|').filter(|f| !f.is_empty()).map(|raw| match raw.as_bytes()[0] {
        m @ (b'~' | b'^' | b'@' | b'%') => (Some(m), &raw[1..]),
        _ => (None, raw),
    })
}

/// The all-capitals spelling that is matched besides `form`, if any: for forms of four
/// characters or more, without a period, that are not demonyms or after-comma abbreviations.
fn capitals(form: &str, marker: Option<u8>) -> Option<String> {
    if matches!(marker, Some(b'@' | b'^')) || form.contains('.') || form.chars().count() < 4 {
        return None;
    }
    let upper = form.to_uppercase();
    (upper != form).then_some(upper)
}

/// Every pattern of the automaton, in its order: the [`line_patterns`] of each line, each
/// pattern once (where it first appears).
#[allow(dead_code)] // used by build.rs and by the tests
pub fn patterns(tsv: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for line in lines(tsv) {
        for p in line_patterns(line.surface) {
            if !seen.contains(&*p.text) {
                seen.insert(p.text.to_string());
                out.push(p.text.into_owned());
            }
        }
    }
    out
}

/// A fingerprint of a pattern list (64-bit FNV-1a over the patterns and their separators).
pub fn digest(patterns: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in patterns {
        for &b in p.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}
