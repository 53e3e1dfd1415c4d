//! `redflag keys`: the API keys `redflag serve` accepts. A key is printed once when it is
//! made; the database keeps only a hash of its secret.

use std::io::Write as _;

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use redflag_store::{ApiKey, AuditEntry, NewApiKey, Role, Store, Timestamp};

use super::DbArg;
use crate::output::{self, Format, OutputArgs, Sink};
use crate::ui;

#[derive(Args)]
#[command(
    after_help = "Examples:\n  redflag keys create --name crm-feed --role ingest --db cases.db\n  redflag keys list --db cases.db\n  redflag keys revoke 7kq2m4xpa3 --db cases.db"
)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub command: KeysCommand,
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a key and print it, once: admin (everything), analyst (read and change),
    /// ingest (send records only) or viewer (read only)
    Create(CreateArgs),
    /// List the keys (ids, names, roles, when made and revoked; never the secrets)
    List(ListArgs),
    /// Revoke a key: the server refuses it from the next request on
    Revoke(RevokeArgs),
}

#[derive(Args)]
pub struct CreateArgs {
    /// What the key is for, for people: `crm-feed`, `alice`
    #[arg(long)]
    pub name: String,
    /// What it may do
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// `table` (the default on a terminal); `ndjson` one key per line (the default when
    /// piped); `json` an array; `csv` one row per key
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct RevokeArgs {
    /// The key's id, as `redflag keys list` shows it (the part after `rf_`)
    pub id: String,
    #[command(flatten)]
    pub db: DbArg,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
}

pub fn run(args: KeysArgs) -> Result<ui::Outcome> {
    match args.command {
        KeysCommand::Create(a) => create(a),
        KeysCommand::List(a) => list(a),
        KeysCommand::Revoke(a) => revoke(a),
    }
}

fn create(args: CreateArgs) -> Result<ui::Outcome> {
    let name = args.name.trim();
    if name.is_empty() {
        bail!("--name is empty: say what the key is for, e.g. --name crm-feed");
    }
    let db = &args.db.db;
    // A new database is fine: the first key is often made before anything is scanned.
    let mut store = redflag_store::open(db).with_context(|| format!("cannot open {db}"))?;
    let key = redflag_server::keys::generate().map_err(anyhow::Error::msg)?;
    let now = Timestamp::now();
    in_unit(store.as_mut(), |store| {
        store.put_api_key(&NewApiKey {
            id: &key.id,
            name,
            role: args.role,
            hash: &key.hash,
            created_at: now,
        })?;
        store.audit(&AuditEntry {
            at: now,
            actor: super::scan::actor(),
            action: "key.create".into(),
            target: Some(key.id.clone()),
            detail: serde_json::json!({ "name": name, "role": args.role }),
        })?;
        Ok(())
    })?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", key.text)?;
    stdout.flush()?;
    ui::note(&format!(
        "API key {} ({}, role {}) for {db}. It is shown this once and cannot be shown again: \
         keep it now. Call the API with `Authorization: Bearer <key>`; `redflag keys revoke {}` \
         withdraws it.",
        key.id, name, args.role, key.id
    ));
    Ok(ui::Outcome::Done)
}

fn list(args: ListArgs) -> Result<ui::Outcome> {
    let db = &args.db.db;
    let store = super::open_scanned(db)?;
    let keys = store.api_keys()?;
    let mut sink = Sink::open(&args.output, Format::Ndjson, &output::files_of(db))?;
    let when = |t: &Timestamp| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string();
    sink.items(
        &keys,
        &["id", "name", "role", "created_at", "revoked_at"],
        |k: &ApiKey| {
            vec![
                k.id.clone(),
                k.name.clone(),
                k.role.to_string(),
                when(&k.created_at),
                k.revoked_at.as_ref().map(when).unwrap_or_default(),
            ]
        },
    )?;
    sink.finish()?;
    if keys.is_empty() {
        ui::note(&format!(
            "no API keys in {db}: `redflag keys create --name NAME --role admin --db {db}` makes one"
        ));
    }
    Ok(ui::Outcome::Done)
}

fn revoke(args: RevokeArgs) -> Result<ui::Outcome> {
    let db = &args.db.db;
    let mut store = super::open_scanned(db)?;
    // A whole key pasted by mistake is taken for its id, without echoing the secret.
    let id = args
        .id
        .strip_prefix("rf_")
        .map_or(args.id.as_str(), |rest| {
            rest.split('_').next().unwrap_or(rest)
        });
    let Some(found) = store.api_key(id)? else {
        bail!("there is no API key {id:?} in {db}: `redflag keys list --db {db}` shows the ids");
    };
    if let Some(at) = found.key.revoked_at {
        ui::note(&format!("the API key {id} was revoked already, at {at}"));
        return Ok(ui::Outcome::Done);
    }
    let now = Timestamp::now();
    in_unit(store.as_mut(), |store| {
        store.revoke_api_key(id, now)?;
        store.audit(&AuditEntry {
            at: now,
            actor: super::scan::actor(),
            action: "key.revoke".into(),
            target: Some(id.to_owned()),
            detail: serde_json::json!({ "name": found.key.name, "role": found.key.role }),
        })?;
        Ok(())
    })?;
    ui::note(&format!(
        "revoked the API key {id} ({}): the server refuses it from the next request on",
        found.key.name
    ));
    Ok(ui::Outcome::Done)
}

/// The key and its audit entry together or not at all.
fn in_unit(
    store: &mut dyn Store,
    work: impl FnOnce(&mut dyn Store) -> Result<(), redflag_store::StoreError>,
) -> Result<()> {
    store.begin()?;
    match work(store) {
        Ok(()) => Ok(store.commit()?),
        Err(e) => {
            let _ = store.rollback();
            Err(e.into())
        }
    }
}
