//! The archive index end to end: index, search, filters, facets, incremental runs, errors.

use serde_json::Value;

use super::{hit_paths, morgue, TestEnv};

fn facet(res: &Value, name: &str, value: &str) -> u64 {
    res["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["value"] == value)
        .map(|c| c["count"].as_u64().unwrap())
        .unwrap_or(0)
}

#[test]
fn seed_is_found_with_its_date_author_and_title() {
    let env = TestEnv::shared();
    let res = env.json(&["search", "aleppo ceasefire"]);
    let seed = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().contains("/seed/"))
        .expect("the seed article is among the hits for \"aleppo ceasefire\"");
    assert_eq!(seed["date"], "2016-12-06");
    assert_eq!(seed["author"], "Stephen Lendman");
    assert_eq!(seed["title"], "Mixed State Department Signals on Russia/US Aleppo Ceasefire Talks");
}

#[test]
fn seed_footer_is_kept_out_of_the_body() {
    let env = TestEnv::shared();
    let res = env.json(&["search", "aleppo ceasefire"]);
    let id = res["hits"][0]["id"].as_str().unwrap().to_string();
    let seed = res["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().contains("/seed/"))
        .unwrap();
    let view = env.json(&["show", seed["id"].as_str().unwrap()]);
    assert!(!view["body"].as_str().unwrap().contains("can be reached at"));
    assert!(view["footer"].as_str().unwrap().contains("can be reached at"));
    assert!(!id.is_empty());
}

#[test]
fn sample_article_fields() {
    let env = TestEnv::shared();
    let view = env.json(&["show", &env.path_of("wire/aleppo-evacuation-stalls.txt")]);
    assert_eq!(view["title"], "Aleppo evacuation stalls as snow closes western road");
    assert_eq!(view["authors"][0], "Layla Haddad");
    assert_eq!(view["date"]["value"], "2016-12-31");
    assert_eq!(view["date"]["precision"], "day");
    assert_eq!(view["date"]["source"], "header");
}

#[test]
fn date_filters_include_and_exclude_at_the_boundaries() {
    let env = TestEnv::shared();
    // --to 2016 ends on 2016-12-31; --from 2016 starts on 2016-01-01.
    let res = env.json(&["search", "--from", "2016", "--to", "2016", "--limit", "100"]);
    let paths = hit_paths(env, &res);
    for inside in ["wire/lisbon-free-metro-night.txt", "wire/aleppo-evacuation-stalls.txt"] {
        assert!(paths.iter().any(|p| p == inside), "{inside} in 2016: {paths:?}");
    }
    for outside in ["wire/athens-ferry-strike-called-off.txt", "wire/syria-truce-first-night.txt"] {
        assert!(!paths.iter().any(|p| p == outside), "{outside} not in 2016");
    }
    // 4 sample articles and the seed (2016-12-06).
    assert_eq!(res["total"], 5, "{paths:?}");
    let day = env.json(&["search", "--from", "2015-12-31", "--to", "2015-12-31"]);
    assert_eq!(hit_paths(env, &day), vec!["wire/athens-ferry-strike-called-off.txt"]);
    let month = env.json(&["search", "--from", "2016-12", "--to", "2016-12", "--limit", "100"]);
    assert_eq!(month["total"], 3);
}

#[test]
fn facet_counts_cover_all_matches_not_just_the_page() {
    let env = TestEnv::shared();
    let res = env.json(&["search", "--limit", "1"]);
    assert_eq!(res["hits"].as_array().unwrap().len(), 1);
    assert_eq!(facet(&res, "year", "2016"), 5);
    assert_eq!(facet(&res, "year", "2017"), 2);
    let years: u64 = res["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    // every dated article (all but one) is counted once
    assert_eq!(years + 1, res["total"].as_u64().unwrap());
    let hannah = facet(&res, "author", "Hannah Whitcombe");
    let by = env.json(&["search", "--author", "Hannah Whitcombe"]);
    assert_eq!(hannah, 2);
    assert_eq!(by["total"].as_u64().unwrap(), hannah);
    // a part of the name is enough
    assert_eq!(env.json(&["search", "--author", "whitcombe"])["total"], 2);
}

#[test]
fn no_query_exports_every_article_as_jsonl() {
    let env = TestEnv::shared();
    let all = env.json(&["search", "--limit", "0"]);
    let lines = env.jsonl(&["search", "--limit", "1000000"]);
    assert_eq!(lines.len() as u64, all["total"].as_u64().unwrap());
    assert!(lines.iter().all(|h| h["id"].is_string() && h["path"].is_string()));
    let star = env.json(&["search", "*", "--limit", "0"]);
    assert_eq!(star["total"], all["total"]);
}

#[test]
fn second_run_adds_nothing() {
    let env = TestEnv::new();
    let first = env.index(&[]);
    assert_eq!(first["failed"], 0, "{first}");
    assert_eq!(first["duplicate"], 1, "one byte-identical copy: {first}");
    let second = env.index(&[]);
    assert_eq!(second["added"], 0);
    assert_eq!(second["updated"], 0);
    assert_eq!(second["unchanged"], second["scanned"]);
    assert_eq!(second["articles"], first["articles"]);
}

#[test]
fn edited_file_updates_in_place_and_deleted_file_disappears() {
    let env = TestEnv::indexed();
    let before = env.json(&["search", "--limit", "0"])["total"].as_u64().unwrap();
    let file = env.corpus().join("wire/berlin-rail-strike.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("strike", "strike zeppelinword")).unwrap();
    let run = env.index(&[]);
    assert_eq!(run["updated"], 1, "{run}");
    assert_eq!(env.json(&["search", "zeppelinword"])["total"], 1);
    assert_eq!(env.json(&["search", "--limit", "0"])["total"].as_u64().unwrap(), before);

    std::fs::remove_file(&file).unwrap();
    let run = env.index(&[]);
    assert_eq!(run["removed"], 1, "{run}");
    assert_eq!(env.json(&["search", "zeppelinword"])["total"], 0);
    assert_eq!(env.json(&["search", "--limit", "0"])["total"].as_u64().unwrap(), before - 1);
}

#[test]
fn syndicated_copies_are_one_article_with_both_paths() {
    let env = TestEnv::indexed();
    let res = env.json(&["search", "title:\"enters second week\""]);
    assert_eq!(res["total"], 1);
    let view = env.json(&["show", res["hits"][0]["id"].as_str().unwrap()]);
    let paths: Vec<&str> =
        view["paths"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("wire/2018-03-14-chile-copper-strike.txt")));
    assert!(paths
        .iter()
        .any(|p| p.ends_with("northern-herald/2018-03-14-chile-copper-strike.txt")));
    // Removing one copy keeps the article at the other path.
    std::fs::remove_file(env.corpus().join("wire/2018-03-14-chile-copper-strike.txt")).unwrap();
    env.index(&[]);
    let res = env.json(&["search", "title:\"enters second week\""]);
    assert_eq!(res["total"], 1);
    assert!(res["hits"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("northern-herald/2018-03-14-chile-copper-strike.txt"));
}

#[test]
fn undated_month_precision_and_file_name_dates() {
    let env = TestEnv::shared();
    let undated = env.json(&["show", &env.path_of("notes/ferry-timetable-changes.txt")]);
    assert!(undated["date"].is_null());
    let month = env.json(&["show", &env.path_of("notes/flood-plain-notes.txt")]);
    assert_eq!(month["date"]["value"], "2014-03");
    assert_eq!(month["date"]["precision"], "month");
    let named = env.json(&["show", &env.path_of("daily-courier/2013-04-22-harbour-strike.txt")]);
    assert_eq!(named["date"]["value"], "2013-04-22");
    assert_eq!(named["date"]["source"], "file-name");
    let stats = env.json(&["stats"]);
    assert_eq!(stats["undated"], 1);
    let search = env.json(&["search", "--limit", "100"]);
    let hit = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"].as_str().unwrap().ends_with("ferry-timetable-changes.txt"))
        .unwrap();
    assert!(hit["date"].is_null());
}

#[test]
fn front_matter_and_windows_1252() {
    let env = TestEnv::shared();
    let md = env.json(&["show", &env.path_of("blog/2019-05-03-night-market.md")]);
    assert_eq!(md["date"]["value"], "2019-05-03");
    assert_eq!(md["date"]["source"], "front-matter");
    assert_eq!(md["date"]["time"], "21:15:00");
    let cp = env.json(&["show", &env.path_of("daily-courier/2011-06-14-cafe-licences.txt")]);
    assert!(cp["title"].as_str().unwrap().starts_with("Pavement café owners"), "{}", cp["title"]);
}

#[test]
fn lock_held_by_another_process_is_a_clear_error() {
    let env = TestEnv::indexed();
    let store = morgue::store::Store::open(&env.index_dir()).unwrap();
    let _writer = store.writer(20_000_000).unwrap();
    let out =
        env.cmd().arg("index").arg(env.corpus()).assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("locked by another process"), "{err}");
    // Searches still work while the index is being written.
    assert!(env.json(&["search", "aleppo"])["total"].as_u64().unwrap() > 0);
}

#[test]
fn extractor_change_reextracts_everything() {
    let env = TestEnv::indexed();
    {
        let store = morgue::store::Store::open(&env.index_dir()).unwrap();
        let mut w = store.writer(20_000_000).unwrap();
        let mut p = w.prepare_commit().unwrap();
        p.set_payload(&format!(
            r#"{{"schema_version":{},"extractor_version":0,"morgue_version":"old"}}"#,
            store.schema.version
        ));
        p.commit().unwrap();
    }
    let run = env.index(&[]);
    assert_eq!(run["reextracted"], true);
    assert_eq!(run["unchanged"], 0);
    let again = env.index(&[]);
    assert_eq!(again["reextracted"], false);
    assert_eq!(again["articles"], run["articles"]);
}

#[test]
fn bad_root_is_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    morgue()
        .arg("--index")
        .arg(&index)
        .args(["index", "/nonexistent/archive"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such folder"));
    assert!(!index.exists());
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "x").unwrap();
    morgue().arg("--index").arg(&index).arg("index").arg(&file).assert().code(2);
}

#[test]
fn never_creates_an_index_over_a_folder_that_is_not_one() {
    let env = TestEnv::new();
    let target = env.dir.path().join("mine");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "precious").unwrap();
    morgue().arg("--index").arg(&target).arg("index").arg(env.corpus()).assert().failure();
    assert_eq!(std::fs::read_to_string(target.join("keep.txt")).unwrap(), "precious");
}

#[test]
fn malformed_query_is_a_one_line_error_with_exit_2() {
    let env = TestEnv::shared();
    let out =
        env.cmd().args(["search", "nosuchfield:x"]).assert().code(2).get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    env.cmd().args(["search", "--from", "2017", "--to", "2016"]).assert().code(2);
    env.cmd().args(["search", "--from", "99999-01-01"]).assert().code(2);
}

#[test]
fn index_flag_after_subcommand_and_env_var() {
    let env = TestEnv::shared();
    let a = morgue()
        .args(["search", "aleppo", "--format", "json", "--index"])
        .arg(env.index_dir())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b = morgue()
        .env("MORGUE_INDEX", env.index_dir())
        .args(["search", "aleppo", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(a, b);
    let v: Value = serde_json::from_slice(&a).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 3);
}

#[test]
fn sort_orders_by_date() {
    let env = TestEnv::shared();
    let newest = env.json(&["search", "--sort", "newest", "--limit", "3"]);
    let oldest = env.json(&["search", "--sort", "oldest", "--limit", "3"]);
    let dates = |v: &Value| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["date"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let n = dates(&newest);
    let o = dates(&oldest);
    assert!(n[0] >= n[1] && n[1] >= n[2], "{n:?}");
    assert!(o[0] <= o[1] && o[1] <= o[2], "{o:?}");
    assert_eq!(o[0], "2009-10-17");
}
