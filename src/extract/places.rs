//! Places named in article text, found against an embedded GeoNames gazetteer.
//!
//! The gazetteer (`data/places/places.tsv`, built by `data/places/build.py` from GeoNames data,
//! CC BY 4.0) holds countries with their short forms ("U.S.", "Britain"), US states with their AP
//! abbreviations ("Calif."), first-level regions of some other countries, continents, seas and
//! well-known regions ("Middle East"), US counties, cities of 15,000+ people worldwide and smaller
//! US places. Every surface form goes into one Aho-Corasick automaton (leftmost-longest,
//! case-sensitive; a double array, built with the binary by `build.rs` for the embedded data),
//! so [`Gazetteer::find`] is linear in the length of the text.
//!
//! A match is a place only when the text around it says so (the word lists are tables below):
//! - it stands on word boundaries and is written as a name (capitalised; an all-capitals form only
//!   in a dateline such as `BOSTON --` or `BEIRUT:`);
//! - it does not overlap a span the caller excludes (a person's name found by another stage);
//! - it is not a word of a longer capitalised name: "Paris Hilton", "Washington Post", "Jordan
//!   Spieth", "Mr. Kent", "University of Texas". A country or state keeps its name before a
//!   capitalised word ("Texas Rangers"), and any place keeps it before a public body of its own
//!   ("Gainesville Police", see [`INSTITUTION_WORDS`]). A word after a title ("Sen. Kent") or
//!   before a verb of saying ("Kent said") is a surname for the rest of the text;
//! - a name that is also an English word ("Nice", "Reading") is not trusted at the start of a
//!   sentence, where every word is capitalised, and small places with such names are not in the
//!   data at all;
//! - a small place whose one-word name is a common given name or surname ("Marshall") counts only
//!   with a state or country after it ("Marshall, Minn."), after "in"/"at"/"near", or before a
//!   resident noun ("a Marshall man");
//! - an ambiguous AP abbreviation ("Miss.", "Mass.") counts only after a city and a comma.
//!
//! An ambiguous name resolves to the biggest place (Paris is the French capital), unless a state or
//! country follows it ("Paris, Texas") or an earlier mention of the same name in the article was
//! resolved that way.
//!
//! Demonyms. Nationality words ("Syrian", "Texans") are in the gazetteer but [`Gazetteer::find`]
//! does not report them: a reader who asks for articles about Syria wants articles that name it,
//! not every story with a "Syrian-born" chef, and on the development set (local US news that
//! annotates demonyms, and Wikinews that does not) counting them lowered precision more than it
//! raised recall (micro F1 0.801 with them, 0.806 without). [`FindOptions::demonyms`] turns them
//! on, and [`Gazetteer::canonical`] maps them ("Syrian" → "Syria") so that a scorer can fold gold
//! annotations that include them.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::sync::OnceLock;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};
use serde::Serialize;

use super::place_forms;

/// The embedded gazetteer: one place a line, see `data/places/build.py` for the columns.
const GAZETTEER_TSV: &str = include_str!("../../data/places/places.tsv");

/// The automaton for [`GAZETTEER_TSV`], built by `build.rs` when the binary is built: the
/// [`place_forms::digest`] of its patterns (8 bytes, little-endian), then the serialized
/// automaton. Empty if the build script could not build it.
const PREBUILT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/places.daac"));

/// What sort of place a name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    Continent,
    /// A region that is not a country's first-level division: "Middle East", "Gaza Strip", a US county.
    Region,
    Country,
    /// A first-level division: a US state, a Canadian province, England.
    State,
    City,
}

/// One mention of a place in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Canonical name: "United States" for "U.S.", "Aleppo", "Syria".
    pub name: String,
    pub kind: PlaceKind,
    /// Canonical name of the country the place is in (the country itself for a country);
    /// `None` for continents and regions that span countries.
    pub country: Option<String>,
    /// Byte span of the mention in the text.
    pub start: usize,
    pub end: usize,
}

/// Switches for [`Gazetteer::find_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FindOptions {
    /// Report nationality words ("Syrian" as Syria, "Ohioans" as Ohio).
    pub demonyms: bool,
}

/// Words that may follow a place name without making it part of a longer name
/// ("Paris Monday", "Texas Republicans"); any other capitalised follower does ("Paris Hilton").
pub const FOLLOWERS_THAT_KEEP: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Democrats",
    "Republicans",
    "Democrat",
    "Republican",
    "Gov",
    "Sen",
    "Rep",
    "Sens",
    "Reps",
    "I",
    "AP",
];

