//! What bounds the work of a request: a gate of evaluation slots with a bounded queue, the evaluation timeout, and
//! the answer cache.
//!
//! Evaluations are blocking (Oxigraph reads RocksDB synchronously), so each runs on tokio's blocking pool, holding a
//! slot of the gate. At the deadline the request is answered 503 and the evaluation's cancellation token is
//! cancelled; Oxigraph checks it whenever it reads the store, so the evaluation stops at its next read. The slot is
//! held by the evaluation's thread, not by the request, so that an evaluation that does not stop at once still
//! counts against `--max-running`: the number of busy threads stays bounded whatever clients do.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use oxigraph::sparql::CancellationToken;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Why the gate did not give an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Every slot is taken and the queue is full, or the wait for a slot outlasted the timeout.
    Busy,
    /// The evaluation outlasted the timeout and was cancelled.
    Timeout,
    /// The evaluation panicked.
    Crashed,
}

/// What the server is doing, for `GET /api/status` and the tests.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Status {
    /// Evaluations holding a slot (their threads are busy), cancelled ones that have not stopped yet included.
    pub running: usize,
    /// Requests waiting for a slot.
    pub waiting: usize,
    /// Slots.
    pub max_running: usize,
    /// Places in the queue.
    pub max_waiting: usize,
    /// Evaluations finished since the start.
    pub finished: u64,
    /// Evaluations cancelled at the timeout since the start.
    pub timeouts: u64,
    /// Requests refused with 503 because the gate was full.
    pub refused: u64,
    /// The store's generation (it changes with every write through the server).
    pub generation: u64,
    /// Answers in the cache.
    pub cached_answers: usize,
}

/// The evaluation slots and their queue.
pub struct Gate {
    slots: Arc<Semaphore>,
    max_running: usize,
    waiting: AtomicUsize,
    max_waiting: usize,
    finished: Arc<AtomicU64>,
    timeouts: AtomicU64,
    refused: AtomicU64,
}

/// Cancels its token when dropped unless disarmed: a request whose client has gone stops its evaluation.
struct CancelOnDrop(Option<CancellationToken>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(token) = self.0.take() {
            token.cancel();
        }
    }
}

/// Counts a waiting request until dropped.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gate {
    /// A gate of `max_running` slots and `max_waiting` places in the queue.
    pub fn new(max_running: usize, max_waiting: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max_running)),
            max_running,
            waiting: AtomicUsize::new(0),
            max_waiting,
            finished: Arc::new(AtomicU64::new(0)),
            timeouts: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }

    /// The counters.
    pub fn status(&self, generation: u64, cached_answers: usize) -> Status {
        Status {
            running: self.max_running - self.slots.available_permits(),
            waiting: self.waiting.load(Ordering::Acquire),
            max_running: self.max_running,
            max_waiting: self.max_waiting,
            finished: self.finished.load(Ordering::Acquire),
            timeouts: self.timeouts.load(Ordering::Acquire),
            refused: self.refused.load(Ordering::Acquire),
            generation,
            cached_answers,
        }
    }

    async fn enter(&self, wait: Duration) -> Result<OwnedSemaphorePermit, Refusal> {
        if let Ok(permit) = self.slots.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(Refusal::Busy);
        }
        let _waiting = Waiting(&self.waiting);
        if let Ok(Ok(permit)) = tokio::time::timeout(wait, self.slots.clone().acquire_owned()).await {
            Ok(permit)
        } else {
            self.refused.fetch_add(1, Ordering::Relaxed);
            Err(Refusal::Busy)
        }
    }

    /// Runs `work` on the blocking pool in a slot, with a cancellation token that is cancelled at `timeout` (and
    /// when the request is dropped). Waits for a slot at most `timeout` too.
    pub async fn run<T: Send + 'static>(
        &self,
        timeout: Duration,
        work: impl FnOnce(&CancellationToken) -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        let permit = self.enter(timeout).await?;
        let token = CancellationToken::new();
        let mut guard = CancelOnDrop(Some(token.clone()));
        let finished = self.finished.clone();
        let evaluation_token = token.clone();
        let handle = tokio::task::spawn_blocking(move || {
            let answer = work(&evaluation_token);
            finished.fetch_add(1, Ordering::Relaxed);
            // The slot is released by the thread, when the work has really stopped.
            drop(permit);
            answer
        });
        match tokio::time::timeout(timeout, handle).await {
            Ok(Ok(answer)) => {
                guard.0 = None;
                Ok(answer)
            }
            Ok(Err(_)) => Err(Refusal::Crashed),
            Err(_) => {
                token.cancel();
                self.timeouts.fetch_add(1, Ordering::Relaxed);
                Err(Refusal::Timeout)
            }
        }
    }
}

