//! The connections open at once, and which are still sending their request: the oldest of
//! those is dropped to make room, and event streams get a share of their own.

use std::collections::VecDeque;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::{MAX_CONNECTIONS, MAX_EVENT_STREAMS};

/// The connections open, and which of them are still sending their request.
#[derive(Default)]
pub(super) struct Connections {
    slots: Mutex<Slots>,
    next_id: AtomicU64,
}

#[derive(Default)]
struct Slots {
    open: usize,
    event_streams: usize,
    /// Oldest first.
    reading: VecDeque<(u64, Arc<TcpStream>)>,
}

impl Connections {
    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes a slot for a new connection, dropping the oldest one still sending its request
    /// when all are taken. `None` when every connection is being answered.
    pub(super) fn admit(&self, stream: &Arc<TcpStream>) -> Option<u64> {
        let mut slots = self.slots();
        if slots.open >= MAX_CONNECTIONS {
            let (_, oldest) = slots.reading.pop_front()?;
            // Its thread sees the end of the stream at once and gives the slot back.
            let _ = oldest.shutdown(Shutdown::Both);
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        slots.open += 1;
        slots.reading.push_back((id, stream.clone()));
        Some(id)
    }

    /// The request has arrived: this connection can no longer be dropped to make room.
    pub(super) fn done_reading(&self, id: u64) {
        self.slots().reading.retain(|(i, _)| *i != id);
    }

    fn close(&self, id: u64) {
        let mut slots = self.slots();
        slots.reading.retain(|(i, _)| *i != id);
        slots.open -= 1;
    }

    pub(super) fn start_event_stream(&self) -> bool {
        let mut slots = self.slots();
        if slots.event_streams >= MAX_EVENT_STREAMS {
            return false;
        }
        slots.event_streams += 1;
        true
    }

    pub(super) fn end_event_stream(&self) {
        self.slots().event_streams -= 1;
    }
}

/// Gives a connection's slot back when its thread ends, however it ends.
pub(super) struct Admitted {
    pub(super) connections: Arc<Connections>,
    pub(super) id: u64,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.close(self.id);
    }
}
