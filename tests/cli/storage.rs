//! Storage faults: a full disk and a read-only index folder give clear errors and leave the
//! index at its last commit. Needs `mount` (root); skipped with a printed reason otherwise.

use std::path::Path;
use std::process::Command as Std;

use serde_json::Value;

use super::{morgue, TestEnv};

/// Mount a tmpfs of `size` at `dir`; false (with a printed reason) when this machine cannot.
fn mount_tmpfs(dir: &Path, size: &str) -> bool {
    std::fs::create_dir_all(dir).unwrap();
    let ok = Std::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount permission)");
    }
    ok
}

struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Std::new("umount").arg("-l").arg(self.0).status();
    }
}

fn count(index: &Path) -> u64 {
    let out =
        morgue().arg("--index").arg(index).args(["stats", "--format", "json"]).assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    v["articles"].as_u64().unwrap()
}

/// Many articles of distinct words: too big for a small disk.
fn write_bulk(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut x: u64 = 0x1234_5678_9abc_def1;
    for i in 0..n {
        let mut body = String::new();
        for _ in 0..400 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push_str(&format!("w{:x} ", x % 1_000_000));
        }
        std::fs::write(dir.join(format!("bulk-{i}.txt")), format!("Bulk story {i}\n\n{body}\n"))
            .unwrap();
    }
}

#[test]
fn full_disk_is_a_clear_error_and_keeps_the_last_commit() {
    let env = TestEnv::new();
    let mnt = env.dir.path().join("small");
    if !mount_tmpfs(&mnt, "3m") {
        return;
    }
    let _guard = Unmount(&mnt);
    let index = mnt.join("index");
    morgue().arg("--index").arg(&index).arg("index").arg(env.corpus()).assert().success();
    let before = count(&index);
    assert!(before > 40);
    write_bulk(&env.corpus().join("bulk"), 1500);
    let out = morgue().arg("--index").arg(&index).arg("index").arg(env.corpus()).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("morgue:"), "{err}");
    assert!(err.to_lowercase().contains("space"), "the error names the full disk: {err}");
    // The index opens at a commit: the old articles are all there.
    assert!(count(&index) >= before);
    morgue().arg("--index").arg(&index).args(["search", "aleppo"]).assert().success();
}

#[test]
fn read_only_index_folder_is_a_clear_error_and_keeps_the_index() {
    let env = TestEnv::new();
    let mnt = env.dir.path().join("ro");
    if !mount_tmpfs(&mnt, "64m") {
        return;
    }
    let _guard = Unmount(&mnt);
    let index = mnt.join("index");
    morgue().arg("--index").arg(&index).arg("index").arg(env.corpus()).assert().success();
    let before = count(&index);
    let remount = Std::new("mount").args(["-o", "remount,ro"]).arg(&mnt).status().unwrap();
    assert!(remount.success());
    std::fs::write(
        env.corpus().join("wire/new-story.txt"),
        "New story\n\nA new story about harbours.\n",
    )
    .unwrap();
    for args in [&["index"][..], &["search", "aleppo"][..]] {
        let mut cmd = morgue();
        cmd.arg("--index").arg(&index).args(args);
        if args[0] == "index" {
            cmd.arg(env.corpus());
        }
        let out = cmd.assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.starts_with("morgue:") && err.trim().lines().count() == 1, "{err}");
        assert!(err.contains("read-only"), "{err}");
    }
    // Writable again: the index is exactly as it was.
    let remount = Std::new("mount").args(["-o", "remount,rw"]).arg(&mnt).status().unwrap();
    assert!(remount.success());
    assert_eq!(count(&index), before);
}

/// Trap (f): tantivy renames `meta.json` into place but does not fsync the folder; morgue does
/// after every commit, so an acknowledged commit survives a power cut. Checked with strace.
#[test]
fn folder_is_fsynced_after_meta_json_is_renamed() {
    if Std::new("strace").arg("-V").output().map(|o| !o.status.success()).unwrap_or(true) {
        eprintln!("skipped: strace is not installed");
        return;
    }
    let env = TestEnv::new();
    let trace = env.dir.path().join("trace.txt");
    let bin = assert_cmd::cargo::cargo_bin("morgue");
    let status = Std::new("strace")
        .args(["-f", "-e", "trace=rename,renameat,renameat2,fsync,openat", "-o"])
        .arg(&trace)
        .arg(&bin)
        .arg("--index")
        .arg(env.index_dir())
        .arg("index")
        .arg(env.corpus())
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&trace).unwrap();
    let index = env.index_dir().to_string_lossy().into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let renamed = lines
        .iter()
        .rposition(|l| l.contains("rename") && l.contains(&format!("{index}/meta.json")))
        .expect("meta.json is renamed into place");
    // After the last rename: the folder itself is opened and that descriptor is fsynced.
    let opened = &format!("openat(AT_FDCWD, \"{index}\",");
    let fd = lines[renamed..]
        .iter()
        .find(|l| l.contains(opened.as_str()))
        .and_then(|l| l.rsplit("= ").next())
        .map(|fd| fd.trim().to_string())
        .expect("the index folder is opened after the rename");
    assert!(
        lines[renamed..].iter().any(|l| l.contains(&format!("fsync({fd})"))),
        "no fsync of the folder after meta.json was renamed"
    );
}

/// The binary is linked at a fixed address on x86-64 Linux (see `build.rs`): its ELF type is
/// `ET_EXEC` (2), not the `ET_DYN` (3) of a position-independent executable, so the loader has
/// no relative relocations to apply at each start.
#[cfg(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu"))]
#[test]
fn the_binary_is_not_position_independent() {
    let bin = std::fs::read(env!("CARGO_BIN_EXE_morgue")).unwrap();
    assert_eq!(&bin[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([bin[16], bin[17]]);
    assert_eq!(e_type, 2, "ELF type {e_type}: expected ET_EXEC (2)");
}
