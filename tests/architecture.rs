//! The layers, kept by a test: reads every file under `src/` and fails on a reference that
//! points the wrong way.
//!
//! pages/components → api (page types, thin loaders) → server (handlers, feature logic) →
//! server::db (queries, row types) → domain. `i18n` depends on `domain` only. The database
//! layer never imports `api`, never takes a `Lang` (it returns both names of a bilingual
//! column; the feature picks the language), and never calls back into a feature. An island
//! never takes a `Lang` nor reaches for `texts()`: its words come as a prop.
//!
//! References are read as paths (`crate::api::…`, `super::super::…`, resolved against the
//! file's own module), after comments are removed, so a doc line may still name a layer.

use std::path::{Path, PathBuf};

/// Where a module sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layer {
    Domain,
    I18n,
    Db,
    Server,
    Api,
    Pages,
    /// `error`, `cookies`, `lib`, `main`: small shared pieces every layer may use.
    Shared,
}

fn layer_of(module: &[String]) -> Layer {
    match module.first().map(String::as_str) {
        Some("domain") => Layer::Domain,
        Some("i18n") => Layer::I18n,
        Some("server") if module.get(1).map(String::as_str) == Some("db") => Layer::Db,
        Some("server") => Layer::Server,
        Some("api") => Layer::Api,
        Some("pages" | "components" | "app") => Layer::Pages,
        _ => Layer::Shared,
    }
}

/// Modules of `server` that depend on no other part of `server` but each other (a token
/// type, the file store, the SMS gateway, the configuration and its keys): the database
/// layer may use them.
const SERVER_LEAVES: &[&str] = &["token", "storage", "sms", "config", "secrets"];

fn is_leaf(file: &Path) -> bool {
    SERVER_LEAVES.iter().any(|leaf| file.ends_with(format!("server/{leaf}.rs")))
}

/// Whether a file in `from` may name the module `to`.
fn allowed(from: Layer, to: &[String], file: &Path) -> Result<(), String> {
    let target = layer_of(to);
    let leaf = target == Layer::Server && to.get(1).is_some_and(|m| SERVER_LEAVES.contains(&m.as_str()));
    use Layer::*;
    let ok = match from {
        Domain => matches!(target, Domain),
        I18n => matches!(target, Domain | I18n | Shared),
        Db => matches!(target, Domain | Db | Shared) || leaf,
        Server if is_leaf(file) => matches!(target, Domain | Shared) || leaf,
        // The router mounts the app: `server::http` is the one place the server names a page.
        Server => target != Pages || (file.ends_with("server/http.rs") && to.first().map(String::as_str) == Some("app")),
        Api => !matches!(target, Pages),
        Pages => !matches!(target, Db),
        Shared => matches!(target, Domain | Shared | I18n),
    };
    if ok { Ok(()) } else { Err(format!("{from:?} may not use {}", to.join("::"))) }
}

