//! `redflag graph [SUBJECT]`: the people linked to someone, or the population's cells,
//! as a table, JSON, Graphviz DOT or an SVG picture drawn by redflag itself.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::{Args, ValueEnum};
use redflag_graph::groups::{Group, Population};
use redflag_graph::{EdgeView, GroupView, NodeView, to_dot, to_svg};
use redflag_model::SubjectId;

use crate::output::{self, clean};
use crate::ui;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// For people: who is in the group and what ties them, in words (the default on a
    /// terminal)
    Table,
    /// The group (people and ties) as one JSON document (the default when piped)
    Json,
    /// Graphviz DOT, to lay out with `dot -Tpng`
    Dot,
    /// A picture: people coloured by risk, strong ties solid, weak ties dashed
    Svg,
}

#[derive(Args)]
pub struct GraphArgs {
    /// Whose links to show (e.g. c-1042); without it, the cells: groups tied by strong
    /// links with someone rated high or critical
    pub subject: Option<String>,
    #[command(flatten)]
    pub database: super::DbArg,
    /// How many links away from SUBJECT to go
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub depth: usize,
    /// At most this many people in one picture (the nearest and most strongly tied kept)
    #[arg(long, default_value_t = 40, value_name = "N")]
    pub max_people: usize,
    /// Output format [default: table on a terminal, otherwise json]
    #[arg(long, value_enum)]
    pub format: Option<GraphFormat>,
    /// Write to FILE instead of the screen (created readable by you only)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The policy file the scan used, when not the default: it says how strong a tie
    /// must be to count as strong
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

pub fn run(args: GraphArgs) -> Result<ui::Outcome> {
    let store = super::open_scanned(&args.database.db)?;
    let policy = redflag_pipeline::load_policy(args.policy.as_deref())?;
    let assessments = store.latest_assessments()?;
    let population = Population::new(&assessments);
    let strong = policy.scoring.strong_min_confidence;
    let groups: Vec<(Group<'_>, Option<SubjectId>)> = match &args.subject {
        Some(subject) => {
            let id: SubjectId = subject
                .parse()
                .map_err(|e| anyhow::anyhow!("{subject:?} is not a subject id: {e}"))?;
            let Some(group) = population.neighbourhood(&id, args.depth, args.max_people) else {
                bail!(
                    "no assessment of {subject:?} in {}: check the id, or scan its records first",
                    args.database.db.display()
                );
            };
            vec![(group, Some(id))]
        }
        None => population
            .cells(strong)
            .into_iter()
            .map(|cell| (cell, None))
            .collect(),
    };
    let cells: Vec<Group<'_>> = if args.subject.is_some() {
        population.cells(strong)
    } else {
        Vec::new()
    };
    let views: Vec<GroupView> = groups
        .iter()
        .map(|(group, focus)| view(group, focus.as_ref(), &cells, strong))
        .collect();

