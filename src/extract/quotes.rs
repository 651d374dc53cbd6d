//! Direct quotations in an article body and who said them.
//!
//! A quote is the text between quotation marks: curly “ ” and straight " double quotes,
//! guillemets « » and low-high marks „ “. The speaker comes from the patterns of news writing,
//! tried in this order:
//!
//! ```text
//! "…," X said.   "…," said X.   "…," he said.         after the closing mark  (Verb / Pronoun)
//! X said, "…"    X said: "…"    X told reporters "…"  before the opening mark (Verb / Pronoun)
//! according to X, "…"           X called it "…"       X said:¶"…"  (verb ends the paragraph before)
//! ¶"…"¶ after a paragraph quoting X                    continues X              (Continuation)
//! ```
//!
//! A pronoun stands for the last speaker when it fits, else for the nearest person named before
//! it who fits. Pieces split by an attribution (`"…," he said. "…"`) are one quote, and so is a
//! quote whose paragraphs each open with a mark and only the last one closes. A paragraph that
//! ends with a closing mark but has none opening is a quote from the paragraph's start (blog
//! style). A span of three words or fewer that is not the whole object of a verb of saying is a
//! scare quote or a term, and a quoted title ("a book titled "…"") is a title: neither is
//! returned. Quotes nobody can be named for keep `speaker: None`.
//!
//! Verbs of saying, title cues and pronouns are data in `rules/`.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::sync::LazyLock;

use super::people::{
    find_cast, is_role_head, is_role_word, tokenize, Cast, Gender, Person, Token, PARTICLES,
    PREPOSITIONS,
};

/// How a quote's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// A name next to a verb of saying.
    Verb,
    /// A pronoun next to a verb of saying, resolved to a person named before.
    Pronoun,
    /// A paragraph that is only a quote, after a paragraph quoting the same speaker.
    Continuation,
    /// No speaker found.
    None,
}

/// One direct quotation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Quote {
    /// The words inside the marks, as written; pieces of a split quote are joined by a space.
    pub text: String,
    /// Byte offsets into the body of the quoted text (from the first piece to the last).
    pub start: usize,
    pub end: usize,
    /// The canonical name ([`Person::name`]) of the speaker, or `None`.
    pub speaker: Option<String>,
    pub attribution: Attribution,
}

/// Quotes and people of one article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Extraction {
    pub quotes: Vec<Quote>,
    pub people: Vec<Person>,
}

/// A quote of this many words or fewer is kept only as the whole object of a verb of saying.
const SCARE_QUOTE_WORDS: usize = 3;
/// How far after a closing mark a verb of saying is looked for, in words.
const POST_VERB_WINDOW: usize = 20;
/// How many words after an inverted verb ("said Secretary of State John Kerry") a name may start.
const INVERTED_NAME_WINDOW: usize = 6;
/// How far a sentence going on after a quote is read for its attribution clause, in words.
const TAIL_WINDOW: usize = 40;
/// How many words a subject may have before its verb in an attribution clause ("…, Republican
/// candidate Ben Carson said").
const TAIL_SUBJECT_WORDS: usize = 6;
/// Longest signature after a quote ("— Ann Lee, a nurse in Ohio"), in words.
const SIGNATURE_WORDS: usize = 12;
/// How far back from an opening mark the sentence is read, in words.
const PRE_WINDOW: usize = 45;
/// Words that open a noun phrase naming a speaker without a name ("the senator said").
const DETERMINERS: &[&str] =
    &["the", "a", "an", "his", "her", "its", "their", "one", "another", "this", "that", "our"];
/// Lowercase words that join the parts of a role ("Secretary of State", "Health and Human
/// Services") but open a clause anywhere else ("a photo and Lee said").
const ROLE_CONNECTIVES: &[&str] = &["and", "of", "for", "on"];
/// Forms of "be" that make a verb of saying passive ("was asked by Lee").
const PASSIVE_AUXILIARIES: &[&str] = &["was", "were", "is", "are", "been", "being", "be"];
/// Words after which a name starts a new clause and can be its subject.
const CLAUSE_OPENERS: &[&str] = &[
    "and",
    "but",
    "while",
    "when",
    "as",
    "because",
    "although",
    "though",
    "so",
    "where",
    "whereas",
    "then",
    "also",
    "meanwhile",
    "however",
    "later",
    "yet",
    "once",
    "if",
    "even",
    "now",
    "still",
];
/// How many mentions of its own paragraph, nearest first, a pronoun looks at.
const PRONOUN_MENTIONS: usize = 20;
/// How many paragraphs back a pronoun may reach for the last speaker.
const PRONOUN_PARAGRAPHS: usize = 3;

struct Rules {
    speech: HashSet<String>,
    inverting: HashSet<String>,
    title_cues: HashSet<String>,
    pronouns: HashMap<String, Option<Gender>>,
}

fn rule_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let speech = rule_lines(include_str!("rules/speech-verbs.txt"))
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
        .collect();
    let inverting = rule_lines(include_str!("rules/inverting-verbs.txt"))
        .flat_map(str::split_whitespace)
        .map(str::to_lowercase)
        .collect();
    let title_cues =
        rule_lines(include_str!("rules/title-cues.txt")).map(str::to_lowercase).collect();
    let mut pronouns = HashMap::new();
    for line in rule_lines(include_str!("rules/pronouns.txt")) {
        if let Some((word, code)) = line.split_once(' ') {
            let gender = match code.trim() {
                "m" => Some(Gender::Male),
                "f" => Some(Gender::Female),
                _ => None,
            };
            pronouns.insert(word.to_lowercase(), gender);
        }
    }
    Rules { speech, inverting, title_cues, pronouns }
});

/// True for a verb of saying written in lowercase ("said", "tells"; not "Post").
pub fn is_speech_verb(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase) && RULES.speech.contains(word)
}

/// Opens editorial marks so the words can be searched: "(w)e" → "we", "[t]hose" → "those",
/// "[Mexican citizens] don't" → "Mexican citizens don't".
pub fn searchable_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' || c == ']' {
            i += 1;
            continue;
        }
        if c == '(' {
            // "(w)e", "(it)": a few letters in parentheses glued to a word.
            let letters = chars[i + 1..].iter().take_while(|c| c.is_alphabetic()).count();
            let close = i + 1 + letters;
            let glued_after = chars.get(close + 1).is_some_and(|c| c.is_alphabetic());
            let glued_before = i > 0 && chars[i - 1].is_alphabetic();
            if (1..=3).contains(&letters)
                && chars.get(close) == Some(&')')
                && (glued_after || glued_before)
            {
                out.extend(&chars[i + 1..close]);
                i = close + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// A paragraph: a byte range of the body without its surrounding blank lines.
#[derive(Debug, Clone, Copy)]
struct Para {
    start: usize,
    end: usize,
}

fn paragraphs(body: &str) -> Vec<Para> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Para { start: s, end });
            }
        } else {
            let lead = content.len() - content.trim_start().len();
            if start.is_none() {
                start = Some(pos + lead);
            }
            end = pos + content.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(Para { start: s, end });
    }
    out
}

