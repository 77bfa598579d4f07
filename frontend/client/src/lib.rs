//! The wasm entry point: hydrates the server-rendered page, then takes over what needs the
//! domain rules in the browser (the survey form).

mod survey;

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(
    inline_js = "export function mark_hydrated() { document.documentElement.dataset.hydrated = 'true'; }"
)]
extern "C" {
    /// Lets browser tests (and stylesheets) know the page is interactive.
    fn mark_hydrated();
}

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(qn_app::App);
    survey::enhance();
    mark_hydrated();
}
