//! Build and update an index from folders of articles, incrementally.
//!
//! A run walks each root in the byte order of its paths beside the `file` records of the last
//! commit, read as a stream in the same order ([`crate::file_records`]); it compares every file
//! with its record (size and mtime, then the content hash), parses and extracts only what changed
//! (in parallel, with rayon), and writes through the one `IndexWriter`. Neither list is held in
//! memory, nor any per-article state beyond the articles touched since the last commit.
//!
//! Articles are content-addressed: identical text at two paths is one article whose `paths` lists
//! both. Work is committed every `commit_every_files` changed files, every `commit_every`, and at
//! the end, each commit carrying the schema and extractor versions, so a crash keeps all work up
//! to the last commit and the next run picks up from there. When the extractor version in the
//! index differs from this binary's, every article is re-extracted.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::columnar::StrColumn;
use tantivy::fastfield::AliveBitSet;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexWriter, InvertedIndexReader, Term, TERMINATED};

use crate::discover::{self, Found, SourceFile};
use crate::document::{
    article_doc, article_id, bytes_hash, file_doc, file_record_id, quote_docs, FileRecord,
    PreparedArticle, SourceRef,
};
use crate::error::{Error, Result};
use crate::extract::{extract, EXTRACTOR_VERSION};
use crate::file_records::{self, RecordStream, StoredFile};
use crate::parse::{parse_file, ParseError, ParseOptions};
use crate::schema::{kinds, names, Fields};
use crate::store::Store;

/// Articles held in memory before a commit is forced (bounds memory on large containers).
const MAX_PENDING_ARTICLES: usize = 5_000;
/// Articles whose sources changed held in memory before a commit is forced.
const MAX_CHANGED_ARTICLES: usize = 50_000;
/// Articles of a container parsed and extracted together.
const CONTAINER_CHUNK: usize = 256;

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub roots: Vec<PathBuf>,
    /// Drop everything in the index first.
    pub rebuild: bool,
    pub parse: ParseOptions,
    /// Commit after this many changed files (default 10,000)…
    pub commit_every_files: usize,
    /// …or after this much time (default 60 s), whichever comes first.
    pub commit_every: Duration,
    /// Writer memory budget in bytes.
    pub memory_budget: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            roots: Vec::new(),
            rebuild: false,
            parse: ParseOptions::default(),
            commit_every_files: 10_000,
            commit_every: Duration::from_secs(60),
            memory_budget: 200_000_000,
        }
    }
}

/// Progress reporting, so the library stays free of terminal concerns.
pub trait Progress: Sync {
    /// Whether `start` should be told the number of files (which costs one more walk).
    fn wants_total(&self) -> bool {
        false
    }
    /// Files the run will look at (only called when `wants_total`).
    fn start(&self, _files: u64) {}
    /// Files looked at, whether read or found unchanged.
    fn advance(&self, _files: u64) {}
    fn finish(&self) {}
}

/// No progress output.
pub struct NoProgress;
impl Progress for NoProgress {}

/// One file (or record) that could not be indexed, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub path: String,
    pub reason: String,
}

/// What a run did, file by file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    pub scanned: u64,
    pub added: u64,
    pub updated: u64,
    pub removed: u64,
    pub unchanged: u64,
    pub duplicate: u64,
    pub failed: u64,
    /// Bad records inside otherwise good container files (a bad JSONL line).
    pub failed_records: u64,
    /// Articles in the index after the run.
    pub articles: u64,
    pub quotes: u64,
    pub commits: u64,
    /// Whether every article was re-extracted because the extractor version changed.
    pub reextracted: bool,
    pub failures: Vec<Failure>,
    pub seconds: f64,
}

/// What reading one file gave.
enum Outcome {
    /// The bytes are the same as last time (only the mtime moved).
    SameContent {
        hash: String,
    },
    Parsed {
        hash: String,
        articles: Vec<PreparedArticle>,
        bad_records: Vec<String>,
    },
    Failed(String),
}

/// A file being read: what the summary and its record need.
struct FileRun {
    existed: bool,
    /// Whether every article was already in the index from another file.
    all_known: bool,
    entries: Vec<(String, Option<String>)>,
    bad_records: Vec<String>,
    /// Set for streamed files, whose entries count as sources as soon as they are read.
    path: Option<String>,
}

