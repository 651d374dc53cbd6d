//! Quotes, speakers, people and places, on the seed and the sample corpus.

use serde_json::Value;

use super::{repo, TestEnv};

fn seed_quotes(quotes: &[Value]) -> Vec<&Value> {
    quotes.iter().filter(|q| q["path"].as_str().unwrap().contains("/seed/")).collect()
}

#[test]
fn every_kerry_quote_of_the_seed_comes_back_as_john_kerry() {
    let env = TestEnv::shared();
    let kerry = env.jsonl(&["quotes", "--speaker", "Kerry", "--limit", "100000"]);
    let seed = seed_quotes(&kerry);
    assert_eq!(seed.len(), 3, "{seed:#?}");
    assert!(seed.iter().all(|q| q["speaker"] == "John Kerry"));
    let texts: Vec<&str> = seed.iter().map(|q| q["text"].as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains("explore every avenue")));
    assert!(texts.iter().any(|t| t.starts_with("a long shot at best")));
    assert!(texts.iter().any(|t| t.contains("actively trying to push it")));
    // "Kerry" and "John Kerry" are one person.
    let full = env.jsonl(&["quotes", "--speaker", "John Kerry", "--limit", "100000"]);
    assert_eq!(kerry, full);
    // Every line has the documented keys, and `path` is the article's search path.
    for q in &kerry {
        for key in ["speaker", "text", "article_id", "path", "title", "date", "start", "end"] {
            assert!(q.get(key).is_some(), "{key} missing in {q}");
        }
    }
}

#[test]
fn lavrov_and_toner_in_the_seed() {
    let env = TestEnv::shared();
    let lavrov = env.jsonl(&["quotes", "--speaker", "Lavrov", "--limit", "1000"]);
    let seed = seed_quotes(&lavrov);
    assert!(seed.iter().all(|q| q["speaker"] == "Sergey Lavrov"));
    // the paragraph with only a closing mark is a quote from the paragraph's start
    assert!(
        seed.iter().any(|q| q["text"].as_str().unwrap().starts_with("By refusing to walk out")),
        "{seed:#?}"
    );
    assert!(seed.iter().any(|q| q["text"].as_str().unwrap().contains("treated as terrorists")));
    let toner = env.jsonl(&["quotes", "--speaker", "Mark Toner", "--limit", "1000"]);
    let seed = seed_quotes(&toner);
    // his answer, its continuation paragraphs, and the later quote
    assert!(seed.len() >= 4, "{seed:#?}");
    assert!(seed.iter().any(|q| q["text"].as_str().unwrap().contains("foodstuffs, medical care")));
}

#[test]
fn scare_quotes_and_titles_are_nobodys_quotes() {
    let env = TestEnv::shared();
    let all = env.jsonl(&["quotes", "--limit", "1000000"]);
    for t in all.iter().map(|q| q["text"].as_str().unwrap()) {
        assert_ne!(t, "barbaric");
        assert_ne!(t, "war crimes");
        assert!(!t.contains("Flashpoint in Ukraine"), "book title listed as a quote");
    }
}

#[test]
fn editorial_marks_are_searchable_as_words() {
    let env = TestEnv::shared();
    let hits = env.jsonl(&["quotes", "\"we continue to explore\"", "--limit", "10"]);
    assert!(
        hits.iter().any(|q| q["text"].as_str().unwrap().contains("(w)e continue")),
        "{hits:#?}"
    );
}

#[test]
fn speakers_lists_counts_and_people_search_works() {
    let env = TestEnv::shared();
    let speakers = env.json(&["speakers", "--limit", "500"]);
    let kerry = speakers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["speaker"] == "John Kerry")
        .expect("John Kerry listed");
    let n = env.jsonl(&["quotes", "--speaker", "Kerry", "--limit", "100000"]).len() as u64;
    assert_eq!(kerry["count"].as_u64().unwrap(), n);
    let by_person = env.json(&["search", "--person", "Kerry", "--limit", "100"]);
    let by_full = env.json(&["search", "--person", "John Kerry", "--limit", "100"]);
    assert_eq!(by_person["total"], by_full["total"]);
    assert!(by_person["total"].as_u64().unwrap() >= 5);
}

