//! Build and update an index from folders of articles, incrementally.
//!
//! A run walks the roots, compares every file with its `file` record (size and mtime, then the
//! content hash), parses and extracts only what changed (in parallel, with rayon), and writes
//! through the one `IndexWriter`. Articles are content-addressed: identical text at two paths is
//! one article whose `paths` lists both. Every batch of files ends in a commit that carries the
//! schema and extractor versions, so a crash keeps all work up to the last commit; the next run
//! picks up from there. When the extractor version in the index differs from this binary's,
//! every article is re-extracted.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};

use crate::discover::{self, SourceFile};
use crate::document::{
    article_doc, article_id, bytes_hash, file_doc, file_record_id, quote_docs, FileRecord,
    PreparedArticle, SourceRef,
};
use crate::error::Result;
use crate::extract::{extract, EXTRACTOR_VERSION};
use crate::parse::{parse_file, ParseError, ParseOptions};
use crate::schema::{kinds, Fields};
use crate::store::Store;

/// Articles held in memory before a commit is forced (bounds memory on large containers).
const MAX_PENDING_ARTICLES: usize = 5_000;
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
    fn start(&self, _files_to_read: u64) {}
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

/// The incremental state: every file record, and which files hold each article.
#[derive(Default)]
struct State {
    files: HashMap<String, FileRecord>,
    sources: HashMap<String, BTreeSet<SourceRef>>,
}

impl State {
    fn load(store: &Store) -> Result<State> {
        let f = &store.fields;
        let reader = store.reader()?;
        let searcher = reader.searcher();
        let q =
            TermQuery::new(Term::from_field_text(f.kind, kinds::FILE), IndexRecordOption::Basic);
        // Read in address order: the doc store is compressed in blocks, and random order would
        // decompress a block for nearly every record.
        let mut addrs: Vec<_> = searcher.search(&q, &DocSetCollector)?.into_iter().collect();
        addrs.sort_unstable();
        let mut state = State::default();
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text =
                |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let rec = FileRecord {
                path: text(f.path),
                size: doc.get_first(f.file_size).and_then(|v| v.as_u64()).unwrap_or(0),
                mtime: doc.get_first(f.file_mtime).and_then(|v| v.as_i64()).unwrap_or(0),
                hash: text(f.hash),
                entries: serde_json::from_str(&text(f.file_entries)).unwrap_or_default(),
            };
            state.add_entries(&rec);
            state.files.insert(rec.path.clone(), rec);
        }
        Ok(state)
    }

    fn add_entries(&mut self, rec: &FileRecord) {
        for (id, locator) in &rec.entries {
            self.sources
                .entry(id.clone())
                .or_default()
                .insert(SourceRef { path: rec.path.clone(), locator: locator.clone() });
        }
    }

    fn remove_entries(&mut self, rec: &FileRecord) {
        for (id, locator) in &rec.entries {
            if let Some(set) = self.sources.get_mut(id) {
                set.remove(&SourceRef { path: rec.path.clone(), locator: locator.clone() });
            }
        }
    }
}

/// A run in progress: the writer, the state, and the articles whose sources changed.
struct Run<'a> {
    store: &'a Store,
    opts: &'a IndexOptions,
    writer: IndexWriter,
    state: State,
    /// Articles whose set of sources changed since the last commit, with the set they had then.
    dirty: HashMap<String, BTreeSet<SourceRef>>,
    /// Articles parsed since the last commit.
    cache: HashMap<String, PreparedArticle>,
    /// Whether anything was written to the index in this run.
    changed: bool,
    summary: IndexSummary,
}

