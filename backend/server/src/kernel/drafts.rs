//! What a person typed into a long form that the server refused, kept for a while so the form
//! comes back filled in (plain HTML forms answer with a redirect, which drops the body). Bound
//! to the account that typed it; kept in memory only, for at most an hour.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const KEEP: Duration = Duration::from_secs(3600);
const MAX: usize = 10_000;

#[derive(Default)]
pub struct Drafts(Mutex<HashMap<String, (i32, Instant, String)>>);

impl Drafts {
    /// Keeps `json` for `user` and returns the token for the redirect.
    pub fn put(&self, user: i32, json: String) -> String {
        let token = crate::kernel::tokens::random_token();
        if let Ok(mut map) = self.0.lock() {
            map.retain(|_, (_, at, _)| at.elapsed() < KEEP);
            if map.len() >= MAX {
                map.clear();
            }
            map.insert(token.clone(), (user, Instant::now(), json));
        }
        token
    }

    /// The draft behind a token, for the account that wrote it.
    pub fn get(&self, token: &str, user: i32) -> Option<String> {
        let map = self.0.lock().ok()?;
        map.get(token)
            .filter(|(u, at, _)| *u == user && at.elapsed() < KEEP)
            .map(|(_, _, json)| json.clone())
    }
}