/// Where each article was found, as the last commit says, with this run's changes on top.
///
/// Nothing is loaded up front: an article's sources are read from its stored document the first
/// time the run touches it, and kept until the next commit (which writes them into the index),
/// so memory holds only the articles of the work since the last commit.
struct Sources {
    /// For each segment of `searcher`: the `id` index, the `sources` column and the deleted
    /// documents.
    segments: Vec<(Arc<InvertedIndexReader>, Option<StrColumn>, Option<AliveBitSet>)>,
    changed: HashMap<String, BTreeSet<SourceRef>>,
}

impl Sources {
    fn new(f: &Fields, searcher: Option<&tantivy::Searcher>) -> Result<Sources> {
        let mut sources = Sources { segments: Vec::new(), changed: HashMap::new() };
        if let Some(searcher) = searcher {
            sources.committed_at(f, searcher)?;
        }
        Ok(sources)
    }

    /// The sources of article `id`, to read or change.
    fn get(&mut self, f: &Fields, id: &str) -> Result<&mut BTreeSet<SourceRef>> {
        if !self.changed.contains_key(id) {
            let committed = self.committed(f, id)?;
            self.changed.insert(id.to_string(), committed);
        }
        Ok(self.changed.entry(id.to_string()).or_default())
    }

    /// The sources of article `id` in the last commit (empty for an article not indexed).
    fn committed(&self, f: &Fields, id: &str) -> Result<BTreeSet<SourceRef>> {
        let term = Term::from_field_text(f.id, id);
        for (inverted, column, alive) in &self.segments {
            let Some(info) = inverted.get_term_info(&term).map_err(io_error)? else { continue };
            let mut postings = inverted
                .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                .map_err(io_error)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.as_ref().map(|a| a.is_alive(doc)).unwrap_or(true) {
                    let mut json = String::new();
                    if let Some((column, ord)) =
                        column.as_ref().and_then(|c| Some((c, c.term_ords(doc).next()?)))
                    {
                        column.ord_to_str(ord, &mut json).map_err(io_error)?;
                    }
                    let list: Vec<SourceRef> = serde_json::from_str(&json).unwrap_or_default();
                    return Ok(list.into_iter().collect());
                }
                doc = postings.advance();
            }
        }
        Ok(BTreeSet::new())
    }

    /// A commit landed: the index now holds every change.
    fn committed_at(&mut self, f: &Fields, searcher: &tantivy::Searcher) -> Result<()> {
        self.segments = searcher
            .segment_readers()
            .iter()
            .map(|seg| {
                let column = seg.fast_fields().str(names::SOURCES)?;
                Ok((seg.inverted_index(f.id)?, column, seg.alive_bitset().cloned()))
            })
            .collect::<Result<_>>()?;
        self.changed.clear();
        Ok(())
    }
}

fn io_error(source: std::io::Error) -> Error {
    Error::Io { context: "reading an article's sources from the index".to_string(), source }
}

/// A run in progress: the writer, the sources, and the articles whose sources changed.
struct Run<'a> {
    store: &'a Store,
    opts: &'a IndexOptions,
    writer: IndexWriter,
    /// The file records as the run found them (none when starting fresh).
    snapshot: Option<tantivy::Searcher>,
    sources: Sources,
    /// Articles whose set of sources changed since the last flush, with the set they had then.
    dirty: HashMap<String, BTreeSet<SourceRef>>,
    /// Articles parsed since the last flush.
    cache: HashMap<String, PreparedArticle>,
    /// Articles that could not be re-read from their remaining sources (those files changed
    /// too, and may yet be read in this run), with the sources their indexed document still
    /// lists. They are tried again when their sources change, and for the last time at the end.
    deferred: HashMap<String, BTreeSet<SourceRef>>,
    /// Whether anything was written to the index in this run.
    changed: bool,
    /// Files changed or removed since the last commit, and when it was.
    since_commit: usize,
    last_commit: Instant,
    summary: IndexSummary,
}

/// A file to read, with its record from the last commit, if it had one.
struct ToRead {
    file: SourceFile,
    old: Option<StoredFile>,
}

