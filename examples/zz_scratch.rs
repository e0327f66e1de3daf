use saring::index::Index;
fn main() {
    let index = Index::open_bundled().unwrap();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let q = saring::analyze(&args[0], saring::NameKind::Unknown);
    for id in &args[1..] {
        let e = index.entity(id).unwrap().unwrap();
        for n in &e.names {
            let l = saring::analyze(&n.full, saring::NameKind::Unknown);
            let s = saring::compare_names(&q, &l, &saring::CompareOptions::default());
            if s.score >= 70.0 {
                println!(
                    "{id} {:?} {:.1} {:?}",
                    n.full,
                    s.score,
                    s.explanation
                        .tokens
                        .iter()
                        .map(|t| format!("{}~{} {:?} {:.2}", t.query, t.candidate, t.how, t.similarity))
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}