/// The module path of a source file: `src/server/db/queues.rs` → [server, db, queues].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// The text without `//` comments (line and doc). A `//` inside a string cuts the rest of
/// its line too: that can only hide text, never invent a reference.
fn without_comments(text: &str) -> String {
    text.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every module path a file names through `crate::` or `super::`, resolved to a path from
/// the crate root, with the line it is on.
fn references(module: &[String], text: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    let mut module = module.to_vec();
    for (number, line) in text.lines().enumerate() {
        // A file's tests sit in `mod tests` at its end: `super::` there is one level deeper.
        if line.trim_start().starts_with("mod tests {") {
            module.push("tests".into());
        }
        let mut at = 0;
        while at < line.len() {
            let tail = &line[at..];
            let starts_word = line[..at].chars().last().is_none_or(|c| !is_ident(c));
            let (mut base, mut path) = if starts_word && tail.starts_with("crate::") {
                (Vec::new(), &tail["crate::".len()..])
            } else if starts_word && tail.starts_with("super::") {
                let mut base = module.clone();
                let mut p = tail;
                while let Some(next) = p.strip_prefix("super::") {
                    base.pop();
                    p = next;
                }
                (base, p)
            } else {
                at += tail.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            loop {
                let end = path.find(|c: char| !is_ident(c)).unwrap_or(path.len());
                if end == 0 {
                    break;
                }
                base.push(path[..end].to_string());
                match path[end..].strip_prefix("::") {
                    // Modules are lower case; a type or a `{` ends the path.
                    Some(next) if next.starts_with(|c: char| c.is_ascii_lowercase()) => path = next,
                    _ => {
                        path = &path[end..];
                        break;
                    }
                }
            }
            found.push((number + 1, base));
            at = line.len() - path.len();
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `word` stands alone in `text` (not part of a longer name).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().last().is_none_or(|c| !is_ident(c));
        let after = text[at + word.len()..].chars().next().is_none_or(|c| !is_ident(c));
        before && after
    })
}

/// Each `#[island]` component's text: from the attribute to the end of its function (the
/// first `}` at the start of a line).
fn island_bodies(text: &str) -> Vec<&str> {
    text.match_indices("#[island").map(|(at, _)| &text[at..text[at..].find("\n}").map_or(text.len(), |end| at + end)]).collect()
}

fn violations(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in &files {
        let module = module_of(src, file);
        let layer = layer_of(&module);
        let text = without_comments(&std::fs::read_to_string(file).expect("a source file"));
        let shown = file.strip_prefix(src.parent().unwrap_or(src)).unwrap_or(file).display().to_string();
        for (line, target) in references(&module, &text) {
            if let Err(why) = allowed(layer, &target, file) {
                out.push(format!("{shown}:{line}: {why}"));
            }
        }
        if layer == Layer::Db && has_word(&text, "Lang") {
            out.push(format!("{shown}: the database layer takes no Lang: return both names and let the feature choose"));
        }
        for body in island_bodies(&text) {
            if has_word(body, "Lang") || body.contains(".texts()") {
                out.push(format!("{shown}: an island takes its words as a prop made on the server, not a Lang: the dictionary would go into the WebAssembly"));
            }
        }
        if layer == Layer::Api && has_word(&text, "sqlx") {
            out.push(format!("{shown}: queries live in server::db, not in api"));
        }
    }
    out
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(found.is_empty(), "references against the layers (see this file's header):\n{}", found.join("\n"));
}

#[test]
fn the_reader_resolves_paths_and_would_catch_a_loop() {
    let db = vec!["server".to_string(), "db".to_string(), "regions".to_string()];
    let text = "use crate::api::regions::RegionOption;\nlet x = super::super::limits::purge(pool);\nuse super::parse_column;";
    let refs = references(&db, &without_comments(text));
    let paths: Vec<String> = refs.iter().map(|(_, p)| p.join("::")).collect();
    assert_eq!(paths, ["api::regions", "server::limits::purge", "server::db::parse_column"]);
    let file = Path::new("src/server/db/regions.rs");
    assert!(allowed(Layer::Db, &refs[0].1, file).is_err());
    assert!(allowed(Layer::Db, &refs[1].1, file).is_err());
    assert!(allowed(Layer::Db, &refs[2].1, file).is_ok());
    assert!(references(&db, &without_comments("/// see crate::api::regions")).is_empty(), "comments may name a layer");
    assert!(allowed(Layer::I18n, &["api".into(), "review".into()], Path::new("src/i18n/casework.rs")).is_err());
    assert!(has_word("fn f(lang: Lang)", "Lang") && !has_word("Language", "Lang"));
    let islands = "#[island]\npub fn A(words: W) -> V {\n    x\n}\nfn helper(lang: Lang) {}\n#[island(lazy)]\npub fn B(lang: Lang) {\n}\n";
    assert_eq!(island_bodies(islands), ["#[island]\npub fn A(words: W) -> V {\n    x", "#[island(lazy)]\npub fn B(lang: Lang) {"]);
}