/// A finished answer, as sent and as cached.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Bytes,
}

#[derive(Clone)]
struct Weight;

impl quick_cache::Weighter<String, Arc<Answer>> for Weight {
    fn weight(&self, key: &String, value: &Arc<Answer>) -> u64 {
        (key.len() + value.body.len() + 128) as u64
    }
}

/// Answers by request, weighed by their size. Keys start with the store's generation, and the cache is emptied
/// at every write, so an answer is never served for another state of the store.
pub struct Cache(Option<quick_cache::sync::Cache<String, Arc<Answer>, Weight>>);

impl Cache {
    /// A cache of at most `bytes` (keys and bodies); none when 0.
    pub fn new(bytes: usize) -> Self {
        if bytes == 0 {
            return Self(None);
        }
        let items = (bytes / 8192).max(16);
        Self(Some(quick_cache::sync::Cache::with_weighter(items, bytes as u64, Weight)))
    }

    /// The cached answer for a key.
    pub fn get(&self, key: &str) -> Option<Arc<Answer>> {
        self.0.as_ref()?.get(key)
    }

    /// Keeps an answer (the cache may drop it, or older ones, to stay within its size).
    pub fn insert(&self, key: String, answer: Arc<Answer>) {
        if let Some(cache) = &self.0 {
            cache.insert(key, answer);
        }
    }

    /// Answers held.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, quick_cache::sync::Cache::len)
    }

    /// Forgets every answer.
    pub fn clear(&self) {
        if let Some(cache) = &self.0 {
            cache.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn timeout_cancels_and_the_slot_is_held_until_the_work_stops() {
        let gate = Arc::new(Gate::new(1, 1));
        // Work that honours its token, like an Oxigraph evaluation reading the store.
        let answer = gate
            .run(Duration::from_millis(100), |token| {
                while !token.is_cancelled() {
                    std::thread::sleep(Duration::from_millis(5));
                }
                "stopped"
            })
            .await;
        assert_eq!(answer, Err(Refusal::Timeout));
        for _ in 0..100 {
            if gate.status(0, 0).running == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let status = gate.status(0, 0);
        assert_eq!((status.running, status.timeouts, status.finished), (0, 1, 1));
        assert_eq!(gate.run(Duration::from_secs(5), |_| 42).await, Ok(42));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_gate_refuses_at_once() {
        let gate = Arc::new(Gate::new(1, 0));
        let (started, wait_started) = tokio::sync::oneshot::channel();
        let busy = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.run(Duration::from_secs(5), move |_| {
                    let _ = started.send(());
                    std::thread::sleep(Duration::from_millis(300));
                })
                .await
            })
        };
        wait_started.await.unwrap();
        assert_eq!(gate.run(Duration::from_secs(5), |_| ()).await, Err(Refusal::Busy));
        assert_eq!(busy.await.unwrap(), Ok(()));
        assert_eq!(gate.status(0, 0).refused, 1);
    }

    #[test]
    fn cache_is_bounded_and_can_be_off() {
        let cache = Cache::new(64 * 1024);
        for i in 0..100 {
            let body = Bytes::from(vec![b'x'; 4096]);
            cache.insert(format!("k{i}"), Arc::new(Answer { content_type: "text/plain", body }));
        }
        assert!(cache.len() < 20, "{} answers kept in 64 KiB", cache.len());
        let off = Cache::new(0);
        off.insert("k".into(), Arc::new(Answer { content_type: "text/plain", body: Bytes::new() }));
        assert!(off.get("k").is_none() && off.len() == 0);
    }
}
