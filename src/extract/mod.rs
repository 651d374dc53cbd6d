//! Article → quotes, people and places, one module per kind.
//!
//! Extraction reads the article body (never the footer); places are also looked for in the title. Its rules live in data files
//! under `extract/rules/` and in the place gazetteer under `data/places/`.

pub mod people;
mod place_forms;
pub mod places;
pub mod quotes;

use crate::article::Article;

/// The version of parsing and extraction rules. The index records it; when it changes, the next
/// `morgue index` run re-extracts every article without being asked. Bump it whenever a change
/// to `parse/` or `extract/` changes what an article yields.
pub const EXTRACTOR_VERSION: u32 = 4;

/// Everything extraction found in one article.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub quotes: Vec<quotes::Quote>,
    pub people: Vec<people::Person>,
    pub places: Vec<places::Place>,
}

/// Extract quotes, people and places from an article's body.
pub fn extract(article: &Article) -> Extracted {
    let quotes::Extraction { quotes, mut people } = quotes::extract(&article.body);
    let gazetteer = places::Gazetteer::global();
    // A capitalised sequence that is exactly a known place name ("Porto", "Abu Dhabi") is a
    // place, not a person, unless it is someone's quoted name.
    // A lone capitalised word seen only at the start of sentences ("Analysts say…") is no
    // evidence of a name unless it is someone's quoted name or comes with a role.
    people.retain(|p| {
        let quoted = quotes.iter().any(|q| q.speaker.as_deref() == Some(p.name.as_str()));
        let lone_opener = !p.name.contains(' ')
            && p.role.is_none()
            && p.mentions.iter().all(|&(start, _)| opens_sentence(&article.body, start));
        quoted || (gazetteer.canonical(&p.name).is_none() && !lone_opener)
    });
    // A place word inside the name of someone quoted ("Jordan Spieth said") is not that place.
    // Other capitalised sequences are left to the gazetteer's own name rules: the people finder
    // also picks up street and place names, and excluding those cost a fifth of place recall.
    let exclude: Vec<(usize, usize)> = people
        .iter()
        .filter(|p| quotes.iter().any(|q| q.speaker.as_deref() == Some(p.name.as_str())))
        .flat_map(|p| p.mentions.iter().copied())
        .collect();
    // Places named in the headline count too (their offsets are within the title).
    let mut places = article
        .title
        .as_deref()
        .map(|t| gazetteer.find(t, &name_spans(t, &people)))
        .unwrap_or_default();
    places.extend(gazetteer.find(&article.body, &exclude));
    Extracted { quotes, people, places }
}

/// Whether the word at byte `start` opens a sentence or paragraph.
fn opens_sentence(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end_matches(['"', '“', '‘', '\'', '(', ' ']);
    before.is_empty() || before.ends_with(['.', '!', '?', '\n', ':'])
}

/// Spans of `text` where the full name of one of `people` appears ("Georgia Lane" in a headline
/// is a person, not the state).
fn name_spans(text: &str, people: &[people::Person]) -> Vec<(usize, usize)> {
    people
        .iter()
        .filter(|p| p.name.contains(' '))
        .flat_map(|p| text.match_indices(p.name.as_str()).map(|(i, m)| (i, i + m.len())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random text from an alphabet of quote marks, punctuation, capitals, multi-byte letters
    /// and spaces: extraction must never panic, whatever the input.
    #[test]
    fn lone_sentence_openers_are_not_people() {
        let body = "Analysts expect a cut. Organisers said the march would go ahead.\n\n\
                    Ana Duarte, the interior minister, said: \"We are ready for the rain.\"";
        let article = Article { body: body.to_string(), ..Default::default() };
        let names: Vec<String> = extract(&article).people.into_iter().map(|p| p.name).collect();
        assert!(names.contains(&"Ana Duarte".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n == "Analysts" || n == "Organisers"), "{names:?}");
    }

    #[test]
    fn extraction_never_panics_on_random_text() {
        const PIECES: &[&str] = &[
            "\"",
            "“",
            "”",
            "«",
            "»",
            "„",
            "'",
            "’",
            " ",
            " ",
            " ",
            "\n\n",
            "\n",
            ".",
            ",",
            ":",
            ";",
            "?",
            "!",
            "-",
            "—",
            "(",
            ")",
            "said",
            "says",
            "told",
            "he",
            "she",
            "they",
            "Mr.",
            "Kerry",
            "John",
            "Lee",
            "Paris",
            "U.S.",
            "Sen.",
            "according to",
            "é",
            "Ã",
            "ñ",
            "\u{a0}",
            "\u{300}",
            "日本",
            "A",
            "b",
            "Z",
            "of",
            "the",
            "Watch",
            "West",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        };
        for _ in 0..3000 {
            let len = (next() % 120) as usize;
            let body: String =
                (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
            let article = Article { title: Some(body.clone()), body, ..Default::default() };
            let got = extract(&article);
            for q in &got.quotes {
                assert!(q.start <= q.end && q.end <= article.body.len());
            }
        }
    }
}
