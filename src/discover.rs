//! Find the article files under the roots given to `morgue index`.
//!
//! Walks each root with walkdir, following symbolic links (walkdir detects loops and reports
//! them as errors, which are counted, never followed forever). Hidden files and folders *below* a
//! root are skipped; the root itself may be hidden. Files whose extension morgue does not read
//! are ignored. A root is walked lazily, one folder at a time, in the byte order of the file
//! keys, which is the order of the index's file records: `morgue index` merges the two as sorted
//! streams instead of holding either in memory.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::{DirEntry, WalkDir};

use crate::error::{Error, Result};
use crate::parse::detect_format;

/// One file to index, with the facts the incremental check needs.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as stored in the index: absolute, lossy UTF-8.
    pub key: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: i64,
}

/// A path the walk could not read (a symlink loop, a folder without permission).
#[derive(Debug, Clone)]
pub struct WalkFailure {
    pub path: String,
    pub reason: String,
}

/// Check every root before anything is written: each must exist and be a folder.
pub fn check_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(roots.len());
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| Error::BadRoot {
            path: root.clone(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => "no such folder".to_string(),
                _ => e.to_string(),
            },
        })?;
        if !meta.is_dir() {
            return Err(Error::BadRoot { path: root.clone(), reason: "not a folder".to_string() });
        }
        let abs = std::fs::canonicalize(root)
            .map_err(|e| Error::BadRoot { path: root.clone(), reason: e.to_string() })?;
        out.push(abs);
    }
    Ok(out)
}

/// The roots in key order, without any root that lies inside another (its files are walked
/// with the outer one). Walking them in this order lists every file in the byte order of its key.
pub fn outermost(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut sorted: Vec<(String, &PathBuf)> =
        roots.iter().map(|r| (key_prefix(&path_key(r)), r)).collect();
    sorted.sort();
    sorted.dedup_by(|later, kept| later.0.starts_with(kept.0.as_str()));
    sorted.into_iter().map(|(_, r)| r.clone()).collect()
}

/// The prefix that every key under a root starts with (the root's key and a `/`).
pub fn key_prefix(root_key: &str) -> String {
    if root_key.ends_with('/') {
        root_key.to_string()
    } else {
        format!("{root_key}/")
    }
}

/// One thing a walk met: a file to index, or a path it could not read.
#[derive(Debug)]
pub enum Found {
    File(SourceFile),
    Failed(WalkFailure),
}

/// Walk one (already checked, absolute) root lazily, yielding files in the byte order of their
/// keys, so the walk can be merged with the sorted file records of an index without holding
/// either list in memory. Only one folder's entries are held at a time.
pub fn walk(root: &Path) -> impl Iterator<Item = Found> {
    WalkDir::new(root)
        .follow_links(true)
        .sort_by(key_order)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e))
        .filter_map(|entry| match entry {
            Ok(entry) => {
                if !entry.file_type().is_file()
                    || detect_format(entry.path()).is_none()
                    || is_project_file(&entry)
                {
                    return None;
                }
                let key = path_key(entry.path());
                Some(match entry.metadata() {
                    Ok(meta) => Found::File(SourceFile {
                        path: entry.path().to_path_buf(),
                        key,
                        size: meta.len(),
                        mtime: meta
                            .modified()
                            .ok()
                            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                            .map(|d| d.as_nanos() as i64)
                            .unwrap_or(0),
                    }),
                    Err(e) => Found::Failed(WalkFailure { path: key, reason: e.to_string() }),
                })
            }
            Err(e) => {
                let path = e.path().map(path_key).unwrap_or_default();
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop (not followed)".to_string()
                } else {
                    e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string())
                };
                Some(Found::Failed(WalkFailure { path, reason }))
            }
        })
}

/// Order of the entries of one folder such that a depth-first walk lists full keys in byte
/// order: names compare as their key text, a folder's name as if followed by `/` (so `a-b`
/// comes before the folder `a`, whose keys all start `a/`).
fn key_order(a: &DirEntry, b: &DirEntry) -> std::cmp::Ordering {
    fn slash(e: &DirEntry) -> &'static [u8] {
        if e.file_type().is_dir() {
            b"/"
        } else {
            b""
        }
    }
    // A folder's entries are compared many times while sorted, so the names are cut from the
    // paths as bytes (see `name_bytes`). ASCII bytes are their own key text; other names
    // compare as their lossy UTF-8 form, in which keys are written.
    let (ra, rb) = (name_bytes(a), name_bytes(b));
    if ra.is_ascii() && rb.is_ascii() {
        return cmp_suffixed(ra, slash(a), rb, slash(b));
    }
    let (na, nb) = (a.file_name().to_string_lossy(), b.file_name().to_string_lossy());
    cmp_suffixed(na.as_bytes(), slash(a), nb.as_bytes(), slash(b))
}

/// Byte order of `a` followed by `a_end` against `b` followed by `b_end`.
fn cmp_suffixed(a: &[u8], a_end: &[u8], b: &[u8], b_end: &[u8]) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        std::cmp::Ordering::Equal => a[n..].iter().chain(a_end).cmp(b[n..].iter().chain(b_end)),
        other => other,
    }
}

