//! Find the article files under the roots given to `morgue index`.
//!
//! Walks each root with walkdir, following symbolic links (walkdir detects loops and reports
//! them as errors, which are counted, never followed forever). Hidden files and folders *below* a
//! root are skipped; the root itself may be hidden. Files whose extension morgue does not read
//! are ignored.

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

/// What a walk over all roots found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<SourceFile>,
    pub failures: Vec<WalkFailure>,
    /// The roots, made absolute, for deciding which indexed files a run may remove.
    pub roots: Vec<String>,
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

/// Walk the (already checked, absolute) roots.
pub fn discover(roots: &[PathBuf]) -> Discovery {
    let mut found =
        Discovery { roots: roots.iter().map(|r| path_key(r)).collect(), ..Default::default() };
    let mut seen = std::collections::HashSet::new();
    for root in roots {
        let walker = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e));
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if !entry.file_type().is_file()
                        || detect_format(entry.path()).is_none()
                        || is_project_file(&entry)
                    {
                        continue;
                    }
                    let key = path_key(entry.path());
                    if !seen.insert(key.clone()) {
                        continue; // the same file under two roots, or through a link
                    }
                    match entry.metadata() {
                        Ok(meta) => found.files.push(SourceFile {
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
                        Err(e) => {
                            found.failures.push(WalkFailure { path: key, reason: e.to_string() })
                        }
                    }
                }
                Err(e) => {
                    let path = e.path().map(path_key).unwrap_or_default();
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop (not followed)".to_string()
                    } else {
                        e.io_error().map(|io| io.to_string()).unwrap_or_else(|| e.to_string())
                    };
                    found.failures.push(WalkFailure { path, reason });
                }
            }
        }
    }
    found
}

/// README, LICENSE, CHANGELOG and similar files describe a folder; they are not articles.
fn is_project_file(entry: &DirEntry) -> bool {
    let name = entry.file_name().to_string_lossy().to_uppercase();
    let stem = name.split('.').next().unwrap_or("");
    matches!(stem, "README" | "LICENSE" | "LICENCE" | "CHANGELOG" | "CONTRIBUTING" | "NOTICE")
}

fn is_hidden(entry: &DirEntry) -> bool {
    entry.file_name().to_str().map(|s| s.starts_with('.')).unwrap_or(false)
}

/// The string under which a path is stored in the index.
pub fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Whether `key` lies under one of `roots` (both as stored).
pub fn is_under(key: &str, roots: &[String]) -> bool {
    roots.iter().any(|r| {
        key.strip_prefix(r.as_str())
            .map(|rest| rest.starts_with('/') || rest.is_empty() || r.ends_with('/'))
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let d = discover(&roots);
        let names: Vec<_> =
            d.files.iter().map(|f| f.path.file_name().unwrap().to_owned()).collect();
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
        let d = discover(&roots);
        assert_eq!(d.files.len(), 1);
        assert!(d.failures.iter().any(|f| f.reason.contains("loop")));
    }

    #[test]
    fn is_under_respects_component_boundaries() {
        let roots = vec!["/a/news".to_string()];
        assert!(is_under("/a/news/x.txt", &roots));
        assert!(!is_under("/a/newsroom/x.txt", &roots));
    }
}
