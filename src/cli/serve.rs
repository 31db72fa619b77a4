//! `gardkg serve`: the store over HTTP (see `gardkg::serve`).

use std::net::ToSocketAddrs as _;
use std::process::ExitCode;

use anyhow::Context as _;

use gardkg::serve::{self, ServeConfig, TOKEN_ENV};

use super::ServeArgs;

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let bind = args
        .bind
        .to_socket_addrs()
        .with_context(|| format!("--bind {:?}: not an address (such as 127.0.0.1:7878)", args.bind))?
        .next()
        .with_context(|| format!("--bind {:?}: the name resolves to no address", args.bind))?;
    let mut config = ServeConfig::new(bind, args.services.client()?);
    config.writable = args.writable;
    config.token = token(args)?;
    config.timeout = args.timeout;
    config.max_rows = args.max_rows;
    config.max_body = args.max_body;
    if let Some(n) = args.max_running {
        config.max_running = n;
    }
    config.max_waiting = args.max_waiting;
    config.header_timeout = args.header_timeout;
    config.max_connections = args.max_connections;
    config.cors.clone_from(&args.cors);
    config.cache_bytes = args.cache_mb.saturating_mul(1024 * 1024);
    let path = args.store.path();
    serve::run(&path, args.store.namespace()?, config)?;
    Ok(ExitCode::SUCCESS)
}

/// The bearer token, from the environment or a file (never from a flag: flags show in `ps`).
fn token(args: &ServeArgs) -> anyhow::Result<Option<String>> {
    let from_env = std::env::var(TOKEN_ENV).ok().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    let from_file = match &args.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("--token-file {}", path.display()))?;
            let token = text.trim().to_owned();
            anyhow::ensure!(!token.is_empty(), "--token-file {}: the file is empty", path.display());
            Some(token)
        }
        None => None,
    };
    anyhow::ensure!(
        from_env.is_none() || from_file.is_none(),
        "the token is given twice ({TOKEN_ENV} and --token-file): keep one"
    );
    Ok(from_env.or(from_file))
}
