//! Provider adapters (to be written).