/// Capitalised words that may stand right before a place name without making it part of a
/// longer name ("Northern California", "downtown", a capitalised word opening a sentence).
pub const PREFIXES_THAT_KEEP: &[&str] = &[
    "North",
    "South",
    "East",
    "West",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Upper",
    "Lower",
    "Downtown",
    "Greater",
    "Metro",
    "Suburban",
    "Rural",
    "Coastal",
    "Mainland",
    "Occupied",
    "Inner",
    "Outer",
    "In",
    "At",
    "From",
    "To",
    "Of",
    "For",
    "And",
    "But",
    "Or",
    "The",
    "Near",
    "Across",
    "Outside",
    "Inside",
    "Throughout",
    "Since",
    "When",
    "While",
    "After",
    "Before",
    "During",
    "Like",
    "Unlike",
    "Only",
    "Both",
    "Neither",
    "Even",
    "Also",
    "Then",
    "Now",
    "Meanwhile",
    "Today",
    "Yesterday",
    "Besides",
    "Beyond",
    "Through",
    "Around",
    "Into",
    "Within",
    "Toward",
    "Towards",
    "Between",
    "Among",
    "Against",
    "Via",
    "Although",
    "Though",
    "If",
    "As",
    "By",
    "On",
    "With",
    "Without",
    "Where",
    "Once",
    "Until",
    "Because",
    "So",
    "Yet",
    "All",
    "Including",
    "Visiting",
    "Leaving",
    "Dateline",
    "Welcome",
    "Rural",
];

/// Heads of organisation names that take "of PLACE": "University of Texas", "Bank of America".
pub const ORG_HEADS: &[&str] = &[
    "University",
    "College",
    "Bank",
    "Institute",
    "Department",
    "Museum",
    "Church",
    "Diocese",
    "Archdiocese",
    "Board",
    "Council",
    "Association",
    "Society",
    "Foundation",
    "Academy",
    "School",
    "Hospital",
    "Club",
    "Federation",
    "League",
    "Party",
    "Conference",
    "Company",
    "Corporation",
    "Court",
    "Chamber",
    "Commission",
    "Office",
    "Bureau",
    "Agency",
    "Authority",
    "Division",
    "Center",
    "Centre",
    "Orchestra",
    "Symphony",
    "Theatre",
    "Theater",
    "Library",
    "Republic",
    "Kingdom",
    "Bishop",
    "Lady",
    "Duke",
    "Duchess",
    "Prince",
    "Princess",
    "Earl",
    "Miss",
    "Mister",
    "Mr",
    "Queen",
    "King",
    "Church",
    "Times",
    "Post",
    "Chronicle",
    "Herald",
];

/// Forms of countries and states that are also given names: like cities, they are dropped when
/// a capitalised word follows ("Jordan Spieth", "Georgia Smith").
pub const NAME_LIKE_FORMS: &[&str] = &[
    "Jordan", "Chad", "Georgia", "Israel", "India", "Kenya", "America", "Virginia", "Carolina",
    "Victoria", "Florence", "Austin", "Tyler", "Marion", "Eugene", "Chester", "Sydney",
];

/// Titles written before a name: a place word after one is part of the name ("Mr. Kent").
/// Any other word ending in a dot before a place ends a sentence.
pub const TITLES: &[&str] = &[
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Sen.",
    "Rep.",
    "Gov.",
    "Lt.",
    "Gen.",
    "Col.",
    "Capt.",
    "Sgt.",
    "Rev.",
    "Prof.",
    "Det.",
    "Cpl.",
    "Pvt.",
    "Maj.",
    "Adm.",
    "Cmdr.",
    "Supt.",
    "Insp.",
    "Atty.",
    "Judge",
    "Sheriff",
    "Officer",
    "Deputy",
    "Coach",
    "President",
    "Senator",
    "Governor",
    "Mayor",
];

/// Words that, after a place that is also a given name ("Georgia"), make it an institution of
/// that place rather than a person ("Georgia Bureau of Investigation").
pub const INSTITUTION_WORDS: &[&str] = &[
    "Council",
    "Sheriff",
    "Hospital",
    "Schools",
    "School",
    "Government",
    "Ministry",
    "Municipal",
    "Mayor",
    "Governor",
    "Region",
    "Regional",
    "Area",
    "Metro",
    "Airport",
    "Port",
    "Harbor",
    "Bureau",
    "Department",
    "Fire",
    "Police",
    "Service",
    "State",
    "University",
    "Tech",
    "Power",
    "Board",
    "Supreme",
    "General",
    "House",
    "Senate",
    "Legislature",
    "National",
    "Army",
    "Air",
    "Highway",
    "Patrol",
    "Health",
    "Public",
    "Medical",
    "Southern",
    "Institute",
    "College",
    "Court",
    "Commission",
    "Department",
    "Office",
    "Agency",
    "Division",
    "Lottery",
    "Bar",
];

/// Words before a one-word place that is also a personal name which make it a place
/// ("a plant in Tyler"): locative prepositions.
pub const LOCATIVES: &[&str] =
    &["in", "at", "near", "outside", "around", "across", "throughout", "In", "At", "Near"];

/// Lowercase nouns after a one-word place that is also a personal name which make it a place
/// ("a Tyler man", "Tyler police").
pub const RESIDENT_NOUNS: &[&str] = &[
    "man",
    "woman",
    "men",
    "women",
    "resident",
    "residents",
    "native",
    "couple",
    "family",
    "teen",
    "teenager",
    "boy",
    "girl",
    "police",
    "area",
    "mayor",
    "city",
    "town",
    "home",
    "homes",
    "neighborhood",
    "officials",
    "school",
    "schools",
    "hospital",
    "airport",
];

