use super::*;
use crate::plan::Transport;

fn via(url: &str) -> ProbeSpec {
    ProbeSpec {
        dc_id: 2,
        media_only: false,
        address: "127.0.0.1:4002".parse().expect("addr"),
        family: crate::plan::Family::Ipv4,
        transport: Transport::Intermediate,
        proxy: Some(std::sync::Arc::new(ProxySpec::parse(url).expect("url"))),
    }
}

#[test]
fn proxy_refusing_the_dc_is_named_with_the_dc() {
    let refused = ConnectError::ProxyRefusedTarget {
        proxy: Peer::Http(Endpoint::new("127.0.0.1", 8888)),
        target: Endpoint::new("127.0.0.1", 4002),
        reason: "HTTP 403 Forbidden".into(),
    };
    let v = connect_verdict(&via("http://u:p@127.0.0.1:8888"), &refused);
    assert_eq!(v.code(), "proxy_cannot_reach_dc");
    assert!(v.title().contains("DC 2 (127.0.0.1:4002)"));
}
