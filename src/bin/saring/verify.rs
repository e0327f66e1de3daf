//! `saring verify`: screen locally and with a commercial provider, and print both side by side.
//!
//! Exit status: 0 when saring and the provider flag the same entities, 1 when they disagree, 2 on error.

use anyhow::Context;
use saring::providers::bri::BriClient;
use saring::providers::idwise::IdWiseJourney;
use saring::providers::{
    verify, Agreement, Comparison, IdWiseClient, IlumaClient, KryptoGoClient, Provider, ProvidersConfig,
};
use saring::screen::{Query, ScreenResult};
use saring::Publisher;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Which provider to compare with.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ProviderName {
    /// Iluma CFT screening (SARING_ILUMA_API_KEY).
    Iluma,
    /// BRI AML prescreening (SARING_BRI_CLIENT_ID, SARING_BRI_CLIENT_SECRET).
    Bri,
    /// KryptoGO due diligence (SARING_KRYPTOGO_API_KEY).
    Kryptogo,
    /// IDWise AML result of a journey (SARING_IDWISE_API_KEY; needs --journey-id).
    Idwise,
}

/// Arguments of `saring verify` (boxed: the enum of subcommands stays small).
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    inner: Box<VerifyArgs>,
}

/// The options of `saring verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The provider to compare with.
    #[arg(long, value_enum)]
    provider: ProviderName,
    /// A full name of unknown kind.
    #[arg(long)]
    name: Option<String>,
    /// Person: given name.
    #[arg(long)]
    given_name: Option<String>,
    /// Person: middle name.
    #[arg(long)]
    middle_name: Option<String>,
    /// Person: surname.
    #[arg(long)]
    surname: Option<String>,
    /// Organisation: business name.
    #[arg(long)]
    business_name: Option<String>,
    /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    dob: Option<String>,
    /// Nationality (ISO alpha-2).
    #[arg(long)]
    nationality: Option<String>,
    /// Organisation: country of domicile (ISO alpha-2).
    #[arg(long)]
    domicile: Option<String>,
    /// Organisation: date of registration.
    #[arg(long)]
    date_of_registration: Option<String>,
    /// Address (repeatable).
    #[arg(long = "address")]
    addresses: Vec<String>,
    /// Restrict to a publisher (repeatable): UNSCR, OFAC, PPATK, MAS, EC, UK, DOWJONES, CUSTOM.
    #[arg(long = "publisher")]
    publishers: Vec<String>,
    /// Drop hits below this score (default: the lower threshold).
    #[arg(long)]
    score_threshold: Option<f64>,
    /// MATCH threshold (default 80).
    #[arg(long)]
    upper: Option<f64>,
    /// NOT_MATCH threshold (default 40).
    #[arg(long)]
    lower: Option<f64>,
    /// IDWise: the journey whose AML result to read.
    #[arg(long)]
    journey_id: Option<String>,
    /// Local index file (default: the bundled lists).
    #[arg(long)]
    index: Option<PathBuf>,
    /// JSON config file for providers (credentials may also come from SARING_* environment variables).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Read timeout for provider calls, in milliseconds.
    #[arg(long)]
    timeout_ms: Option<u64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Runs `saring verify`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let args = *args.inner;
    let query = query_of(&args)?;
    let mut config = ProvidersConfig::from_env(args.config.as_deref())?;
    if let Some(ms) = args.timeout_ms {
        config.http.read_timeout = Duration::from_millis(ms);
    }
    // The local side.
    let index = crate::open_index(args.index.as_deref())?;
    let local = |q: &Query| -> saring::Result<ScreenResult> { index.screen(q) };
    let cmp = match args.provider {
        ProviderName::Iluma => run_with(&local, &IlumaClient::new(&config.iluma, &config.http)?, &query)?,
        ProviderName::Bri => run_with(&local, &BriClient::new(&config.bri, &config.http)?, &query)?,
        ProviderName::Kryptogo => run_with(&local, &KryptoGoClient::new(&config.kryptogo, &config.http)?, &query)?,
        ProviderName::Idwise => {
            let journey_id = args.journey_id.clone().context("--provider idwise needs --journey-id")?;
            let client = IdWiseClient::new(&config.idwise, &config.http)?;
            run_with(&local, &IdWiseJourney { client: &client, journey_id }, &query)?
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &cmp)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", render_table(&cmp))?;
    }
    let agree = cmp.summary.only_local == 0 && cmp.summary.only_provider == 0;
    Ok(if agree { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_with(
    local: &dyn Fn(&Query) -> saring::Result<ScreenResult>,
    provider: &dyn Provider,
    query: &Query,
) -> anyhow::Result<Comparison> {
    Ok(verify(local, provider, query)?)
}

fn query_of(args: &VerifyArgs) -> anyhow::Result<Query> {
    let nonempty = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let query = Query {
        name: nonempty(&args.name),
        given_name: nonempty(&args.given_name),
        middle_name: nonempty(&args.middle_name),
        surname: nonempty(&args.surname),
        business_name: nonempty(&args.business_name),
        date_of_birth: nonempty(&args.dob),
        nationality: nonempty(&args.nationality),
        business_domicile: nonempty(&args.domicile),
        date_of_registration: nonempty(&args.date_of_registration),
        addresses: args.addresses.clone(),
        publishers: args.publishers.iter().map(|p| p.parse::<Publisher>()).collect::<saring::Result<_>>()?,
        score_threshold: args.score_threshold,
        upper_threshold: args.upper,
        lower_threshold: args.lower,
        limit: None,
        gender: None,
    };
    let has_name = query.name.is_some() || query.given_name.is_some() || query.business_name.is_some();
    if !has_name && args.journey_id.is_none() {
        anyhow::bail!("give a name: --name, --given-name [--surname], or --business-name");
    }
    saring::providers::query_thresholds(&query).validate()?;
    Ok(query)
}

/// The human table: one row per entity, both sides' scores and decisions.
pub fn render_table(cmp: &Comparison) -> String {
    let mut s = String::new();
    let name = saring::providers::query_full_name(&cmp.query);
    s.push_str(&format!(
        "query: {name}   provider: {}   thresholds: upper {} / lower {}\n",
        cmp.provider, cmp.thresholds.upper, cmp.thresholds.lower
    ));
    if let Some(v) = &cmp.provider_verdict {
        s.push_str(&format!("provider verdict: {v}\n"));
    }
    s.push('\n');
    let side = |x: &Option<saring::providers::Side>| match x {
        Some(x) => (format!("{:.1}", x.score), x.decision.to_string(), x.id.clone()),
        None => ("-".into(), "-".into(), "-".into()),
    };
    let mut rows: Vec<[String; 7]> = vec![[
        "AGREEMENT".into(),
        "NAME".into(),
        "LOCAL".into(),
        "LOCAL DECISION".into(),
        "PROVIDER".into(),
        "PROVIDER DECISION".into(),
        "IDS (local | provider)".into(),
    ]];
    for r in &cmp.rows {
        let (ls, ld, lid) = side(&r.local);
        let (ps, pd, pid) = side(&r.provider);
        let label = match r.agreement {
            Agreement::Both => "both",
            Agreement::OnlyLocal => "only local",
            Agreement::OnlyProvider => "only provider",
            Agreement::Neither => "neither",
        };
        let name: String = r.name.chars().take(40).collect();
        rows.push([label.into(), name, ls, ld, ps, pd, format!("{lid} | {pid}")]);
    }
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    for r in &rows {
        let line: Vec<String> = r.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    let m = &cmp.summary;
    s.push_str(&format!(
        "\nboth flag: {}   only local: {}   only provider: {}   neither: {}\n",
        m.both, m.only_local, m.only_provider, m.neither
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use saring::providers::compare_hits;
    use saring::screen::Hit;
    use saring::{EntityKind, Thresholds};

    fn hit(id: &str, name: &str, score: f64) -> Hit {
        Hit {
            id: id.into(),
            publisher: Publisher::Ofac,
            list: "SDN".into(),
            kind: EntityKind::Individual,
            names: vec![name.into()],
            matched_name: name.into(),
            score,
            decision: Thresholds::default().decide(score),
            nationalities: vec![],
            dates_of_birth: vec![],
            record_data: Default::default(),
            entity_hash: String::new(),
            explanation: Default::default(),
        }
    }

    #[test]
    fn table_has_a_row_per_entity_and_a_summary() {
        let q = Query { name: Some("Ivan Petrov".into()), ..Default::default() };
        let cmp = compare_hits(
            "iluma",
            &q,
            vec![hit("L1", "Ivan Petrov", 95.0)],
            vec![hit("P1", "Ivan Petrov", 88.0), hit("P2", "Xu Wen", 50.0)],
            85.0,
        );
        let t = render_table(&cmp);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("query: Ivan Petrov   provider: iluma"), "{t}");
        assert!(lines[2].starts_with("AGREEMENT"), "{t}");
        assert!(
            lines[3].starts_with("both")
                && lines[3].contains("95.0")
                && lines[3].contains("88.0")
                && lines[3].contains("L1 | P1"),
            "{t}"
        );
        assert!(lines[4].starts_with("only provider") && lines[4].contains("UNCLEAR"), "{t}");
        assert!(t.ends_with("both flag: 1   only local: 0   only provider: 1   neither: 0\n"), "{t}");
    }
}
