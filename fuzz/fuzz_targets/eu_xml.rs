//! Feeds arbitrary bytes to the eu reader (as `list.xml`); the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.xml");
    std::fs::write(&path, data).expect("write");
    if let Ok(reader) = saring::lists::eu::read(&path) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
