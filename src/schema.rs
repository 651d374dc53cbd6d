//! The index schema, built from `index-schema/morgue.toml` (embedded at compile time).
//!
//! Every field the code uses is named by a constant in [`names`] and resolved once into
//! [`Fields`], so a field missing from the schema file is a clear error at open time, not a panic
//! deep in indexing.

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use crate::error::{Error, Result};

/// The schema file, as shipped.
pub const SCHEMA_TOML: &str = include_str!("../index-schema/morgue.toml");

/// Name of the analyzer used by full-text fields: words, lowercased, accents folded.
pub const TEXT_TOKENIZER: &str = "morgue_text";

/// Field names, as written in the schema file.
pub mod names {
    pub const KIND: &str = "kind";
    pub const ID: &str = "id";
    pub const ARTICLE_ID: &str = "article_id";
    pub const PATH: &str = "path";
    pub const PATHS: &str = "paths";
    pub const FACET_VALUES: &str = "facet_values";
    pub const SOURCES: &str = "sources";
    pub const LOCATOR: &str = "locator";
    pub const TITLE: &str = "title";
    pub const BODY: &str = "body";
    pub const FOOTER: &str = "footer";
    pub const AUTHOR: &str = "author";
    pub const AUTHOR_TEXT: &str = "author_text";
    pub const DATE: &str = "date";
    pub const DATE_INFO: &str = "date_info";
    pub const YEAR: &str = "year";
    pub const YEAR_MONTH: &str = "year_month";
    pub const PUBLISHED: &str = "published";
    pub const PEOPLE: &str = "people";
    pub const PEOPLE_TEXT: &str = "people_text";
    pub const PEOPLE_INFO: &str = "people_info";
    pub const PLACES: &str = "places";
    pub const FORMAT: &str = "format";
    pub const SOURCE: &str = "source";
    pub const URL: &str = "url";
    pub const TAGS: &str = "tags";
    pub const PROVENANCE: &str = "provenance";
    pub const HASH: &str = "hash";
    pub const SPEAKER: &str = "speaker";
    pub const SPEAKER_TEXT: &str = "speaker_text";
    pub const SPEAKER_ALIASES: &str = "speaker_aliases";
    pub const TEXT: &str = "text";
    pub const QUOTE_ROW: &str = "quote_row";
    pub const ATTRIBUTION: &str = "attribution";
    pub const FILE_SIZE: &str = "file_size";
    pub const FILE_MTIME: &str = "file_mtime";
    pub const FILE_ENTRIES: &str = "file_entries";
}

/// Values of the `kind` field.
pub mod kinds {
    pub const ARTICLE: &str = "article";
    pub const QUOTE: &str = "quote";
    pub const FILE: &str = "file";
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    version: u32,
    field: Vec<FieldSpec>,
}

/// One entry of the schema file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub stored: bool,
    #[serde(default)]
    pub fast: bool,
    #[serde(default)]
    pub multi: bool,
    pub tokenizer: Option<String>,
    pub description: String,
}

/// The parsed schema file and the tantivy schema built from it.
#[derive(Clone)]
pub struct IndexSchema {
    pub version: u32,
    pub specs: Vec<FieldSpec>,
    pub schema: Schema,
}

impl IndexSchema {
    /// The schema this binary was built with (parsed once).
    pub fn builtin() -> Result<IndexSchema> {
        static BUILTIN: std::sync::OnceLock<std::result::Result<IndexSchema, String>> =
            std::sync::OnceLock::new();
        BUILTIN
            .get_or_init(|| Self::from_toml(SCHEMA_TOML).map_err(|e| e.to_string()))
            .clone()
            .map_err(Error::Schema)
    }

    pub fn from_toml(text: &str) -> Result<IndexSchema> {
        let file: SchemaFile = toml::from_str(text).map_err(|e| Error::Schema(e.to_string()))?;
        let mut builder = Schema::builder();
        for spec in &file.field {
            add_field(&mut builder, spec)?;
        }
        Ok(IndexSchema { version: file.version, specs: file.field, schema: builder.build() })
    }
}

fn add_field(builder: &mut tantivy::schema::SchemaBuilder, spec: &FieldSpec) -> Result<()> {
    let name = spec.name.as_str();
    match spec.kind.as_str() {
        "text" | "string" => {
            let mut opts = TextOptions::default();
            if spec.indexed {
                let (tokenizer, record) = if spec.kind == "text" {
                    (
                        spec.tokenizer.as_deref().unwrap_or(TEXT_TOKENIZER),
                        IndexRecordOption::WithFreqsAndPositions,
                    )
                } else {
                    ("raw", IndexRecordOption::Basic)
                };
                opts = opts.set_indexing_options(
                    TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record),
                );
            }
            if spec.stored {
                opts = opts.set_stored();
            }
            if spec.fast {
                opts = opts.set_fast("raw");
            }
            builder.add_text_field(name, opts);
        }
        "stored" => {
            builder.add_text_field(name, TextOptions::default().set_stored());
        }
        "u64" | "i64" => {
            let mut opts = NumericOptions::default();
            if spec.indexed {
                opts = opts.set_indexed();
            }
            if spec.stored {
                opts = opts.set_stored();
            }
            if spec.fast {
                opts = opts.set_fast();
            }
            if spec.kind == "u64" {
                builder.add_u64_field(name, opts);
            } else {
                builder.add_i64_field(name, opts);
            }
        }
        "date" => {
            let mut opts = DateOptions::default().set_precision(DateTimePrecision::Seconds);
            if spec.indexed {
                opts = opts.set_indexed();
            }
            if spec.stored {
                opts = opts.set_stored();
            }
            if spec.fast {
                opts = opts.set_fast();
            }
            builder.add_date_field(name, opts);
        }
        "facet" => {
            let mut opts = FacetOptions::default();
            if spec.stored {
                opts = opts.set_stored();
            }
            builder.add_facet_field(name, opts);
        }
        other => {
            return Err(Error::Schema(format!(
                "field {name}: unknown type {other:?} (text, string, stored, u64, i64, date, facet)"
            )))
        }
    }
    Ok(())
}

