//! Counting events per key in a sliding window: failed logins per e-mail and client address,
//! registrations, survey responses and anonymous board writes per client address.
//!
//! Hand-written rather than `governor`: a login limiter must count *failures* and be cleared on
//! success, while token buckets charge every attempt; this is a map of timestamps.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct FailureLimiter {
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self {
            max: max as usize,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether any of the keys has used up its failures.
    pub fn is_blocked(&self, keys: &[&str]) -> bool {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        keys.iter().any(|k| {
            map.get_mut(*k).is_some_and(|v| {
                v.retain(|t| now.duration_since(*t) < self.window);
                v.len() >= self.max
            })
        })
    }

    pub fn record_failure(&self, keys: &[&str]) {
        let now = Instant::now();
        if let Ok(mut map) = self.failures.lock() {
            // Bound memory under a flood of distinct keys.
            if map.len() > 100_000 {
                map.retain(|_, v| {
                    v.last()
                        .is_some_and(|t| now.duration_since(*t) < self.window)
                });
            }
            for k in keys {
                map.entry((*k).to_owned()).or_default().push(now);
            }
        }
    }

    /// Takes back the most recent failure of a key (an attempt counted in advance succeeded).
    pub fn forgive_last(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            if let Some(v) = map.get_mut(key) {
                v.pop();
            }
        }
    }

    pub fn clear(&self, key: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_and_clears() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
        assert!(!l.is_blocked(&["a"]));
        l.record_failure(&["a", "ip"]);
        assert!(!l.is_blocked(&["a"]));
        l.record_failure(&["a", "ip"]);
        assert!(l.is_blocked(&["a"]));
        assert!(l.is_blocked(&["b", "ip"]));
        assert!(!l.is_blocked(&["b"]));
        l.clear("a");
        assert!(!l.is_blocked(&["a"]));
        l.forgive_last("ip");
        assert!(!l.is_blocked(&["ip"]));
    }

    #[test]
    fn failures_expire() {
        let l = FailureLimiter::new(1, Duration::from_millis(1));
        l.record_failure(&["a"]);
        std::thread::sleep(Duration::from_millis(5));
        assert!(!l.is_blocked(&["a"]));
    }
}