/// Index the roots into `store`.
///
/// Each root is walked in the byte order of its keys and compared with the file records of the
/// last commit as two sorted streams (see [`crate::file_records`]), so memory stays flat
/// whatever the number of files: what is held is one batch of files being read and the articles
/// changed since the last commit.
pub fn run(store: &Store, opts: &IndexOptions, progress: &dyn Progress) -> Result<IndexSummary> {
    let started = Instant::now();
    let roots = discover::outermost(&discover::check_roots(&opts.roots)?);
    let writer = store.writer(opts.memory_budget)?;
    let stale = store
        .commit_info()?
        .map(|info| info.extractor_version != EXTRACTOR_VERSION)
        .unwrap_or(false);
    let mut summary = IndexSummary::default();
    let fresh = opts.rebuild || stale;
    let snapshot = if fresh {
        writer.delete_all_documents()?;
        summary.reextracted = stale && !opts.rebuild;
        None
    } else {
        Some(store.snapshot()?)
    };
    if progress.wants_total() {
        let total = roots
            .iter()
            .flat_map(|r| discover::walk(r))
            .filter(|f| matches!(f, Found::File(_)))
            .count();
        progress.start(total as u64);
    }
    let mut run = Run {
        store,
        opts,
        writer,
        sources: Sources::new(&store.fields, snapshot.as_ref())?,
        snapshot,
        dirty: HashMap::new(),
        cache: HashMap::new(),
        deferred: HashMap::new(),
        changed: false,
        since_commit: 0,
        last_commit: Instant::now(),
        summary,
    };
    for root in &roots {
        run.index_root(root, progress)?;
    }
    run.flush_last()?;
    // A run that changed nothing leaves the last commit as it is.
    if run.changed || fresh {
        run.commit()?;
    }
    progress.finish();
    let Run { store, writer, mut summary, sources, snapshot, .. } = run;
    // The merges that follow the last commit read every page of their input segments: let go
    // of those segments first, so that their pages leave memory as each merge ends instead of
    // adding up until the run ends.
    drop((sources, snapshot));
    writer.wait_merging_threads()?;
    let (articles, quotes) = count_articles(store)?;
    summary.articles = articles;
    summary.quotes = quotes;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Articles and quotes in the last commit.
pub fn count_articles(store: &Store) -> Result<(u64, u64)> {
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let count = |kind: &str| -> Result<u64> {
        let q = TermQuery::new(
            Term::from_field_text(store.fields.kind, kind),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&q, &Count)? as u64)
    };
    Ok((count(kinds::ARTICLE)?, count(kinds::QUOTE)?))
}

/// Read, hash, parse and extract one file. Never panics: a panic in a parser becomes a failure.
fn read_file(file: &SourceFile, old_hash: Option<&str>, opts: &ParseOptions) -> Outcome {
    let result =
        std::panic::catch_unwind(AssertUnwindSafe(|| read_file_inner(file, old_hash, opts)));
    match result {
        Ok(outcome) => outcome,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_string());
            Outcome::Failed(format!("internal error while reading this file: {msg}"))
        }
    }
}