/// Index the roots into `store`.
pub fn run(store: &Store, opts: &IndexOptions, progress: &dyn Progress) -> Result<IndexSummary> {
    let started = Instant::now();
    let roots = discover::check_roots(&opts.roots)?;
    let writer = store.writer(opts.memory_budget)?;
    let stale = store
        .commit_info()?
        .map(|info| info.extractor_version != EXTRACTOR_VERSION)
        .unwrap_or(false);
    let mut summary = IndexSummary::default();
    let state = if opts.rebuild || stale {
        writer.delete_all_documents()?;
        summary.reextracted = stale && !opts.rebuild;
        State::default()
    } else {
        State::load(store)?
    };
    let mut run = Run {
        store,
        opts,
        writer,
        state,
        dirty: HashMap::new(),
        cache: HashMap::new(),
        changed: false,
        summary,
    };

    let found = discover::discover(&roots);
    run.summary.scanned = found.files.len() as u64;
    for failure in &found.failures {
        run.fail(&failure.path, &failure.reason);
    }

    // Files gone from disk.
    let present: HashSet<&str> = found.files.iter().map(|f| f.key.as_str()).collect();
    let gone: Vec<String> = run
        .state
        .files
        .keys()
        .filter(|k| discover::is_under(k, &found.roots) && !present.contains(String::as_str(k)))
        .cloned()
        .collect();
    for key in gone {
        run.remove_file(&key);
        run.summary.removed += 1;
    }

    // Files new or changed on disk.
    let mut todo: Vec<&SourceFile> = Vec::new();
    for file in &found.files {
        match run.state.files.get(&file.key) {
            Some(rec) if rec.size == file.size && rec.mtime == file.mtime => {
                run.summary.unchanged += 1
            }
            _ => todo.push(file),
        }
    }
    progress.start(todo.len() as u64);
    let (containers, singles): (Vec<&SourceFile>, Vec<&SourceFile>) =
        todo.into_iter().partition(|f| crate::parse::is_container(&f.path));
    let mut last_commit = Instant::now();
    let mut since_commit = 0usize;
    let batch_size = (rayon::current_num_threads() * 16).max(32);
    for batch in singles.chunks(batch_size) {
        let parse_opts = &opts.parse;
        let known: Vec<Option<String>> =
            batch.iter().map(|f| run.state.files.get(&f.key).map(|r| r.hash.clone())).collect();
        let outcomes: Vec<Outcome> = batch
            .par_iter()
            .zip(known.par_iter())
            .map(|(file, old_hash)| read_file(file, old_hash.as_deref(), parse_opts))
            .collect();
        for (file, outcome) in batch.iter().zip(outcomes) {
            run.apply(file, outcome)?;
            progress.advance(1);
        }
        run.flush()?;
        since_commit += batch.len();
        if since_commit >= opts.commit_every_files
            || last_commit.elapsed() >= opts.commit_every
            || run.cache.len() >= MAX_PENDING_ARTICLES
        {
            run.commit()?;
            since_commit = 0;
            last_commit = Instant::now();
        }
    }
    for file in containers {
        run.index_container(file)?;
        progress.advance(1);
    }
    // A run that changed nothing leaves the last commit as it is.
    if run.changed || opts.rebuild || stale {
        run.commit()?;
    }
    progress.finish();
    let Run { store, writer, mut summary, .. } = run;
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

    fn mark_dirty(&mut self, id: &str) {
        if !self.dirty.contains_key(id) {
            let before = self.state.sources.get(id).cloned().unwrap_or_default();
            self.dirty.insert(id.to_string(), before);
        }
    }

    fn remove_file(&mut self, key: &str) {
        self.changed = true;
        if let Some(rec) = self.state.files.remove(key) {
            for (id, _) in &rec.entries {
                self.mark_dirty(id);
            }
            self.state.remove_entries(&rec);
        }
        let id = file_record_id(key);
        self.writer.delete_term(Term::from_field_text(self.fields().id, &id));
    }

    fn put_record(&mut self, rec: FileRecord) {
        self.changed = true;
        let f = *self.fields();
        if self.state.files.contains_key(&rec.path) {
            self.writer.delete_term(Term::from_field_text(f.id, &file_record_id(&rec.path)));
        }
        // add_document only fails when the writer is gone, which commit() reports.
        let _ = self.writer.add_document(file_doc(&f, &rec));
        self.state.files.insert(rec.path.clone(), rec);
    }

    fn apply(&mut self, file: &SourceFile, outcome: Outcome) -> Result<()> {
        match outcome {
            Outcome::Failed(reason) => self.fail(&file.key, &reason),
            Outcome::SameContent { hash } => {
                let entries =
                    self.state.files.get(&file.key).map(|r| r.entries.clone()).unwrap_or_default();
                self.put_record(FileRecord {
                    path: file.key.clone(),
                    size: file.size,
                    mtime: file.mtime,
                    hash,
                    entries,
                });
                self.summary.unchanged += 1;
            }
            Outcome::Parsed { hash, articles, bad_records } => {
                let mut file_run = self.begin_file(file);
                self.add_articles(&mut file_run, articles);
                file_run.bad_records = bad_records;
                self.finish_file(file, file_run, hash);
            }
        }
        Ok(())
    }

    /// Start replacing a file's articles: its old entries no longer count as sources.
    fn begin_file(&mut self, file: &SourceFile) -> FileRun {
        let existed = self.state.files.contains_key(&file.key);
        if let Some(old) = self.state.files.get(&file.key).cloned() {
            for (id, _) in &old.entries {
                self.mark_dirty(id);
            }
            self.state.remove_entries(&old);
        }
        FileRun {
            existed,
            all_known: true,
            entries: Vec::new(),
            bad_records: Vec::new(),
            path: None,
        }
    }

    /// Add articles read from the file of `file_run`.
    fn add_articles(&mut self, file_run: &mut FileRun, articles: Vec<PreparedArticle>) {
        for prepared in articles {
            let known =
                self.state.sources.get(&prepared.id).map(|s| !s.is_empty()).unwrap_or(false);
            file_run.all_known &= known;
            self.mark_dirty(&prepared.id);
            let entry = (prepared.id.clone(), prepared.article.locator.clone());
            if let Some(path) = &file_run.path {
                self.state
                    .sources
                    .entry(prepared.id.clone())
                    .or_default()
                    .insert(SourceRef { path: path.clone(), locator: entry.1.clone() });
            }
            file_run.entries.push(entry);
            self.cache.insert(prepared.id.clone(), prepared);
        }
    }

    /// Write the file's record and count it.
    fn finish_file(&mut self, file: &SourceFile, file_run: FileRun, hash: String) {
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
            self.state.add_entries(&rec);
        }
        self.put_record(rec);
        if file_run.existed {
            self.summary.updated += 1;
        } else if file_run.all_known {
            self.summary.duplicate += 1;
        } else {
            self.summary.added += 1;
        }
    }

    /// Index a container file (JSONL, WARC) as a stream: records are parsed on one thread,
    /// extracted in parallel in chunks, and committed whenever too many are pending, so memory
    /// stays flat however large the file is.
    fn index_container(&mut self, file: &SourceFile) -> Result<()> {
        let hash = match hash_file(&file.path) {
            Ok(h) => h,
            Err(e) => {
                self.fail(&file.key, &e.to_string());
                return Ok(());
            }
        };
        if self.state.files.get(&file.key).map(|r| r.hash == hash).unwrap_or(false) {
            return self.apply(file, Outcome::SameContent { hash });
        }
        let mut file_run = self.begin_file(file);
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
                self.add_articles(&mut file_run, prepared);
                if self.cache.len() >= MAX_PENDING_ARTICLES {
                    // Record what is indexed so far, with no hash so the next run reads the
                    // file again, then commit.
                    self.put_record(FileRecord {
                        path: file.key.clone(),
                        size: 0,
                        mtime: 0,
                        hash: String::new(),
                        entries: file_run.entries.clone(),
                    });
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
            if let Some(old) = self.state.files.get(&file.key).cloned() {
                self.state.add_entries(&old);
            }
            return Ok(());
        }
        if let Err(e) = read_result {
            file_run.bad_records.push(format!("stopped reading: {e}"));
        }
        self.finish_file(file, file_run, hash);
        Ok(())
    }

    /// Write what is pending, then commit.
    fn commit(&mut self) -> Result<()> {
        self.flush()?;
        self.store.commit(&mut self.writer)?;
        self.summary.commits += 1;
        Ok(())
    }

    /// Rewrite every article whose sources changed since the last flush. Called after every
    /// batch, so tantivy's indexing threads work while the next batch is parsed.
    fn flush(&mut self) -> Result<()> {
        let f = *self.fields();
        let dirty = std::mem::take(&mut self.dirty);
        let mut cache = std::mem::take(&mut self.cache);
        let mut ids: Vec<&String> = dirty.keys().collect();
        ids.sort();
        // Quote documents go in after the articles, so they sit together in the doc store and
        // listing many quotes reads few blocks.
        let mut quotes = Vec::new();
        for id in ids {
            let before = &dirty[id];
            let now = self.state.sources.get(id).cloned().unwrap_or_default();
            if &now == before && !before.is_empty() {
                continue;
            }
            if !before.is_empty() {
                self.writer.delete_term(Term::from_field_text(f.article_id, id));
            }
            if now.is_empty() {
                self.state.sources.remove(id);
                continue;
            }
            let sources: Vec<SourceRef> = now.into_iter().collect();
            let prepared = match cache.remove(id) {
                Some(p) => Some(p),
                None => reparse(id, &sources, &self.opts.parse),
            };
            match prepared {
                Some(p) => {
                    self.writer.add_document(article_doc(&f, &p, &sources))?;
                    quotes.extend(quote_docs(&f, &p, &sources));
                }
                None => {
                    let path = sources[0].display();
                    self.fail(&path, "could not re-read this article to update its list of paths");
                }
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
