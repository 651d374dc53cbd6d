//! Facet counts over every matching article, counted by term ordinal on the fast columns.
//!
//! tantivy's terms aggregation does the same job through a general framework (and de-duplicates
//! multi-valued columns on every call); a counter per term ordinal is several times faster,
//! which keeps `search` with facets in single-digit milliseconds on large archives.
//!
//! Only the top values of each text facet are turned into strings. Each segment counts by its
//! own ordinals; merging takes each segment's best values as candidates and bounds each one's
//! total: at least the counts known from the segments where it is a candidate, at most that plus,
//! for every other segment, the first count not taken there. When the `size` best lower bounds
//! beat every other candidate's upper bound and anything outside the candidates, those are the
//! top values, and only they are looked up in the other segments' dictionaries for exact counts;
//! otherwise more candidates are taken (at worst every counted value, which also settles ties
//! by value). The result is exact.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::column_index::MultiValueIndex;
use tantivy::columnar::{Column, ColumnIndex, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts, per field, of the distinct values of the matching documents.
pub struct FacetCollector {
    /// Multi-valued `string` fast fields (author, people, places).
    pub text_fields: Vec<&'static str>,
    /// A column holding `FIELD` + U+001F + value for every value of every text field, each once
    /// per document; when set (and present), the text fields are counted from it, one column
    /// read per document instead of one per field.
    pub combined: Option<&'static str>,
    /// `u64` fast fields (year, year_month).
    pub number_fields: Vec<&'static str>,
    /// Number fields whose values the combined column also holds, as `FIELD` + U+001F + the
    /// value in decimal: counted with the text fields from that one column read, their own
    /// columns never read. For a derived field held there, the column holds a value only for
    /// the documents without the field it derives from (`document::facet_values`).
    pub combined_numbers: Vec<&'static str>,
    /// `(field, from, divisor)`: count `field` as `from / divisor` for documents where the
    /// earlier number field `from` has a value (a year from a year-month), saving one column
    /// lookup per document; its own column is read only for the others.
    pub derived: Vec<(&'static str, &'static str, u64)>,
    /// How many values of each text field to keep (the most frequent).
    pub size: usize,
}

/// What a [`FacetCollector`] found: field name → value → number of documents (for text fields,
/// the `size` most frequent values only).
#[derive(Debug, Default)]
pub struct FacetTallies {
    pub text: HashMap<&'static str, HashMap<String, u64>>,
    pub numbers: HashMap<&'static str, BTreeMap<u64, u64>>,
}

impl FacetTallies {
    /// The `size` values with the most documents (ties by value), as (value, count).
    pub fn top_text(&self, field: &str, size: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(String, u64)> = self
            .text
            .get(field)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default();
        all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.truncate(size);
        all
    }

    /// Every value of a number field with its count, largest value first.
    pub fn numbers_desc(&self, field: &str) -> Vec<(u64, u64)> {
        let mut all: Vec<(u64, u64)> = self
            .numbers
            .get(field)
            .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
            .unwrap_or_default();
        all.sort_by_key(|&(value, _)| std::cmp::Reverse(value));
        all
    }
}

/// A text field's column in one segment with its counts by ordinal.
pub struct TextCounts {
    column: StrColumn,
    counts: Vec<u32>,
    /// The last document counted for each ordinal (plus one), so a value repeated within one
    /// document counts once.
    last_doc: Vec<u32>,
}

/// Counts of a number field in one segment: a vector over the column's value range when it is
/// small (years, year-months), a map otherwise.
enum NumberCounts {
    Dense { min: u64, counts: Vec<u64> },
    Sparse(BTreeMap<u64, u64>),
}

/// Largest value range counted in a vector.
const DENSE_RANGE: u64 = 1 << 16;

impl NumberCounts {
    fn for_column(column: &Column<u64>) -> NumberCounts {
        let (min, max) = (column.min_value(), column.max_value());
        match max.checked_sub(min) {
            Some(span) if span < DENSE_RANGE => {
                NumberCounts::Dense { min, counts: vec![0; span as usize + 1] }
            }
            _ => NumberCounts::Sparse(BTreeMap::new()),
        }
    }

    fn add(&mut self, v: u64) {
        match self {
            NumberCounts::Dense { min, counts } => {
                if let Some(c) = v.checked_sub(*min).and_then(|i| counts.get_mut(i as usize)) {
                    *c += 1;
                }
            }
            NumberCounts::Sparse(map) => *map.entry(v).or_default() += 1,
        }
    }

    fn into_map(self) -> BTreeMap<u64, u64> {
        match self {
            NumberCounts::Dense { min, counts } => counts
                .into_iter()
                .enumerate()
                .filter(|&(_, n)| n > 0)
                .map(|(i, n)| (min + i as u64, n))
                .collect(),
            NumberCounts::Sparse(map) => map,
        }
    }
}

/// A number field's column in one segment with its counts.
type NumberColumn = Option<(Column<u64>, NumberCounts)>;

/// A text field's column in one segment with its counts: `counts[i]` is the count of ordinal
/// `base + i` (a field's values are one range of ordinals in a combined column).
/// One segment's counts of one text field. Its most frequent values are ordered and looked up
/// in the segment's dictionary when the segment is harvested, on the thread that counted it, so
/// that the merge (on one thread) mostly compares strings.
pub struct OrdinalCounts {
    column: StrColumn,
    /// The ordinal of `counts[0]`.
    base: u64,
    counts: Vec<u32>,
    /// How many values have a count above zero.
    nonzero: usize,
    /// (count, ordinal) of the most frequent values, most frequent first (ties by ordinal):
    /// at least the first `take + 1` of them for the last `take` asked for, or all.
    top: Vec<(u32, u64)>,
    /// The values and counts of the first `take` entries of `top`, looked up at harvest.
    named: Option<(usize, Vec<(String, u32)>)>,
}

/// Counts from this one up share a bucket of the histogram that finds the most frequent values.
const HISTOGRAM_CAP: usize = 255;

impl OrdinalCounts {
    fn new(column: StrColumn, base: u64, counts: Vec<u32>, take: usize) -> OrdinalCounts {
        let nonzero = counts.iter().filter(|&&n| n > 0).count();
        let mut c = OrdinalCounts { column, base, counts, nonzero, top: Vec::new(), named: None };
        // A failed lookup is tried again, and reported, by the merge.
        c.named = c.names(take).ok().map(|named| (take, named));
        c
    }

    /// The values and counts of the `take` most frequent values (ties by ordinal).
    fn names(&mut self, take: usize) -> tantivy::Result<Vec<(String, u32)>> {
        if let Some((t, named)) = self.named.take() {
            if t == take {
                return Ok(named);
            }
        }
        most_frequent(&self.counts, self.base, take, &mut self.top);
        let mut ords: Vec<u64> = self.top.iter().take(take).map(|&(_, o)| o).collect();
        ords.sort_unstable();
        let mut out = Vec::with_capacity(ords.len());
        let mut next = ords.iter();
        let (counts, base) = (&self.counts, self.base);
        self.column
            .dictionary()
            .sorted_ords_to_term_cb(&ords, |b| {
                let n = next.next().map_or(0, |&o| counts[(o - base) as usize]);
                out.push((String::from_utf8_lossy(b).into_owned(), n));
            })
            .map_err(tantivy::TantivyError::from)?;
        Ok(out)
    }

    /// The count of the value `take` places from the top (0 when there is none): no value
    /// outside the first `take` has more. Valid after `names(take)`.
    fn first_not_taken(&self, take: usize) -> u64 {
        self.top.get(take).map_or(0, |&(n, _)| u64::from(n))
    }

    /// Whether the first `take` values are all the values counted.
    fn all_within(&self, take: usize) -> bool {
        self.nonzero <= take
    }

    /// The count of `value` in this segment.
    fn count_of(&self, value: &str) -> tantivy::Result<u64> {
        let Some(ord) = self.column.dictionary().term_ord(value.as_bytes())? else { return Ok(0) };
        let i = ord.checked_sub(self.base).map(|i| i as usize);
        Ok(u64::from(i.and_then(|i| self.counts.get(i)).copied().unwrap_or(0)))
    }
}

/// Fill `top` with (count, ordinal) of the values whose count reaches that of the
/// `take + 1`-th most frequent, most frequent first (ties by ordinal; only the first `take + 1`
/// are in order), or of every counted value when fewer are. One pass counts how many values
/// have each count (a histogram, capped), which gives that count; a second gathers the values
/// that reach it. The counts are not copied and sorted whole: most values of a large archive
/// are counted, and only a few are kept.
fn most_frequent(counts: &[u32], base: u64, take: usize, top: &mut Vec<(u32, u64)>) {
    let mut histogram = [0usize; HISTOGRAM_CAP + 1];
    for &n in counts {
        histogram[(n as usize).min(HISTOGRAM_CAP)] += 1;
    }
    let want = take.saturating_add(1);
    let mut seen = 0;
    let mut threshold = 1;
    for n in (1..=HISTOGRAM_CAP).rev() {
        seen += histogram[n];
        if seen >= want {
            threshold = n as u32;
            break;
        }
    }
    top.clear();
    top.extend(
        counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n >= threshold)
            .map(|(i, &n)| (n, base + i as u64)),
    );
    let most_first = |a: &(u32, u64), b: &(u32, u64)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if want < top.len() {
        top.select_nth_unstable_by(take, most_first);
        top[..=take].sort_unstable_by(most_first);
    } else {
        top.sort_unstable_by(most_first);
    }
}

