//! Scoring of extracted quotes against gold quotes (used by `morgue eval`): text normalisation,
//! the quote-matching rule, the speaker rule, one-to-one matching within an article and a
//! precision/recall/F1 accumulator. Pure functions, no I/O.

use std::collections::HashSet;

/// Share of the smaller word set two quotes must have in common to match.
pub const SMALL_SET_SHARE: f64 = 0.8;
/// Share of the larger word set two quotes must have in common to match.
pub const LARGE_SET_SHARE: f64 = 0.5;

/// Lowercases, keeps letters (any script), digits and spaces, drops everything else and collapses
/// runs of whitespace into one space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            space = true;
        }
    }
    out
}

fn word_set(text: &str) -> HashSet<String> {
    normalize(text).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// True when the word sets of `pred` and `gold` share at least 80% of the smaller set and 50% of
/// the larger one.
pub fn quotes_match(pred: &str, gold: &str) -> bool {
    sets_match(&word_set(pred), &word_set(gold))
}

fn sets_match(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() {
        return false;
    }
    let shared = small.intersection(large).count() as f64;
    shared >= SMALL_SET_SHARE * small.len() as f64 && shared >= LARGE_SET_SHARE * large.len() as f64
}

/// True when the predicted canonical name contains the gold speaker's last name (both normalised).
pub fn speaker_right(pred_canonical: &str, gold_speaker: &str) -> bool {
    let gold = normalize(gold_speaker);
    let Some(last) = gold.split(' ').rfind(|w| !w.is_empty()) else {
        return false;
    };
    normalize(pred_canonical).contains(last)
}

/// Counts of true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    /// Adds the counts of one article.
    pub fn add(&mut self, other: Prf) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }

    /// tp / (tp + fp); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / (tp + fn); 1 when there was nothing to find.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Matches the predicted quotes of one article to its gold quotes one to one: each gold quote
/// takes the first unused prediction that matches it, in gold order. Returns the pairs
/// `(pred index, gold index)` and the article's counts.
pub fn match_quotes(pred: &[&str], gold: &[&str]) -> (Vec<(usize, usize)>, Prf) {
    let pred_sets: Vec<HashSet<String>> = pred.iter().map(|t| word_set(t)).collect();
    let mut used = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let gs = word_set(g);
        if let Some(pi) = (0..pred.len()).find(|&pi| !used[pi] && sets_match(&pred_sets[pi], &gs)) {
            used[pi] = true;
            pairs.push((pi, gi));
        }
    }
    let prf = Prf { tp: pairs.len(), fp: pred.len() - pairs.len(), fn_: gold.len() - pairs.len() };
    (pairs, prf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases = [
            ("lowercase_and_punctuation", "We’ll WIN, folks!", "well win folks"),
            ("collapse_spaces", "  a \n\t b  ", "a b"),
            ("other_scripts_kept", "Ça va, Москва 2016", "ça va москва 2016"),
            ("dash_is_dropped", "state-of-the-art — yes", "stateoftheart yes"),
        ];
        for (name, input, want) in cases {
            assert_eq!(normalize(input), want, "case {name}");
        }
    }

    #[test]
    fn quotes_match_table() {
        let cases = [
            ("identical", "we will win", "We will win.", true),
            (
                "small_inside_large_enough",
                "we will win the state",
                "we will win the state today",
                true,
            ),
            ("too_small_a_part", "we will", "we will win the state today and tomorrow", false),
            ("different", "taxes go up", "spending goes down", false),
            ("empty_never_matches", "", "", false),
        ];
        for (name, p, g, want) in cases {
            assert_eq!(quotes_match(p, g), want, "case {name}");
        }
    }

    #[test]
    fn speaker_right_table() {
        let cases = [
            ("full_name_contains_last", "John Kerry", "Kerry", true),
            ("gold_full_name", "John Kerry", "Secretary John Kerry", true),
            ("other_person", "John Kerry", "Lavrov", false),
            ("no_name_no_match", "John Kerry", "", false),
        ];
        for (name, p, g, want) in cases {
            assert_eq!(speaker_right(p, g), want, "case {name}");
        }
    }

    #[test]
    fn match_is_one_to_one() {
        let (pairs, prf) =
            match_quotes(&["we will win", "other words entirely"], &["we will win", "we will win"]);
        assert_eq!(pairs, [(0, 0)]);
        assert_eq!(prf, Prf { tp: 1, fp: 1, fn_: 1 });
        assert!((prf.f1() - 0.5).abs() < 1e-9);
    }
}