/// The bytes of an entry's name: what follows the last `/` of its path. (`DirEntry::file_name`
/// parses the whole path into components on every call, which the walk did several times per
/// file.)
fn name_bytes(entry: &DirEntry) -> &[u8] {
    let path = entry.path().as_os_str().as_encoded_bytes();
    memchr::memrchr(b'/', path).map_or(path, |i| &path[i + 1..])
}

/// README, LICENSE, CHANGELOG and similar files describe a folder; they are not articles.
fn is_project_file(entry: &DirEntry) -> bool {
    let name = name_bytes(entry);
    let stem = name.split(|&b| b == b'.').next().unwrap_or_default();
    ["README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING", "NOTICE"]
        .iter()
        .any(|p| stem.eq_ignore_ascii_case(p.as_bytes()))
}

fn is_hidden(entry: &DirEntry) -> bool {
    name_bytes(entry).first() == Some(&b'.')
}

/// The string under which a path is stored in the index: the path as UTF-8, invalid bytes
/// replaced.
pub fn path_key(path: &Path) -> String {
    // `to_str` checks ASCII a word at a time; the lossy conversion goes byte by byte.
    match path.to_str() {
        Some(s) => s.to_owned(),
        None => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk_all(root: &Path) -> (Vec<SourceFile>, Vec<WalkFailure>) {
        let (mut files, mut failures) = (Vec::new(), Vec::new());
        for found in walk(root) {
            match found {
                Found::File(f) => files.push(f),
                Found::Failed(f) => failures.push(f),
            }
        }
        (files, failures)
    }

    #[test]
    fn hidden_below_root_is_skipped_but_hidden_root_is_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(".archive");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("2016")).unwrap();
        std::fs::write(root.join("2016/a.txt"), "x").unwrap();
        std::fs::write(root.join(".git/b.txt"), "x").unwrap();
        std::fs::write(root.join(".hidden.txt"), "x").unwrap();
        std::fs::write(root.join("image.png"), "x").unwrap();
        std::fs::write(root.join("README.md"), "x").unwrap();
        let roots = check_roots(&[root]).unwrap();
        let (files, _) = walk_all(&roots[0]);
        let names: Vec<_> = files.iter().map(|f| f.path.file_name().unwrap().to_owned()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
    }

    #[test]
    fn missing_root_and_file_root_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        assert!(check_roots(&[dir.path().join("nope")]).is_err());
        let err = check_roots(&[file]).unwrap_err();
        assert!(err.to_string().contains("not a folder"));
    }

    #[test]
    fn symlink_loop_is_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/x.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
        let roots = check_roots(&[dir.path().to_path_buf()]).unwrap();
        let (files, failures) = walk_all(&roots[0]);
        assert_eq!(files.len(), 1);
        assert!(failures.iter().any(|f| f.reason.contains("loop")));
    }

    #[test]
    fn walk_lists_keys_in_byte_order() {
        // Names around `/` in byte order: `-` and `.` sort before it, letters after.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["a", "a-b", "a/c", "ab", "a b", "z", "z/\u{e4}", "z/\u{e4}b"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            "a.txt",
            "a/x.txt",
            "a/c/y.txt",
            "a-b/x.txt",
            "a b/x.txt",
            "ab/x.txt",
            "z/\u{e4}.txt",
            "z/b.txt",
            "z/\u{e4}/x.txt",
            "z/\u{e4}b/x.txt",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let roots = check_roots(&[root.to_path_buf()]).unwrap();
        let keys: Vec<String> = walk_all(&roots[0]).0.into_iter().map(|f| f.key).collect();
        assert_eq!(keys.len(), 10, "{keys:?}");
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn suffixed_comparison_is_byte_order_of_the_joined_bytes() {
        let cases: [(&str, &str, &str, &str); 6] = [
            ("a", "/", "a-b", ""),
            ("a", "/", "a.txt", ""),
            ("a", "/", "ab", "/"),
            ("ab", "", "a", "/"),
            ("a", "", "a", "/"),
            ("x", "/", "x", "/"),
        ];
        for (a, ae, b, be) in cases {
            let want = format!("{a}{ae}").cmp(&format!("{b}{be}"));
            let got = cmp_suffixed(a.as_bytes(), ae.as_bytes(), b.as_bytes(), be.as_bytes());
            assert_eq!(got, want, "{a}{ae} against {b}{be}");
        }
    }

    #[test]
    fn outermost_sorts_roots_and_drops_nested_ones() {
        let roots: Vec<PathBuf> =
            ["/n/a-b", "/n/a/c", "/n/a", "/n/a", "/m"].iter().map(PathBuf::from).collect();
        let got = outermost(&roots);
        let want: Vec<PathBuf> = ["/m", "/n/a-b", "/n/a"].iter().map(PathBuf::from).collect();
        assert_eq!(got, want);
    }
}
