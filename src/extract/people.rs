//! People named in an article body: capitalised name sequences, the roles and honorifics written
//! before them ("Secretary of State John Kerry", "Mr. Kerry"), and the short forms that point back
//! to the fullest form ("Kerry" → "John Kerry").
//!
//! The rules are data in `rules/`: given names, honorifics, role words, and the stop lists of
//! words that are never part of a person's name (function words, days and months, organisation
//! words, places, nationalities). The work is linear in the body: a name is at most
//! [`MAX_NAME_TOKENS`] words of at most [`MAX_TOKEN_BYTES`] bytes each.

use std::borrow::Cow;
use std::sync::LazyLock;

// Hashing short words is a large part of extraction: foldhash instead of SipHash (the keys are
// the article's own words and the shipped lists; nothing here needs SipHash's DoS resistance
// beyond foldhash's per-process seed).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// One person named in an article.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Person {
    /// Canonical name: the fullest form written in the article ("John Kerry").
    pub name: String,
    /// Other forms seen for the same person ("Kerry", "Mr. Kerry", "Secretary Kerry").
    pub aliases: Vec<String>,
    /// The first role written before one of the mentions, as written ("Secretary of State").
    pub role: Option<String>,
    /// Byte spans of every mention of the name in the body (honorifics and roles excluded).
    pub mentions: Vec<(usize, usize)>,
}

/// The people of an article, with every mention in body order (what quote attribution needs).
#[derive(Debug, Clone, Default)]
pub struct Cast {
    /// The people, in order of first mention.
    pub people: Vec<Person>,
    /// The gender a pronoun must have to stand for each person (same index as `people`).
    pub genders: Vec<Option<Gender>>,
    /// True for an organisation that news prose makes a sayer ("CNN reported", "according to
    /// the Daily Caller"): it can be a quote's speaker but no pronoun stands for it.
    pub organisations: Vec<bool>,
    /// Every mention, sorted by start.
    pub mentions: Vec<Mention>,
}

/// One mention of a person in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Byte span of the name in the body.
    pub start: usize,
    pub end: usize,
    /// Index into [`Cast::people`].
    pub person: usize,
}

/// Grammatical gender, as far as honorifics and given names tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

/// A word of the body, as a byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

/// Longest name kept, in words (a longer capitalised run is a heading, not a name).
pub const MAX_NAME_TOKENS: usize = 4;
/// Longest word that can be part of a name, in bytes.
pub const MAX_TOKEN_BYTES: usize = 40;
/// Longest capitalised run looked at, in words.
const MAX_RUN_TOKENS: usize = 10;
/// Longest role looked at before a name, in words.
const MAX_ROLE_TOKENS: usize = 7;

/// Extracts the people named in `body`, in order of first mention.
pub fn extract_people(body: &str) -> Vec<Person> {
    find_cast(body, &tokenize(body)).people
}

/// Word lists from `rules/`.
struct Lexicon {
    honorifics: HashMap<String, Option<Gender>>,
    role_heads: HashSet<String>,
    role_mods: HashSet<String>,
    given: HashMap<String, Option<Gender>>,
    function: HashSet<String>,
    calendar: HashSet<String>,
    organisations: HashSet<String>,
    places: HashSet<String>,
    nationalities: HashSet<String>,
    surnames: HashSet<String>,
    groups: HashSet<String>,
}

/// Lowercase particles that may sit inside a name ("Charles de Gaulle", "Ludwig van Beethoven").
pub(crate) const PARTICLES: &[&str] = &[
    "de", "van", "von", "bin", "al", "da", "del", "della", "di", "du", "der", "den", "la", "le",
    "ter", "dos", "das", "el",
];

/// Words that close a name ("Brent Bozell III", "Martin Luther King Jr.").
const NAME_SUFFIXES: &[&str] = &["jr.", "jr", "sr.", "sr", "ii", "iii", "iv"];

/// Endings of ordinary words that open a sentence ("Endless", "Obviously") and are no name.
const COMMON_ENDINGS: &[&str] = &[
    "ly", "ing", "less", "ness", "ment", "ful", "ous", "ive", "tion", "sion", "ism", "ists", "ed",
];

fn common_word_ending(key: &str) -> bool {
    key.len() > 5 && COMMON_ENDINGS.iter().any(|e| key.ends_with(e))
}

/// Prepositions: a name right after one of these is not the subject of a clause.
pub(crate) const PREPOSITIONS: &[&str] = &[
    "with", "to", "about", "for", "against", "from", "by", "at", "on", "of", "than", "like",
    "after", "before", "between", "toward", "towards", "into", "over", "under", "among", "unlike",
    "versus", "vs.", "and", "or", "in",
];

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).flat_map(str::split_whitespace)
}

fn gender_code(code: &str) -> Option<Gender> {
    match code {
        "m" => Some(Gender::Male),
        "f" => Some(Gender::Female),
        _ => None,
    }
}

