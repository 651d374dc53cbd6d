//! Where an index lives and how it is opened: never created over a folder that is not one,
//! refused when written by another schema version, locked against a second writer, and synced
//! to disk after every commit.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::indexer::IndexWriterOptions;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyError,
};

use crate::error::{Error, Result};
use crate::extract::EXTRACTOR_VERSION;
use crate::merge_policy::CappedMergePolicy;
use crate::schema::{text_analyzer, Fields, IndexSchema, TEXT_TOKENIZER};

/// What every commit carries in its payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CommitInfo {
    pub schema_version: u32,
    pub extractor_version: u32,
    pub morgue_version: String,
}

impl CommitInfo {
    pub fn current(schema_version: u32) -> Self {
        CommitInfo {
            schema_version,
            extractor_version: EXTRACTOR_VERSION,
            morgue_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// An open morgue index.
pub struct Store {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    pub schema: IndexSchema,
    /// One reader for the life of the store: its segments stay open between queries, and each
    /// [`Store::reader`] call reloads it when a commit has landed since.
    reader: std::sync::OnceLock<IndexReader>,
    /// The commit (opstamp) the reader was last loaded at.
    reader_opstamp: std::sync::atomic::AtomicU64,
}

/// The index folder to use: `--index`, else `$MORGUE_INDEX` (read by the CLI), else a per-user
/// data folder (`~/.local/share/morgue/index` on Linux).
pub fn default_index_dir() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("morgue").join("index")
}

fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut entries =
        std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    Ok(entries.next().is_none())
}

impl Store {
    /// Open an existing index; an error if there is none.
    pub fn open(dir: &Path) -> Result<Store> {
        if !is_index_dir(dir) {
            if dir.is_dir() && !is_empty_dir(dir)? {
                return Err(Error::NotAnIndex(dir.to_path_buf()));
            }
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let index = Index::open_in_dir(dir)?;
        Self::from_index(dir, index)
    }

    /// Open the index in `dir`, or create one if `dir` is missing or empty. A non-empty folder
    /// that is not an index is never written over.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if is_index_dir(dir) {
            return Self::open(dir);
        }
        if dir.exists() {
            if !dir.is_dir() || !is_empty_dir(dir)? {
                return Err(Error::NotAnIndex(dir.to_path_buf()));
            }
        } else {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        }
        let schema = IndexSchema::builtin()?;
        // Stored text (bodies, for snippets and `show`) is most of an index: zstd shrinks it far
        // more than lz4; 32 KB blocks keep the cost of reading one document small.
        let settings = IndexSettings {
            docstore_compression: Compressor::Zstd(ZstdCompressor::default()),
            docstore_blocksize: 32 * 1024,
            ..IndexSettings::default()
        };
        let index =
            Index::builder().schema(schema.schema.clone()).settings(settings).create_in_dir(dir)?;
        Self::from_index(dir, index)
    }

    fn from_index(dir: &Path, mut index: Index) -> Result<Store> {
        let schema = IndexSchema::builtin()?;
        if let Some(info) = read_commit_info(&index)? {
            if info.schema_version != schema.version {
                return Err(Error::SchemaVersion {
                    path: dir.to_path_buf(),
                    found: info.schema_version.to_string(),
                    expected: schema.version,
                });
            }
        }
        let fields = Fields::resolve(&index.schema()).map_err(|_| Error::SchemaVersion {
            path: dir.to_path_buf(),
            found: "unknown".to_string(),
            expected: schema.version,
        })?;
        index.tokenizers().register(TEXT_TOKENIZER, text_analyzer());
        // Searches visit segments on every core (a large archive has a few large segments).
        index.set_default_multithread_executor()?;
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields,
            schema,
            reader: std::sync::OnceLock::new(),
            reader_opstamp: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The payload of the last commit, if any commit carried one.
    pub fn commit_info(&self) -> Result<Option<CommitInfo>> {
        read_commit_info(&self.index)
    }

    /// A reader that sees the last commit. It is made once per store and reloaded (by hand, so
    /// results are deterministic) only when a commit landed since the last call, so repeated
    /// queries in one process do not re-open the segments.
    pub fn reader(&self) -> Result<IndexReader> {
        use std::sync::atomic::Ordering;
        // Reloading re-opens every segment; the commit's opstamp (meta.json) says whether any
        // commit landed since the last load.
        let opstamp = self.index.load_metas()?.opstamp;
        if let Some(r) = self.reader.get() {
            if self.reader_opstamp.load(Ordering::Acquire) != opstamp {
                r.reload()?;
                self.reader_opstamp.store(opstamp, Ordering::Release);
            }
            return Ok(r.clone());
        }
        self.reader_opstamp.store(opstamp, Ordering::Release);
        let r = self.new_reader()?;
        Ok(self.reader.get_or_init(|| r).clone())
    }

    /// A searcher of the last commit from a reader of its own, not the cached one of
    /// [`Store::reader`]: its segments stay mapped only as long as it lives. The indexer uses
    /// it, so that the segments merged away during a run leave memory when it lets go of them
    /// (a merge reads every page of its input segments, and those pages count as resident while
    /// anything maps them).
    pub fn snapshot(&self) -> Result<Searcher> {
        Ok(self.new_reader()?.searcher())
    }

    /// A reader of the last commit, reloaded only by hand (so results are deterministic).
    fn new_reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| self.lock_error(e))
    }

    /// A lock that cannot be taken for an I/O reason (a read-only folder, no permission) says so.
    fn lock_error(&self, e: TantivyError) -> Error {
        match e {
            TantivyError::LockFailure(LockError::IoError(io), _) => Error::io(
                format!(
                    "cannot lock the index at {} (is the folder read-only? morgue needs to write \
                     a lock file there, even to search)",
                    self.dir.display()
                ),
                std::io::Error::new(io.kind(), io.to_string()),
            ),
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked(self.dir.clone()),
            other => Error::from(other),
        }
    }

    /// The one writer; a clear error if another process holds the lock. It indexes on every
    /// core (up to 8) within `memory_budget`, and merges one batch of segments at a time, each
    /// capped by [`CappedMergePolicy`], so that merging maps a bounded part of the index.
    pub fn writer(&self, memory_budget: usize) -> Result<IndexWriter> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
        // tantivy wants at least 15 MB per indexing thread.
        let threads = (memory_budget / 15_000_000).clamp(1, cores);
        let options = IndexWriterOptions::builder()
            .memory_budget_per_thread(memory_budget / threads)
            .num_worker_threads(threads)
            .num_merge_threads(1)
            .build();
        let writer = self.index.writer_with_options(options).map_err(|e| self.lock_error(e))?;
        writer.set_merge_policy(Box::new(CappedMergePolicy::default()));
        Ok(writer)
    }

    /// Commit with the version payload, then fsync the folder so the rename of `meta.json`
    /// survives a power cut.
    pub fn commit(&self, writer: &mut IndexWriter) -> Result<u64> {
        let info = CommitInfo::current(self.schema.version);
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&info)?);
        let opstamp = prepared.commit()?;
        sync_dir(&self.dir)?;
        Ok(opstamp)
    }

    /// Verify the checksum of every file of the last commit; returns the damaged files.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut damaged: Vec<String> =
            self.index.validate_checksum()?.into_iter().map(|p| p.display().to_string()).collect();
        damaged.sort();
        Ok(damaged)
    }

    /// Size of the index folder on disk, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|rd| rd.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }
}

