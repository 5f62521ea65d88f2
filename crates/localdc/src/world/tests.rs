use super::*;

#[test]
fn test_numbers_map_to_their_dc() {
    assert_eq!(test_phone_dc("9996621234"), Some(2));
    assert_eq!(test_phone_dc("9996651234"), Some(5));
    assert_eq!(test_phone_dc("9996661234"), None);
    assert_eq!(test_phone_dc("999662123"), None);
    assert_eq!(test_phone_dc("15551234567"), None);
}

#[test]
fn demo_world_loads() {
    let w = World::parse(include_str!("../../../../tests/world/demo.toml"), "demo").unwrap();
    assert!(w.accounts.iter().any(|a| a.password.is_some()));
    assert_eq!(w.bots.len(), 1);
    assert!(!w.private_chats.is_empty() && !w.groups.is_empty() && !w.channels.is_empty());
    assert_eq!(w.user_id("alice"), Some(1_000_001));
}

#[test]
fn errors_name_what_is_wrong() {
    let cases = [
        (
            "[[account]]\nname='a'\nphone='+1'\nfirst_name='A'",
            "digits only",
        ),
        (
            "[[account]]\nname='a'\nphone='15550001'\nfirst_name='A'",
            "needs `dc = N`",
        ),
        (
            "[[account]]\nname='a'\nphone='9996621234'\nfirst_name='A'\ndc=3",
            "belongs to DC 2",
        ),
        (
            "[[group]]\ntitle='g'\ncreator='zed'\nmembers=['zed']",
            "\"zed\" is not an account",
        ),
        (
            "[[bot]]\nname='b'\ntoken='x'\nusername='b_bot'\nfirst_name='B'",
            "token must look like",
        ),
        (
            "[[account]]\nname='a'\nphone='9996621234'\nfirst_name='A'\ncolour='red'",
            "unknown field",
        ),
        ("[server]\nports = { 9 = 1 }", "DC id 1..5"),
    ];
    for (text, needle) in cases {
        let err = World::parse(text, "t").unwrap_err().to_string();
        assert!(err.contains(needle), "{err:?} should mention {needle:?}");
    }
}

#[test]
fn flaky_network_world_loads_with_proxy_and_faults() {
    let w = World::parse(
        include_str!("../../../../tests/world/flaky_network.toml"),
        "flaky_network",
    )
    .unwrap();
    assert!(w.server.mtproxy().is_some());
    let kinds: Vec<&str> = w.faults.iter().map(|f| f.kind()).collect();
    assert_eq!(kinds, ["flood", "flood", "drop", "latency", "error"]);
    let floods: Vec<&crate::faults::FloodRule> = w
        .faults
        .iter()
        .filter_map(|f| match f {
            crate::faults::FaultRule::Flood(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(floods[0].method, "messages.sendMessage");
    assert_eq!(
        (floods[0].limit, floods[0].wait_secs, floods[0].jitter_secs),
        (3, 5, 3)
    );
    assert_eq!(floods[1].window_secs, 10);
}

#[test]
fn channel_tables_are_checked() {
    let base = "[[account]]\nname='a'\nphone='9996621111'\nfirst_name='A'\n[[account]]\nname='b'\nphone='9996622222'\nfirst_name='B'\n";
    let cases = [
        (
            "[[channel]]\ntitle='T'\ncreator='a'\nmembers=['b']\nmessages=[{from='b',text='x'}]",
            "only the creator and admins post",
        ),
        (
            "[[channel]]\ntitle='T'\ncreator='a'\nusername='1abc'",
            "must be 5-32 letters",
        ),
        (
            "[[channel]]\ntitle='T'\ncreator='a'\nadmins=['zed']",
            "\"zed\" is not an account",
        ),
    ];
    for (table, wanted) in cases {
        let err = World::parse(&format!("{base}{table}"), "t")
            .unwrap_err()
            .to_string();
        assert!(err.contains(wanted), "{err}");
    }
    let ok = "[[channel]]\ntitle='T'\ncreator='a'\nadmins=['b']\nmessages=[{from='b',text='x'}]\n[[channel]]\ntitle='G'\ncreator='a'\nmegagroup=true\nmembers=['b']\nmessages=[{from='b',text='y'}]";
    let w = World::parse(&format!("{base}{ok}"), "t").unwrap();
    assert_eq!(w.channels[0].admins, ["b"]);
}