/// Parses lines of "WORD CODE" (honorifics) or "CODE WORD WORD ..." (given names).
fn gendered(text: &str, code_first: bool) -> HashMap<String, Option<Gender>> {
    let mut map = HashMap::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let mut parts = line.split_whitespace();
        if code_first {
            let Some(code) = parts.next() else { continue };
            for name in parts {
                map.insert(name.to_lowercase(), gender_code(code));
            }
        } else if let (Some(word), Some(code)) = (parts.next(), parts.next()) {
            map.insert(word.to_lowercase(), gender_code(code));
        }
    }
    map
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let set = |text: &str| words(text).map(str::to_lowercase).collect::<HashSet<_>>();
    let mut role_heads = HashSet::new();
    let mut role_mods = HashSet::new();
    for line in
        include_str!("rules/role-words.txt").lines().filter(|l| !l.trim_start().starts_with('#'))
    {
        match line.split_once(' ') {
            Some(("head", w)) => role_heads.insert(w.trim().to_lowercase()),
            Some(("mod", w)) => role_mods.insert(w.trim().to_lowercase()),
            _ => false,
        };
    }
    Lexicon {
        honorifics: gendered(include_str!("rules/honorifics.txt"), false),
        role_heads,
        role_mods,
        given: gendered(include_str!("rules/given-names.txt"), true),
        function: set(include_str!("rules/function-words.txt")),
        calendar: set(include_str!("rules/calendar.txt")),
        organisations: set(include_str!("rules/organisation-words.txt")),
        places: set(include_str!("rules/place-names.txt")),
        nationalities: set(include_str!("rules/nationalities.txt")),
        surnames: set(include_str!("rules/surname-words.txt")),
        groups: set(include_str!("rules/group-words.txt")),
    }
});

/// True for the apostrophes that join the parts of a word ("O'Malley", "Trump’s").
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// True for a character that belongs to the word after `prev` though it is no letter: a
/// combining mark, or the second character of a letter whose UTF-8 bytes were read as Latin-1
/// or Windows-1252 ("PeÃ±a" for "Peña": U+0080..U+00BF after "Ã" or "Â"), so a name is not
/// split at it.
fn is_mojibake_tail(prev: char, c: char) -> bool {
    // "Ã" may itself be written as "A" and a combining tilde (U+0303), "Â" with a circumflex.
    let lead = matches!(prev, 'Ã' | 'Â' | '\u{303}' | '\u{302}');
    (lead && ('\u{80}'..='\u{bf}').contains(&c)) || is_combining_mark(c)
}

/// True for a combining diacritical mark (U+0300..U+036F), part of the letter before it.
fn is_combining_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Splits `body` into words. A word is a run of letters and digits, joined across an apostrophe,
/// hyphen or period that has a letter or digit on both sides; a final period is kept after an
/// initial ("J."), an abbreviation with inner periods ("U.S.") or an honorific ("Mr.").
pub fn tokenize(body: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = body.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut inner_period = false;
        let mut last = c;
        while let Some(&(i, d)) = chars.peek() {
            if d.is_alphanumeric() || is_mojibake_tail(last, d) {
                end = i + d.len_utf8();
                last = d;
                chars.next();
                continue;
            }
            let joins = is_apostrophe(d) || d == '-' || d == '.';
            let next_is_word =
                body[i + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric);
            if joins && next_is_word {
                inner_period |= d == '.';
                last = d;
                chars.next();
                continue;
            }
            break;
        }
        if body[end..].starts_with('.') {
            let word = &body[start..end];
            let single_letter = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
            let with_period = format!("{}.", word.to_lowercase());
            if single_letter
                || inner_period
                || LEXICON.honorifics.contains_key(&with_period)
                || matches!(with_period.as_str(), "jr." | "sr." | "st." | "vs.")
            {
                end += 1;
                chars.next();
            }
        }
        tokens.push(Token { start, end });
    }
    tokens
}

/// The part of a word that can be a name: without a possessive "'s" or trailing apostrophe.
pub(crate) fn name_end(body: &str, tok: Token) -> usize {
    let word = &body[tok.start..tok.end];
    for suffix in ["'s", "’s", "'S", "’S"] {
        if word.len() > suffix.len() && word.ends_with(suffix) {
            return tok.end - suffix.len();
        }
    }
    tok.end
}

/// True when token `i` opens a sentence, a quotation or a paragraph.
pub(crate) fn sentence_initial(body: &str, tokens: &[Token], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let prev = tokens[i - 1];
    let gap = &body[prev.end..tokens[i].start];
    if gap.contains(['.', '!', '?', ':', ';', '\n', '“', '"', '«', '„', '(', '[', '—']) {
        return true;
    }
    // "Mr." keeps its period inside the token; "U.S." at the end of a sentence is rare enough.
    let prev_word = &body[prev.start..prev.end];
    prev_word.ends_with('.')
        && prev_word.chars().count() > 2
        && !LEXICON.honorifics.contains_key(&prev_word.to_lowercase())
        && !prev_word[..prev_word.len() - 1].contains('.')
}

/// True when tokens `i - 1` and `i` are separated by spaces only (they can share a name).
fn adjacent(body: &str, tokens: &[Token], i: usize) -> bool {
    i > 0 && {
        let gap = &body[tokens[i - 1].end..tokens[i].start];
        !gap.is_empty() && gap.len() <= 3 && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
    }
}

/// What a word can be in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Honorific(Option<Gender>),
    Role,
    Particle,
    Name,
    Organisation,
    Other,
}