/// Verbs of saying: a one-word city or state right before one is a person ("Harrison said").
pub const SAYING_VERBS: &[&str] = &["said", "says", "told", "added", "asked", "explained"];

#[derive(Debug)]
struct Entry {
    name: String,
    kind: PlaceKind,
    country: Option<String>,
    admin: Option<String>,
    population: u64,
}

/// How far a surface form can be trusted (the prefixes in the data file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// A name: always a place when written this way.
    Name,
    /// Also an English word: not at the start of a sentence.
    CommonWord,
    /// An abbreviation that is a place only after "City, ".
    AfterComma,
    /// A demonym or adjective.
    Demonym,
    /// Also a common given name or surname: a place only when a state or country follows
    /// ("Tyler, Texas").
    PersonName,
    /// The all-capitals spelling of a name: only in a dateline.
    Capitals,
}

/// The places one surface form may mean, best first.
#[derive(Debug)]
struct Form {
    candidates: Vec<(u32, Trust)>,
}

/// The gazetteer and its automaton.
pub struct Gazetteer {
    entries: Vec<Entry>,
    forms: Vec<Form>,
    /// Every surface form, leftmost-longest and case-sensitive; the value of a match is its index
    /// into `forms`. `None` only if the automaton could not be built (it finds nothing then).
    automaton: Option<DoubleArrayAhoCorasick<u32>>,
    /// The length in bytes of the longest form.
    longest: usize,
    /// Lowercased surface form → index into `forms`.
    by_lower: HashMap<String, usize>,
    /// Lowercased canonical name or state code → entries, for "City, State" checks.
    containers: HashMap<String, Vec<u32>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.entries.len())
            .field("forms", &self.forms.len())
            .finish()
    }
}

fn parse_kind(s: &str) -> Option<PlaceKind> {
    Some(match s {
        "continent" => PlaceKind::Continent,
        "region" => PlaceKind::Region,
        "country" => PlaceKind::Country,
        "state" => PlaceKind::State,
        "city" => PlaceKind::City,
        _ => return None,
    })
}

/// The automaton in `prebuilt` (see [`PREBUILT`]), if it was built for exactly `patterns`.
fn prebuilt_automaton(prebuilt: &[u8], patterns: &[String]) -> Option<DoubleArrayAhoCorasick<u32>> {
    let (digest, bytes) = prebuilt.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*digest) != place_forms::digest(patterns) {
        return None;
    }
    let (automaton, _) = DoubleArrayAhoCorasick::<u32>::deserialize(bytes).ok()?;
    (automaton.match_kind() == MatchKind::LeftmostLongest).then_some(automaton)
}

fn kind_rank(kind: PlaceKind) -> u8 {
    match kind {
        PlaceKind::Country => 0,
        PlaceKind::Continent => 1,
        PlaceKind::State => 2,
        PlaceKind::Region => 3,
        PlaceKind::City => 4,
    }
}

