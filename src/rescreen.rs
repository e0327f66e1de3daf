//! Bulk and delta rescreening of customer bases (to be written).