/// The word in lowercase; borrowed when it is ASCII without capitals (most words of a body).
fn lower(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(word.to_ascii_lowercase())
        } else {
            Cow::Borrowed(word)
        }
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Per-article facts that decide whether a sentence-initial word is a name.
/// Keys are lowercased words, borrowed from the article's list of keys.
struct Seen<'k> {
    /// Words written in lowercase somewhere in the body.
    lowercase: HashSet<&'k str>,
    /// Capitalised words seen somewhere other than at the start of a sentence.
    capitalised_inside: HashSet<&'k str>,
}

/// What `word` (possessive removed) can be in a name; `key` is `lower(word)`.
fn classify(word: &str, key: &str, initial: bool, seen: &Seen) -> Class {
    let lex = &*LEXICON;
    if word.len() > MAX_TOKEN_BYTES || !word.chars().any(char::is_alphabetic) {
        return Class::Other;
    }
    if !starts_upper(word) {
        return if PARTICLES.contains(&key) { Class::Particle } else { Class::Other };
    }
    if let Some(g) = lex.honorifics.get(key) {
        return Class::Honorific(*g);
    }
    // "Judicial Watch": a function word that is also an organisation word names an
    // organisation inside a sentence.
    if !initial && lex.function.contains(key) && lex.organisations.contains(key) {
        return Class::Organisation;
    }
    if lex.function.contains(key) || lex.calendar.contains(key) {
        return Class::Other;
    }
    if NAME_SUFFIXES.contains(&key) {
        return Class::Name;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 2 && !word.chars().any(char::is_lowercase) {
        return Class::Other; // an acronym such as "FBI" or a word in a heading written in capitals
    }
    if lex.given.contains_key(key) {
        return Class::Name;
    }
    // "Won't", "Fox-style": contractions and compounds with a lowercase part are no names.
    let contraction =
        ["n't", "n’t", "'ll", "’ll", "'re", "’re", "'ve", "’ve"].iter().any(|s| key.ends_with(s));
    let lowercase_part =
        word.split('-').skip(1).any(|part| part.chars().next().is_some_and(char::is_lowercase));
    if contraction || lowercase_part {
        return Class::Other;
    }
    if lex.role_heads.contains(key) || lex.role_mods.contains(key) {
        return Class::Role;
    }
    if lex.organisations.contains(key) {
        return Class::Organisation;
    }
    let singular = key.strip_suffix('s').unwrap_or(key);
    if lex.places.contains(key)
        || lex.nationalities.contains(key)
        || lex.nationalities.contains(singular)
    {
        return Class::Other;
    }
    if initial && (seen.lowercase.contains(key) || common_word_ending(key)) {
        return Class::Other;
    }
    Class::Name
}

/// A name found in the text before aliases are resolved.
#[derive(Debug, Clone)]
struct Candidate {
    start: usize,
    end: usize,
    /// Lowercased words of the name.
    words: Vec<String>,
    /// The name as written, with single spaces.
    text: String,
    /// The honorific or title word written directly before the name, with the name ("Mr. Kerry").
    titled: Option<String>,
    gender: Option<Gender>,
    role: Option<String>,
    /// A single word counts as a person only with evidence (title, role, verb of saying).
    evidence: bool,
}

/// True for a word that can be part of a role written before a name ("spokesman", "deputy").
pub fn is_role_word(word: &str) -> bool {
    let key = lower(word);
    LEXICON.role_heads.contains(&*key) || LEXICON.role_mods.contains(&*key)
}

/// True for a word that heads a role ("minister", "spokeswoman"; not "deputy" or "state").
pub fn is_role_head(word: &str) -> bool {
    LEXICON.role_heads.contains(&*lower(word))
}

/// True for a role word that can follow a name used as a modifier ("Clinton spokesman", "Trump
/// Campaign Manager"): a role head, or a capitalised role modifier other than a connective.
fn is_title_word(word: &str) -> bool {
    let key = lower(word);
    LEXICON.role_heads.contains(&*key)
        || (starts_upper(word)
            && LEXICON.role_mods.contains(&*key)
            && !matches!(&*key, "and" | "of" | "for" | "on"))
}

/// True when the word at token `i` is a verb of saying.
fn is_speech_at(body: &str, tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| super::quotes::is_speech_verb(&body[t.start..t.end]))
}

/// True when the name in tokens `s..=e` is the subject or object of a verb of saying.
fn next_to_speech(body: &str, tokens: &[Token], s: usize, e: usize) -> bool {
    let after = e + 1;
    if after < tokens.len() && adjacent(body, tokens, after) {
        if is_speech_at(body, tokens, after) {
            return true;
        }
        let adverb = &body[tokens[after].start..tokens[after].end];
        if adverb.ends_with("ly")
            && after + 1 < tokens.len()
            && adjacent(body, tokens, after + 1)
            && is_speech_at(body, tokens, after + 1)
        {
            return true;
        }
    }
    if s > 0 && adjacent(body, tokens, s) && is_speech_at(body, tokens, s - 1) {
        return true;
    }
    s > 1
        && adjacent(body, tokens, s)
        && body[tokens[s - 1].start..tokens[s - 1].end].eq_ignore_ascii_case("to")
        && body[tokens[s - 2].start..tokens[s - 2].end].eq_ignore_ascii_case("according")
}