impl Gazetteer {
    /// The gazetteer built from the embedded data, parsed on first use.
    pub fn global() -> &'static Gazetteer {
        static GLOBAL: OnceLock<Gazetteer> = OnceLock::new();
        GLOBAL.get_or_init(|| Gazetteer::build(GAZETTEER_TSV, PREBUILT))
    }

    /// Builds a gazetteer from data in the format of `data/places/places.tsv`. Malformed lines
    /// are skipped.
    pub fn from_tsv(tsv: &str) -> Gazetteer {
        Gazetteer::build(tsv, &[])
    }

    /// [`Gazetteer::from_tsv`], taking the automaton from `prebuilt` (see [`PREBUILT`]) when it
    /// was built for the same patterns.
    fn build(tsv: &str, prebuilt: &[u8]) -> Gazetteer {
        // About 46 bytes a line and two patterns a line in the embedded data.
        let lines = tsv.len() / 40 + 1;
        let mut entries = Vec::with_capacity(lines);
        // Pattern → its index into `forms`; the pattern list is taken out of it at the end.
        let mut index: HashMap<String, usize> = HashMap::with_capacity(2 * lines);
        let mut forms: Vec<Form> = Vec::with_capacity(2 * lines);
        let mut add = |pattern: &str, entry: u32, trust: Trust, forms: &mut Vec<Form>| {
            let i = match index.get(pattern) {
                Some(&i) => i,
                None => {
                    index.insert(pattern.to_string(), forms.len());
                    forms.push(Form { candidates: Vec::new() });
                    forms.len() - 1
                }
            };
            if !forms[i].candidates.iter().any(|&(e, _)| e == entry) {
                forms[i].candidates.push((entry, trust));
            }
        };
        for line in place_forms::lines(tsv) {
            let Some(kind) = parse_kind(line.kind) else {
                continue;
            };
            let id = entries.len() as u32;
            entries.push(Entry {
                name: line.name.to_string(),
                kind,
                country: (!line.country.is_empty()).then(|| line.country.to_string()),
                admin: (!line.admin.is_empty()).then(|| line.admin.to_string()),
                population: line.population.parse().unwrap_or(0),
            });
            for p in place_forms::line_patterns(line.surface) {
                let trust = match (p.capitals, p.marker) {
                    (true, _) => Trust::Capitals,
                    (false, Some(b'~')) => Trust::CommonWord,
                    (false, Some(b'^')) => Trust::AfterComma,
                    (false, Some(b'@')) => Trust::Demonym,
                    (false, Some(_)) => Trust::PersonName,
                    (false, None) => Trust::Name,
                };
                add(&p.text, id, trust, &mut forms);
            }
        }
        let mut patterns = vec![String::new(); forms.len()];
        for (pattern, i) in index {
            patterns[i] = pattern;
        }
        for form in &mut forms {
            form.candidates.sort_by(|a, b| {
                let (ea, eb) = (&entries[a.0 as usize], &entries[b.0 as usize]);
                preference(ea).cmp(&preference(eb)).then(eb.population.cmp(&ea.population))
            });
        }
        let mut by_lower = HashMap::with_capacity(patterns.len());
        for (i, p) in patterns.iter().enumerate() {
            let key = p.to_lowercase();
            match by_lower.get(&key) {
                // Keep the form whose best candidate is preferred (a name over a demonym).
                Some(&j) if better_form(&entries, &forms[j], &forms[i]) => {}
                _ => {
                    by_lower.insert(key, i);
                }
            }
        }
        let mut containers: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if matches!(e.kind, PlaceKind::Country | PlaceKind::State) {
                containers.entry(e.name.to_lowercase()).or_default().push(i as u32);
            }
        }
        let automaton = prebuilt_automaton(prebuilt, &patterns).or_else(|| {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                // The patterns are tens of thousands of short distinct strings, far below the
                // automaton's limits; should that ever change, the gazetteer finds nothing.
                .ok()
        });
        let longest = patterns.iter().map(String::len).max().unwrap_or(0);
        Gazetteer { entries, forms, automaton, longest, by_lower, containers }
    }

    /// Every place mentioned in `text`, in order; mentions overlapping a span of `exclude`
    /// (for example a person's name) are skipped. Demonyms are not reported.
    pub fn find(&self, text: &str, exclude: &[(usize, usize)]) -> Vec<Place> {
        self.find_with(text, exclude, FindOptions::default())
    }

    /// [`Gazetteer::find`] with options.
    pub fn find_with(
        &self,
        text: &str,
        exclude: &[(usize, usize)],
        opts: FindOptions,
    ) -> Vec<Place> {
        let mut mentions: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, form)
        let bytes = text.as_bytes();
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // One-word forms used as a person's name somewhere in the text ("Mr. Kent").
        let mut surnames: HashSet<usize> = HashSet::new();
        // Matches come in text order: walk the excluded spans, sorted, with one cursor.
        let mut exclude: Vec<(usize, usize)> = exclude.to_vec();
        exclude.sort_unstable();
        let mut cursor = 0;
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = automaton.leftmost_find_iter(&bytes[pos..]).next() else {
                break;
            };
            let (s, e) = (pos + m.start(), pos + m.end());
            if !on_word_boundaries(text, s, e) {
                pos = next_char(text, s);
                continue;
            }
            let form = m.value() as usize;
            while cursor < exclude.len() && exclude[cursor].1 <= s {
                cursor += 1;
            }
            // Spans are sorted by start; any span overlapping [s, e) starts before e and ends
            // after s. Spans ending before s were passed; look ahead while they start before e.
            if exclude[cursor..].iter().take_while(|&&(xs, _)| xs < e).any(|&(_, xe)| s < xe) {
                surnames.insert(form);
                pos = e;
                continue;
            }
            match self.judge(text, s, e, form, opts) {
                Verdict::Place => {
                    mentions.push((s, e, form));
                    pos = e;
                }
                Verdict::NotPlace => pos = e,
                Verdict::Surname => {
                    surnames.insert(form);
                    pos = e;
                }
                Verdict::PartOfName => pos = skip_capitalised_run(bytes, e),
            }
        }
        mentions.retain(|&(s, e, form)| {
            !surnames.contains(&form) || text[s..e].contains(' ') || self.is_country_form(form)
        });
        self.resolve(text, &mentions, opts)
    }

    /// The canonical name for a surface form: "U.S." → "United States", "Calif." → "California",
    /// "Syrian" → "Syria". Case is ignored when the exact form is unknown.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        let key = name.to_lowercase();
        let form =
            self.by_lower.get(&key).or_else(|| self.by_lower.get(&key.replace("  ", " ")))?;
        let &(entry, _) = self.forms[*form].candidates.first()?;
        Some(self.entries[entry as usize].name.as_str())
    }

    fn judge(&self, text: &str, s: usize, e: usize, form: usize, opts: FindOptions) -> Verdict {
        let candidates = &self.forms[form].candidates;
        let surface = &text[s..e];
        let allowed = |t: Trust| match t {
            Trust::Name => true,
            Trust::CommonWord => !sentence_start(text, s),
            Trust::AfterComma => text[..s].ends_with(", "),
            Trust::Demonym => opts.demonyms,
            Trust::Capitals => in_dateline(text, e),
            Trust::PersonName => {
                self.container_follows(text, e)
                    || prev_word(text, s).is_some_and(|w| LOCATIVES.contains(&w))
                    || next_word(text, e).is_some_and(|w| RESIDENT_NOUNS.contains(&w))
            }
        };
        let Some(&(best, _)) = candidates.iter().find(|&&(_, t)| allowed(t)) else {
            return Verdict::NotPlace;
        };
        let entry = &self.entries[best as usize];
        let trust = candidates.iter().find(|&&(c, _)| c == best).map(|c| c.1);
        if trust == Some(Trust::Capitals) || trust == Some(Trust::AfterComma) {
            return Verdict::Place;
        }
        let name_like = NAME_LIKE_FORMS.contains(&surface);
        let demonym = trust == Some(Trust::Demonym);
        // "Paris Hilton", "Washington Post", "Jordan Spieth": a capitalised word follows. A
        // country or state keeps its name before a capitalised word ("Texas Rangers"), and any
        // place keeps it in a public body of its own ("Gainesville Police").
        if !demonym {
            if let Some(next) = next_word(text, e) {
                let bare = next.trim_end_matches('.');
                let breaks_name = !INSTITUTION_WORDS.contains(&bare)
                    && (name_like || !matches!(entry.kind, PlaceKind::Country | PlaceKind::State));
                if breaks_name
                    && starts_upper(next)
                    && !FOLLOWERS_THAT_KEEP.contains(&bare)
                    && !self.big_place_at(text, e + 1)
                {
                    return Verdict::PartOfName;
                }
            }
        }
        // "Michael Jordan", "Mr. Kent", "Lake Texoma": a capitalised word stands before.
        if let Some(prev) = prev_word(text, s) {
            let bare = prev.trim_end_matches('.');
            let ends_sentence = prev.ends_with('.') && !TITLES.contains(&prev);
            let possessive = prev.ends_with("'s") || prev.ends_with("’s");
            if starts_upper(prev)
                && !PREFIXES_THAT_KEEP.contains(&bare)
                && !is_all_caps(prev)
                && !ends_sentence
                && !possessive
                && !prev_word_ends_sentence(text, s, prev)
                && self.form_ending_at(text, s).is_none()
            {
                // After a title the word is a surname everywhere in the text ("Sen. Kent").
                return if TITLES.contains(&prev) { Verdict::Surname } else { Verdict::NotPlace };
            }
        }
        // "University of Texas", "Bank of America".
        if let Some(head) = org_head_before(text, s) {
            if ORG_HEADS.contains(&head) {
                return Verdict::NotPlace;
            }
        }
        // "Harrison said": a one-word city or state followed by a verb of saying is a person.
        if matches!(entry.kind, PlaceKind::City | PlaceKind::State) && !surface.contains(' ') {
            if let Some(next) = next_word(text, e) {
                if SAYING_VERBS.contains(&next.trim_end_matches('.')) {
                    return Verdict::Surname;
                }
            }
        }
        Verdict::Place
    }

    /// Whether ", <state or country>" follows `e` ("Tyler, Texas", "Marshall, Minn.").
    fn container_follows(&self, text: &str, e: usize) -> bool {
        if !text[e..].starts_with(", ") {
            return false;
        }
        self.form_at(text, e + 2).is_some_and(|f| {
            self.forms[f].candidates.iter().any(|&(c, t)| {
                t != Trust::Demonym
                    && matches!(
                        self.entries[c as usize].kind,
                        PlaceKind::State | PlaceKind::Country
                    )
            })
        })
    }

    /// Whether a country, state or continent is named at `at` ("Paris Texas" without a comma).
    fn big_place_at(&self, text: &str, at: usize) -> bool {
        self.form_at(text, at).is_some_and(|f| {
            self.forms[f].candidates.first().is_some_and(|&(c, _)| {
                self.entries[c as usize].kind != PlaceKind::City
                    && self.entries[c as usize].kind != PlaceKind::Region
            })
        })
    }

    fn is_country_form(&self, form: usize) -> bool {
        self.forms[form]
            .candidates
            .first()
            .is_some_and(|&(e, _)| self.entries[e as usize].kind == PlaceKind::Country)
    }

    /// The form whose match starts exactly at `at`, if any.
    fn form_at(&self, text: &str, at: usize) -> Option<usize> {
        // A leftmost-longest search finds a form starting at `at` first, if there is one, and the
        // longest such form; no form reaches past `at + longest`, so the search stops there.
        let end = (at + self.longest).min(text.len());
        let window = text.as_bytes().get(at..end)?;
        let m = self.automaton.as_ref()?.leftmost_find_iter(window).next()?;
        (m.start() == 0 && on_word_boundaries(text, at, at + m.end())).then(|| m.value() as usize)
    }

    /// Whether the word right before `s` (after one space) ends a gazetteer form ("Kansas City").
    fn form_ending_at(&self, text: &str, s: usize) -> Option<usize> {
        let before = text[..s].trim_end();
        let word_start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = before[word_start..].trim_end_matches([',', ';', ':']);
        self.by_lower
            .get(&word.to_lowercase())
            .copied()
            .filter(|&f| self.forms[f].candidates.iter().any(|&(_, t)| t == Trust::Name))
    }

    /// Picks one place for each mention: a following state or country first ("Paris, Texas"),
    /// then an earlier choice for the same form in this text, then the best candidate.
    fn resolve(
        &self,
        text: &str,
        mentions: &[(usize, usize, usize)],
        opts: FindOptions,
    ) -> Vec<Place> {
        let mut chosen: HashMap<usize, u32> = HashMap::new();
        let mut picks: Vec<Option<u32>> = Vec::with_capacity(mentions.len());
        for (i, &(_, e, form)) in mentions.iter().enumerate() {
            let candidates = &self.forms[form].candidates;
            let pick = if candidates.len() > 1 {
                self.contained_in_next(text, e, mentions.get(i + 1), candidates)
            } else {
                None
            };
            if let Some(p) = pick {
                chosen.insert(form, p);
            }
            picks.push(pick);
        }
        mentions
            .iter()
            .zip(picks)
            .filter_map(|(&(s, e, form), pick)| {
                let candidates = &self.forms[form].candidates;
                let best = pick.or_else(|| chosen.get(&form).copied()).or_else(|| {
                    candidates
                        .iter()
                        .find(|&&(_, t)| t != Trust::Demonym || opts.demonyms)
                        .or(candidates.first())
                        .map(|c| c.0)
                })?;
                let entry = &self.entries[best as usize];
                Some(Place {
                    name: entry.name.clone(),
                    kind: entry.kind,
                    country: entry.country.clone(),
                    start: s,
                    end: e,
                })
            })
            .collect()
    }

    /// For "City, State": the candidate of the city form that lies in the state or country named
    /// by the next mention, when that mention follows after a comma.
    fn contained_in_next(
        &self,
        text: &str,
        e: usize,
        next: Option<&(usize, usize, usize)>,
        candidates: &[(u32, Trust)],
    ) -> Option<u32> {
        let &(ns, _, nform) = next?;
        let between = text.get(e..ns)?;
        if between.trim() != "," {
            return None;
        }
        let container = self.forms[nform].candidates.first()?.0 as usize;
        let container = &self.entries[container];
        candidates.iter().map(|c| c.0).find(|&c| {
            let place = &self.entries[c as usize];
            match container.kind {
                PlaceKind::State => {
                    place.admin.is_some()
                        && place.admin == self.state_code(&container.name)
                        && place.kind != PlaceKind::State
                }
                PlaceKind::Country => {
                    place.country.as_deref() == Some(container.name.as_str())
                        && place.kind != PlaceKind::Country
                }
                _ => false,
            }
        })
    }

    fn state_code(&self, state: &str) -> Option<String> {
        let ids = self.containers.get(&state.to_lowercase())?;
        ids.iter()
            .map(|&i| &self.entries[i as usize])
            .find(|e| e.kind == PlaceKind::State && e.country.as_deref() == Some("United States"))
            .and_then(|e| e.admin.clone())
    }
}