/// How many of each segment's best values are first taken as candidates for the top `size`.
fn first_take(size: usize) -> usize {
    size.max(1).saturating_mul(2).max(32)
}

/// The combined column of one segment, its counts by ordinal, and each field's ordinal range.
pub struct CombinedCounts {
    column: StrColumn,
    counts: Vec<u32>,
    ranges: Vec<(&'static str, u64, u64)>,
    /// For each number field, its ordinal range here if the column holds it.
    number_ranges: Vec<Option<(u64, u64)>>,
}

/// The ordinals from the first term starting with `name` + U+001F to the last.
fn field_range(column: &StrColumn, name: &str) -> tantivy::Result<(u64, u64)> {
    let lo = lower_bound(column, format!("{name}{COMBINED_SEP}").as_bytes())?;
    // U+0020 is the byte after U+001F: the end of the field's range.
    let hi = lower_bound(column, format!("{name} ").as_bytes())?;
    Ok((lo, hi.max(lo)))
}

/// The counts of a number field held in a combined column: each counted ordinal of `lo..hi`
/// looked up and its number read after the separator.
fn combined_number_counts(
    c: &CombinedCounts,
    lo: u64,
    hi: u64,
    out: &mut BTreeMap<u64, u64>,
) -> tantivy::Result<()> {
    let counts = &c.counts[lo as usize..hi as usize];
    let ords: Vec<u64> =
        (lo..hi).zip(counts).filter(|&(_, &n)| n > 0).map(|(ord, _)| ord).collect();
    let mut next = ords.iter();
    c.column
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |term| {
            let n = next.next().map_or(0, |&o| c.counts[o as usize]);
            let number = term
                .iter()
                .position(|&b| b == COMBINED_SEP as u8)
                .and_then(|at| std::str::from_utf8(&term[at + 1..]).ok())
                .and_then(|digits| digits.parse::<u64>().ok());
            if let Some(v) = number {
                *out.entry(v).or_default() += u64::from(n);
            }
        })
        .map_err(tantivy::TantivyError::from)?;
    Ok(())
}