/// A single-article file is read once: the same bytes are hashed and parsed.
fn read_file_inner(file: &SourceFile, old_hash: Option<&str>, opts: &ParseOptions) -> Outcome {
    let raw = match crate::parse::read_single(&file.path, opts) {
        Ok(raw) => raw,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let hash = bytes_hash(&raw);
    if old_hash == Some(hash.as_str()) {
        return Outcome::SameContent { hash };
    }
    let records = match crate::parse::parse_single(&file.path, &raw, opts) {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let mut articles = Vec::new();
    let mut bad_records = Vec::new();
    for record in records {
        match record {
            Ok(article) => articles.push(prepare(article)),
            Err(e) => bad_records.push(e.to_string()),
        }
    }
    if articles.is_empty() {
        let reason = bad_records.first().cloned().unwrap_or_else(|| ParseError::NoText.to_string());
        return Outcome::Failed(reason);
    }
    Outcome::Parsed { hash, articles, bad_records }
}

fn prepare(article: crate::article::Article) -> PreparedArticle {
    let id = article_id(&article);
    let extracted = extract(&article);
    PreparedArticle { id, article, extracted }
}

/// Streaming content hash of a file's bytes.
fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

impl Run<'_> {
    fn fields(&self) -> &Fields {
        &self.store.fields
    }

    fn fail(&mut self, path: &str, reason: &str) {
        self.summary.failed += 1;
        self.summary.failures.push(Failure { path: path.to_string(), reason: reason.to_string() });
    }

    /// Walk one root and bring its files in the index up to date.
    fn index_root(&mut self, root: &Path, progress: &dyn Progress) -> Result<()> {
        let prefix = discover::key_prefix(&discover::path_key(root));
        let mut stored = match &self.snapshot {
            Some(searcher) => RecordStream::new(searcher, self.fields(), &prefix)?,
            None => RecordStream::empty(),
        };
        let batch_size =
            (rayon::current_num_threads() * 16).max(32).min(self.opts.commit_every_files.max(1));
        let mut batch: Vec<ToRead> = Vec::with_capacity(batch_size);
        let mut containers: Vec<ToRead> = Vec::new();
        let mut last_key: Option<String> = None;
        for found in discover::walk(root) {
            let file = match found {
                Found::File(file) => file,
                Found::Failed(f) => {
                    self.fail(&f.path, &f.reason);
                    continue;
                }
            };
            match last_key.as_deref().map(|k| k.cmp(file.key.as_str())) {
                // Two names that read the same as text: the first one stands.
                Some(std::cmp::Ordering::Equal) => continue,
                Some(std::cmp::Ordering::Greater) => {
                    // The walk lists keys in order; a key out of order is refused rather than
                    // risk taking its record for a file gone from disk.
                    self.fail(&file.key, "listed out of order by the folder walk; not indexed");
                    continue;
                }
                _ => {}
            }
            last_key = Some(file.key.clone());
            self.summary.scanned += 1;
            // Records that sort before this file are of files no longer on disk.
            while let Some(gone) = stored.next_before(&file.key)? {
                self.remove_gone(gone)?;
            }
            let old = stored.next_if(&file.key)?;
            match &old {
                Some(rec) if rec.size == file.size && rec.mtime == file.mtime => {
                    self.summary.unchanged += 1;
                    progress.advance(1);
                }
                _ if crate::parse::is_container(&file.path) => {
                    containers.push(ToRead { file, old })
                }
                _ => {
                    batch.push(ToRead { file, old });
                    if batch.len() >= batch_size {
                        self.read_batch(std::mem::take(&mut batch), progress)?;
                    }
                }
            }
        }
        while let Some(gone) = stored.next()? {
            self.remove_gone(gone)?;
        }
        self.read_batch(batch, progress)?;
        for item in containers {
            self.index_container(&item.file, item.old)?;
            self.since_commit += 1;
            progress.advance(1);
        }
        Ok(())
    }

    /// Read a batch of files in parallel, write what they gave, and commit when due.
    fn read_batch(&mut self, batch: Vec<ToRead>, progress: &dyn Progress) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut olds = Vec::with_capacity(batch.len());
        for item in &batch {
            olds.push(match &item.old {
                Some(old) => Some(self.load_record(old)?),
                None => None,
            });
        }
        let parse_opts = &self.opts.parse;
        let outcomes: Vec<Outcome> = batch
            .par_iter()
            .zip(olds.par_iter())
            .map(|(item, old)| {
                read_file(&item.file, old.as_ref().map(|r| r.hash.as_str()), parse_opts)
            })
            .collect();
        for ((item, old), outcome) in batch.iter().zip(olds).zip(outcomes) {
            self.apply(&item.file, old, outcome)?;
            progress.advance(1);
        }
        self.since_commit += batch.len();
        self.flush()?;
        self.commit_if_due()
    }

    /// Commit when enough files changed, enough time passed or enough articles wait.
    fn commit_if_due(&mut self) -> Result<()> {
        if self.since_commit >= self.opts.commit_every_files
            || self.last_commit.elapsed() >= self.opts.commit_every
            || self.sources.changed.len() >= MAX_CHANGED_ARTICLES
        {
            self.commit()?;
        }
        Ok(())
    }

    /// The whole record of a file as the run found it.
    fn load_record(&self, stored: &StoredFile) -> Result<FileRecord> {
        match &self.snapshot {
            Some(searcher) => file_records::load(searcher, stored),
            None => Ok(FileRecord {
                path: stored.key.clone(),
                size: stored.size,
                mtime: stored.mtime,
                hash: String::new(),
                entries: Vec::new(),
            }),
        }
    }

    /// A file is no longer on disk: drop its record and its articles' claim to it.
    fn remove_gone(&mut self, gone: StoredFile) -> Result<()> {
        let rec = self.load_record(&gone)?;
        self.changed = true;
        self.drop_entries(&rec)?;
        let id = file_record_id(&rec.path);
        self.writer.delete_term(Term::from_field_text(self.fields().id, &id));
        self.summary.removed += 1;
        self.since_commit += 1;
        if self.since_commit.is_multiple_of(1024) {
            self.flush()?;
            self.commit_if_due()?;
        }
        Ok(())
    }

    /// Remember the sources article `id` had before this flush, once.
    fn mark_dirty(&mut self, id: &str) -> Result<()> {
        if !self.dirty.contains_key(id) {
            let f = *self.fields();
            let before = self.sources.get(&f, id)?.clone();
            self.dirty.insert(id.to_string(), before);
        }
        Ok(())
    }

    /// The articles of a file's old record no longer count it as a source.
    fn drop_entries(&mut self, rec: &FileRecord) -> Result<()> {
        let f = *self.fields();
        for (id, locator) in &rec.entries {
            self.mark_dirty(id)?;
            self.sources
                .get(&f, id)?
                .remove(&SourceRef { path: rec.path.clone(), locator: locator.clone() });
        }
        Ok(())
    }

    /// The articles of a file's record count it as a source.
    fn add_entries(&mut self, rec: &FileRecord) -> Result<()> {
        let f = *self.fields();
        for (id, locator) in &rec.entries {
            self.sources
                .get(&f, id)?
                .insert(SourceRef { path: rec.path.clone(), locator: locator.clone() });
        }
        Ok(())
    }

    /// Write a file's record; `replace` when the index (or this run) already has one.
    fn put_record(&mut self, rec: &FileRecord, replace: bool) {
        self.changed = true;
        let f = *self.fields();
        if replace {
            self.writer.delete_term(Term::from_field_text(f.id, &file_record_id(&rec.path)));
        }
        // add_document only fails when the writer is gone, which commit() reports.
        let _ = self.writer.add_document(file_doc(&f, rec));
    }

    fn apply(
        &mut self,
        file: &SourceFile,
        old: Option<FileRecord>,
        outcome: Outcome,
    ) -> Result<()> {
        match outcome {
            Outcome::Failed(reason) => self.fail(&file.key, &reason),
            Outcome::SameContent { hash } => {
                let entries = old.map(|r| r.entries).unwrap_or_default();
                let rec = FileRecord {
                    path: file.key.clone(),
                    size: file.size,
                    mtime: file.mtime,
                    hash,
                    entries,
                };
                self.put_record(&rec, true);
                self.summary.unchanged += 1;
            }
            Outcome::Parsed { hash, articles, bad_records } => {
                let mut file_run = self.begin_file(old.as_ref())?;
                self.add_articles(&mut file_run, articles)?;
                file_run.bad_records = bad_records;
                self.finish_file(file, file_run, hash)?;
            }
        }
        Ok(())
    }

    /// Start replacing a file's articles: its old entries no longer count as sources.
    fn begin_file(&mut self, old: Option<&FileRecord>) -> Result<FileRun> {
        if let Some(old) = old {
            self.drop_entries(old)?;
        }
        Ok(FileRun {
            existed: old.is_some(),
            all_known: true,
            entries: Vec::new(),
            bad_records: Vec::new(),
            path: None,
        })
    }

    /// Add articles read from the file of `file_run`.
    fn add_articles(
        &mut self,
        file_run: &mut FileRun,
        articles: Vec<PreparedArticle>,
    ) -> Result<()> {
        let f = *self.fields();
        for prepared in articles {
            self.mark_dirty(&prepared.id)?;
            let sources = self.sources.get(&f, &prepared.id)?;
            file_run.all_known &= !sources.is_empty();
            let entry = (prepared.id.clone(), prepared.article.locator.clone());
            if let Some(path) = &file_run.path {
                sources.insert(SourceRef { path: path.clone(), locator: entry.1.clone() });
            }
            file_run.entries.push(entry);
            self.cache.insert(prepared.id.clone(), prepared);
        }
        Ok(())
    }

    /// Write the file's record and count it.
    fn finish_file(&mut self, file: &SourceFile, file_run: FileRun, hash: String) -> Result<()> {
        for reason in file_run.bad_records {
            self.summary.failed_records += 1;
            self.summary.failures.push(Failure { path: file.key.clone(), reason });
        }
        let rec = FileRecord {
            path: file.key.clone(),
            size: file.size,
            mtime: file.mtime,
            hash,
            entries: file_run.entries,
        };
        if file_run.path.is_none() {
            self.add_entries(&rec)?;
        }
        // A streamed file may have written a partial record in this run.
        self.put_record(&rec, file_run.existed || file_run.path.is_some());
        if file_run.existed {
            self.summary.updated += 1;
        } else if file_run.all_known {
            self.summary.duplicate += 1;
        } else {
            self.summary.added += 1;
        }
        Ok(())
    }

    /// Index a container file (JSONL, WARC) as a stream: records are parsed on one thread,
    /// extracted in parallel in chunks, and committed whenever too many are pending, so memory
    /// stays flat however large the file is.
    fn index_container(&mut self, file: &SourceFile, old: Option<StoredFile>) -> Result<()> {
        let hash = match hash_file(&file.path) {
            Ok(h) => h,
            Err(e) => {
                self.fail(&file.key, &e.to_string());
                return Ok(());
            }
        };
        let old = match &old {
            Some(stored) => Some(self.load_record(stored)?),
            None => None,
        };
        if old.as_ref().map(|r| r.hash == hash).unwrap_or(false) {
            return self.apply(file, old, Outcome::SameContent { hash });
        }
        let mut file_run = self.begin_file(old.as_ref())?;
        file_run.path = Some(file.key.clone());
        let parse_opts = self.opts.parse.clone();
        let path = file.path.clone();
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<crate::parse::Record>>(2);
        let outcome: Result<Result<(), ParseError>> = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut chunk = Vec::with_capacity(CONTAINER_CHUNK);
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    crate::parse::for_each_record(&path, &parse_opts, &mut |r| {
                        chunk.push(r);
                        if chunk.len() >= CONTAINER_CHUNK {
                            let _ = tx.send(std::mem::take(&mut chunk));
                        }
                    })
                }));
                if !chunk.is_empty() {
                    let _ = tx.send(chunk);
                }
                result.unwrap_or_else(|_| {
                    Err(ParseError::Other("internal error while reading this file".to_string()))
                })
            });
            for chunk in rx {
                let (good, bad): (Vec<_>, Vec<_>) = chunk.into_iter().partition(|r| r.is_ok());
                file_run
                    .bad_records
                    .extend(bad.into_iter().filter_map(|r| r.err()).map(|e| e.to_string()));
                let prepared: Vec<PreparedArticle> =
                    good.into_par_iter().filter_map(|r| r.ok()).map(prepare).collect();
                self.add_articles(&mut file_run, prepared)?;
                if self.cache.len() >= MAX_PENDING_ARTICLES {
                    // Record what is indexed so far, with no hash so the next run reads the
                    // file again, then commit.
                    let partial = FileRecord {
                        path: file.key.clone(),
                        size: 0,
                        mtime: 0,
                        hash: String::new(),
                        entries: file_run.entries.clone(),
                    };
                    self.put_record(&partial, true);
                    self.commit()?;
                }
            }
            Ok(reader.join().unwrap_or_else(|_| {
                Err(ParseError::Other("internal error while reading this file".to_string()))
            }))
        });
        let read_result = outcome?;
        if file_run.entries.is_empty() {
            let reason = match read_result {
                Err(e) => e.to_string(),
                Ok(()) => file_run
                    .bad_records
                    .first()
                    .cloned()
                    .unwrap_or_else(|| ParseError::NoText.to_string()),
            };
            self.fail(&file.key, &reason);
            // Nothing was read: the file's old articles (if any) stay indexed.
            if let Some(old) = &old {
                self.add_entries(old)?;
            }
            return Ok(());
        }
        if let Err(e) = read_result {
            file_run.bad_records.push(format!("stopped reading: {e}"));
        }
        self.finish_file(file, file_run, hash)?;
        self.flush()?;
        self.commit_if_due()
    }

    /// Write what is pending, then commit; the index then holds every source change.
    fn commit(&mut self) -> Result<()> {
        self.flush()?;
        self.store.commit(&mut self.writer)?;
        let searcher = self.store.snapshot()?;
        // A deferred article's document still lists its old sources: keep what they are now.
        let f = *self.fields();
        let mut keep = Vec::with_capacity(self.deferred.len());
        for id in self.deferred.keys() {
            keep.push((id.clone(), self.sources.get(&f, id)?.clone()));
        }
        self.sources.committed_at(&f, &searcher)?;
        for (id, now) in keep {
            *self.sources.get(&f, &id)? = now;
        }
        self.summary.commits += 1;
        self.since_commit = 0;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Rewrite every article whose sources changed since the last flush. Called after every
    /// batch, so tantivy's indexing threads work while the next batch is parsed.
    fn flush(&mut self) -> Result<()> {
        self.flush_articles(false)
    }

    /// The last flush of the run: deferred articles are read one last time, and those that
    /// still cannot be are removed and reported.
    fn flush_last(&mut self) -> Result<()> {
        self.flush_articles(true)
    }

    fn flush_articles(&mut self, last: bool) -> Result<()> {
        let f = *self.fields();
        let mut dirty = std::mem::take(&mut self.dirty);
        if last {
            for (id, before) in self.deferred.drain() {
                dirty.insert(id, before);
            }
        } else {
            // A deferred article's document lists the sources it had when it was deferred.
            for (id, before) in dirty.iter_mut() {
                if let Some(listed) = self.deferred.remove(id) {
                    *before = listed;
                }
            }
        }
        let mut cache = std::mem::take(&mut self.cache);
        let mut ids: Vec<&String> = dirty.keys().collect();
        ids.sort();
        // Quote documents go in after the articles, so they sit together in the doc store and
        // listing many quotes reads few blocks.
        let mut quotes = Vec::new();
        for id in ids {
            let before = &dirty[id];
            let now = self.sources.get(&f, id)?.clone();
            if &now == before && !before.is_empty() {
                continue;
            }
            let prepared = if now.is_empty() {
                None
            } else {
                let sources: Vec<SourceRef> = now.iter().cloned().collect();
                match cache.remove(id) {
                    Some(p) => Some((p, sources)),
                    None => match reparse(id, &sources, &self.opts.parse) {
                        Some(p) => Some((p, sources)),
                        // The remaining sources changed too, and this run may yet read them:
                        // leave the document as it is until then.
                        None if !last && !before.is_empty() => {
                            self.deferred.insert(id.clone(), before.clone());
                            continue;
                        }
                        None => {
                            let path = sources[0].display();
                            self.fail(
                                &path,
                                "could not re-read this article to update its list of paths",
                            );
                            None
                        }
                    },
                }
            };
            if !before.is_empty() {
                self.writer.delete_term(Term::from_field_text(f.article_id, id));
            }
            if let Some((p, sources)) = prepared {
                self.writer.add_document(article_doc(&f, &p, &sources))?;
                quotes.extend(quote_docs(&f, &p, &sources));
            }
        }
        for q in quotes {
            self.writer.add_document(q)?;
        }
        Ok(())
    }
}