fn read_commit_info(index: &Index) -> Result<Option<CommitInfo>> {
    let metas = index.load_metas()?;
    Ok(metas.payload.as_deref().and_then(|p| serde_json::from_str(p).ok()))
}

/// fsync a folder (its entries, such as a renamed `meta.json`).
pub fn sync_dir(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(format!("syncing {}", dir.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_creates_over_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(Store::open_or_create(dir.path()), Err(Error::NotAnIndex(_))));
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn creates_in_missing_folder_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        let store = Store::open_or_create(&path).unwrap();
        let mut w = store.writer(20_000_000).unwrap();
        store.commit(&mut w).unwrap();
        drop(w);
        let again = Store::open(&path).unwrap();
        assert_eq!(again.commit_info().unwrap().unwrap().schema_version, again.schema.version);
    }

    #[test]
    fn a_snapshot_keeps_its_commit_and_leaves_the_cached_reader_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let mut w = store.writer(20_000_000).unwrap();
        let f = store.fields;
        w.add_document(tantivy::doc!(f.kind => "article", f.title => "one")).unwrap();
        store.commit(&mut w).unwrap();
        let first = store.snapshot().unwrap();
        assert_eq!(first.num_docs(), 1);
        w.add_document(tantivy::doc!(f.kind => "article", f.title => "two")).unwrap();
        store.commit(&mut w).unwrap();
        assert_eq!(first.num_docs(), 1, "a snapshot stays at the commit it was taken at");
        assert_eq!(store.snapshot().unwrap().num_docs(), 2);
        assert!(store.reader.get().is_none(), "no cached reader holds the segments");
    }

    #[test]
    fn the_one_reader_sees_each_new_commit_and_only_reloads_for_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let mut w = store.writer(20_000_000).unwrap();
        let f = store.fields;
        let docs = |store: &Store| store.reader().unwrap().searcher().num_docs();
        assert_eq!(docs(&store), 0);
        w.add_document(tantivy::doc!(f.kind => "article", f.title => "one")).unwrap();
        store.commit(&mut w).unwrap();
        assert_eq!(docs(&store), 1);
        let first = store.reader().unwrap().searcher().generation().generation_id();
        assert_eq!(store.reader().unwrap().searcher().generation().generation_id(), first);
        w.add_document(tantivy::doc!(f.kind => "article", f.title => "two")).unwrap();
        store.commit(&mut w).unwrap();
        assert_eq!(docs(&store), 2);
        assert_ne!(store.reader().unwrap().searcher().generation().generation_id(), first);
    }

    #[test]
    fn second_writer_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let _w = store.writer(20_000_000).unwrap();
        assert!(matches!(store.writer(20_000_000), Err(Error::Locked(_))));
    }

    #[test]
    fn other_schema_version_says_how_to_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let mut w = store.writer(20_000_000).unwrap();
        let mut p = w.prepare_commit().unwrap();
        p.set_payload(r#"{"schema_version":999,"extractor_version":1,"morgue_version":"x"}"#);
        p.commit().unwrap();
        drop(w);
        let err = Store::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("--rebuild"), "{err}");
    }
}
