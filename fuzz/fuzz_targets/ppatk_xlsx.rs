//! Feeds arbitrary bytes to the ppatk reader (as `dttot.xlsx`); the read must end without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("dttot.xlsx");
    std::fs::write(&path, data).expect("write");
    if let Ok(reader) = saring::lists::ppatk::read(&path, saring::lists::ListFormat::PpatkSheet) {
        for event in reader {
            if event.is_err() {
                break;
            }
        }
    }
});
