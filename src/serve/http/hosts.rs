//! Which `Host` a request may name: only this machine, so DNS rebinding gets nothing.

use std::net::{IpAddr, SocketAddr};

/// The `Host` values answered: this machine's loopback names and the bound address, with the
/// bound port. Bound to every address (`--bind 0.0.0.0`), any IP address is answered too (other
/// devices reach it by the machine's address), but still no other name: DNS rebinding needs one.
#[derive(Debug, Clone)]
pub struct Hosts {
    port: u16,
    bound: IpAddr,
}

impl Hosts {
    pub fn for_address(addr: SocketAddr) -> Hosts {
        Hosts {
            port: addr.port(),
            bound: addr.ip(),
        }
    }

    /// Whether a `Host` header value names this server.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        // No port means the scheme's default.
        if port.unwrap_or(80) != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<std::net::Ipv6Addr>().map(IpAddr::V6),
            None => name.parse::<std::net::Ipv4Addr>().map(IpAddr::V4),
        };
        let Ok(ip) = ip else { return false };
        ip.is_loopback() || ip == self.bound || self.bound.is_unspecified()
    }
}

/// `name[:port]` or `[v6][:port]`; `None` when malformed.
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        match &host[end..] {
            "" => (&host[..end], None),
            rest => (&host[..end], Some(rest.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if name.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    Some((name, port))
}