/// The canonical names in `places`, in order of first mention, without duplicates.
pub fn distinct(places: &[Place]) -> Vec<String> {
    let mut seen = HashSet::new();
    places.iter().filter(|p| seen.insert(p.name.as_str())).map(|p| p.name.clone()).collect()
}

enum Verdict {
    Place,
    NotPlace,
    /// A word of a longer capitalised name: skip the whole name.
    PartOfName,
    /// A person's surname ("Mr. Kent", "Kent said"): not a place anywhere in this text.
    Surname,
}

/// Lower number = preferred when one form names several places. A big city beats a state of
/// the same name ("Washington" is the capital, "New York" the city).
fn preference(e: &Entry) -> u8 {
    if e.kind == PlaceKind::City && e.population >= 500_000 {
        return 1;
    }
    kind_rank(e.kind) * 2
}

fn better_form(entries: &[Entry], a: &Form, b: &Form) -> bool {
    let trust_rank = |f: &Form| {
        f.candidates.first().map_or(9, |&(_, t)| match t {
            Trust::Name => 0,
            Trust::CommonWord | Trust::AfterComma | Trust::PersonName => 1,
            Trust::Capitals => 2,
            Trust::Demonym => 3,
        })
    };
    let pref =
        |f: &Form| f.candidates.first().map_or(99, |&(e, _)| preference(&entries[e as usize]));
    (trust_rank(a), pref(a)) <= (trust_rank(b), pref(b))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn on_word_boundaries(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let ok_before = match before {
        None => true,
        Some(c) if is_word_char(c) => false,
        // "pro-American" and "R-Texas" are fine, "Winston-Salem" is not Salem.
        Some('-') => {
            let word = text[..s - 1].rsplit(|c: char| !c.is_alphanumeric()).next();
            word.is_none_or(|w| !starts_upper(w) || matches!(w, "D" | "R" | "I"))
        }
        Some(_) => true,
    };
    // "U.S.-led", "Texas's", "Paris." are fine; "Parisian" is not Paris.
    let ok_after = after.is_none_or(|c| !is_word_char(c));
    ok_before && ok_after
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(text.len(), |c| at + c.len_utf8())
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_all_caps(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() > 1 && !word.chars().any(char::is_lowercase)
}

/// The word right after `e`, when only one space separates them.
fn next_word(text: &str, e: usize) -> Option<&str> {
    let rest = text[e..].strip_prefix(' ')?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '&'))
        .unwrap_or(rest.len());
    let word = rest[..end].trim_end_matches('\'');
    (!word.is_empty()).then_some(word)
}