#[test]
fn places_are_canonical_and_aliases_resolve() {
    let env = TestEnv::shared();
    let us = env.json(&["search", "--place", "U.S.", "--limit", "100"]);
    let full = env.json(&["search", "--place", "United States", "--limit", "100"]);
    assert_eq!(us["total"], full["total"]);
    assert!(us["total"].as_u64().unwrap() > 0);
    let seed = env.json(&["search", "aleppo ceasefire", "--place", "Syria"]);
    assert!(seed["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["path"].as_str().unwrap().contains("/seed/")));
}

#[test]
fn show_lists_quotes_people_and_places() {
    let env = TestEnv::shared();
    let view = env.json(&["show", &env.path_of("wire/porto-floods-evacuations.txt")]);
    assert!(view["quotes"].as_array().unwrap().len() >= 6);
    assert!(view["people"].as_array().unwrap().iter().any(|p| p["name"] == "Ana Duarte"
        && p["role"].as_str().is_some_and(|r| r.contains("Interior Minister"))));
    assert!(view["places"].as_array().unwrap().iter().any(|p| p == "Porto"));
}

/// Quality floor on the team's gold: fails if quote F1 or speaker accuracy drop.
#[test]
fn sample_gold_scores_stay_above_the_floor() {
    let env = TestEnv::shared();
    let gold = repo().join("tests/gold/sample-text.jsonl");
    let report = env.json(&["eval", "--gold", gold.to_str().unwrap()]);
    assert_eq!(report["missing"], 0, "{report:#}");
    let f1 = report["quotes"]["f1"].as_f64().unwrap();
    let speaker = report["speaker_accuracy"]["rate"].as_f64().unwrap();
    let title = report["title"]["rate"].as_f64().unwrap();
    let date = report["date"]["rate"].as_f64().unwrap();
    let author = report["author"]["rate"].as_f64().unwrap();
    assert!(f1 >= QUOTE_F1_FLOOR, "quote F1 {f1} < {QUOTE_F1_FLOOR}: {report:#}");
    assert!(speaker >= SPEAKER_FLOOR, "speaker accuracy {speaker} < {SPEAKER_FLOOR}: {report:#}");
    assert!(title >= 0.95 && date >= 0.95 && author >= 0.95, "{report:#}");
}

const QUOTE_F1_FLOOR: f64 = 0.95;
const SPEAKER_FLOOR: f64 = 0.85;

#[test]
fn quotes_filter_by_how_the_speaker_was_found() {
    let env = TestEnv::shared();
    let all = env.jsonl(&["quotes", "--speaker", "Kerry", "--limit", "1000"]);
    let verb =
        env.jsonl(&["quotes", "--speaker", "Kerry", "--attribution", "verb", "--limit", "1000"]);
    let pronoun =
        env.jsonl(&["quotes", "--speaker", "Kerry", "--attribution", "pronoun", "--limit", "1000"]);
    assert!(!verb.is_empty() && !pronoun.is_empty());
    assert!(verb.len() + pronoun.len() <= all.len());
    // the seed's "He called…" quotes are pronoun-attributed
    assert!(pronoun.iter().any(|q| q["text"].as_str().unwrap().starts_with("a long shot at best")));
    assert!(!verb.iter().any(|q| q["text"].as_str().unwrap().starts_with("a long shot at best")));
}

/// A listed quote carries its place in the article and how its speaker was found (read from
/// the quote column): each one is a quote of its article as `show` lists it, with the same
/// offsets, and the body's characters from `start` begin with the quote's first word.
#[test]
fn listed_quotes_carry_their_offsets_and_attribution() {
    let env = TestEnv::shared();
    let all = env.jsonl(&["quotes", "--limit", "1000000"]);
    assert!(all.len() > 20, "{} quotes", all.len());
    let mut articles: std::collections::HashMap<String, Value> = Default::default();
    let mut listed = 0;
    for kind in ["verb", "pronoun", "continuation", "none"] {
        for q in env.jsonl(&["quotes", "--attribution", kind, "--limit", "1000000"]) {
            listed += 1;
            let id = q["article_id"].as_str().unwrap().to_string();
            let article = articles.entry(id.clone()).or_insert_with(|| env.json(&["show", &id]));
            let (start, end) = (q["start"].as_u64().unwrap(), q["end"].as_u64().unwrap());
            assert!(start < end, "{q}");
            let shown = article["quotes"].as_array().unwrap();
            assert!(
                shown.iter().any(|s| s["start"] == q["start"]
                    && s["end"] == q["end"]
                    && s["text"] == q["text"]
                    && s["attribution"] == kind),
                "{q} not in show's quotes of {id} as {kind}"
            );
            let body: Vec<char> = article["body"].as_str().unwrap().chars().collect();
            let from: String = body[start as usize..].iter().take(200).collect();
            let first = q["text"].as_str().unwrap().split_whitespace().next().unwrap();
            assert!(from.starts_with(first), "{first:?} not at {start} in {id}: {from:?}");
        }
    }
    // Every quote has one of the four attributions.
    assert_eq!(listed, all.len());
    assert!(articles.len() > 5, "{} articles", articles.len());
}
