//! The survey form's checks in the browser, the only wasm the pages load. Every page is
//! rendered on the server and works without it; `/qn.js` loads this module on a survey's
//! question pages only (the form names it in `data-bundle`), so no other page downloads wasm.

mod survey;

use wasm_bindgen::prelude::wasm_bindgen;

/// Takes over the survey form of the page, if it has one. (No panic hook: a panic aborts with
/// "unreachable" in the console, and the form goes on working through the server.)
#[wasm_bindgen]
pub fn enhance() {
    survey::enhance();
}