/// The role written before the name that starts at token `s`, as written.
fn role_before(body: &str, tokens: &[Token], s: usize) -> Option<String> {
    let lex = &*LEXICON;
    let mut first = s;
    let mut j = s;
    while j > 0 && s - j < MAX_ROLE_TOKENS {
        if !adjacent(body, tokens, j) || sentence_initial(body, tokens, j) {
            break;
        }
        let word = &body[tokens[j - 1].start..tokens[j - 1].end];
        let key = lower(word);
        let roleish = lex.role_heads.contains(&*key)
            || lex.role_mods.contains(&*key)
            || (starts_upper(word) && !lex.function.contains(&*key));
        if !roleish {
            break;
        }
        j -= 1;
        first = j;
    }
    // Connectives cannot open a role.
    while first < s {
        let key = lower(&body[tokens[first].start..tokens[first].end]);
        if matches!(&*key, "of" | "and" | "for" | "on") {
            first += 1;
        } else {
            break;
        }
    }
    let has_head = (first..s).any(|k| {
        let key = lower(&body[tokens[k].start..tokens[k].end]);
        lex.role_heads.contains(&*key)
    });
    if first == s || !has_head {
        return None;
    }
    let text = &body[tokens[first].start..name_end(body, tokens[s - 1])];
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// True when the word at token `i` is written capitalised but not in capitals ("West", not "WEST").
fn capitalised_at(body: &str, tokens: &[Token], i: usize) -> bool {
    let word = &body[tokens[i].start..name_end(body, tokens[i])];
    starts_upper(word) && word.chars().skip(1).any(char::is_lowercase)
}

/// Surnames that are also list words ("Marty West", "Steven Law"): a word of
/// `rules/surname-words.txt` that follows a name and closes its capitalised run is a name there,
/// and in the rest of the article wherever it stands alone: inside a sentence, or opening one
/// when a verb of saying follows or the word is never written in lowercase ("West said").
fn surnames_from_lists(
    body: &str,
    tokens: &[Token],
    keys: &[Cow<str>],
    initial: &[bool],
    seen: &Seen,
    mut classes: Vec<Class>,
) -> Vec<Class> {
    let key_at = |i: usize| &*keys[i];
    let run_goes_on = |i: usize| {
        i + 1 < tokens.len()
            && adjacent(body, tokens, i + 1)
            && !initial[i + 1]
            && starts_upper(&body[tokens[i + 1].start..tokens[i + 1].end])
    };
    let mut found: HashSet<&str> = HashSet::new();
    for i in 1..tokens.len() {
        if classes[i] != Class::Name
            && classes[i - 1] == Class::Name
            && adjacent(body, tokens, i)
            && !initial[i]
            && name_end(body, tokens[i - 1]) == tokens[i - 1].end
            && capitalised_at(body, tokens, i)
            && !run_goes_on(i)
            && LEXICON.surnames.contains(key_at(i))
        {
            found.insert(key_at(i));
        }
    }
    if found.is_empty() {
        return classes;
    }
    for i in 0..tokens.len() {
        if classes[i] == Class::Name || !capitalised_at(body, tokens, i) {
            continue;
        }
        let key = key_at(i);
        if !found.contains(key) || run_goes_on(i) {
            continue;
        }
        let alone_ok = !initial[i]
            || !seen.lowercase.contains(key)
            || is_speech_at(body, tokens, i + 1)
            || (is_adverb_at(body, tokens, i + 1) && is_speech_at(body, tokens, i + 2));
        if alone_ok {
            classes[i] = Class::Name;
        }
    }
    classes
}

fn is_adverb_at(body: &str, tokens: &[Token], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| body[t.start..t.end].ends_with("ly"))
}