/// The word right before `s`, when only one space separates them.
fn prev_word(text: &str, s: usize) -> Option<&str> {
    let before = text[..s].strip_suffix(' ')?;
    let start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '\'' || c == '&'))
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let word = &before[start..];
    (!word.is_empty()).then_some(word)
}

/// Whether the word `prev` (right before `s`) opens a sentence, so its capital says nothing.
fn prev_word_ends_sentence(text: &str, s: usize, prev: &str) -> bool {
    let word_start = s - 1 - prev.len();
    sentence_start(text, word_start)
}

/// Whether `at` opens a sentence: start of text, after a line break or after . ! ? : and quotes.
fn sentence_start(text: &str, at: usize) -> bool {
    let before =
        text[..at].trim_end_matches(|c: char| c == ' ' || c == '\t' || "\"'“‘(".contains(c));
    match before.chars().next_back() {
        None => true,
        Some(c) => text[before.len()..at].contains('\n') || ".!?:;—–".contains(c),
    }
}

/// Whether the all-capitals word ending at `e` is a dateline: "BOSTON --", "BOSTON, Mass. —",
/// "WASHINGTON (AP) —".
fn in_dateline(text: &str, e: usize) -> bool {
    let rest = &text[e..];
    let rest = match rest.strip_prefix(',') {
        Some(r) => {
            // skip a state or country: "CHARLESTON, W.Va. --"
            let r = r.trim_start();
            let end = r.find([' ', '-', '—', '–']).unwrap_or(r.len());
            &r[end..]
        }
        None => rest,
    };
    let rest = rest.trim_start();
    rest.starts_with(['-', '—', '–', '(', ':'])
}