    let protected = output::files_of(&args.database.db);
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(if terminal {
        GraphFormat::Table
    } else {
        GraphFormat::Json
    });
    let mut out = output::open_output(args.output.as_deref(), &protected)?;
    match format {
        GraphFormat::Json => {
            if args.subject.is_some() {
                serde_json::to_writer_pretty(&mut out, &views[0])?;
            } else {
                serde_json::to_writer_pretty(&mut out, &views)?;
            }
            out.write_all(b"\n")?;
        }
        GraphFormat::Table => write_words(&mut out, &views, args.subject.is_some())?,
        GraphFormat::Dot | GraphFormat::Svg => {
            let Some(first) = views.first() else {
                bail!(
                    "no cells: no group tied by strong links holds anyone rated high or critical; pass a SUBJECT to see their links"
                );
            };
            if views.len() > 1 {
                ui::note(&format!(
                    "drew the riskiest of {} cells; pass a SUBJECT (e.g. {}) for another",
                    views.len(),
                    views[1].nodes.first().map_or("", |n| n.id.as_str())
                ));
            }
            let text = if format == GraphFormat::Dot {
                to_dot(first)
            } else {
                to_svg(first)
            };
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    if let Some(path) = &args.output {
        ui::note(&format!("wrote {}", path.display()));
    }
    Ok(ui::Outcome::Done)
}

/// A group as the export draws it: the focus marked, members of a cell marked, each tie
/// with what it shares in words.
fn view(
    group: &Group<'_>,
    focus: Option<&SubjectId>,
    cells: &[Group<'_>],
    strong: f64,
) -> GroupView {
    let in_cell = |id: &SubjectId| {
        focus.is_none()
            || cells
                .iter()
                .any(|c| c.members.iter().any(|m| &m.subject == id))
    };
    let title = match focus {
        Some(id) => {
            let name = group
                .members
                .iter()
                .find(|m| &m.subject == id)
                .and_then(|m| m.name.clone())
                .map_or_else(|| id.to_string(), |n| format!("{n} ({id})"));
            format!("People linked to {name}")
        }
        None => format!(
            "A cell of {} people tied by strong links (top score {})",
            group.members.len(),
            group.top_score()
        ),
    };
    GroupView {
        title,
        nodes: group
            .members
            .iter()
            .map(|m| NodeView {
                id: m.subject.to_string(),
                name: m.name.clone(),
                score: m.score,
                band: m.band,
                focus: Some(&m.subject) == focus,
                cell: in_cell(&m.subject),
            })
            .collect(),
        edges: group
            .ties
            .iter()
            .map(|t| EdgeView {
                a: t.a.to_string(),
                b: t.b.to_string(),
                label: tie_words(&t.via),
                strong: t.strength >= strong,
            })
            .collect(),
    }
}

/// What a tie shares, in words: `wallet, phone number`.
fn tie_words(via: &[String]) -> String {
    let mut words: Vec<&str> = via
        .iter()
        .map(|v| {
            let kind = v.split_once(':').map_or(v.as_str(), |(k, _)| k);
            match kind {
                "payout_account" => "payout account",
                "bank_account" => "bank account",
                "holder" => "account holder",
                "wallet" => "wallet",
                "phone" => "phone number",
                "email" => "e-mail",
                "photo" => "photo",
                "photo_near" => "edited photo",
                "resume_near" => "résumé text",
                "device" => "device",
                "mfa_device" => "second factor",
                "address" => "address",
                "public_ip" => "laptop IP",
                "login_ip" => "home connection",
                "referral" => "referral",
                other => other,
            }
        })
        .collect();
    words.dedup();
    words.join(", ")
}

/// The groups in words, for a terminal.
fn write_words(out: &mut dyn Write, views: &[GroupView], one: bool) -> Result<()> {
    if views.is_empty() {
        writeln!(
            out,
            "No cells: no group tied by strong links holds anyone rated high or critical."
        )?;
        return Ok(());
    }
    if !one {
        writeln!(out, "{} cells, the riskiest first.\n", views.len())?;
    }
    for v in views {
        writeln!(out, "{}", clean(&v.title))?;
        for n in &v.nodes {
            let name = n.name.as_deref().unwrap_or("(no name)");
            let marks = match (n.focus, n.cell && one) {
                (true, _) => "  ← this person",
                (false, true) => "  (in a cell)",
                _ => "",
            };
            writeln!(
                out,
                "  {} ({}): score {}, {}{marks}",
                clean(name),
                clean(&n.id),
                n.score,
                n.band
            )?;
        }
        if !v.edges.is_empty() {
            writeln!(out, "  Ties:")?;
            for e in &v.edges {
                writeln!(
                    out,
                    "    {} — {}: {} ({})",
                    clean(&e.a),
                    clean(&e.b),
                    clean(&e.label),
                    if e.strong { "strong" } else { "weak" }
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
