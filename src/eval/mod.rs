//! `morgue eval`: score what is in the index against gold annotations.
//!
//! Gold is JSON lines, one article each: `{"path", "title"?, "date"?, "author"?,
//! "quotes"?: [{"speaker", "text"}], "places"?: […]}` with `path` relative to the indexed folder
//! (matched as a suffix of the stored path). Matching rules are in [`score`].

pub mod score;

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::error::{Error, Result};
use crate::extract::places::Gazetteer;
use crate::parse::text::split_names;
use crate::query::kind_query;
use crate::schema::kinds;
use crate::store::Store;
use score::{match_quotes, normalize, speaker_right, Prf};

/// One gold line.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldArticle {
    pub path: String,
    /// The record inside a container file (`line 3`, `record 2`).
    pub locator: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<serde_json::Value>,
    pub quotes: Option<Vec<GoldQuote>>,
    pub places: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuote {
    pub speaker: Option<String>,
    pub text: String,
}

/// Precision, recall, F1 and the counts behind them.
#[derive(Debug, Clone, Serialize, Default)]
pub struct PrfReport {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl From<Prf> for PrfReport {
    fn from(p: Prf) -> Self {
        PrfReport {
            precision: p.precision(),
            recall: p.recall(),
            f1: p.f1(),
            tp: p.tp,
            fp: p.fp,
            fn_: p.fn_,
        }
    }
}

/// An exact-match rate.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Rate {
    pub correct: usize,
    pub total: usize,
    pub rate: f64,
}

impl Rate {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
        self.rate = self.correct as f64 / self.total as f64;
    }
}

/// Everything `morgue eval` reports.
#[derive(Debug, Clone, Serialize, Default)]
pub struct EvalReport {
    pub gold_articles: usize,
    /// Gold articles not found in the index.
    pub missing: usize,
    pub quotes: Option<PrfReport>,
    /// Matched quotes whose gold names a speaker: share with the right speaker.
    pub speaker_accuracy: Option<Rate>,
    /// Gold quotes naming a speaker: share found with that speaker.
    pub found_with_speaker: Option<Rate>,
    pub places: Option<PrfReport>,
    pub title: Option<Rate>,
    /// The day the source wrote (what `date` holds).
    pub date: Option<Rate>,
    /// The same, compared in UTC where the source gave a time with an offset (for gold written
    /// as UTC days).
    pub date_utc: Option<Rate>,
    pub author: Option<Rate>,
}

struct Indexed {
    title: Option<String>,
    date: Option<String>,
    /// The UTC day, when the source gave a time and an offset.
    utc_day: Option<String>,
    authors: Vec<String>,
    places: Vec<String>,
    quotes: Vec<(Option<String>, String)>,
}

/// Every article's paths with its id, and what the index holds for each id.
type Loaded = (Vec<(Vec<String>, String)>, HashMap<String, Indexed>);

fn load(store: &Store) -> Result<Loaded> {
    let f = &store.fields;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let text = |d: &TantivyDocument, field| {
        d.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
    };
    let texts = |d: &TantivyDocument, field| {
        d.get_all(field).filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>()
    };
    let mut by_id: HashMap<String, Indexed> = HashMap::new();
    let mut paths = Vec::new();
    // DocSetCollector gives a hash set: visit documents in address order so that every run
    // over the same index reads them alike.
    let mut article_addrs: Vec<_> =
        searcher.search(&*kind_query(f, kinds::ARTICLE), &DocSetCollector)?.into_iter().collect();
    article_addrs.sort();
    for addr in article_addrs {
        let d: TantivyDocument = searcher.doc(addr)?;
        let id = text(&d, f.id).unwrap_or_default();
        let info = text(&d, f.date_info)
            .and_then(|s| serde_json::from_str::<crate::document::DateInfo>(&s).ok());
        let utc_day = info.as_ref().and_then(|i| i.utc_day.clone());
        let date = info.map(|i| i.value);
        paths.push((texts(&d, f.paths), id.clone()));
        by_id.insert(
            id,
            Indexed {
                title: text(&d, f.title),
                date,
                utc_day,
                authors: texts(&d, f.author),
                places: texts(&d, f.places),
                quotes: Vec::new(),
            },
        );
    }
    let quote_addrs: Vec<_> =
        searcher.search(&*kind_query(f, kinds::QUOTE), &DocSetCollector)?.into_iter().collect();
    // The quotes come in the hash set's order; each article's are put in text order so that
    // matching them to gold (first unused match wins) gives the same scores on every run.
    let mut hits = crate::quote_rows::read(&searcher, &quote_addrs)?;
    hits.sort_by(|a, b| (&a.article_id, a.start, a.end).cmp(&(&b.article_id, b.start, b.end)));
    for q in hits {
        if let Some(a) = by_id.get_mut(&q.article_id) {
            a.quotes.push((q.speaker, q.text));
        }
    }
    Ok((paths, by_id))
}