/// The capitalised word before "of" / "for" right before `s` ("University" in "University of Texas").
fn org_head_before(text: &str, s: usize) -> Option<&str> {
    let before = text[..s].strip_suffix(' ')?;
    let before = before
        .strip_suffix(" of")
        .or_else(|| before.strip_suffix(" of the"))
        .or_else(|| before.strip_suffix(" for"))?;
    let start = before.rfind(' ').map_or(0, |i| i + 1);
    Some(before[start..].trim_end_matches('.'))
}

/// The end of the run of capitalised words that starts right after `e` ("Hilton" after "Paris").
fn skip_capitalised_run(bytes: &[u8], mut e: usize) -> usize {
    while e + 1 < bytes.len() && bytes[e] == b' ' && bytes[e + 1].is_ascii_uppercase() {
        e += 1;
        while e < bytes.len()
            && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'.' || bytes[e] == b'\'')
        {
            e += 1;
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        distinct(&Gazetteer::global().find(text, &[]))
    }

    #[test]
    fn the_automaton_built_with_the_binary_is_the_one_for_the_embedded_data() {
        let patterns = place_forms::patterns(GAZETTEER_TSV);
        assert!(patterns.len() > 50_000, "{} patterns", patterns.len());
        // The patterns `from_tsv` gives the automaton are the ones `build.rs` built it for: the
        // same number of forms, in the same order (the first and last ones checked by text).
        let g = Gazetteer::from_tsv(GAZETTEER_TSV);
        assert_eq!(g.forms.len(), patterns.len());
        let automaton = prebuilt_automaton(PREBUILT, &patterns).expect("a prebuilt automaton");
        assert_eq!(automaton.num_states(), g.automaton.as_ref().unwrap().num_states());
        // A pattern searched in itself is found whole, with its own index as the value.
        for i in [0, patterns.len() / 2, patterns.len() - 1] {
            let got = automaton.leftmost_find_iter(&patterns[i]).next().map(|m| m.value() as usize);
            assert_eq!(got, Some(i), "{}", patterns[i]);
        }
        // A different pattern list does not get the prebuilt automaton.
        assert!(prebuilt_automaton(PREBUILT, &patterns[1..]).is_none());
        assert!(prebuilt_automaton(&[], &patterns).is_none());
    }

    #[test]
    fn form_at_finds_only_a_form_that_starts_there() {
        let g = Gazetteer::global();
        let text = "flights to New York City, from Boston";
        let at = text.find("New").unwrap();
        let f = g.form_at(text, at).expect("a form at New");
        assert!(f < g.forms.len());
        // "ew York" starts no form; the search must not report the next one ("Boston").
        assert_eq!(g.form_at(text, at + 1), None);
        assert_eq!(g.form_at(text, text.find("from").unwrap()), None);
        assert!(g.form_at(text, text.find("Boston").unwrap()).is_some());
        assert_eq!(g.form_at(text, text.len()), None);
        assert_eq!(g.form_at(text, text.len() + 5), None);
    }

    #[test]
    fn finds_places_in_sentences() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "country_and_city",
                "Rebels shelled Aleppo, the largest city in Syria.",
                &["Aleppo", "Syria"],
            ),
            ("short_form_of_country", "The U.S. envoy flew in on Monday.", &["United States"]),
            (
                "ap_state_abbreviation",
                "He grew up in Fresno, Calif., and moved away.",
                &["Fresno", "California"],
            ),
            ("lowercase_word_is_no_place", "We ate turkey and it was nice reading.", &[]),
            ("person_name_is_no_place", "Paris Hilton arrived late.", &[]),
            ("newspaper_is_no_place", "The Washington Post reported the vote.", &[]),
            ("university_is_no_place", "She teaches at the University of Texas now.", &[]),
            ("given_name_country", "The golfer Jordan Spieth won again.", &[]),
            (
                "country_before_capitalised_word",
                "He met U.S. Ambassador Smith.",
                &["United States"],
            ),
            ("common_word_city_at_sentence_start", "Reading the report took an hour.", &[]),
            ("common_word_city_mid_sentence", "The train left for Nice at noon.", &["Nice"]),
            ("dateline_in_capitals", "BOSTON -- The mayor spoke.", &["Boston"]),
            ("headline_capitals_are_no_dateline", "BOSTON MAYOR SPEAKS to the council.", &[]),
            (
                "region_and_continent",
                "Oil from the Middle East reaches Europe.",
                &["Middle East", "Europe"],
            ),
            ("month_is_no_place", "The talks resume in March in Geneva.", &["Geneva"]),
            ("demonym_off_by_default", "Syrian troops moved north.", &[]),
            ("mr_before_name", "A speech by Mr. Kent followed.", &[]),
            (
                "directional_prefix_kept",
                "Storms hit Northern California on Friday.",
                &["California"],
            ),
            ("said_after_city_name", "\"We will see,\" Tyler said.", &[]),
            ("possessive_place", "Texas's budget grew.", &["Texas"]),
            ("party_and_hometown", "Sen. Ray Stone, D-Columbus, voted no.", &["Columbus"]),
            ("dateline_with_colon", "BEIRUT: The talks ended.", &["Beirut"]),
            ("public_body_keeps_place", "Gainesville Police closed the road.", &["Gainesville"]),
            (
                "personal_name_town_with_resident_noun",
                "A Marshall man was arrested.",
                &["Marshall"],
            ),
            (
                "personal_name_town_with_state",
                "He lives in Marshall, Minn., now.",
                &["Marshall", "Minnesota"],
            ),
            ("personal_name_alone_is_no_place", "Marshall scored twice.", &[]),
        ];
        for (label, text, want) in cases {
            let got = names(text);
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, want, "case {label}: {text}");
        }
    }

    #[test]
    fn resolves_ambiguous_names() {
        let g = Gazetteer::global();
        let cases: &[(&str, &str, &str, &str)] = &[
            ("paris_defaults_to_france", "She moved to Paris last year.", "Paris", "France"),
            (
                "paris_texas_by_state",
                "She moved to Paris, Texas, last year.",
                "Paris",
                "United States",
            ),
            (
                "ap_state_picks_city",
                "A plant in Alexandria, La., closed.",
                "Alexandria",
                "United States",
            ),
            (
                "capital_over_state",
                "Officials in Washington disagreed.",
                "Washington, D.C.",
                "United States",
            ),
        ];
        for (label, text, name, country) in cases {
            let found = g.find(text, &[]);
            let first = found.first().unwrap_or_else(|| panic!("case {label}: nothing found"));
            assert_eq!(first.name, *name, "case {label}");
            assert_eq!(first.country.as_deref(), Some(*country), "case {label}");
        }
    }

    #[test]
    fn canonical_maps_surface_forms() {
        let g = Gazetteer::global();
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("us_with_dots", "U.S.", Some("United States")),
            ("uk_short", "UK", Some("United Kingdom")),
            ("britain", "Britain", Some("United Kingdom")),
            ("ap_abbreviation", "Calif.", Some("California")),
            ("demonym", "Syrian", Some("Syria")),
            ("capitals", "ATLANTA", Some("Atlanta")),
            ("unknown", "Main Street", None),
        ];
        for (label, form, want) in cases {
            assert_eq!(g.canonical(form), *want, "case {label}");
        }
    }

    #[test]
    fn exclude_skips_person_spans() {
        let text = "Georgia Brown spoke in Atlanta.";
        let found = Gazetteer::global().find(text, &[(0, 13)]);
        assert_eq!(distinct(&found), vec!["Atlanta".to_string()]);
        assert_eq!(&text[found[0].start..found[0].end], "Atlanta");
    }

    #[test]
    fn distinct_keeps_first_mention_order() {
        let found = Gazetteer::global().find("Paris, then Rome, then Paris again.", &[]);
        assert_eq!(distinct(&found), vec!["Paris".to_string(), "Rome".to_string()]);
    }
}