/// A span between two marks in one paragraph.
#[derive(Debug, Clone, Copy)]
struct Piece {
    para: usize,
    /// Byte offset of the opening mark; `None` when the paragraph only closes (blog style).
    open: Option<usize>,
    /// Byte range of the closing mark; `None` when the paragraph ends before it closes.
    close: Option<(usize, usize)>,
    /// The quoted text.
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open { low: bool },
    Close,
}

fn is_space_or_none(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

fn classify_mark(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    open_low: Option<bool>,
) -> Option<Mark> {
    let inside = open_low.is_some();
    let after_word =
        prev.is_some_and(|p| !p.is_whitespace() && !matches!(p, '(' | '[' | '—' | '–'));
    let before_word = next.is_some_and(|n| !n.is_whitespace());
    Some(match c {
        '«' => Mark::Open { low: false },
        '»' => Mark::Close,
        '„' => Mark::Open { low: true },
        '“' | '‟' => {
            if open_low == Some(true) || (inside && after_word && !before_word) {
                Mark::Close
            } else {
                Mark::Open { low: false }
            }
        }
        '”' => {
            if !inside && !after_word && before_word {
                Mark::Open { low: false }
            } else {
                Mark::Close
            }
        }
        '"' => {
            if inside
                || (after_word
                    && (is_space_or_none(next) || next.is_some_and(|n| n.is_ascii_punctuation())))
            {
                Mark::Close
            } else {
                Mark::Open { low: false }
            }
        }
        _ => return None,
    })
}

/// Finds the quoted pieces of one paragraph.
fn pieces_of(body: &str, para: Para, index: usize, out: &mut Vec<Piece>) {
    let text = &body[para.start..para.end];
    let mut open: Option<(usize, bool)> = None;
    let mut any_mark = false;
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        if let Some(mark) = classify_mark(c, prev, next, open.map(|o| o.1)) {
            let at = para.start + i;
            match mark {
                Mark::Open { low } => open = Some((at, low)),
                Mark::Close => {
                    if let Some((o, _)) = open.take() {
                        out.push(Piece {
                            para: index,
                            open: Some(o),
                            close: Some((at, at + c.len_utf8())),
                            start: o + body[o..].chars().next().map_or(1, char::len_utf8),
                            end: at,
                        });
                    } else if !any_mark {
                        out.push(Piece {
                            para: index,
                            open: None,
                            close: Some((at, at + c.len_utf8())),
                            start: para.start,
                            end: at,
                        });
                    }
                }
            }
            any_mark = true;
        }
        prev = Some(c);
    }
    if let Some((o, _)) = open {
        out.push(Piece {
            para: index,
            open: Some(o),
            close: None,
            start: o + body[o..].chars().next().map_or(1, char::len_utf8),
            end: para.end,
        });
    }
}

/// Who an attribution names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    /// A mention of a person (index into the cast).
    Named(usize),
    /// A pronoun at this byte offset, with the gender it needs (`None` = plural: nobody).
    Pronoun(usize, Option<Gender>),
    /// A verb of saying with a subject that names nobody ("the campaign said").
    Unnamed,
}

/// What the search for a speaker found, and whether the quote is the whole object of the verb.
#[derive(Debug, Clone, Copy)]
struct Found {
    subject: Subject,
    direct: bool,
}

/// The article being read, with its words and people.
struct Reader<'a> {
    body: &'a str,
    tokens: Vec<Token>,
    cast: Cast,
    paras: Vec<Para>,
}

