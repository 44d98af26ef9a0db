use super::*;

#[test]
fn paths_map_to_files_inside_the_output() {
    assert_eq!(resolve("/").unwrap(), "index.html");
    assert_eq!(resolve("/a/b/").unwrap(), "a/b/index.html");
    assert_eq!(resolve("/style.css").unwrap(), "style.css");
    assert_eq!(resolve("/caf%C3%A9/").unwrap(), "café/index.html");
    assert_eq!(resolve("/a%20b.txt").unwrap(), "a b.txt");
}

#[test]
fn paths_that_leave_the_output_are_refused() {
    for bad in [
        "/../Cargo.toml",
        "/a/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/.%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..\\Cargo.toml",
        "/..%5cCargo.toml",
        "/%252e%252e/x",
        "/a/./b",
        "/a%00b",
        "//etc/passwd",
    ] {
        let r = resolve(bad);
        assert!(r.is_err() || r == Ok("%2e%2e/x".into()), "{bad}: {r:?}");
    }
    assert_eq!(resolve("no-slash"), Err(Refused::BadRequest));
    assert_eq!(resolve("/%zz"), Err(Refused::BadRequest));
    assert_eq!(resolve("/%ff"), Err(Refused::BadRequest));
    assert_eq!(resolve("/%+1"), Err(Refused::BadRequest));
}

#[test]
fn only_this_machines_names_with_the_port_are_answered() {
    let loopback = Hosts::for_address("127.0.0.1:1111".parse().unwrap());
    for ok in [
        "127.0.0.1:1111",
        "localhost:1111",
        "LOCALHOST:1111",
        "[::1]:1111",
        "127.0.0.2:1111",
    ] {
        assert!(loopback.allows(ok), "{ok}");
    }
    for bad in [
        "evil.example:1111",
        "localhost.evil.example:1111",
        "127.0.0.1.nip.io:1111",
        "192.168.1.5:1111",
        "127.0.0.1:1112",
        "127.0.0.1",
        "127.0.0.1:",
        "127.0.0.1:+1111",
        "[::1]x:1111",
        "::1:1111",
        ":1111",
        "",
    ] {
        assert!(!loopback.allows(bad), "{bad}");
    }
    let lan = Hosts::for_address("192.168.1.5:80".parse().unwrap());
    assert!(lan.allows("192.168.1.5") && lan.allows("192.168.1.5:80"));
    assert!(!lan.allows("192.168.1.6") && !lan.allows("intranet.example"));
    // Bound to every address: any address (how other devices reach it), but no other name.
    let every = Hosts::for_address("0.0.0.0:1111".parse().unwrap());
    assert!(every.allows("10.1.2.3:1111") && every.allows("[fe80::1]:1111"));
    assert!(!every.allows("evil.example:1111"));
}

#[test]
fn redirects_name_the_file_percent_encoded() {
    assert_eq!(encode_path("aftercare"), "aftercare");
    assert_eq!(encode_path("café/a b"), "caf%C3%A9/a%20b");
    assert_eq!(encode_path("a?b\r\n<x>"), "a%3Fb%0D%0A%3Cx%3E");
}

#[test]
fn the_script_goes_before_head_end() {
    let out = inject(b"<html><HEAD><title>x</title></HEAD><body></body>", "<s>");
    assert_eq!(out, b"<html><HEAD><title>x</title><s></HEAD><body></body>");
    assert_eq!(inject(b"plain", "<s>"), b"plain<s>");
}

#[test]
fn types_by_extension() {
    assert_eq!(mime_of("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(mime_of("style.CSS"), "text/css; charset=utf-8");
    assert_eq!(mime_of("feed/atom.xml"), "application/xml; charset=utf-8");
    assert_eq!(mime_of("a.b/c"), "application/octet-stream");
    assert_eq!(mime_of("x.woff2"), "font/woff2");
}