fn author_names(v: &serde_json::Value) -> BTreeSet<String> {
    let raw: Vec<String> = match v {
        serde_json::Value::Array(a) => {
            a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
        }
        serde_json::Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    };
    raw.iter()
        .flat_map(|s| {
            let names = split_names(s);
            if names.is_empty() {
                vec![s.clone()]
            } else {
                names
            }
        })
        .map(|s| normalize(&s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Score the index against gold lines.
pub fn evaluate(store: &Store, gold: &[GoldArticle]) -> Result<EvalReport> {
    let (paths, by_id) = load(store)?;
    let gaz = Gazetteer::global();
    let mut report = EvalReport { gold_articles: gold.len(), ..Default::default() };
    let (mut quotes, mut places) = (None::<Prf>, None::<Prf>);
    for g in gold {
        let rel = match &g.locator {
            Some(l) => format!("{}#{}", g.path.trim_start_matches("./"), l),
            None => g.path.trim_start_matches("./").to_string(),
        };
        let suffix = format!("/{rel}");
        let found = paths
            .iter()
            .find(|(ps, _)| ps.iter().any(|p| p.ends_with(&suffix) || p == &rel))
            .and_then(|(_, id)| by_id.get(id));
        if found.is_none() {
            report.missing += 1;
        }
        if let Some(t) = &g.title {
            let ok = found
                .and_then(|a| a.title.as_deref())
                .map(|p| normalize(p) == normalize(t))
                .unwrap_or(false);
            report.title.get_or_insert_with(Rate::default).add(ok);
        }
        if let Some(d) = &g.date {
            let ok = found.and_then(|a| a.date.as_deref()) == Some(d.as_str());
            report.date.get_or_insert_with(Rate::default).add(ok);
            // Gold written as a UTC day: the UTC day where time and offset are known, else the
            // source's day.
            let utc = found.and_then(|a| a.utc_day.as_deref().or(a.date.as_deref()));
            report.date_utc.get_or_insert_with(Rate::default).add(utc == Some(d.as_str()));
        }
        if let Some(a) = &g.author {
            let want = author_names(a);
            let ok = found
                .map(|x| {
                    let got: BTreeSet<String> = x.authors.iter().map(|s| normalize(s)).collect();
                    got == want
                        || normalize(&x.authors.join(" "))
                            == normalize(&want.iter().cloned().collect::<Vec<_>>().join(" "))
                })
                .unwrap_or(false);
            report.author.get_or_insert_with(Rate::default).add(ok && !want.is_empty());
        }
        if let Some(gq) = &g.quotes {
            let pred: Vec<&(Option<String>, String)> =
                found.map(|a| a.quotes.iter().collect()).unwrap_or_default();
            let pred_text: Vec<&str> = pred.iter().map(|(_, t)| t.as_str()).collect();
            let gold_text: Vec<&str> = gq.iter().map(|q| q.text.as_str()).collect();
            let (pairs, prf) = match_quotes(&pred_text, &gold_text);
            quotes.get_or_insert_with(Prf::default).add(prf);
            let acc = report.speaker_accuracy.get_or_insert_with(Rate::default);
            for (pi, gi) in &pairs {
                if let Some(gs) = &gq[*gi].speaker {
                    acc.add(pred[*pi].0.as_deref().map(|p| speaker_right(p, gs)).unwrap_or(false));
                }
            }
            let fws = report.found_with_speaker.get_or_insert_with(Rate::default);
            for (gi, q) in gq.iter().enumerate() {
                if let Some(gs) = &q.speaker {
                    let ok = pairs.iter().any(|(pi, g2)| {
                        *g2 == gi
                            && pred[*pi].0.as_deref().map(|p| speaker_right(p, gs)).unwrap_or(false)
                    });
                    fws.add(ok);
                }
            }
        }
        if let Some(gp) = &g.places {
            let want: BTreeSet<String> =
                gp.iter().map(|p| normalize(gaz.canonical(p).unwrap_or(p))).collect();
            let got: BTreeSet<String> =
                found.map(|a| a.places.iter().map(|p| normalize(p)).collect()).unwrap_or_default();
            let tp = want.intersection(&got).count();
            places.get_or_insert_with(Prf::default).add(Prf {
                tp,
                fp: got.len() - tp,
                fn_: want.len() - tp,
            });
        }
    }
    report.quotes = quotes.map(Into::into);
    report.places = places.map(Into::into);
    Ok(report)
}

/// Read gold JSON lines.
pub fn read_gold(text: &str, name: &str) -> Result<Vec<GoldArticle>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| Error::Usage(format!("{name} line {}: {e}", i + 1)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::{run, IndexOptions, NoProgress};

    const NUMBERS: [&str; 8] = ["one", "two", "three", "four", "five", "six", "seven", "eight"];

    /// Gold matching takes the first unused prediction in the order `load` gives, so that order
    /// must be the article's text order, not the order of a hash set of document addresses.
    #[test]
    fn quotes_are_loaded_in_text_order() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(&corpus).unwrap();
        let body: Vec<String> = NUMBERS
            .iter()
            .map(|n| format!("\"We have reached point {n} of the plan today,\" said Ana Lima."))
            .collect();
        let text = format!("Budget talks\n\nBy Jo Reporter\n\n{}\n", body.join("\n\n"));
        std::fs::write(corpus.join("talks.txt"), text).unwrap();
        let store = Store::open_or_create(&dir.path().join("idx")).unwrap();
        let opts = IndexOptions { roots: vec![corpus], ..IndexOptions::default() };
        run(&store, &opts, &NoProgress).unwrap();
        for _ in 0..3 {
            let (_, by_id) = load(&store).unwrap();
            assert_eq!(by_id.len(), 1);
            let quotes = &by_id.values().next().unwrap().quotes;
            let order: Vec<usize> = quotes
                .iter()
                .map(|(_, t)| NUMBERS.iter().position(|n| t.contains(&format!(" {n} "))).unwrap())
                .collect();
            assert_eq!(order, (0..NUMBERS.len()).collect::<Vec<_>>(), "{quotes:?}");
        }
    }
}