impl<'a> Reader<'a> {
    fn word(&self, i: usize) -> &'a str {
        let t = self.tokens[i];
        &self.body[t.start..t.end]
    }

    fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase()
    }

    /// Index of the first token starting at or after `pos`.
    fn token_at(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.start < pos)
    }

    /// The person mentioned at token `i`, if a mention starts there.
    fn mention_at(&self, i: usize) -> Option<usize> {
        let t = self.tokens[i];
        let k = self.cast.mentions.partition_point(|m| m.start < t.start);
        self.cast.mentions.get(k).filter(|m| m.start == t.start).map(|m| m.person)
    }

    /// The person whose mention ends with token `i`.
    fn mention_ending_at(&self, i: usize) -> Option<usize> {
        let t = self.tokens[i];
        let k = self.cast.mentions.partition_point(|m| m.start <= t.start);
        let m = self.cast.mentions.get(k.checked_sub(1)?)?;
        (m.end > t.start && m.end <= t.end).then_some(m.person)
    }

    /// A mention that starts within tokens `from..to`, scanning left to right.
    fn first_mention(&self, from: usize, to: usize) -> Option<usize> {
        (from..to.min(self.tokens.len())).find_map(|i| self.mention_at(i))
    }

    fn pronoun(&self, i: usize) -> Option<Subject> {
        RULES.pronouns.get(&self.lower(i)).map(|g| Subject::Pronoun(self.tokens[i].start, *g))
    }

    /// Tokens `from..` in the same sentence (and before `limit`), at most `max` of them. A
    /// period before a comma or a lowercase word does not end the sentence.
    fn sentence_after(&self, from: usize, limit: usize, max: usize) -> usize {
        let mut end = from;
        while end < self.tokens.len() && end - from < max && self.tokens[end].end <= limit {
            if end > from {
                let gap = &self.body[self.tokens[end - 1].end..self.tokens[end].start];
                if gap.contains(['“', '”', '"', '«', '»', '„', ';']) {
                    break;
                }
                // "Lee, R-Ky., said", "Lee (R-Fla.) said": an abbreviation's period goes on.
                let goes_on = gap.contains(',')
                    || self.word(end).chars().next().is_some_and(char::is_lowercase);
                if gap.contains(['.', '!', '?']) && !goes_on {
                    break;
                }
            }
            end += 1;
        }
        end
    }

    /// The attribution after a closing mark: `"…," X said` / `"…," said X`; with `tail`, also
    /// one that ends the sentence going on after the quote (`"…" for now, X said`).
    fn after_close(&self, piece: &Piece, tail: bool) -> Option<Found> {
        let (_, close_end) = piece.close?;
        let para = self.paras[piece.para];
        let inner = self.body[piece.start..piece.end].trim_end();
        let rest = &self.body[close_end..para.end];
        let from = self.token_at(close_end);
        if from >= self.tokens.len() || self.tokens[from].start >= para.end {
            return None;
        }
        let gap = &self.body[close_end..self.tokens[from].start];
        if gap.contains(['“', '"', '«', '„', '(', '.', '!', '?']) {
            return None;
        }
        let first_lower = self.word(from).chars().next().is_some_and(char::is_lowercase);
        if !(open_ended(inner, rest) || first_lower) {
            return None;
        }
        // The quote is the whole object only when it opens its sentence: "“Yes,” she said."
        let before = self.body[para.start..piece.open.unwrap_or(piece.start)].trim_end();
        let direct = before.is_empty() || before.ends_with(['.', '!', '?', ':', '”', '"', '»']);
        // "“…,” according to Lee."
        if self.lower(from) == "according" && self.tokens.len() > from + 1 {
            if self.lower(from + 1) != "to" {
                return None;
            }
            let stop = self.sentence_after(from + 2, para.end, INVERTED_NAME_WINDOW);
            let subject = match self.first_mention(from + 2, stop) {
                Some(p) => Subject::Named(p),
                None => Subject::Unnamed,
            };
            return Some(Found { subject, direct });
        }
        // An attribution starts with the verb, a pronoun, a determiner or a capitalised word
        // ("said Lee", "he said", "the senator said", "Sen. Lee said"); "…” but also …" goes on.
        let first = self.word(from);
        let starts_attribution = is_speech_verb(first)
            || self.pronoun(from).is_some()
            || first.chars().next().is_some_and(char::is_uppercase)
            || DETERMINERS.contains(&first.to_lowercase().as_str())
            || is_role_word(first)
            || self.first_mention(from, from + 4).is_some();
        if !starts_attribution {
            if !tail {
                return None;
            }
            // "“…” for the party, said Lee.": the sentence goes on and ends with an attribution.
            let subject = self.tail_attribution(from, para.end)?;
            return Some(Found { subject, direct: false });
        }
        let end = self.sentence_after(from, para.end, POST_VERB_WINDOW);
        let Some(verb) = (from..end).find(|&i| is_speech_verb(self.word(i))) else {
            // "“…?” Lee points out.": a name right after a quote left open, whatever the verb.
            let p = self.mention_at(from).filter(|_| open_ended(inner, rest))?;
            return Some(Found { subject: Subject::Named(p), direct: true });
        };
        let subject = if verb == from {
            let stop = self.sentence_after(verb + 1, para.end, INVERTED_NAME_WINDOW);
            match self.first_mention(verb + 1, stop) {
                Some(p) => Subject::Named(p),
                // "Lee insisted he had “…,” claiming that …": a participle after the quote
                // shares the subject of the sentence before it.
                None if self.word(verb).ends_with("ing") => return None,
                None => self.role_noun(verb + 1, stop, false),
            }
        } else if let Some(p) = self.pronoun(from) {
            p
        } else {
            match self.first_mention(from, verb) {
                Some(p) => Subject::Named(p),
                None => self.role_noun(from, verb, true),
            }
        };
        if subject == Subject::Unnamed && tail {
            // "“…” for the farmers, said Lee": the verb was not the attribution's first word.
            if let Some(named @ Subject::Named(_)) = self.tail_attribution(from, para.end) {
                return Some(Found { subject: named, direct: false });
            }
        }
        Some(Found { subject, direct })
    }

    /// The attribution clause that ends the sentence going on from token `from` after a quote:
    /// after a comma, a verb of saying and a name ("…, said Lee") or a name, pronoun or role noun
    /// and the verb ("…, Lee said", "…, the senator said").
    fn tail_attribution(&self, from: usize, limit: usize) -> Option<Subject> {
        let end = self.sentence_after(from, limit, TAIL_WINDOW);
        for c in from + 1..end {
            let gap = &self.body[self.tokens[c - 1].end..self.tokens[c].start];
            if !gap.contains(',') {
                continue;
            }
            let word = self.word(c);
            if is_speech_verb(word) && RULES.inverting.contains(word) {
                let stop = self.sentence_after(c + 1, limit, INVERTED_NAME_WINDOW);
                return match self.first_mention(c + 1, stop) {
                    Some(p) => Some(Subject::Named(p)),
                    None => Some(self.role_noun(c + 1, stop, false)),
                };
            }
            let reach = (c + TAIL_SUBJECT_WORDS + 1).min(end);
            let Some(verb) = (c + 1..reach).find(|&i| is_speech_verb(self.word(i))) else {
                continue;
            };
            if let Some(p) = self.pronoun(c).filter(|_| verb == c + 1) {
                return Some(p);
            }
            let named = (c..verb).all(|k| {
                let w = self.word(k);
                w.chars().next().is_some_and(char::is_uppercase)
                    || is_role_word(w)
                    || PARTICLES.contains(&w)
                    || DETERMINERS.contains(&w.to_lowercase().as_str())
            });
            if !named {
                continue;
            }
            return match self.first_mention(c, verb) {
                Some(p) => Some(Subject::Named(p)),
                None => Some(self.role_noun(c, verb, true)),
            };
        }
        None
    }

    /// True when a sentence ends between tokens `i - 1` and `i`: a line break or semicolon, or
    /// a full stop, question or exclamation mark before a word that is not lowercase
    /// ("(R-Ky.) said" goes on).
    fn sentence_break(&self, i: usize) -> bool {
        let gap = &self.body[self.tokens[i - 1].end..self.tokens[i].start];
        gap.contains(['\n', ';'])
            || (gap.contains(['.', '!', '?'])
                && !self.word(i).chars().next().is_some_and(char::is_lowercase))
    }

    /// Start of the sentence that ends just before token `to` (never before `floor`).
    fn sentence_start(&self, to: usize, floor: usize) -> usize {
        let i = to.saturating_sub(1).max(floor);
        let mut s = i;
        while s > floor && i - s < PRE_WINDOW {
            if self.sentence_break(s) {
                break;
            }
            s -= 1;
        }
        s
    }

    /// The attribution before an opening mark: `X said, "…"`, `according to X, "…"`.
    fn before_open(&self, piece: &Piece) -> Option<Found> {
        let para = self.paras[piece.para];
        let open = piece.open.unwrap_or(piece.start);
        let mut to = self.token_at(open);
        let floor = self.token_at(para.start);
        if to <= floor || self.tokens[to - 1].start < para.start {
            // The quote opens its paragraph: read the paragraph before when it ends with a colon.
            let prev = piece.para.checked_sub(1).map(|p| self.paras[p])?;
            if !self.body[prev.start..prev.end].trim_end().ends_with([':', ',']) {
                return None;
            }
            to = self.token_at(prev.end);
            return self.subject_before(
                self.sentence_start(to, self.token_at(prev.start)),
                to,
                true,
            );
        }
        let gap = self.body.get(self.tokens[to - 1].end..open).unwrap_or("");
        if gap.contains(['.', '!', '?']) {
            // The quote opens a sentence of its own; the sentence before may still introduce it
            // ("Lee said in a statement. “…”"), when it holds no quote of its own.
            let from = self.sentence_start(to, floor);
            let sentence = self.body.get(self.tokens[from].start..open).unwrap_or("");
            if sentence.contains(['“', '”', '"', '«', '»', '„']) {
                return None;
            }
            return self
                .subject_before(from, to, false)
                .filter(|f| matches!(f.subject, Subject::Named(_)))
                .map(|f| Found { direct: false, ..f });
        }
        // "Carl Reyes: “…”" (a name and a colon, as in round-ups and transcripts)
        if gap.trim_start().starts_with(':') {
            let sentence = self.sentence_start(to, floor);
            let named = self.mention_ending_at(to - 1).filter(|&p| {
                // "said of Lee:" names the topic, not the speaker.
                let m = self.cast.people[p].mentions.iter().rev().find(|m| m.1 <= open);
                m.is_some_and(|m| self.subject_position(self.token_at(m.0), sentence))
            });
            if let Some(p) = named {
                return Some(Found { subject: Subject::Named(p), direct: true });
            }
        }
        let from = self.sentence_start(to, floor);
        self.subject_before(from, to, false)
    }

    /// Finds the last verb of saying in tokens `from..to` (which end at an opening mark) and its
    /// subject.
    fn subject_before(&self, from: usize, to: usize, across: bool) -> Option<Found> {
        if from >= to {
            return None;
        }
        // "according to X, "…""
        for i in (from..to.saturating_sub(1)).rev() {
            if self.lower(i) == "according" && self.lower(i + 1) == "to" {
                let subject =
                    match self.first_mention(i + 2, (i + 2 + INVERTED_NAME_WINDOW).min(to)) {
                        Some(p) => Subject::Named(p),
                        None => Subject::Unnamed,
                    };
                return Some(Found { subject, direct: to - i <= 6 });
            }
        }
        // The quote is the whole object only right after "said," or "told reporters:".
        let open = self.tokens.get(to).map_or(self.body.len(), |t| t.start);
        let gap = &self.body[self.tokens[to - 1].end..open];
        let Some(verb) = (from..to).rev().find(|&i| is_speech_verb(self.word(i))) else {
            // No verb of saying: the words are the sentence subject's ("Lee broke down what went
            // wrong: “…”", "Lee blamed the court's “…”").
            let direct = gap.contains(':');
            return self
                .sentence_subject(from, to)
                .map(|p| Found { subject: Subject::Named(p), direct });
        };
        let direct = across || (to - verb <= 3 && gap.contains([',', ':']));
        let subject = self.clause_subject(from, verb, to);
        Some(Found { subject, direct })
    }

    /// True when the mention starting at token `i` stands where a subject stands: at the start
    /// of the sentence, after a comma or a clause opener ("and", "while"), with any role or title
    /// written before it; not after a verb, preposition or article ("told Kerry", "the Kerry plan").
    fn subject_position(&self, i: usize, from: usize) -> bool {
        let titled = |k: usize| {
            let word = self.word(k);
            word.chars().next().is_some_and(char::is_uppercase)
                || (is_role_word(word) && !ROLE_CONNECTIVES.contains(&word))
                || PARTICLES.contains(&word)
        };
        let mut j = i;
        while j > from {
            let gap = &self.body[self.tokens[j - 1].end..self.tokens[j].start];
            // "Secretary of State Lee" is one role; "a photo and Lee" opens a clause.
            let connective = ROLE_CONNECTIVES.contains(&self.word(j - 1));
            let inside_role =
                if connective { j - 1 > from && titled(j - 2) } else { titled(j - 1) };
            if gap.chars().all(|c| c == ' ' || c == '\u{a0}') && inside_role {
                j -= 1;
            } else {
                break;
            }
        }
        if j == from {
            return true;
        }
        let gap = &self.body[self.tokens[j - 1].end..self.tokens[j].start];
        gap.contains([',', '(', ';', ':', '—', '–', '―', '-'])
            || CLAUSE_OPENERS.contains(&self.lower(j - 1).as_str())
    }

    /// True when the mention starting at token `i` is possessive ("Romney's deputy").
    fn possessive(&self, i: usize) -> bool {
        let t = self.tokens[i];
        let k = self.cast.mentions.partition_point(|m| m.start < t.start);
        self.cast.mentions.get(k).is_some_and(|m| {
            let after = &self.body[m.end..];
            after.starts_with(['\'', '’'])
        })
    }

    /// The subject of the verb of saying at token `verb`, read from tokens `from..verb`: the
    /// nearest pronoun or person in subject position that is not possessive ("Dan Reed, Ann
    /// Lee's aide, said" → Dan Reed); after a comma, a participle ("…, saying") takes the first
    /// one of the sentence. Failing that, the nearest person not after a preposition, then a
    /// person just after the verb ("said Dan Reed").
    fn clause_subject(&self, from: usize, verb: usize, limit: usize) -> Subject {
        // "Lee was asked by host Ann Cole, “…”": a passive verb's agent is the speaker.
        let passive = verb > from
            && verb + 2 < limit.min(self.tokens.len())
            && PASSIVE_AUXILIARIES.contains(&self.lower(verb - 1).as_str())
            && self.lower(verb + 1) == "by";
        if passive {
            let stop = (verb + 2 + INVERTED_NAME_WINDOW).min(limit);
            if let Some(p) = self.first_mention(verb + 2, stop) {
                return Subject::Named(p);
            }
        }
        let participle = verb > from
            && verb < self.tokens.len()
            && self.body[self.tokens[verb - 1].end..self.tokens[verb].start].contains([',', ':'])
            && (self.word(verb).ends_with("ing") || !is_speech_verb(self.word(verb)));
        let mut strong = Vec::new();
        let mut weak = None;
        for i in (from..verb).rev() {
            if let Some(p) = self.pronoun(i) {
                strong.push(p);
                continue;
            }
            let Some(p) = self.mention_at(i) else { continue };
            if self.subject_position(i, from) && !self.possessive(i) {
                strong.push(Subject::Named(p));
            } else if weak.is_none()
                && !(i > from && PREPOSITIONS.contains(&self.lower(i - 1).as_str()))
            {
                weak = Some(Subject::Named(p));
            }
        }
        if participle {
            // "Lee said, adding, “…”": a participle shares the subject of the verb before it.
            if let Some(v) = (from..verb).rev().find(|&i| is_speech_verb(self.word(i))) {
                if let named @ Subject::Named(_) = self.clause_subject(from, v, v) {
                    return named;
                }
            }
        }
        let mut pick = if participle { strong.last() } else { strong.first() };
        // "Lee confirmed she had and said, “…”": the name opening the clause beats the pronoun.
        if let (Some(Subject::Pronoun(..)), Some(Subject::Named(_))) = (pick, strong.last()) {
            pick = strong.last();
        }
        if let Some(s) = pick.copied().or(weak) {
            return s;
        }
        let inverting = verb < self.tokens.len() && RULES.inverting.contains(self.word(verb));
        let stop = if inverting { (verb + 1 + INVERTED_NAME_WINDOW).min(limit) } else { verb };
        match self.first_mention(verb + 1, stop) {
            Some(p) => Subject::Named(p),
            None => match self.role_noun(from, verb, true) {
                Subject::Unnamed => self.role_noun(verb + 1, stop, false),
                named => named,
            },
        }
    }

    /// "the minister said", "said the spokeswoman": "the" and a role ending in a role noun, just
    /// before the verb (`before_verb`, the role ends at `to`) or just after it (the role starts at
    /// `from`), stand for the person named before whose role holds that noun; with none, the
    /// subject is unnamed.
    fn role_noun(&self, from: usize, to: usize, before_verb: bool) -> Subject {
        let to = to.min(self.tokens.len());
        let the = if before_verb {
            (from..to)
                .rev()
                .take_while(|&i| is_role_word(self.word(i)))
                .last()
                .and_then(|i| i.checked_sub(1))
        } else {
            Some(from)
        };
        let Some(the) = the.filter(|&t| t >= from && t < to && self.lower(t) == "the") else {
            return Subject::Unnamed;
        };
        let last = (the + 1..to).take_while(|&i| is_role_word(self.word(i))).last();
        let Some(last) = last.filter(|&i| !before_verb || i + 1 == to) else {
            return Subject::Unnamed;
        };
        let head = self.lower(last);
        if !is_role_head(&head) {
            return Subject::Unnamed;
        }
        let holds = |p: usize| {
            !self.cast.organisations[p]
                && self.cast.people[p]
                    .role
                    .as_deref()
                    .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case(&head)))
        };
        let k = self.cast.mentions.partition_point(|m| m.start < self.tokens[the].start);
        match self.cast.mentions[..k].iter().rev().map(|m| m.person).find(|&p| holds(p)) {
            Some(p) => Subject::Named(p),
            None => Subject::Unnamed,
        }
    }

    /// The person the paragraph before paragraph `para` ends on, when a paragraph that is only
    /// a quote follows it: the subject of its last verb of saying, else the person who opens its
    /// last sentence ("Lee was upbeat.¶“…”").
    fn paragraph_subject(&self, para: usize) -> Option<usize> {
        let prev = self.paras[para.checked_sub(1)?];
        let text = &self.body[prev.start..prev.end];
        if text.contains(['“', '”', '"', '«', '»', '„']) {
            return None;
        }
        let floor = self.token_at(prev.start);
        let to = self.token_at(prev.end);
        if to <= floor {
            return None;
        }
        let from = self.sentence_start(to, floor);
        if let Some(verb) = (from..to).rev().find(|&i| is_speech_verb(self.word(i))) {
            match self.clause_subject(from, verb, to) {
                Subject::Named(p) => return Some(p),
                // "Lee, 58, grew up here. He said the fires were not the worst.¶“…”"
                Subject::Pronoun(pos, g) => return self.resolve_pronoun(pos, g, para - 1, None),
                Subject::Unnamed => {}
            }
        }
        let i = (from..to).find(|&i| self.mention_at(i).is_some())?;
        let opens = (from..i).all(|k| {
            let w = self.word(k);
            w.chars().next().is_some_and(char::is_uppercase) || is_role_word(w)
        });
        if opens {
            self.mention_at(i)
        } else {
            None
        }
    }

    /// The first person in tokens `from..to` standing as a subject and not possessive.
    fn sentence_subject(&self, from: usize, to: usize) -> Option<usize> {
        (from..to).find_map(|i| {
            let p = self.mention_at(i)?;
            (self.subject_position(i, from) && !self.possessive(i)).then_some(p)
        })
    }

    /// Finds who said the quote made of `group`: after a closing mark that leaves the sentence
    /// open ("…,” X said), before the opening mark, then after any later piece.
    fn attribute(&self, group: &[Piece]) -> Option<Found> {
        if let Some(p) = self.signature(&group[group.len() - 1]) {
            return Some(Found { subject: Subject::Named(p), direct: true });
        }
        let first = &group[0];
        let after_first = || self.after_close(first, true);
        let before = || self.before_open(first);
        let inner = &self.body[first.start..first.end];
        let rest = first.close.map_or("", |(_, e)| &self.body[e..]);
        let found = if open_ended(inner.trim_end(), rest) {
            after_first().or_else(before)
        } else {
            before().or_else(after_first)
        };
        found.or_else(|| group.iter().skip(1).find_map(|p| self.after_close(p, true)))
    }

    /// A signature after a quote: a dash and a name (with any role before it) that end the
    /// quote's paragraph or make up the next paragraph ("“…” — Ann Lee", "“…”¶-Ann Lee, Ohio.").
    fn signature(&self, last: &Piece) -> Option<usize> {
        let (_, close_end) = last.close?;
        let para = self.paras[last.para];
        let rest = self.body[close_end..para.end]
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ','));
        let (start, end) = if rest.is_empty() {
            let next = self.paras.get(last.para + 1)?;
            (next.start, next.end)
        } else {
            (para.end - rest.len(), para.end)
        };
        let text = &self.body[start..end];
        let signed = text.strip_prefix(['-', '—', '–', '―'])?;
        let words = signed
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .take(SIGNATURE_WORDS + 1)
            .count();
        if signed.starts_with(['-', '—', '–', '―']) || words > SIGNATURE_WORDS {
            return None;
        }
        let mut k = self.token_at(end - signed.len());
        while k < self.tokens.len() && self.tokens[k].start < end {
            if let Some(p) = self.mention_at(k) {
                return Some(p);
            }
            let w = self.word(k);
            if !(w.chars().next().is_some_and(char::is_uppercase) || is_role_word(w)) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// True when a title cue ("titled", "book") is written just before the opening mark.
    fn is_title(&self, piece: &Piece) -> bool {
        let Some(open) = piece.open else { return false };
        let to = self.token_at(open);
        let from = to.saturating_sub(3).max(self.token_at(self.paras[piece.para].start));
        (from..to).any(|i| RULES.title_cues.contains(&self.lower(i)))
    }

    /// True when the text between two pieces of one paragraph is an attribution clause.
    fn joins(&self, a: &Piece, b: &Piece) -> bool {
        let (Some((_, close_end)), Some(open)) = (a.close, b.open) else {
            return false;
        };
        let between = &self.body[close_end..open];
        if between.trim().is_empty() {
            return true;
        }
        let words = between.split_whitespace().count();
        words <= 40
            && between.trim_end().ends_with(['.', ',', ':'])
            && self.after_close(a, false).is_some()
    }

    /// Resolves a pronoun at `pos`: to a person its own paragraph named before it (the nearest
    /// one standing as a subject, else the nearest one), else to the last speaker, else to the
    /// nearest person named before.
    fn resolve_pronoun(
        &self,
        pos: usize,
        gender: Option<Gender>,
        para: usize,
        last: Option<(usize, usize)>,
    ) -> Option<usize> {
        let gender = gender?;
        let fits = |p: usize| {
            !self.cast.organisations[p] && self.cast.genders[p].is_none_or(|g| g == gender)
        };
        let k = self.cast.mentions.partition_point(|m| m.start < pos);
        let own = self.paras.partition_point(|p| p.end < pos);
        let para_start = self.paras.get(own).map_or(pos, |p| p.start.min(pos));
        let lo = self.cast.mentions.partition_point(|m| m.start < para_start);
        let floor = self.token_at(para_start);
        let candidates = || {
            let near = k.saturating_sub(PRONOUN_MENTIONS).max(lo);
            self.cast.mentions[near..k].iter().rev().filter(|m| fits(m.person)).map(|m| {
                let i = self.token_at(m.start);
                (m.person, i)
            })
        };
        let subject = candidates().find(|&(_, i)| {
            !self.possessive(i) && self.subject_position(i, self.sentence_start(i + 1, floor))
        });
        let named = subject.or_else(|| candidates().find(|&(_, i)| !self.possessive(i)));
        if let Some((p, _)) = named {
            return Some(p);
        }
        if let Some((person, at)) = last {
            if para <= at + PRONOUN_PARAGRAPHS && fits(person) {
                return Some(person);
            }
        }
        self.cast.mentions[..k].iter().rev().map(|m| m.person).find(|&p| fits(p))
    }
}