/// Read an article again from one of its remaining sources (when a duplicate of it was removed).
fn reparse(id: &str, sources: &[SourceRef], opts: &ParseOptions) -> Option<PreparedArticle> {
    for src in sources {
        let Ok(records) = parse_file(Path::new(&src.path), opts) else { continue };
        for article in records.into_iter().flatten() {
            if article.locator == src.locator && article_id(&article) == id {
                return Some(prepare(article));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Value;
    use tantivy::TantivyDocument;

    fn write(dir: &Path, name: &str, body: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("Title {name}\n\n{body}\n")).unwrap();
    }

    /// The `paths` of every article, sorted, from the last commit.
    fn article_paths(store: &Store) -> Vec<Vec<String>> {
        let searcher = store.reader().unwrap().searcher();
        let q = TermQuery::new(
            Term::from_field_text(store.fields.kind, kinds::ARTICLE),
            IndexRecordOption::Basic,
        );
        let addrs = searcher.search(&q, &tantivy::collector::DocSetCollector).unwrap();
        let mut out: Vec<Vec<String>> = addrs
            .into_iter()
            .map(|a| {
                let doc: TantivyDocument = searcher.doc(a).unwrap();
                let mut p: Vec<String> = doc
                    .get_all(store.fields.paths)
                    .filter_map(|v| v.as_str().map(|s| s.rsplit('/').next().unwrap().to_string()))
                    .collect();
                p.sort();
                p
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn copies_across_commits_and_removals_keep_every_article_right() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let store = Store::open_or_create(&dir.path().join("idx")).unwrap();
        // Copies of one text sit in folders far apart in the walk, so they land in different
        // commits (one commit every 4 files).
        for i in 0..10 {
            write(&corpus, &format!("a/{i}.txt"), &format!("Story number {i} about the port."));
        }
        for (from, to) in [("a/1.txt", "m/copy-of-1.txt"), ("a/2.txt", "z/copy-of-2.txt")] {
            std::fs::create_dir_all(corpus.join(to).parent().unwrap()).unwrap();
            std::fs::copy(corpus.join(from), corpus.join(to)).unwrap();
        }
        let opts = IndexOptions {
            roots: vec![corpus.clone()],
            commit_every_files: 4,
            memory_budget: 20_000_000,
            ..IndexOptions::default()
        };
        let first = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((first.added, first.duplicate, first.articles), (10, 2, 10), "{first:?}");
        assert!(first.commits >= 3, "{first:?}");
        let paths = article_paths(&store);
        assert!(paths.contains(&vec!["1.txt".to_string(), "copy-of-1.txt".to_string()]));
        assert!(paths.contains(&vec!["2.txt".to_string(), "copy-of-2.txt".to_string()]));

        // Nothing changed: nothing is read or written.
        let same = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((same.unchanged, same.commits, same.articles), (12, 0, 10), "{same:?}");

        // One copy gone, one original gone, one file changed.
        std::fs::remove_file(corpus.join("m/copy-of-1.txt")).unwrap();
        std::fs::remove_file(corpus.join("a/2.txt")).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        write(&corpus, "a/3.txt", "Story number 3, corrected.");
        let next = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((next.removed, next.updated, next.articles), (2, 1, 10), "{next:?}");
        let paths = article_paths(&store);
        assert!(paths.contains(&vec!["1.txt".to_string()]), "{paths:?}");
        assert!(paths.contains(&vec!["copy-of-2.txt".to_string()]), "{paths:?}");
        assert_eq!(paths.iter().filter(|p| p.contains(&"3.txt".to_string())).count(), 1);

        // Every file gone: every article and record goes.
        std::fs::remove_dir_all(&corpus).unwrap();
        std::fs::create_dir_all(&corpus).unwrap();
        let empty = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((empty.removed, empty.articles), (10, 0), "{empty:?}");
        assert!(file_records_left(&store).is_empty());
    }

    /// Copies of one article in two files far apart, with filler between them so the two land
    /// in different batches, indexed once.
    fn two_copies(corpus: &Path) {
        for i in 0..8 {
            write(corpus, &format!("m/{i}.txt"), &format!("Filler story {i} about the harbour."));
        }
        copy(corpus, "a/one.txt", "The wire story that two papers ran.");
        copy(corpus, "z/two.txt", "The wire story that two papers ran.");
    }

    /// A file with the same title and text as any other written with the same `body`.
    fn copy(dir: &Path, name: &str, body: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("Wire story\n\n{body}\n")).unwrap();
    }

    fn small_commits(roots: Vec<PathBuf>) -> IndexOptions {
        IndexOptions {
            roots,
            commit_every_files: 2,
            memory_budget: 20_000_000,
            ..IndexOptions::default()
        }
    }

    #[test]
    fn both_copies_changing_in_one_run_is_no_failure() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let store = Store::open_or_create(&dir.path().join("idx")).unwrap();
        two_copies(&corpus);
        let opts = small_commits(vec![corpus.clone()]);
        let first = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((first.duplicate, first.articles), (1, 9), "{first:?}");
        let pair = vec!["one.txt".to_string(), "two.txt".to_string()];
        assert!(article_paths(&store).contains(&pair));

        // Every file changes, so the two copies are read in different batches.
        std::thread::sleep(Duration::from_millis(20));
        for i in 0..8 {
            write(&corpus, &format!("m/{i}.txt"), &format!("Filler story {i}, corrected."));
        }
        copy(&corpus, "a/one.txt", "The first paper rewrote the story.");
        copy(&corpus, "z/two.txt", "The second paper rewrote it too.");
        let next = run(&store, &opts, &NoProgress).unwrap();
        assert_eq!((next.updated, next.failed, next.articles), (10, 0, 10), "{next:?}");
        let paths = article_paths(&store);
        assert!(!paths.contains(&pair), "{paths:?}");
        assert!(paths.contains(&vec!["one.txt".to_string()]), "{paths:?}");
        assert!(paths.contains(&vec!["two.txt".to_string()]), "{paths:?}");
    }

    #[test]
    fn a_copy_changed_outside_the_run_is_reported_and_its_article_removed() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let store = Store::open_or_create(&dir.path().join("idx")).unwrap();
        two_copies(&corpus);
        run(&store, &small_commits(vec![corpus.clone()]), &NoProgress).unwrap();

        std::thread::sleep(Duration::from_millis(20));
        copy(&corpus, "a/one.txt", "The first paper rewrote the story.");
        copy(&corpus, "z/two.txt", "The second paper rewrote it too.");
        // Only the first copy's folder is indexed: the other copy cannot be read as it was.
        let next = run(&store, &small_commits(vec![corpus.join("a")]), &NoProgress).unwrap();
        assert_eq!(next.failed, 1, "{next:?}");
        assert!(next.failures[0].reason.contains("re-read"), "{next:?}");
        let paths = article_paths(&store);
        assert!(!paths.iter().any(|p| p.contains(&"two.txt".to_string())), "{paths:?}");
        assert!(paths.contains(&vec!["one.txt".to_string()]), "{paths:?}");
    }

    fn file_records_left(store: &Store) -> Vec<String> {
        let searcher = store.reader().unwrap().searcher();
        let mut stream = RecordStream::new(&searcher, &store.fields, "/").unwrap();
        let mut out = Vec::new();
        while let Some(r) = stream.next().unwrap() {
            out.push(r.key);
        }
        out
    }
}
