//! Where modules meet. Each file is one trigger written out: what happens, in which order,
//! when something changes that other modules depend on. A domain module never calls a sibling
//! to react to its own change; it returns what happened (e.g. `areas::BoundariesChanged`), and
//! the edge hands it to the flow.

pub mod account;
pub mod boundaries;
pub mod housekeeping;
pub mod personal_data;