/// True when a quote ends as if its sentence goes on ("…,” she said): a comma, question or
/// exclamation mark, dash or ellipsis inside the closing mark, or a comma right after it.
fn open_ended(inner: &str, after_close: &str) -> bool {
    // A quote inside the quote may close first: "…, ‘I sort of hope so,’” Lee said.
    let inner = inner.trim_end().trim_end_matches(['’', '\'', '‘']).trim_end();
    inner.chars().last().is_some_and(|c| matches!(c, ',' | '!' | '?' | '—' | '–' | '-' | '…' | ':'))
        || after_close.trim_start().starts_with(',')
}

/// True when the quote opens a sentence: nothing but a finished sentence before it in its paragraph.
fn opens_sentence(body: &str, paras: &[Para], first: &Piece) -> bool {
    let before = body[paras[first.para].start..first.open.unwrap_or(first.start)].trim_end();
    let before = before.trim_end_matches(['”', '"', '»', ')', '’', '\'']);
    before.is_empty() || before.ends_with(['.', '!', '?'])
}

/// True when the quoted text fills its paragraph (a paragraph that is only a quote).
fn fills_paragraph(body: &str, paras: &[Para], first: &Piece, last: &Piece) -> bool {
    let opens = first.open.is_none_or(|o| o == paras[first.para].start);
    let closes = match last.close {
        Some((_, end)) => body[end..paras[last.para].end].chars().all(|c| !c.is_alphanumeric()),
        None => true,
    };
    opens && closes
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Extracts the quotes and people of `body` (paragraphs separated by blank lines).
pub fn extract(body: &str) -> Extraction {
    let tokens = tokenize(body);
    let cast = find_cast(body, &tokens);
    let paras = paragraphs(body);
    let reader = Reader { body, tokens, cast, paras };
    let mut pieces = Vec::new();
    for (i, p) in reader.paras.iter().enumerate() {
        pieces_of(body, *p, i, &mut pieces);
    }
    // Group pieces into quotes: across paragraphs (each opening, only the last closing) and
    // across an attribution inside a paragraph ("…," he said. "…").
    let mut groups: Vec<Vec<Piece>> = Vec::new();
    for piece in pieces {
        if let Some(group) = groups.last_mut() {
            let prev = group[group.len() - 1];
            let continues_paragraphs = prev.close.is_none()
                && piece.para == prev.para + 1
                && piece.open == Some(reader.paras[piece.para].start);
            if continues_paragraphs || (piece.para == prev.para && reader.joins(&prev, &piece)) {
                group.push(piece);
                continue;
            }
        }
        groups.push(vec![piece]);
    }

    let mut quotes = Vec::new();
    // The last quote with a speaker: (person, paragraph of its last piece).
    let mut last_speaker: Option<(usize, usize)> = None;
    let mut last_quote_para: Option<(usize, Option<usize>)> = None;
    for group in groups {
        let (first, last) = (group[0], group[group.len() - 1]);
        let text = group
            .iter()
            .map(|p| body[p.start..p.end].trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let words = word_count(&text);
        if !text.chars().any(char::is_alphabetic) || reader.is_title(&first) {
            continue;
        }
        let found = reader.attribute(&group);
        let alone = fills_paragraph(body, &reader.paras, &first, &last);
        let (speaker, attribution) = match found.map(|f| f.subject) {
            Some(Subject::Named(p)) => (Some(p), Attribution::Verb),
            Some(Subject::Pronoun(pos, g)) => {
                match reader.resolve_pronoun(pos, g, first.para, last_speaker) {
                    Some(p) => (Some(p), Attribution::Pronoun),
                    None => (None, Attribution::None),
                }
            }
            Some(Subject::Unnamed) => (None, Attribution::None),
            None => {
                // A paragraph that is only a quote, or a sentence that is only a quote after a
                // quote in the same paragraph, goes on with the last speaker.
                let goes_on = match last_quote_para {
                    Some((at, Some(p))) if at + 1 == first.para && alone => Some(p),
                    Some((at, Some(p)))
                        if at == first.para
                            && (alone || opens_sentence(body, &reader.paras, &first)) =>
                    {
                        Some(p)
                    }
                    _ => None,
                };
                let goes_on = goes_on.or_else(|| {
                    let after_quote = last_quote_para.is_some_and(|(at, _)| at + 1 == first.para);
                    (alone && !after_quote).then(|| reader.paragraph_subject(first.para)).flatten()
                });
                match goes_on {
                    Some(p) => (Some(p), Attribution::Continuation),
                    None => (None, Attribution::None),
                }
            }
        };
        let scare = words <= SCARE_QUOTE_WORDS && !alone && !found.is_some_and(|f| f.direct);
        if scare {
            // Not a quote, but it still tells who is talking ("called it “a sham,” Lee said").
            if let (Some(p), Attribution::Verb) = (speaker, attribution) {
                last_speaker = Some((p, last.para));
                last_quote_para = Some((last.para, Some(p)));
            }
            continue;
        }
        if let Some(p) = speaker {
            last_speaker = Some((p, last.para));
        }
        last_quote_para = Some((last.para, speaker));
        quotes.push(Quote {
            text,
            start: first.start,
            end: last.end,
            speaker: speaker.map(|p| reader.cast.people[p].name.clone()),
            attribution,
        });
    }
    Extraction { quotes, people: reader.cast.people }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, body, expected (quote text, speaker)).
    type Case = (&'static str, &'static str, &'static [(&'static str, Option<&'static str>)]);

    const CASES: &[Case] = &[
        (
            "comma_then_name_said",
            "“We will win the state,” Jane Porter said on Monday.",
            &[("We will win the state,", Some("Jane Porter"))],
        ),
        (
            "comma_then_said_name",
            "\"The plan is dead,\" said Senator Tom Vance.",
            &[("The plan is dead,", Some("Tom Vance"))],
        ),
        (
            "name_said_comma_quote",
            "Mayor Lucy Grant said, “The roads are open again.”",
            &[("The roads are open again.", Some("Lucy Grant"))],
        ),
        (
            "name_said_colon_quote",
            "Rita Olsen said: «Nobody expected this outcome.»",
            &[("Nobody expected this outcome.", Some("Rita Olsen"))],
        ),
        (
            "according_to_name",
            "According to Omar Haddad, „the talks went nowhere at all“.",
            &[("the talks went nowhere at all", Some("Omar Haddad"))],
        ),
        (
            "told_reporters",
            "Paul Stein told reporters “we are not leaving this town.”",
            &[("we are not leaving this town.", Some("Paul Stein"))],
        ),
        (
            "called_it_long",
            "Ann Cole called it “a long shot at best, but worth trying.”",
            &[("a long shot at best, but worth trying.", Some("Ann Cole"))],
        ),
        (
            "pronoun_takes_last_speaker",
            "Greg Hale met Ivan Moss in town. Hale said “we keep trying every day.”\n\nHe added “we are not giving up on peace.”",
            &[
                ("we keep trying every day.", Some("Greg Hale")),
                ("we are not giving up on peace.", Some("Greg Hale")),
            ],
        ),
        (
            "pronoun_fits_gender",
            "Mr. Dan Frost spoke first. Ms. Amy Lund spoke last. She said, “That was my best speech.”",
            &[("That was my best speech.", Some("Amy Lund"))],
        ),
        (
            "continuation_paragraph",
            "“The budget is balanced,” Kim Ward said.\n\n“We did it without raising taxes at all.”",
            &[
                ("The budget is balanced,", Some("Kim Ward")),
                ("We did it without raising taxes at all.", Some("Kim Ward")),
            ],
        ),
        (
            "missing_opening_mark",
            "Nina Boyd was blunt, saying:\n\nWe will not sign this deal today.”",
            &[("We will not sign this deal today.", Some("Nina Boyd"))],
        ),
        (
            "multi_paragraph_quote",
            "Leo Marsh said:\n\n“First part of the speech goes here.\n\n“Second part ends the speech.”",
            &[(
                "First part of the speech goes here. Second part ends the speech.",
                Some("Leo Marsh"),
            )],
        ),
        (
            "split_quote_is_one",
            "“It was very nice,” Sam Ortiz said. “He was charming.”",
            &[("It was very nice, He was charming.", Some("Sam Ortiz"))],
        ),
        (
            "scare_quote_is_nobodys",
            "The group called the plan “barbaric” and the vote “a sham”.",
            &[],
        ),
        (
            "book_title_is_not_a_quote",
            "Her new book is titled \"Winds of the Long Dry Summer Season.\"",
            &[],
        ),
        (
            "unattributed_stays_unnamed",
            "Ed Rowe arrived late. The sign read “no entry after dark for any visitors.”",
            &[("no entry after dark for any visitors.", None)],
        ),
        (
            "short_quote_with_verb_is_kept",
            "“Absolutely,” Beth Ray said.",
            &[("Absolutely,", Some("Beth Ray"))],
        ),
        (
            "editorial_marks_kept",
            "Rob Lane said “(w)e continue to explore every avenue.”",
            &[("(w)e continue to explore every avenue.", Some("Rob Lane"))],
        ),
        (
            "participle_shares_subject",
            "The vote is next week, Tom Reyes said, adding, “we will rebuild the old bridge.”",
            &[("we will rebuild the old bridge.", Some("Tom Reyes"))],
        ),
        (
            "said_of_names_the_topic",
            "Ann Lowe, who ran against Carl Dunn, said of Dunn: “He never once showed up.”",
            &[("He never once showed up.", Some("Ann Lowe"))],
        ),
        (
            "appositive_possessive_is_not_speaker",
            "Dan Reed, Mary Olson’s press aide, said “the tour is over for this year.”",
            &[("the tour is over for this year.", Some("Dan Reed"))],
        ),
        (
            "object_of_preposition_is_not_speaker",
            "After meeting with Karl Brandt, Jo Mills said “the meeting went very well indeed.”",
            &[("the meeting went very well indeed.", Some("Jo Mills"))],
        ),
        (
            "inner_quote_closes_first",
            "“He told me, ‘We will win this,’” Kay Lowe said.",
            &[("He told me, ‘We will win this,’", Some("Kay Lowe"))],
        ),
        (
            "surname_from_list_word",
            "The clinic is run by Dora West.\n\n“We need more nurses here,” West said.",
            &[("We need more nurses here,", Some("Dora West"))],
        ),
        (
            "surname_from_list_word_opens_sentence",
            "They met Teo Black, a farmer.\n\nBlack said, “it is dry and the black soil is cracking.”",
            &[("it is dry and the black soil is cracking.", Some("Teo Black"))],
        ),
        (
            "outlet_reported_that",
            "The Daily Ledger reported that “the mayor will resign before the summer.”",
            &[("the mayor will resign before the summer.", Some("Daily Ledger"))],
        ),
        (
            "acronym_outlet_said",
            "“Our sources confirm the deal is done,” ZTV said.",
            &[("Our sources confirm the deal is done,", Some("ZTV"))],
        ),
        (
            "according_to_the_outlet",
            "According to the Valley Times, “the plant will close next spring.”",
            &[("the plant will close next spring.", Some("Valley Times"))],
        ),
        (
            "pronoun_skips_organisation",
            "Lena Park met the press. The Daily Ledger reported it. She said “we start again on Monday.”",
            &[("we start again on Monday.", Some("Lena Park"))],
        ),
        (
            "person_beats_organisation_in_name",
            "Republican Jo Hardy said “the bill is dead in the House.”",
            &[("the bill is dead in the House.", Some("Jo Hardy"))],
        ),
        (
            "pronoun_prefers_person_of_its_paragraph",
            "“Rates will rise,” Ole Brandt said.\n\nNina Vasquez, a baker, said she was worried. “I cannot pay more,” she said.",
            &[("Rates will rise,", Some("Ole Brandt")), ("I cannot pay more,", Some("Nina Vasquez"))],
        ),
        (
            "pronoun_prefers_subject_of_its_paragraph",
            "“We lost,” Ole Brandt said.\n\nTara Lind thanked Ivo Stam. “It was a good year,” she said.",
            &[("We lost,", Some("Ole Brandt")), ("It was a good year,", Some("Tara Lind"))],
        ),
        (
            "appositive_keeps_sentence_initial_name",
            "Joana Pereira, a resident, said: “The water came in under the door.”",
            &[("The water came in under the door.", Some("Joana Pereira"))],
        ),
        (
            "role_noun_takes_person_with_role",
            "Health Minister Rosa Lind visited. Tom Eck waited.\n\n“Help is coming soon,” the minister said.",
            &[("Help is coming soon,", Some("Rosa Lind"))],
        ),
        (
            "inverted_role_noun",
            "Police spokeswoman Ada Moor spoke. Tom Eck waited. “Stay inside,” said the spokeswoman.",
            &[("Stay inside,", Some("Ada Moor"))],
        ),
        (
            "role_noun_without_holder_is_unnamed",
            "Tom Eck waited.\n\n“Help is coming soon,” the minister said.",
            &[("Help is coming soon,", None)],
        ),
        (
            "pronoun_before_quote_paragraph",
            "Bo Haugland, 58, grew up here. He said the fires were never the worst part.\n\n“The worst part was the waiting every night.”",
            &[("The worst part was the waiting every night.", Some("Bo Haugland"))],
        ),
        (
            "sentence_goes_on_to_said_name",
            "“We will fight every single day” for the farmers, said Ida Moss.",
            &[("We will fight every single day", Some("Ida Moss"))],
        ),
        (
            "sentence_goes_on_to_name_said",
            "Polls were “a mess the whole year” in the state, pollster Pia Lund said.",
            &[("a mess the whole year", Some("Pia Lund"))],
        ),
        (
            "according_to_after_the_quote",
            "“The mill will close in May,” according to Dan Roe.",
            &[("The mill will close in May,", Some("Dan Roe"))],
        ),
        (
            "according_to_watchdog_after_the_quote",
            "“The files were handed in late,” according to Civic Watch.",
            &[("The files were handed in late,", Some("Civic Watch"))],
        ),
        (
            "signature_paragraph_after_quote",
            "Claims from the debate follow.\n\n“We cut taxes for every family.”\n\n- Ana Kemp.",
            &[("We cut taxes for every family.", Some("Ana Kemp"))],
        ),
        (
            "signature_after_dash_in_paragraph",
            "“Vote early and vote often.” — Mayor Ben Tull",
            &[("Vote early and vote often.", Some("Ben Tull"))],
        ),
        (
            "dash_name_colon_round_up",
            "POLLS TIGHTEN - Ken Obi: “The race is close in every state.”",
            &[("The race is close in every state.", Some("Ken Obi"))],
        ),
        (
            "state_abbreviation_before_said",
            "“We will hold the vote in June,” Senator Al Brink, R-Ky., said.",
            &[("We will hold the vote in June,", Some("Al Brink"))],
        ),
        (
            "and_before_name_opens_a_clause",
            "Ida Moss arrived. A man asked for a photo and Moss said, “only if you are quick about it.”",
            &[("only if you are quick about it.", Some("Ida Moss"))],
        ),
        (
            "role_with_of_before_name",
            "At the summit Secretary of State Ken Obi said, “the talks will go on for a week.”",
            &[("the talks will go on for a week.", Some("Ken Obi"))],
        ),
        (
            "participle_after_quote_shares_subject",
            "Later Eva Lind insisted that she had “won the argument on the merits,” adding that it was over.",
            &[("won the argument on the merits,", Some("Eva Lind"))],
        ),
        (
            "echoed_colon_paragraph",
            "Young voter Tim Ek echoed:\n\n“He says what he thinks and we like that.”",
            &[("He says what he thinks and we like that.", Some("Tim Ek"))],
        ),
        (
            "passive_agent_is_speaker",
            "Lee Park was asked by host Ann Cole, “Will you run again next year?”",
            &[("Will you run again next year?", Some("Ann Cole"))],
        ),
        (
            "party_group_is_not_an_organisation",
            "“We will block the bill,” Senate Republicans said.",
            &[("We will block the bill,", None)],
        ),
    ];

    #[test]
    fn quotes_table() {
        for (name, body, want) in CASES {
            let got = extract(body);
            let got: Vec<(&str, Option<&str>)> =
                got.quotes.iter().map(|q| (q.text.as_str(), q.speaker.as_deref())).collect();
            assert_eq!(got, *want, "case {name}");
        }
    }

    #[test]
    fn attribution_kinds() {
        let body = "“Taxes will fall,” Ray Dunn said.\n\n“Spending too.”\n\nHe said “the deficit will shrink soon.”";
        let kinds: Vec<Attribution> = extract(body).quotes.iter().map(|q| q.attribution).collect();
        assert_eq!(kinds, [Attribution::Verb, Attribution::Continuation, Attribution::Pronoun]);
    }

    #[test]
    fn speaker_is_a_person_of_the_extraction() {
        for (_, body, _) in CASES {
            let got = extract(body);
            for q in &got.quotes {
                if let Some(s) = &q.speaker {
                    assert!(got.people.iter().any(|p| &p.name == s), "{s}");
                }
            }
        }
    }

    #[test]
    fn offsets_point_at_the_text() {
        let body = "Intro line.\n\n“Fine words here today,” Lia Berg said.";
        let q = &extract(body).quotes[0];
        assert_eq!(&body[q.start..q.end], q.text);
    }

    #[test]
    fn searchable_text_table() {
        let cases = [
            ("parenthesised_letter", "(w)e continue", "we continue"),
            ("bracketed_letter", "[t]hose groups", "those groups"),
            ("bracketed_words", "[Mexican citizens] don't", "Mexican citizens don't"),
            ("real_parenthesis_kept", "a pause (it is) here", "a pause (it is) here"),
            ("inner_letters", "confirm(ed) it", "confirmed it"),
        ];
        for (name, input, want) in cases {
            assert_eq!(searchable_text(input), want, "case {name}");
        }
    }

    #[test]
    fn long_paragraph_of_pronouns_is_cheap() {
        let body = "Ann Lee met Bo Park. “Yes,” she said. ".repeat(5_000);
        let start = std::time::Instant::now();
        let got = extract(&body);
        assert!(start.elapsed().as_secs() < 5);
        assert!(got.quotes.iter().all(|q| q.speaker.as_deref() == Some("Ann Lee")));
    }

    #[test]
    fn many_dashed_quotes_are_cheap() {
        let body = "“Ab cd,” — ".repeat(10_000) + "Ann Lee said.";
        let start = std::time::Instant::now();
        let _ = extract(&body);
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn many_marks_are_cheap() {
        let body = "\"a ".repeat(10_000) + &"“Ab Cd ".repeat(5_000);
        let start = std::time::Instant::now();
        let _ = extract(&body);
        assert!(start.elapsed().as_secs() < 5);
    }
}