/// Finds the name candidates of the body, in order.
fn candidates(body: &str, tokens: &[Token]) -> (Vec<Candidate>, Vec<Candidate>) {
    let initial: Vec<bool> = (0..tokens.len()).map(|i| sentence_initial(body, tokens, i)).collect();
    // Each word (possessive removed) and its lowercase key, computed once for every rule below.
    let words: Vec<&str> = tokens.iter().map(|t| &body[t.start..name_end(body, *t)]).collect();
    let keys: Vec<Cow<str>> = words.iter().map(|w| lower(w)).collect();
    let mut seen = Seen {
        lowercase: HashSet::with_capacity(tokens.len() / 2),
        capitalised_inside: HashSet::new(),
    };
    for (i, word) in words.iter().enumerate() {
        if word.len() > MAX_TOKEN_BYTES {
            continue;
        }
        if !starts_upper(word) {
            seen.lowercase.insert(&keys[i]);
        } else if !initial[i] {
            seen.capitalised_inside.insert(&keys[i]);
        }
    }
    let classes: Vec<Class> =
        (0..tokens.len()).map(|i| classify(words[i], &keys[i], initial[i], &seen)).collect();
    let classes = surnames_from_lists(body, tokens, &keys, &initial, &seen, classes);
    let organisations = organisation_mentions(body, tokens, &keys, &initial, &classes);

    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // A run: adjacent capitalised words (and particles between them).
        let word = &body[tokens[i].start..tokens[i].end];
        if !starts_upper(word) {
            i += 1;
            continue;
        }
        let run_start = i;
        let mut run_end = i + 1;
        while run_end < tokens.len()
            && adjacent(body, tokens, run_end)
            && !initial[run_end]
            && (starts_upper(&body[tokens[run_end].start..tokens[run_end].end])
                || classes[run_end] == Class::Particle)
            // a possessive closes a name: "Trump's Clinton attacks"
            && name_end(body, tokens[run_end - 1]) == tokens[run_end - 1].end
        {
            run_end += 1;
        }
        i = run_end;
        if run_end - run_start > MAX_RUN_TOKENS {
            continue;
        }
        let mut k = run_start;
        while k < run_end {
            if classes[k] != Class::Name {
                k += 1;
                continue;
            }
            let mut e = k;
            while e + 1 < run_end
                && (classes[e + 1] == Class::Name
                    || (classes[e + 1] == Class::Particle
                        && e + 2 < run_end
                        && classes[e + 2] == Class::Name))
            {
                e += 1;
            }
            let mut s = k;
            k = e + 1;
            // "Clinton Foundation", "Trump campaign manager": a name used as a modifier.
            let followed_by_org = e + 1 < run_end && classes[e + 1] == Class::Organisation;
            let followed_by_role = e + 1 < tokens.len()
                && adjacent(body, tokens, e + 1)
                && name_end(body, tokens[e]) == tokens[e].end
                && is_title_word(&body[tokens[e + 1].start..tokens[e + 1].end])
                && !initial[e + 1];
            if followed_by_role {
                continue;
            }
            // "Daily Ledger", "Tribune Review": a name after an organisation word is part of the
            // organisation's name (a party word is a label: "Republican Jo Hardy").
            let after_org = s > run_start
                && classes[s - 1] == Class::Organisation
                && !LEXICON.groups.contains(&*lower(&body[tokens[s - 1].start..tokens[s - 1].end]));
            if followed_by_org || after_org || e + 1 - s > MAX_NAME_TOKENS {
                continue;
            }
            // "Endless Sergey Lavrov": a sentence-initial word opens a longer name only when it is
            // a given name, is written capitalised elsewhere, or the name is followed by an
            // appositive ("Joana Ferreira, a resident", "Paulo Sousa, who commands").
            if e > s && initial[s] {
                let key = lower(&body[tokens[s].start..tokens[s].end]);
                if !LEXICON.given.contains_key(&*key)
                    && !seen.capitalised_inside.contains(&*key)
                    && !appositive_after(body, tokens, e)
                {
                    s += 1;
                }
            }
            out.push(candidate(body, tokens, &classes, &seen, run_start, s, e));
        }
    }
    (out, organisations)
}

/// Longest organisation name looked at, in words.
const MAX_ORGANISATION_TOKENS: usize = 6;

/// True for an acronym that can name an organisation ("CNN", "FBI", "DNC").
fn is_acronym(word: &str) -> bool {
    (2..=6).contains(&word.len()) && word.chars().all(|c| c.is_ascii_uppercase())
}

/// Organisations that news prose makes a sayer, as mentions: a capitalised run holding an
/// organisation word or an acronym ("Fox News", "the White House", "CNN") that is followed by a
/// verb of saying ("Politico reported") or follows "according to" somewhere in the body; then
/// every mention of the same run. A run with a role, honorific or a person's name at its end
/// ("House Speaker Paul Ryan") is no organisation, and neither is a party or group of people
/// ("Senate Republicans").
fn organisation_mentions(
    body: &str,
    tokens: &[Token],
    keys: &[Cow<str>],
    initial: &[bool],
    classes: &[Class],
) -> Vec<Candidate> {
    let word_at = |i: usize| &body[tokens[i].start..name_end(body, tokens[i])];
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !starts_upper(word_at(i)) {
            i += 1;
            continue;
        }
        let mut e = i;
        while e + 1 < tokens.len()
            && e + 1 - i < MAX_ORGANISATION_TOKENS
            && adjacent(body, tokens, e + 1)
            && !initial[e + 1]
            && name_end(body, tokens[e]) == tokens[e].end
            && starts_upper(word_at(e + 1))
        {
            e += 1;
        }
        let next = e + 1;
        // "The White House": a leading function word is not part of the name.
        let mut s = i;
        while s <= e && LEXICON.function.contains(&*keys[s]) {
            s += 1;
        }
        i = next;
        if s > e {
            continue;
        }
        let marked = (s..=e).any(|k| classes[k] == Class::Organisation || is_acronym(word_at(k)));
        let personal = (s..=e).any(|k| matches!(classes[k], Class::Role | Class::Honorific(_)));
        let group = keys[s..=e].iter().all(|key| {
            LEXICON.groups.contains(&**key)
                || LEXICON.nationalities.contains(&**key)
                || LEXICON.places.contains(&**key)
        });
        if marked && !personal && !group {
            runs.push((s, e));
        }
    }
    let text_of = |s: usize, e: usize| {
        body[tokens[s].start..name_end(body, tokens[e])]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let lower_at = |i: usize| lower(&body[tokens[i].start..tokens[i].end]);
    let sayers: HashSet<String> = runs
        .iter()
        .filter(|&&(s, e)| {
            let possessive = name_end(body, tokens[e]) != tokens[e].end;
            let says = !possessive
                && e + 1 < tokens.len()
                && adjacent(body, tokens, e + 1)
                && (is_speech_at(body, tokens, e + 1)
                    || (is_adverb_at(body, tokens, e + 1) && is_speech_at(body, tokens, e + 2)));
            let mut k = s;
            if k > 0 && lower_at(k - 1) == "the" {
                k -= 1;
            }
            let according = k >= 2 && lower_at(k - 1) == "to" && lower_at(k - 2) == "according";
            says || according
        })
        .map(|&(s, e)| text_of(s, e))
        .collect();
    runs.iter()
        .filter_map(|&(s, e)| {
            let text = text_of(s, e);
            sayers.contains(&text).then(|| Candidate {
                start: tokens[s].start,
                end: name_end(body, tokens[e]),
                words: vec![lower(&text).into_owned()],
                text,
                titled: None,
                gender: None,
                role: None,
                evidence: true,
            })
        })
        .collect()
}