/// The separator between a field's name and a value in a combined column.
pub const COMBINED_SEP: char = '\u{1f}';

/// The first ordinal of `column` whose term is at least `key` (the number of terms if none).
fn lower_bound(column: &StrColumn, key: &[u8]) -> tantivy::Result<u64> {
    let mut terms = column.dictionary().range().ge(key).into_stream()?;
    Ok(if terms.advance() { terms.term_ord() } else { column.num_terms() as u64 })
}

/// Documents gathered before their columns are read, a block at a time.
const BLOCK: usize = 64;

pub struct FacetSegmentCollector {
    text: Vec<(&'static str, Option<TextCounts>)>,
    combined: Option<CombinedCounts>,
    numbers: Vec<(&'static str, NumberColumn)>,
    /// For each number field, the earlier field and divisor it can be derived from.
    derived: Vec<Option<(usize, u64)>>,
    /// The documents of the current block.
    block: Vec<DocId>,
    /// For each number field, its value for each document of the block.
    values: Vec<Vec<Option<u64>>>,
    scratch: BlockValues,
    /// How many values of each text field the merge keeps.
    size: usize,
}

/// The values of one column for a block of documents: (document, value) pairs in document order.
#[derive(Default)]
struct BlockValues {
    docs: Vec<DocId>,
    rows: Vec<u32>,
    values: Vec<u64>,
    /// Multi-valued columns: the documents with values, their ranks, and the first row of
    /// each rank and the next.
    with_values: Vec<DocId>,
    ranks: Vec<u32>,
    bounds: Vec<u32>,
}

impl BlockValues {
    /// Read `column` for `docs` (sorted): rows for the whole block, then their values, one call
    /// each (a batched rank lookup on an optional column).
    fn read(&mut self, column: &Column<u64>, docs: &[DocId]) {
        self.docs.clear();
        self.rows.clear();
        column.row_ids_for_docs(docs, &mut self.docs, &mut self.rows);
        self.values.clear();
        self.values.resize(self.rows.len(), 0);
        column.values.get_vals(&self.rows, &mut self.values);
    }

    /// Add one to `counts[value]` for every value of `column` in `docs` (sorted).
    ///
    /// For a multi-valued column, tantivy resolves rows one document at a time (a rank lookup
    /// and two offset reads each) and then reads values one row at a time. Here the ranks and
    /// offsets of the whole block are read in one call each, and the values of documents whose
    /// rows follow each other (articles written in one batch sit together) in one sequential
    /// read: about half the instructions on the benchmark's facet query.
    fn count_each(&mut self, column: &Column<u64>, docs: &[DocId], counts: &mut [u32]) {
        let ColumnIndex::Multivalued(MultiValueIndex::MultiValueIndexV2(index)) = &column.index
        else {
            self.read(column, docs);
            for &v in &self.values {
                counts[v as usize] += 1;
            }
            return;
        };
        self.with_values.clear();
        self.ranks.clear();
        index.optional_index.rank_if_exists_batch(docs, &mut self.with_values, &mut self.ranks);
        self.rows.clear();
        self.rows.extend(self.ranks.iter().flat_map(|&r| [r, r + 1]));
        self.bounds.clear();
        self.bounds.resize(self.rows.len(), 0);
        index.start_index_column.get_vals(&self.rows, &mut self.bounds);
        let mut run = 0..0;
        for range in self.bounds.chunks_exact(2) {
            if range[0] != run.end {
                count_rows(column, run, &mut self.values, counts);
                run = range[0]..range[0];
            }
            run.end = range[1];
        }
        count_rows(column, run, &mut self.values, counts);
    }
}

/// Add one to `counts[value]` for the values of `column` in `rows`, read in one call.
fn count_rows(column: &Column<u64>, rows: Range<u32>, buffer: &mut Vec<u64>, counts: &mut [u32]) {
    let n = rows.len();
    if n == 0 {
        return;
    }
    if buffer.len() < n {
        buffer.resize(n, 0);
    }
    column.values.get_range(u64::from(rows.start), &mut buffer[..n]);
    for &v in &buffer[..n] {
        counts[v as usize] += 1;
    }
}

/// One segment's counts, merged by [`FacetCollector::merge_fruits`].
pub struct SegmentTallies {
    text: Vec<(&'static str, Option<OrdinalCounts>)>,
    numbers: Vec<(&'static str, BTreeMap<u64, u64>)>,
    /// A dictionary lookup that failed while harvesting, reported by the merge.
    error: Option<tantivy::TantivyError>,
}

impl Collector for FacetCollector {
    type Fruit = FacetTallies;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let fast = segment.fast_fields();
        let in_combined: Vec<bool> = self
            .number_fields
            .iter()
            .map(|n| self.combined.is_some() && self.combined_numbers.contains(n))
            .collect();
        let mut combined = None;
        if let Some(column) = self.combined.map(|name| fast.str(name)).transpose()?.flatten() {
            let mut ranges = Vec::with_capacity(self.text_fields.len());
            for &name in &self.text_fields {
                let (lo, hi) = field_range(&column, name)?;
                ranges.push((name, lo, hi));
            }
            let mut number_ranges = Vec::with_capacity(self.number_fields.len());
            for (&name, &held) in self.number_fields.iter().zip(&in_combined) {
                number_ranges.push(if held { Some(field_range(&column, name)?) } else { None });
            }
            let counts = vec![0; column.num_terms()];
            combined = Some(CombinedCounts { column, counts, ranges, number_ranges });
        }
        let mut text = Vec::with_capacity(self.text_fields.len());
        for &name in self.text_fields.iter().filter(|_| self.combined.is_none()) {
            let counter = fast.str(name)?.map(|column| {
                let n = column.num_terms();
                TextCounts { column, counts: vec![0; n], last_doc: vec![0; n] }
            });
            text.push((name, counter));
        }
        let numbers = self
            .number_fields
            .iter()
            .zip(&in_combined)
            .map(|(&name, &in_combined)| {
                let column = if in_combined { None } else { fast.u64(name).ok() };
                let counts = column.map(|column| {
                    let counts = NumberCounts::for_column(&column);
                    (column, counts)
                });
                (name, counts)
            })
            .collect();
        let derived = self
            .number_fields
            .iter()
            .enumerate()
            .map(|(i, &name)| {
                let (_, from, div) = self.derived.iter().find(|d| d.0 == name)?;
                let j = self.number_fields.iter().position(|n| n == from).filter(|&j| j < i)?;
                Some((j, *div))
            })
            .collect();
        Ok(FacetSegmentCollector {
            text,
            combined,
            numbers,
            derived,
            block: Vec::with_capacity(BLOCK),
            values: vec![vec![None; BLOCK]; self.number_fields.len()],
            scratch: BlockValues::default(),
            size: self.size,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentTallies>) -> tantivy::Result<FacetTallies> {
        let mut out = FacetTallies::default();
        let mut text: HashMap<&'static str, Vec<OrdinalCounts>> = HashMap::new();
        for fruit in fruits {
            if let Some(e) = fruit.error {
                return Err(e);
            }
            for (field, counts) in fruit.text {
                let segments = text.entry(field).or_default();
                segments.extend(counts);
            }
            for (field, counts) in fruit.numbers {
                let into = out.numbers.entry(field).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        for (field, mut segments) in text {
            let mut top = top_values(&mut segments, self.size)?;
            if self.combined.is_some() {
                let prefix = format!("{field}{COMBINED_SEP}");
                top = top
                    .into_iter()
                    .map(|(v, n)| (v.strip_prefix(&prefix).unwrap_or(&v).to_string(), n))
                    .collect();
            }
            out.text.insert(field, top);
        }
        Ok(out)
    }
}

/// The exact `size` most frequent values over all segments (see the module doc).
fn top_values(
    segments: &mut [OrdinalCounts],
    size: usize,
) -> tantivy::Result<HashMap<String, u64>> {
    let size = size.max(1);
    let most = segments.iter().map(|s| s.nonzero).max().unwrap_or(0);
    let mut take = first_take(size);
    loop {
        // Candidates: each segment's `take` best values, with their count where known.
        let mut known: foldhash::HashMap<String, Vec<Option<u32>>> = Default::default();
        let n_segments = segments.len();
        for (s, segment) in segments.iter_mut().enumerate() {
            for (value, n) in segment.names(take)? {
                known.entry(value).or_insert_with(|| vec![None; n_segments])[s] = Some(n);
            }
        }
        // A value missing from a segment's candidates has at most that segment's first count
        // not taken there.
        let limit: Vec<u64> = segments.iter().map(|s| s.first_not_taken(take)).collect();
        let outside: u64 = limit.iter().sum();
        let complete = segments.iter().all(|s| s.all_within(take));
        // (value, lowest possible count, highest possible count)
        let mut bounds: Vec<(String, u64, u64)> = known
            .into_iter()
            .map(|(value, per)| {
                let low: u64 = per.iter().flatten().map(|&n| u64::from(n)).sum();
                let high = low
                    + per
                        .iter()
                        .zip(&limit)
                        .filter(|(n, _)| n.is_none())
                        .map(|(_, l)| l)
                        .sum::<u64>();
                (value, low, high)
            })
            .collect();
        bounds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let chosen = bounds.len().min(size);
        let kth_low = bounds.get(chosen.saturating_sub(1)).map_or(0, |b| b.1);
        let settled = complete
            || (bounds.len() >= size
                && outside < kth_low
                && bounds[chosen..].iter().all(|b| b.2 < kth_low));
        if settled {
            // The chosen values are the top ones; make their counts exact.
            let mut top: Vec<(String, u64)> = Vec::with_capacity(chosen);
            for (value, low, high) in bounds.into_iter().take(chosen) {
                let mut total = low;
                if high > low {
                    total = 0;
                    for segment in segments.iter() {
                        total += segment.count_of(&value)?;
                    }
                }
                top.push((value, total));
            }
            return Ok(top.into_iter().collect());
        }
        // Four times as many, or every value where the round after that would take them all:
        // where counts are flat (a few hundred authors, each with a similar share), no bound
        // settles before every value is named, and each round names them again.
        take = take.saturating_mul(4);
        if take.saturating_mul(4) >= most {
            take = usize::MAX;
        }
    }
}

impl FacetSegmentCollector {
    /// Count the documents of the block. Columns are read for the whole block at once (one
    /// call into each column instead of one per document), which is most of the cost.
    fn count_block(&mut self) {
        let docs = &self.block;
        if docs.is_empty() {
            return;
        }
        if let Some(c) = &mut self.combined {
            // Each value is in a document once (see `document::facet_values`).
            self.scratch.count_each(c.column.ords(), docs, &mut c.counts);
        }
        for (_, counter) in &mut self.text {
            let Some(c) = counter else { continue };
            let column = c.column.ords();
            self.scratch.read(column, docs);
            for (&doc, &ord) in self.scratch.docs.iter().zip(&self.scratch.values) {
                let i = ord as usize;
                // A value repeated within one document counts once.
                if c.last_doc[i] != doc + 1 {
                    c.last_doc[i] = doc + 1;
                    c.counts[i] += 1;
                }
            }
        }
        for i in 0..self.numbers.len() {
            let (before, rest) = self.values.split_at_mut(i);
            let out = &mut rest[0][..docs.len()];
            let Some((column, counts)) = &mut self.numbers[i].1 else { continue };
            match self.derived[i] {
                Some((j, div)) => {
                    for (k, v) in out.iter_mut().enumerate() {
                        *v = match before[j][k] {
                            Some(from) => Some(from / div.max(1)),
                            None => column.first(docs[k]),
                        };
                    }
                }
                None => {
                    // Each document's first value.
                    out.fill(None);
                    self.scratch.read(column, docs);
                    let mut k = 0;
                    for (&doc, &v) in self.scratch.docs.iter().zip(&self.scratch.values) {
                        while docs[k] != doc {
                            k += 1;
                        }
                        out[k].get_or_insert(v);
                    }
                }
            }
            for v in out.iter().flatten() {
                counts.add(*v);
            }
        }
        self.block.clear();
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = SegmentTallies;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.block.push(doc);
        if self.block.len() == BLOCK {
            self.count_block();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for &doc in docs {
            self.collect(doc, 0.0);
        }
    }

    fn harvest(mut self) -> SegmentTallies {
        self.count_block();
        let take = first_take(self.size);
        let mut numbers: Vec<(&'static str, BTreeMap<u64, u64>)> = self
            .numbers
            .into_iter()
            .map(|(name, n)| (name, n.map(|(_, c)| c.into_map()).unwrap_or_default()))
            .collect();
        let mut error = None;
        if let Some(c) = &self.combined {
            for i in 0..numbers.len() {
                let Some((lo, hi)) = c.number_ranges[i] else { continue };
                if let Err(e) = combined_number_counts(c, lo, hi, &mut numbers[i].1) {
                    error = Some(e);
                }
                // A derived field's entries are the documents without the field it derives
                // from (`j < i`, counted above); the others count through that field.
                if let Some((j, div)) =
                    self.derived[i].filter(|&(j, _)| c.number_ranges[j].is_some())
                {
                    let (before, rest) = numbers.split_at_mut(i);
                    for (&v, &n) in &before[j].1 {
                        *rest[0].1.entry(v / div.max(1)).or_default() += n;
                    }
                }
            }
        }
        SegmentTallies {
            text: match self.combined {
                Some(c) => c
                    .ranges
                    .iter()
                    .map(|&(name, lo, hi)| {
                        let counts = c.counts[lo as usize..hi as usize].to_vec();
                        (name, Some(OrdinalCounts::new(c.column.clone(), lo, counts, take)))
                    })
                    .collect(),
                None => self
                    .text
                    .into_iter()
                    .map(|(name, c)| {
                        (name, c.map(|c| OrdinalCounts::new(c.column, 0, c.counts, take)))
                    })
                    .collect(),
            },
            numbers,
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, FAST, INDEXED, STRING};
    use tantivy::{doc, Index, TantivyDocument};

    use super::*;

    #[test]
    fn the_most_frequent_values_are_those_a_full_sort_puts_first() {
        // Counts of every shape: none counted, a few, many ties, counts past the histogram's cap.
        let mut seed = 7u64;
        let mut next = move |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for case in 0..200 {
            let len = next(300) as usize;
            let spread = [2, 5, 50, 400, 2_000][case % 5];
            let counts: Vec<u32> = (0..len).map(|_| next(spread) as u32).collect();
            let base = next(1_000);
            let mut all: Vec<(u32, u64)> = counts
                .iter()
                .enumerate()
                .filter(|&(_, &n)| n > 0)
                .map(|(i, &n)| (n, base + i as u64))
                .collect();
            all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for take in [0, 1, 3, 32, 128, 1_000] {
                let mut top = Vec::new();
                most_frequent(&counts, base, take, &mut top);
                let n = (take + 1).min(all.len());
                assert_eq!(&top[..n], &all[..n], "case {case}, take {take}");
                // Nothing much below the `take + 1`-th is kept (at most the capped bucket).
                let floor = all.get(take).map_or(1, |e| e.0.min(HISTOGRAM_CAP as u32));
                assert!(top.iter().all(|&(c, _)| c >= floor), "case {case}, take {take}");
            }
        }
    }

    #[test]
    fn a_combined_column_counts_each_field_apart() {
        let mut sb = Schema::builder();
        let combined = sb.add_text_field("facet_values", STRING | FAST);
        let other = sb.add_text_field("other", STRING);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let value = |field: &str, v: &str| format!("{field}{COMBINED_SEP}{v}");
        // "Lima" is both a person's name and a place: counted apart.
        let docs = [
            vec![value("author", "Ana"), value("people", "Lima"), value("places", "Lima")],
            vec![value("author", "Ana"), value("places", "Lima"), value("places", "Oslo")],
            vec![value("people", "Bo"), value("people", "Lima")],
        ];
        for values in &docs {
            let mut d = TantivyDocument::default();
            for v in values {
                d.add_text(combined, v);
            }
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        // A segment without the column at all.
        w.add_document(doc!(other => "x")).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let tallies = searcher
            .search(
                &AllQuery,
                &FacetCollector {
                    text_fields: vec!["author", "people", "places"],
                    combined: Some("facet_values"),
                    number_fields: vec![],
                    derived: vec![],
                    combined_numbers: vec![],
                    size: 10,
                },
            )
            .unwrap();
        let top = |f: &str| tallies.top_text(f, 10);
        assert_eq!(top("author"), vec![("Ana".to_string(), 2)]);
        assert_eq!(top("people"), vec![("Lima".to_string(), 2), ("Bo".to_string(), 1)]);
        assert_eq!(top("places"), vec![("Lima".to_string(), 2), ("Oslo".to_string(), 1)]);
    }

    #[test]
    fn counting_a_block_at_once_matches_counting_each_document() {
        // Documents with no value, one, or several; picked with gaps and in runs, so that
        // rows are read both in one run and apart.
        let mut sb = Schema::builder();
        let people = sb.add_text_field("people", STRING | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let n = 200u32;
        for i in 0..n {
            let mut d = TantivyDocument::default();
            for k in 0..(i * 7 % 5) {
                d.add_text(people, format!("person {}", (i + k * 11) % 23));
            }
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let column = searcher.segment_reader(0).fast_fields().str("people").unwrap().unwrap();
        let ords = column.ords();
        for docs in [
            (0..n).collect::<Vec<DocId>>(),
            (0..n).filter(|d| d % 3 != 1).collect(),
            (0..n).filter(|d| d % 17 == 0).collect(),
        ] {
            let mut expected = vec![0u32; column.num_terms()];
            for &doc in &docs {
                for ord in ords.values_for_doc(doc) {
                    expected[ord as usize] += 1;
                }
            }
            let mut counts = vec![0u32; column.num_terms()];
            let mut block = BlockValues::default();
            for chunk in docs.chunks(BLOCK) {
                block.count_each(ords, chunk, &mut counts);
            }
            assert!(expected.iter().sum::<u32>() > 0);
            assert_eq!(counts, expected, "{} documents", docs.len());
        }
    }

    /// Counts of the `people` and `year` fields, 10 values each.
    fn people_and_year() -> FacetCollector {
        FacetCollector {
            text_fields: vec!["people"],
            combined: None,
            number_fields: vec!["year"],
            derived: vec![],
            combined_numbers: vec![],
            size: 10,
        }
    }

    #[test]
    fn many_documents_count_the_same_in_blocks() {
        // More documents than one block, with a block boundary inside a run of one value.
        let mut sb = Schema::builder();
        let people = sb.add_text_field("people", STRING | FAST);
        let year = sb.add_u64_field("year", INDEXED | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let n = BLOCK as u64 * 3 + 5;
        for i in 0..n {
            let mut d = doc!(year => 2000 + i % 3);
            d.add_text(people, if i % 2 == 0 { "Even" } else { "Odd" });
            if i % 5 == 0 {
                d.add_text(people, "Fifth");
                d.add_text(people, "Fifth");
            }
            w.add_document(d).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let tallies = searcher.search(&AllQuery, &people_and_year()).unwrap();
        let count = |v: &str| tallies.text["people"].get(v).copied().unwrap_or(0);
        assert_eq!(count("Even"), n.div_ceil(2));
        assert_eq!(count("Odd"), n / 2);
        assert_eq!(count("Fifth"), n.div_ceil(5));
        let years = &tallies.numbers["year"];
        assert_eq!(years.values().sum::<u64>(), n);
        assert_eq!(years[&2000], n.div_ceil(3));
    }

    #[test]
    fn counts_documents_not_values_across_segments() {
        let mut sb = Schema::builder();
        let people = sb.add_text_field("people", STRING | FAST);
        let year = sb.add_u64_field("year", INDEXED | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // The same name twice in one document counts once.
        w.add_document(
            doc!(people => "Ana Lima", people => "Ana Lima", people => "Bo Chen", year => 2016u64),
        )
        .unwrap();
        w.commit().unwrap();
        w.add_document(doc!(people => "Ana Lima", year => 2017u64)).unwrap();
        w.add_document(doc!(year => 2017u64)).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let tallies = searcher.search(&AllQuery, &people_and_year()).unwrap();
        assert_eq!(
            tallies.top_text("people", 10),
            vec![("Ana Lima".to_string(), 2), ("Bo Chen".to_string(), 1)]
        );
        assert_eq!(tallies.top_text("people", 1).len(), 1);
        assert_eq!(tallies.numbers_desc("year"), vec![(2017, 2), (2016, 1)]);
    }

    #[test]
    fn a_year_is_derived_from_the_year_month_where_there_is_one() {
        let mut sb = Schema::builder();
        let year = sb.add_u64_field("year", INDEXED | FAST);
        let year_month = sb.add_u64_field("year_month", INDEXED | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        w.add_document(doc!(year => 2016u64, year_month => 201612u64)).unwrap();
        w.add_document(doc!(year => 2016u64, year_month => 201601u64)).unwrap();
        w.add_document(doc!(year => 2015u64)).unwrap();
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let collector = FacetCollector {
            text_fields: vec![],
            combined: None,
            number_fields: vec!["year_month", "year"],
            derived: vec![("year", "year_month", 100)],
            combined_numbers: vec![],
            size: 10,
        };
        let tallies = searcher.search(&AllQuery, &collector).unwrap();
        assert_eq!(tallies.numbers_desc("year"), vec![(2016, 2), (2015, 1)]);
        assert_eq!(tallies.numbers_desc("year_month"), vec![(201612, 1), (201601, 1)]);
    }

    #[test]
    fn years_and_months_in_the_combined_column_count_as_their_own_columns_do() {
        // Each document has a month (year_month and year), a year only, or no date; the
        // combined column holds year_month where there is one and year otherwise.
        let mut sb = Schema::builder();
        let combined = sb.add_text_field("facet_values", STRING | FAST);
        let year = sb.add_u64_field("year", INDEXED | FAST);
        let year_month = sb.add_u64_field("year_month", INDEXED | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for i in 0..300u64 {
            let mut d = TantivyDocument::default();
            d.add_text(combined, format!("people{COMBINED_SEP}P{}", i % 7));
            let y = 1990 + i % 11;
            match i % 5 {
                0 => {}
                1 => {
                    d.add_u64(year, y);
                    d.add_text(combined, format!("year{COMBINED_SEP}{y}"));
                }
                _ => {
                    let ym = y * 100 + 1 + i % 12;
                    d.add_u64(year, y);
                    d.add_u64(year_month, ym);
                    d.add_text(combined, format!("year_month{COMBINED_SEP}{ym}"));
                }
            }
            w.add_document(d).unwrap();
            if i % 97 == 96 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        let collector = |combined_numbers: Vec<&'static str>| FacetCollector {
            text_fields: vec!["people"],
            combined: Some("facet_values"),
            number_fields: vec!["year_month", "year"],
            derived: vec![("year", "year_month", 100)],
            combined_numbers,
            size: 10,
        };
        let from_columns = searcher.search(&AllQuery, &collector(vec![])).unwrap();
        let from_combined =
            searcher.search(&AllQuery, &collector(vec!["year_month", "year"])).unwrap();
        for field in ["year", "year_month"] {
            let want = from_columns.numbers_desc(field);
            assert!(!want.is_empty());
            assert_eq!(from_combined.numbers_desc(field), want, "{field}");
        }
        // 240 dated documents: 60 with a year only, 180 with a month.
        let total =
            |field: &str| from_combined.numbers_desc(field).iter().map(|e| e.1).sum::<u64>();
        assert_eq!(total("year"), 240);
        assert_eq!(total("year_month"), 180);
        assert_eq!(from_combined.top_text("people", 10), from_columns.top_text("people", 10));
    }

    #[test]
    fn top_values_are_exact_when_the_leader_is_nowhere_near_the_top_of_a_segment() {
        let mut sb = Schema::builder();
        let people = sb.add_text_field("people", STRING | FAST);
        let index = Index::create_in_ram(sb.build());
        let mut w = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // In each of 3 segments, 40 names appear twice and "Zed" once: Zed is never among a
        // segment's first candidates, yet with 3 documents it leads overall.
        for seg in 0..3 {
            for i in 0..40 {
                let name = format!("Name {seg}-{i}");
                w.add_document(doc!(people => name.clone())).unwrap();
                w.add_document(doc!(people => name)).unwrap();
            }
            w.add_document(doc!(people => "Zed")).unwrap();
            w.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let collector = FacetCollector {
            text_fields: vec!["people"],
            combined: None,
            number_fields: vec![],
            derived: vec![],
            combined_numbers: vec![],
            size: 3,
        };
        let tallies = searcher.search(&AllQuery, &collector).unwrap();
        assert_eq!(
            tallies.top_text("people", 3),
            vec![("Zed".to_string(), 3), ("Name 0-0".to_string(), 2), ("Name 0-1".to_string(), 2)]
        );
    }
}
