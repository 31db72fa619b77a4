//! A `gardkg serve` child process for the tests that need a running server.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// A running `gardkg serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    /// `host:port`, as the server printed it.
    pub address: String,
    /// Everything it printed on standard error so far.
    pub log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts a server on `store` with `args` (on any free loopback port unless `--bind` is given).
    pub fn start(store: &Path, args: &[&str]) -> Self {
        Self::try_start(store, args, &[]).unwrap_or_else(|log| panic!("the server did not start:\n{log}"))
    }

    /// Starts a server with extra environment variables; `Err(standard error)` when it exits instead.
    pub fn try_start(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Self, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gardkg"))
            .args(["serve", "--store", store.to_str().unwrap()])
            .args(if args.contains(&"--bind") { &[][..] } else { &["--bind", "127.0.0.1:0"][..] })
            .args(args)
            .env_remove("GARDKG_SERVE_TOKEN")
            .env("GARDKG_CONFIG", "/nonexistent/gardkg-test-config.toml")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("gardkg runs");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        // Keeps reading what it says, so that its writes never meet a closed pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1) {
                    let _ = tx.send(rest.split('/').next().unwrap_or_default().to_owned());
                }
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        if let Ok(address) = rx.recv_timeout(Duration::from_secs(120)) {
            Ok(Self { child, address, log })
        } else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            Err(log.lock().unwrap().clone())
        }
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