/// Words that open an appositive after a name ("Ana Lobo, a nurse", "Ana Lobo, who runs").
const APPOSITIVE_OPENERS: &[&str] =
    &["a", "an", "the", "who", "whose", "one", "herself", "himself"];

/// True when the name ending at token `e` is followed by a comma and an appositive, or by an age
/// ("Ana Lobo, 58,").
fn appositive_after(body: &str, tokens: &[Token], e: usize) -> bool {
    let Some(next) = tokens.get(e + 1) else { return false };
    let gap = &body[tokens[e].end..next.start];
    let word = &body[next.start..next.end];
    gap.trim() == ","
        && (APPOSITIVE_OPENERS.contains(&&*lower(word)) || word.chars().all(|c| c.is_ascii_digit()))
}

fn candidate(
    body: &str,
    tokens: &[Token],
    classes: &[Class],
    seen: &Seen,
    run_start: usize,
    s: usize,
    e: usize,
) -> Candidate {
    let start = tokens[s].start;
    let end = name_end(body, tokens[e]);
    let text = body[start..end].split_whitespace().collect::<Vec<_>>().join(" ");
    let mut words: Vec<String> = (s..=e)
        .filter(|&k| classes[k] == Class::Name)
        .map(|k| lower(&body[tokens[k].start..name_end(body, tokens[k])]).into_owned())
        .collect();
    // A suffix is part of the name as written but not the surname other mentions use.
    while words.len() > 1 && words.last().is_some_and(|w| NAME_SUFFIXES.contains(&w.as_str())) {
        words.pop();
    }
    let mut gender = LEXICON.given.get(&words[0]).copied().flatten();
    let mut titled = None;
    // A full name counts on its own when it opens with a given name or an initial, or when none
    // of its words is an ordinary word written in lowercase elsewhere ("Lives Matter").
    let plain_words =
        words.iter().all(|w| !seen.lowercase.contains(w.as_str()) && !common_word_ending(w));
    let mut evidence = words.len() >= 2
        && (LEXICON.given.contains_key(&words[0])
            || body[tokens[s].start..tokens[s].end].len() <= 2
            || plain_words);
    if s > run_start {
        match classes[s - 1] {
            Class::Honorific(g) => {
                gender = g.or(gender);
                evidence = true;
                titled =
                    Some(format!("{} {}", &body[tokens[s - 1].start..tokens[s - 1].end], text));
            }
            Class::Role => {
                evidence = true;
                titled =
                    Some(format!("{} {}", &body[tokens[s - 1].start..tokens[s - 1].end], text));
            }
            _ => {}
        }
    }
    let role = role_before(body, tokens, s);
    evidence |= role.is_some() || next_to_speech(body, tokens, s, e);
    Candidate { start, end, words, text, titled, gender, role, evidence }
}

/// A person being built.
struct Group {
    /// Lowercased first and last word of the fullest form.
    first: String,
    last: String,
    name: String,
    name_words: usize,
    aliases: Vec<String>,
    role: Option<String>,
    gender: Option<Gender>,
    mentions: Vec<(usize, usize)>,
}

impl Group {
    fn new(c: &Candidate) -> Group {
        Group {
            first: c.words.first().cloned().unwrap_or_default(),
            last: c.words.last().cloned().unwrap_or_default(),
            name: c.text.clone(),
            name_words: c.words.len(),
            aliases: Vec::new(),
            role: None,
            gender: None,
            mentions: Vec::new(),
        }
    }

    fn add(&mut self, c: &Candidate) {
        if c.words.len() > self.name_words {
            let old = std::mem::replace(&mut self.name, c.text.clone());
            self.name_words = c.words.len();
            self.aliases.push(old);
        } else if c.text != self.name {
            self.aliases.push(c.text.clone());
        }
        if let Some(t) = &c.titled {
            self.aliases.push(t.clone());
        }
        if self.role.is_none() {
            self.role.clone_from(&c.role);
        }
        if self.gender.is_none() {
            self.gender = c.gender;
        }
        self.mentions.push((c.start, c.end));
    }
}

