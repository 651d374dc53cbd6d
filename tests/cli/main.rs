//! Integration tests: the real `morgue` binary on `sample-corpus/` (copied to a temp folder), and
//! the seed article read from `../shared/seeds/`.

mod archive;
mod bench_corpus;
mod crash;
mod formats;
mod quotes;
mod robust;
mod storage;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The `morgue` binary.
pub fn morgue() -> Command {
    let mut cmd = Command::cargo_bin("morgue").expect("the morgue binary is built");
    cmd.env_remove("MORGUE_INDEX");
    cmd
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed article, read from the shared folder beside the repository. Panics loudly when it
/// is missing: the seed is part of what CI checks.
pub fn seed_path() -> PathBuf {
    let dir = repo().join("../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "the seed folder {} is missing ({e}): these tests need ../shared/seeds/",
                dir.display()
            )
        })
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().map(|x| x == "txt").unwrap_or(false))
        .unwrap_or_else(|| panic!("no seed .txt file in {}", dir.display()));
    entry.path()
}

/// Copy a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temp folder with a copy of the text part of `sample-corpus/` (and the seed), and an index.
pub struct TestEnv {
    pub dir: TempDir,
}

/// The sample-corpus folders in the plain-text and Markdown formats.
pub const TEXT_FOLDERS: &[&str] =
    &["wire", "daily-courier", "northern-herald", "blog", "transcripts", "notes"];

#[allow(clippy::new_without_default)]
impl TestEnv {
    /// Copy the text folders of the sample corpus and the seed; nothing indexed yet.
    pub fn new() -> TestEnv {
        let env = TestEnv::with_folders(TEXT_FOLDERS);
        let seed = seed_path();
        let seed_dir = env.corpus().join("seed");
        std::fs::create_dir_all(&seed_dir).unwrap();
        std::fs::copy(&seed, seed_dir.join(seed.file_name().unwrap())).unwrap();
        env
    }

    /// Copy these folders of `sample-corpus/`; nothing indexed yet.
    pub fn with_folders(folders: &[&str]) -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        for folder in folders {
            copy_tree(&repo().join("sample-corpus").join(folder), &corpus.join(folder));
        }
        TestEnv { dir }
    }

    /// One indexed copy shared by the tests that only read it (indexing once keeps the suite
    /// fast on two cores).
    pub fn shared() -> &'static TestEnv {
        static SHARED: std::sync::OnceLock<TestEnv> = std::sync::OnceLock::new();
        SHARED.get_or_init(TestEnv::indexed)
    }

    /// A copy that is indexed once, for tests that change files or the index.
    pub fn indexed() -> TestEnv {
        let env = TestEnv::new();
        env.index(&[]);
        env
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// `morgue index` over the corpus; returns the JSON summary.
    pub fn index(&self, extra: &[&str]) -> Value {
        let out = self
            .cmd()
            .arg("index")
            .arg(self.corpus())
            .args(["--format", "json"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).expect("index --format json prints JSON")
    }

    /// A command with `--index` set.
    pub fn cmd(&self) -> Command {
        let mut cmd = morgue();
        cmd.arg("--index").arg(self.index_dir());
        cmd
    }

    /// Run a subcommand with `--format json` and parse its output.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})"))
    }

    /// Run a subcommand with `--format jsonl` and parse each line.
    pub fn jsonl(&self, args: &[&str]) -> Vec<Value> {
        let out = self
            .cmd()
            .args(args)
            .args(["--format", "jsonl"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSONL line {l:?}: {e}"))
            })
            .collect()
    }

    /// The hit whose path ends with `suffix`, from a search's JSON.
    pub fn path_of(&self, rel: &str) -> String {
        self.corpus().join(rel).canonicalize().unwrap().to_string_lossy().into_owned()
    }
}

/// Paths of the hits of a search result, relative to the corpus folder.
pub fn hit_paths(env: &TestEnv, res: &Value) -> Vec<String> {
    let root = env.corpus().canonicalize().unwrap().to_string_lossy().into_owned() + "/";
    res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap().trim_start_matches(&root).to_string())
        .collect()
}

/// xorshift64*: a small deterministic generator, so a failing case reproduces from its seed.
pub struct Rng(pub u64);

#[allow(clippy::should_implement_trait)]
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
