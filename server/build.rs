//! Makes cargo rebuild the binary when the hydration bundle (`dist/site/pkg`, written by
//! scripts/build-site.sh and embedded by `assets.rs`) appears or changes.

use std::path::Path;

fn main() {
    let pkg = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/site/pkg");
    println!("cargo:rerun-if-changed={}", pkg.display());
    let mut stamp = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&pkg) {
        for entry in entries.flatten() {
            let meta = entry.metadata().ok();
            let modified = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or_default();
            let len = meta.map(|m| m.len()).unwrap_or_default();
            stamp.push(format!(
                "{}:{len}:{modified}",
                entry.file_name().to_string_lossy()
            ));
        }
    }
    stamp.sort();
    println!("cargo:rustc-env=KOERS_BUNDLE_STAMP={}", stamp.join(","));
}