/// The analyzer behind [`TEXT_TOKENIZER`]; registered on every index open.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Every field the code uses, resolved from a schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub id: Field,
    pub article_id: Field,
    pub path: Field,
    pub paths: Field,
    pub facet_values: Field,
    pub sources: Field,
    pub locator: Field,
    pub title: Field,
    pub body: Field,
    pub footer: Field,
    pub author: Field,
    pub author_text: Field,
    pub date: Field,
    pub date_info: Field,
    pub year: Field,
    pub year_month: Field,
    pub published: Field,
    pub people: Field,
    pub people_text: Field,
    pub people_info: Field,
    pub places: Field,
    pub format: Field,
    pub source: Field,
    pub url: Field,
    pub tags: Field,
    pub provenance: Field,
    pub hash: Field,
    pub speaker: Field,
    pub speaker_text: Field,
    pub speaker_aliases: Field,
    pub text: Field,
    pub quote_row: Field,
    pub attribution: Field,
    pub file_size: Field,
    pub file_mtime: Field,
    pub file_entries: Field,
}

impl Fields {
    pub fn resolve(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| Error::Schema(format!("the schema has no field {name:?}")))
        };
        use names::*;
        Ok(Fields {
            kind: f(KIND)?,
            id: f(ID)?,
            article_id: f(ARTICLE_ID)?,
            path: f(PATH)?,
            paths: f(PATHS)?,
            facet_values: f(FACET_VALUES)?,
            sources: f(SOURCES)?,
            locator: f(LOCATOR)?,
            title: f(TITLE)?,
            body: f(BODY)?,
            footer: f(FOOTER)?,
            author: f(AUTHOR)?,
            author_text: f(AUTHOR_TEXT)?,
            date: f(DATE)?,
            date_info: f(DATE_INFO)?,
            year: f(YEAR)?,
            year_month: f(YEAR_MONTH)?,
            published: f(PUBLISHED)?,
            people: f(PEOPLE)?,
            people_text: f(PEOPLE_TEXT)?,
            people_info: f(PEOPLE_INFO)?,
            places: f(PLACES)?,
            format: f(FORMAT)?,
            source: f(SOURCE)?,
            url: f(URL)?,
            tags: f(TAGS)?,
            provenance: f(PROVENANCE)?,
            hash: f(HASH)?,
            speaker: f(SPEAKER)?,
            speaker_text: f(SPEAKER_TEXT)?,
            speaker_aliases: f(SPEAKER_ALIASES)?,
            text: f(TEXT)?,
            quote_row: f(QUOTE_ROW)?,
            attribution: f(ATTRIBUTION)?,
            file_size: f(FILE_SIZE)?,
            file_mtime: f(FILE_MTIME)?,
            file_entries: f(FILE_ENTRIES)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_resolves_every_field() {
        let s = IndexSchema::builtin().unwrap();
        Fields::resolve(&s.schema).unwrap();
        assert_eq!(s.specs.len(), s.schema.fields().count());
    }

    /// Golden test: changing the schema file changes this list, which makes a schema change a
    /// deliberate, reviewed act (and a reminder to bump `version`).
    #[test]
    fn schema_golden() {
        let s = IndexSchema::builtin().unwrap();
        let got: Vec<String> = s
            .specs
            .iter()
            .map(|f| {
                format!(
                    "{}:{}{}{}{}{}",
                    f.name,
                    f.kind,
                    if f.indexed { ":indexed" } else { "" },
                    if f.stored { ":stored" } else { "" },
                    if f.fast { ":fast" } else { "" },
                    if f.multi { ":multi" } else { "" }
                )
            })
            .collect();
        let expected = "kind:string:indexed:stored:fast id:string:indexed:stored:fast \
            article_id:string:indexed:stored path:string:indexed:stored \
            paths:string:indexed:stored:multi sources:string:fast locator:stored title:text:indexed:stored \
            body:text:indexed:stored footer:stored author:string:indexed:stored:fast:multi \
            author_text:text:indexed date:date:indexed:stored:fast date_info:stored \
            year:u64:indexed:stored:fast year_month:u64:indexed:fast \
            published:facet:indexed:stored people:string:indexed:stored:fast:multi \
            people_text:text:indexed people_info:stored places:string:indexed:stored:fast:multi \
            facet_values:string:fast:multi format:string:indexed:stored:fast \
            source:string:indexed:stored:fast url:stored tags:string:indexed:stored:fast:multi \
            provenance:stored hash:string:indexed:stored speaker:string:indexed:stored:fast \
            speaker_text:text:indexed speaker_aliases:stored:multi text:text:indexed \
            quote_row:string:fast \
            attribution:string:indexed \
            file_size:u64:stored:fast file_mtime:i64:stored:fast file_entries:string:fast";
        assert_eq!(got.join(" "), expected);
        assert_eq!(s.version, 13);
    }

    #[test]
    fn unknown_type_is_a_clear_error() {
        let err = IndexSchema::from_toml(
            "version = 1\n[[field]]\nname = \"x\"\ntype = \"blob\"\ndescription = \"\"\n",
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("unknown type \"blob\""), "{err}");
    }
}