/// Finds the people of `body` and all their mentions; `tokens` is `tokenize(body)`.
pub fn find_cast(body: &str, tokens: &[Token]) -> Cast {
    let (mut cands, organisations) = candidates(body, tokens);
    let mut groups: Vec<Group> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; cands.len()];
    // Full names first: same first and last word is the same person.
    for (ci, c) in cands.iter().enumerate() {
        if c.words.len() < 2 {
            continue;
        }
        let (first, last) = (&c.words[0], &c.words[c.words.len() - 1]);
        let gi = match groups.iter().position(|g| &g.first == first && &g.last == last) {
            Some(gi) => gi,
            None => {
                groups.push(Group::new(c));
                groups.len() - 1
            }
        };
        owner[ci] = Some(gi);
    }
    // A full name with no evidence at all ("Bottomless Pit") is no person.
    let mut strong = vec![false; groups.len()];
    for (c, o) in cands.iter().zip(&owner) {
        if let Some(g) = *o {
            strong[g] |= c.evidence;
        }
    }
    // The surname alone with evidence ("Black said") vouches for the full name it shortens.
    let vouched: HashSet<&str> = cands
        .iter()
        .filter(|c| c.words.len() == 1 && c.evidence)
        .map(|c| c.words[0].as_str())
        .collect();
    for (g, group) in groups.iter().enumerate() {
        strong[g] |= vouched.contains(group.last.as_str());
    }
    let mut renumber = vec![None; groups.len()];
    let mut kept = Vec::new();
    for (g, group) in groups.into_iter().enumerate() {
        if strong[g] {
            renumber[g] = Some(kept.len());
            kept.push(group);
        }
    }
    groups = kept;
    for o in owner.iter_mut() {
        *o = o.and_then(|g| renumber[g]);
    }
    // Then single words: a surname (or a unique given name) of a full name, else a person of
    // their own when some mention gives evidence.
    let evidenced: HashSet<&str> = cands
        .iter()
        .filter(|c| c.words.len() == 1 && c.evidence)
        .map(|c| c.words[0].as_str())
        .collect();
    let full_groups = groups.len();
    let mut full_starts: Vec<Vec<usize>> = vec![Vec::new(); full_groups];
    for (c, o) in cands.iter().zip(&owner) {
        if let Some(g) = *o {
            full_starts[g].push(c.start);
        }
    }
    for (ci, c) in cands.iter().enumerate() {
        if c.words.len() != 1 {
            continue;
        }
        let word = &c.words[0];
        let by_last: Vec<usize> = (0..full_groups).filter(|&g| &groups[g].last == word).collect();
        let chosen = if by_last.is_empty() {
            let by_first: Vec<usize> =
                (0..full_groups).filter(|&g| &groups[g].first == word).collect();
            (by_first.len() == 1).then(|| by_first[0])
        } else {
            // The one named most recently before this mention, else the first.
            let before = |g: usize| {
                let starts = &full_starts[g];
                let n = starts.partition_point(|&s| s < c.start);
                n.checked_sub(1).map(|k| starts[k])
            };
            by_last.iter().copied().max_by_key(|&g| before(g)).or(by_last.first().copied())
        };
        owner[ci] = match chosen {
            Some(g) => Some(g),
            None if evidenced.contains(word.as_str()) => {
                match groups[full_groups..].iter().position(|g| &g.last == word) {
                    Some(p) => Some(full_groups + p),
                    None => {
                        groups.push(Group::new(c));
                        Some(groups.len() - 1)
                    }
                }
            }
            None => None,
        };
    }
    // Organisations that speak, where no person is named in the same words.
    let people_groups = groups.len();
    let mut taken: Vec<(usize, usize)> = cands
        .iter()
        .zip(&owner)
        .filter(|(_, o)| o.is_some())
        .map(|(c, _)| (c.start, c.end))
        .collect();
    taken.sort_unstable();
    for org in organisations {
        let k = taken.partition_point(|&(_, end)| end <= org.start);
        if taken.get(k).is_some_and(|&(start, _)| start < org.end) {
            continue;
        }
        let g = match groups[people_groups..].iter().position(|g| g.name == org.text) {
            Some(p) => people_groups + p,
            None => {
                groups.push(Group::new(&org));
                groups.len() - 1
            }
        };
        cands.push(org);
        owner.push(Some(g));
    }
    for (ci, c) in cands.iter().enumerate() {
        if let Some(g) = owner[ci] {
            groups[g].add(c);
        }
    }
    // Order people by first mention.
    let mut order: Vec<usize> =
        (0..groups.len()).filter(|&g| !groups[g].mentions.is_empty()).collect();
    order.sort_by_key(|&g| groups[g].mentions.first().map(|m| m.0));
    let mut index = vec![usize::MAX; groups.len()];
    let mut cast = Cast::default();
    for (new, &g) in order.iter().enumerate() {
        index[g] = new;
        let group = &mut groups[g];
        let mut aliases: Vec<String> = Vec::new();
        for a in group.aliases.drain(..) {
            if a != group.name && !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        cast.people.push(Person {
            name: group.name.clone(),
            aliases,
            role: group.role.clone(),
            mentions: group.mentions.clone(),
        });
        cast.genders.push(group.gender);
        cast.organisations.push(g >= people_groups);
    }
    for (ci, c) in cands.iter().enumerate() {
        if let Some(g) = owner[ci] {
            cast.mentions.push(Mention { start: c.start, end: c.end, person: index[g] });
        }
    }
    cast.mentions.sort_by_key(|m| m.start);
    cast
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<String> {
        extract_people(body).into_iter().map(|p| p.name).collect()
    }

    #[test]
    fn people_table() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "full_name_and_surname_are_one",
                "Senator Mary Jones spoke on Monday. Later Jones said she was tired.",
                &["Mary Jones"],
            ),
            (
                "role_is_not_part_of_name",
                "Secretary of State Paul Brennan met reporters.",
                &["Paul Brennan"],
            ),
            (
                "organisation_is_not_a_person",
                "The Acme Foundation gave money to the Fox Business Network.",
                &[],
            ),
            (
                "sentence_opening_word_dropped",
                "Endless Viktor Orlov speeches bore everyone.",
                &["Viktor Orlov"],
            ),
            (
                "days_and_months_are_not_people",
                "On Monday in January the vote was held in New Hampshire.",
                &[],
            ),
            (
                "single_word_needs_evidence",
                "Brixton is a town. Mr. Harlow arrived. Quill said nothing.",
                &["Harlow", "Quill"],
            ),
            (
                "two_people_same_surname",
                "Anna Ruiz and Carlos Ruiz disagreed.",
                &["Anna Ruiz", "Carlos Ruiz"],
            ),
            (
                "list_word_surname_after_name",
                "The panel heard Steve Law and Ana Cuban. Law said little.",
                &["Steve Law", "Ana Cuban"],
            ),
            ("list_word_alone_is_no_name", "The West said nothing. Law matters.", &[]),
            ("name_after_organisation_word_is_not_a_person", "The Daily Ledger printed it.", &[]),
            (
                "mojibake_letter_stays_in_the_name",
                "President Luis PeÃ±a spoke. PeÃ±a left.",
                &["Luis PeÃ±a"],
            ),
            (
                "mojibake_with_combining_tilde",
                "President Luis PeA\u{303}\u{b1}a spoke.",
                &["Luis PeA\u{303}\u{b1}a"],
            ),
            (
                "possessive_is_stripped",
                "It was Dana Whitfield’s plan, and Whitfield’s alone.",
                &["Dana Whitfield"],
            ),
        ];
        for (name, body, want) in cases {
            assert_eq!(names(body), *want, "case {name}");
        }
    }

    /// (name, body, canonical name, role, aliases that must be present).
    type AliasCase<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, &'a [&'a str]);

    #[test]
    fn aliases_and_role_table() {
        let cases: &[AliasCase] = &[
            (
                "honorific_alias",
                "Deputy spokesman Mark Fennel spoke. Mr. Fennel left early.",
                "Mark Fennel",
                Some("Deputy spokesman"),
                &["Mr. Fennel", "Fennel"],
            ),
            (
                "foreign_minister_role",
                "Russian Foreign Minister Ivan Petrov agreed. Petrov smiled.",
                "Ivan Petrov",
                Some("Russian Foreign Minister"),
                &["Petrov"],
            ),
            (
                "title_word_alias",
                "Secretary of State John Marsh flew in. Secretary Marsh said little.",
                "John Marsh",
                Some("Secretary of State"),
                &["Marsh", "Secretary Marsh"],
            ),
        ];
        for (name, body, canonical, role, aliases) in cases {
            let people = extract_people(body);
            let p = people.iter().find(|p| p.name == *canonical);
            let p = p.unwrap_or_else(|| panic!("case {name}: {people:?}"));
            assert_eq!(p.role.as_deref(), *role, "case {name}");
            for a in *aliases {
                assert!(p.aliases.iter().any(|x| x == a), "case {name}: {:?}", p.aliases);
            }
        }
    }

    #[test]
    fn organisations_table() {
        // (name, body, people that are organisations)
        let cases: &[(&str, &str, &[&str])] = &[
            ("outlet_reported", "The Valley Post reported the news.", &["Valley Post"]),
            ("acronym_said", "Officials met. ZTV said it knew.", &["ZTV"]),
            ("according_to_the", "It is late, according to the Valley Post.", &["Valley Post"]),
            ("other_mentions_follow", "ZTV said no. Later ZTV aired it.", &["ZTV"]),
            ("not_a_sayer", "The Valley Post printed the news.", &[]),
            ("group_is_no_organisation", "Senate Republicans said no.", &[]),
            ("role_is_a_person", "House Speaker Ken Ode said no.", &[]),
            (
                "watch_names_an_organisation",
                "Civic Watch said the files were late.",
                &["Civic Watch"],
            ),
            ("watch_opening_a_sentence_is_a_verb", "Watch Ken Ode speak. He said no.", &[]),
        ];
        for (name, body, want) in cases {
            let cast = find_cast(body, &tokenize(body));
            let orgs: Vec<&str> = cast
                .people
                .iter()
                .zip(&cast.organisations)
                .filter(|(_, &o)| o)
                .map(|(p, _)| p.name.as_str())
                .collect();
            assert_eq!(orgs, *want, "case {name}");
        }
        let cast = find_cast(
            "ZTV said no. Later ZTV aired it.",
            &tokenize("ZTV said no. Later ZTV aired it."),
        );
        assert_eq!(cast.people[0].mentions.len(), 2);
    }

    #[test]
    fn mentions_are_spans_of_the_name() {
        let body = "Mr. Tom Reed came. Reed left.";
        let people = extract_people(body);
        assert_eq!(people.len(), 1);
        let spans: Vec<&str> = people[0].mentions.iter().map(|&(s, e)| &body[s..e]).collect();
        assert_eq!(spans, ["Tom Reed", "Reed"]);
    }

    #[test]
    fn long_capitalised_run_is_cheap() {
        let body = "Ab".repeat(5_000) + " " + &"Xy ".repeat(3_000);
        assert!(extract_people(&body).is_empty());
    }
}
