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
fn http_401_to_connect_is_a_credentials_problem() {
    let refused = |code: &str| ConnectError::ProxyRefusedTarget {
        proxy: Peer::Http(Endpoint::new("127.0.0.1", 8888)),
        target: Endpoint::new("127.0.0.1", 4002),
        reason: format!("HTTP {code}"),
    };
    let with = via("http://u:p@127.0.0.1:8888");
    let without = via("http://127.0.0.1:8888");
    assert_eq!(
        connect_verdict(&with, &refused("401 Unauthorized")).code(),
        "proxy_auth_rejected"
    );
    assert_eq!(
        connect_verdict(&without, &refused("401 Unauthorized")).code(),
        "proxy_auth_required"
    );
    let v = connect_verdict(&with, &refused("403 Forbidden"));
    assert_eq!(v.code(), "proxy_cannot_reach_dc");
    assert!(v.title().contains("DC 2 (127.0.0.1:4002)"));
}
