//! Koers hydration entry point (wasm32): hydrates the islands of server-rendered pages.

// Link the islands so their hydration functions are exported.
pub use app::islands::*;

/// Called by the islands loader once the module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
