//! The `file` records of a commit, read as one stream sorted by path.
//!
//! `morgue index` compares this stream with the walk of a root, which lists files in the same
//! byte order of their keys, so a run holds neither list in memory: only a chunk of terms per
//! segment. A record's key comes from the term dictionary of the `id` field (`file:PATH`, in
//! sorted order per segment), its size and modification time from fast columns, so streaming
//! every record reads no block of the document store. The rest of a record (content hash and the
//! articles it produced) is read, only for files that changed, from the `file_entries` column.

use std::collections::VecDeque;
use std::sync::Arc;

use tantivy::columnar::Column;
use tantivy::fastfield::AliveBitSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, InvertedIndexReader, Searcher, TERMINATED};

use crate::document::{file_record_id, FileRecord};
use crate::error::{Error, Result};
use crate::schema::{names, Fields};

/// Terms read from one segment at a time.
const CHUNK: usize = 1024;

/// A file record as streamed: enough for the size-and-mtime check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub key: String,
    pub size: u64,
    pub mtime: i64,
    /// Where the full record is, in the searcher the stream was made from.
    pub addr: DocAddress,
}

/// The records of one segment, read a chunk of terms at a time.
struct SegmentCursor {
    segment: u32,
    inverted: Arc<InvertedIndexReader>,
    size: Column<u64>,
    mtime: Column<i64>,
    alive: Option<AliveBitSet>,
    ready: VecDeque<StoredFile>,
    /// The last term read, where the next chunk starts (after it).
    last: Option<Vec<u8>>,
    done: bool,
}

impl SegmentCursor {
    fn fill(&mut self, lower: &[u8], upper: &[u8]) -> Result<()> {
        while self.ready.is_empty() && !self.done {
            let range = self.inverted.terms().range();
            let range = match &self.last {
                Some(last) => range.gt(last),
                None => range.ge(lower),
            };
            let mut terms = range.lt(upper).into_stream().map_err(io_error)?;
            let mut n = 0;
            while n < CHUNK && terms.advance() {
                n += 1;
                let key = terms.key();
                let mut postings = self
                    .inverted
                    .read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)
                    .map_err(io_error)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if self.alive.as_ref().map(|a| a.is_alive(doc)).unwrap_or(true) {
                        let path = &key[FILE_PREFIX.len()..];
                        self.ready.push_back(StoredFile {
                            // Keys were written as UTF-8; the lossy form is the fallback
                            // (checking as UTF-8 first is the cheaper test).
                            key: match std::str::from_utf8(path) {
                                Ok(s) => s.to_owned(),
                                Err(_) => String::from_utf8_lossy(path).into_owned(),
                            },
                            size: self.size.first(doc).unwrap_or(0),
                            mtime: self.mtime.first(doc).unwrap_or(0),
                            addr: DocAddress::new(self.segment, doc),
                        });
                    }
                    doc = postings.advance();
                }
                self.last = Some(key.to_vec());
            }
            if n < CHUNK {
                self.done = true;
            }
        }
        Ok(())
    }
}

const FILE_PREFIX: &[u8] = b"file:";

fn io_error(source: std::io::Error) -> Error {
    Error::Io { context: "reading the file records of the index".to_string(), source }
}

/// Every live file record whose key starts with a prefix, in byte order of the key.
pub struct RecordStream {
    cursors: Vec<SegmentCursor>,
    lower: Vec<u8>,
    upper: Vec<u8>,
    last_key: Option<String>,
}

impl RecordStream {
    /// A stream with no records (an index being rebuilt).
    pub fn empty() -> RecordStream {
        RecordStream { cursors: Vec::new(), lower: Vec::new(), upper: Vec::new(), last_key: None }
    }

    /// The records of `searcher` whose key starts with `prefix`.
    pub fn new(searcher: &Searcher, fields: &Fields, prefix: &str) -> Result<RecordStream> {
        let lower = file_record_id(prefix).into_bytes();
        let upper = prefix_end(&lower);
        let mut cursors = Vec::new();
        for (i, seg) in searcher.segment_readers().iter().enumerate() {
            let fast = seg.fast_fields();
            cursors.push(SegmentCursor {
                segment: i as u32,
                inverted: seg.inverted_index(fields.id)?,
                size: fast
                    .column_opt(names::FILE_SIZE)?
                    .unwrap_or_else(|| Column::build_empty_column(seg.max_doc())),
                mtime: fast
                    .column_opt(names::FILE_MTIME)?
                    .unwrap_or_else(|| Column::build_empty_column(seg.max_doc())),
                alive: seg.alive_bitset().cloned(),
                ready: VecDeque::new(),
                last: None,
                done: false,
            });
        }
        Ok(RecordStream { cursors, lower, upper, last_key: None })
    }

    /// The next record if its key sorts before `key`.
    pub fn next_before(&mut self, key: &str) -> Result<Option<StoredFile>> {
        if self.peek_key()?.map(|k| k < key).unwrap_or(false) {
            self.next()
        } else {
            Ok(None)
        }
    }

    /// The next record if its key is `key`.
    pub fn next_if(&mut self, key: &str) -> Result<Option<StoredFile>> {
        if self.peek_key()? == Some(key) {
            self.next()
        } else {
            Ok(None)
        }
    }

    fn peek_key(&mut self) -> Result<Option<&str>> {
        Ok(self.head()?.map(|i| self.cursors[i].ready[0].key.as_str()))
    }

