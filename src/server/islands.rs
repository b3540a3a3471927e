//! The WebAssembly chunks each island needs. Built with `cargo leptos build --split`, a lazy
//! island (`#[island(lazy)]`) is left out of the main module: its code comes in chunks,
//! listed in `pkg/__wasm_split_manifest.json` under `<island in snake case>_loader_<hash>`.
//! The shell names a page's islands (`app::islands_on`) and preloads just their chunks
//! alongside the main module, so the island is live once both have arrived — not a round
//! trip (400 ms on a congested network) after the main module has started it. An island
//! that is not lazy, or a build that is not split (no manifest), has nothing to preload.

use leptos::config::LeptosOptions;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The script that fetches and links the chunks, written by cargo-leptos next to the main
/// module (its name is fixed while file hashing is off, as here).
const LOADER: &str = "__wasm_split.______________________.js";
const MANIFEST: &str = "__wasm_split_manifest.json";

/// The loader's path and the chunks' paths (each once, in the order the islands name them)
/// for `islands`; `None` when the build is not split or none of them is lazy.
pub fn chunks(options: &LeptosOptions, islands: &[&str]) -> Option<(String, Vec<String>)> {
    // Read once: the site's files do not change under a running process.
    static SPLITS: OnceLock<Option<Splits>> = OnceLock::new();
    let splits = SPLITS.get_or_init(|| {
        let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        Splits::parse(&text, &options.site_pkg_dir)
    });
    splits.as_ref()?.chunks(islands)
}

/// The split manifest, read.
#[derive(Debug)]
struct Splits {
    pkg: String,
    /// Split point (`nik_input_loader_1234…`) → the chunk files it needs, without `.wasm`.
    modules: HashMap<String, Vec<String>>,
}

impl Splits {
    fn parse(manifest: &str, pkg: &str) -> Option<Splits> {
        match serde_json::from_str(manifest) {
            Ok(modules) => Some(Splits { pkg: pkg.trim_matches('/').to_string(), modules }),
            Err(e) => {
                // A broken manifest costs speed, not function: the islands still load.
                tracing::warn!(error = %e, "the WebAssembly split manifest is unreadable; island chunks are not preloaded");
                None
            }
        }
    }

    fn chunks(&self, islands: &[&str]) -> Option<(String, Vec<String>)> {
        let mut files: Vec<String> = Vec::new();
        for island in islands {
            let prefix = format!("{}_loader_", snake_case(island));
            let needs = self.modules.iter().find(|(split, _)| split.strip_prefix(&prefix).is_some_and(|hash| hash.bytes().all(|b| b.is_ascii_digit())));
            for file in needs.map(|(_, files)| files.as_slice()).unwrap_or_default() {
                let path = format!("/{}/{file}.wasm", self.pkg);
                if !files.contains(&path) {
                    files.push(path);
                }
            }
        }
        (!files.is_empty()).then(|| (format!("/{}/{LOADER}", self.pkg), files))
    }
}

/// `NikInput` → `nik_input`, as Leptos names an island's split point.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{
        "nik_input_loader_1161": ["chunk_3_nik_input_loader_1161_region_picker_loader_77", "split_6_nik_input_loader_1161"],
        "region_picker_loader_77": ["chunk_3_nik_input_loader_1161_region_picker_loader_77", "split_5_region_picker_loader_77"],
        "staff_form_loader_905": ["split_1_staff_form_loader_905"]
    }"#;

    #[test]
    fn a_page_preloads_its_islands_chunks_each_once() {
        let splits = Splits::parse(MANIFEST, "pkg").unwrap();
        let (loader, files) = splits.chunks(&["NikInput", "RegionPicker"]).unwrap();
        assert_eq!(loader, "/pkg/__wasm_split.______________________.js");
        assert_eq!(
            files,
            [
                "/pkg/chunk_3_nik_input_loader_1161_region_picker_loader_77.wasm",
                "/pkg/split_6_nik_input_loader_1161.wasm",
                "/pkg/split_5_region_picker_loader_77.wasm"
            ]
        );
        assert_eq!(splits.chunks(&["StaffForm"]).unwrap().1, ["/pkg/split_1_staff_form_loader_905.wasm"]);
    }

    #[test]
    fn an_island_without_a_chunk_or_a_broken_manifest_preloads_nothing() {
        let splits = Splits::parse(MANIFEST, "/pkg/").unwrap();
        assert_eq!(splits.chunks(&["SubmitOnce"]), None, "not lazy: in the main module");
        assert_eq!(splits.chunks(&[]), None);
        assert!(Splits::parse("{not json", "pkg").is_none());
        assert_eq!(snake_case("DocumentUploader"), "document_uploader");
    }
}
