//! Rebuilds the crate when a migration file is added or changed (`sqlx::migrate!` embeds them
//! at compile time, and cargo does not watch those directories by itself).

fn main() {
    println!("cargo:rerun-if-changed=sqlite");
    println!("cargo:rerun-if-changed=postgres");
}