    /// The cursor whose next record has the smallest key.
    fn head(&mut self) -> Result<Option<usize>> {
        let mut best: Option<usize> = None;
        for i in 0..self.cursors.len() {
            self.cursors[i].fill(&self.lower, &self.upper)?;
            let Some(rec) = self.cursors[i].ready.front() else { continue };
            if best.map(|b| rec.key < self.cursors[b].ready[0].key).unwrap_or(true) {
                best = Some(i);
            }
        }
        Ok(best)
    }

    /// The next record. A key live in two segments (which a finished run never leaves) is
    /// given once.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<StoredFile>> {
        loop {
            let Some(i) = self.head()? else { return Ok(None) };
            let Some(rec) = self.cursors[i].ready.pop_front() else { return Ok(None) };
            if self.last_key.as_deref() == Some(rec.key.as_str()) {
                continue;
            }
            self.last_key = Some(rec.key.clone());
            return Ok(Some(rec));
        }
    }
}

/// The smallest byte string greater than every string that starts with `prefix`.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    vec![u8::MAX; prefix.len() + 1]
}

/// The whole record of a streamed file: its hash and articles come from the `file_entries`
/// column, so no block of the document store is read.
pub fn load(searcher: &Searcher, stored: &StoredFile) -> Result<FileRecord> {
    #[derive(serde::Deserialize, Default)]
    struct State {
        hash: String,
        entries: Vec<(String, Option<String>)>,
    }
    let seg = searcher.segment_reader(stored.addr.segment_ord);
    let mut json = String::new();
    if let Some(column) = seg.fast_fields().str(names::FILE_ENTRIES)? {
        if let Some(ord) = column.term_ords(stored.addr.doc_id).next() {
            column.ord_to_str(ord, &mut json).map_err(io_error)?;
        }
    }
    let state: State = serde_json::from_str(&json).unwrap_or_default();
    Ok(FileRecord {
        path: stored.key.clone(),
        size: stored.size,
        mtime: stored.mtime,
        hash: state.hash,
        entries: state.entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::file_doc;
    use crate::store::Store;
    use tantivy::Term;

    fn record(path: &str, size: u64) -> FileRecord {
        FileRecord {
            path: path.to_string(),
            size,
            mtime: size as i64 * 10,
            hash: format!("h{size}"),
            entries: vec![(format!("{size:016x}"), None)],
        }
    }

    fn keys(stream: &mut RecordStream) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        while let Some(r) = stream.next().unwrap() {
            out.push((r.key, r.size));
        }
        out
    }

    #[test]
    fn streams_live_records_under_a_prefix_in_key_order_across_segments() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let f = store.fields;
        let mut w = store.writer(20_000_000).unwrap();
        // Two commits, so two segments, each holding keys from the whole range.
        for (path, size) in [("/n/a/2.txt", 2), ("/n/a-b/9.txt", 9), ("/n/a/4.txt", 4)] {
            w.add_document(file_doc(&f, &record(path, size))).unwrap();
        }
        store.commit(&mut w).unwrap();
        for (path, size) in [("/n/a/1.txt", 1), ("/n/a/3.txt", 3), ("/n/ab/8.txt", 8)] {
            w.add_document(file_doc(&f, &record(path, size))).unwrap();
        }
        // A replaced record: only the newer one is live.
        w.delete_term(Term::from_field_text(f.id, &file_record_id("/n/a/4.txt")));
        w.add_document(file_doc(&f, &record("/n/a/4.txt", 40))).unwrap();
        store.commit(&mut w).unwrap();
        let searcher = store.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 2);

        let mut stream = RecordStream::new(&searcher, &f, "/n/a/").unwrap();
        let got = keys(&mut stream);
        let want: Vec<(String, u64)> =
            [("/n/a/1.txt", 1), ("/n/a/2.txt", 2), ("/n/a/3.txt", 3), ("/n/a/4.txt", 40)]
                .iter()
                .map(|(k, s)| (k.to_string(), *s))
                .collect();
        assert_eq!(got, want);

        let mut stream = RecordStream::new(&searcher, &f, "/n/a/").unwrap();
        assert_eq!(stream.next_before("/n/a/2.txt").unwrap().unwrap().key, "/n/a/1.txt");
        assert!(stream.next_before("/n/a/2.txt").unwrap().is_none());
        assert!(stream.next_if("/n/a/2.5.txt").unwrap().is_none());
        let two = stream.next_if("/n/a/2.txt").unwrap().unwrap();
        assert_eq!((two.size, two.mtime), (2, 20));
        let full = load(&searcher, &two).unwrap();
        assert_eq!(full, record("/n/a/2.txt", 2));

        assert!(keys(&mut RecordStream::empty()).is_empty());
    }

    #[test]
    fn reads_more_records_than_one_chunk() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(dir.path()).unwrap();
        let f = store.fields;
        let mut w = store.writer(20_000_000).unwrap();
        let n = CHUNK * 2 + 7;
        for i in 0..n {
            w.add_document(file_doc(&f, &record(&format!("/r/{i:05}.txt"), i as u64))).unwrap();
        }
        store.commit(&mut w).unwrap();
        let searcher = store.reader().unwrap().searcher();
        let got = keys(&mut RecordStream::new(&searcher, &f, "/r/").unwrap());
        assert_eq!(got.len(), n);
        assert!(got.iter().enumerate().all(|(i, (_, size))| *size == i as u64));
    }

    #[test]
    fn prefix_end_is_the_next_string_after_every_extension() {
        assert_eq!(prefix_end(b"file:/a/"), b"file:/a0".to_vec());
        assert_eq!(prefix_end(&[b'a', 0xff]), b"b".to_vec());
    }
}
