use super::*;
use crate::dh::TELEGRAM_DH_PRIME;
use rand::SeedableRng;

fn rng(seed: u64) -> rand::rngs::StdRng {
    rand::rngs::StdRng::seed_from_u64(seed)
}

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn telegram_algo(salt1: &[u8], salt2: &[u8]) -> PasswordAlgo {
    PasswordAlgo {
        salt1: salt1.to_vec(),
        salt2: salt2.to_vec(),
        g: 3,
        p: TELEGRAM_DH_PRIME.to_vec(),
    }
}

/// Published vector from grammers' `two_factor_auth` tests
/// (`check_calculations_2`): Telegram's prime, g = 3, password "234567";
/// verified against the api/srp formulas independently.
#[test]
fn published_known_answer() {
    let algo = telegram_algo(
        &unhex("5f483c38bd0986e7cdc95ae138ef4f49b951c1f81c713fecdef3af692cec4b4716ac9b770a195ebe"),
        &unhex("b616fc6bbedf511119c5ed34629527f1"),
    );
    let g_b = unhex(concat!(
        "93f70ebd50f6426aca2568769599f91f24d01284cc51a449e62dcc1527dfe501",
        "26b2aa44238e4fb2331419ed4aebf1a0ae15e03abd18bfc52ca6baec564c13b5",
        "a1d2e357799897757bb736fdc2ceb1b56aacf19ab3548d6d922a522f0b51f401",
        "24c3bc9936aff3e1dcfbea39ac9ad2addc6af0ad30783278bbb84cab0ed8464b",
        "0ffeb2b0c93a39a5d97dba0105672ca5475373d8d23e54a6ac9bed9519e8bef4",
        "f00719f5ad56151be5537648df2f8e3e7265cb57fb94a054ce2a82b8cc664ad0",
        "60e0d6c6df1879345440eb977fa0f2d36f31a253d8917732f133d40033a34b61",
        "52969b600d59cdabfea2ab2393ad659e56d66e13605b1f61e48e3cd65c0f58ac",
    ));
    let a: [u8; 256] = unhex(concat!(
        "bf31574f34fce1e53891c59b7f62468a0ca682da8585df8de0a18873359755fb",
        "b1818878a9ee919bb1e94d20c5f0607e02a33176199bf3220256c9ea1a69f395",
        "a515d20539d88cda750a5252fb864f573f2b032f3b467d08b34fd9c89d1c5d06",
        "278e113e51d4e893c1c027455af4653f096607a4156d94fb8e1dc7cee5bfe328",
        "50982f941ae4414e83bf22df56270b43b7ccc44c26d40886464da8e344a85407",
        "95b8f69b8f508552a723cd6931e1d69204e8e9dc056f0a2a10a0d7951e355f3e",
        "def5a5e18a9091295a51eb9db10b8b0d30489c8d29bc0cd86e97781f5e30c5b6",
        "bfe7caf4aae81b282e653ac48aa1a8fde789722bc04f4320cd9f86849fe05ca4",
    ))
    .try_into()
    .unwrap();
    let answer = compute_check_with_secret(&algo, 77, &g_b, b"234567", &a).unwrap();
    assert_eq!(answer.srp_id, 77);
    assert_eq!(
        hex::encode(answer.m1),
        "4d7af412c5a2e7b15467376bd118b853604e687b31f51c4980c4d7c1876613e3"
    );
    assert_eq!(
        hex::encode(&answer.a[..16]),
        "0fa12bc655b1187a28296a69ae565d68"
    );
    assert_eq!(
        hex::encode(&verifier(&algo, b"234567").unwrap()[..16]),
        "5c6a703044a44c22babe5f578e00badc"
    );
    let wrong = compute_check_with_secret(&algo, 77, &g_b, b"234568", &a).unwrap();
    assert_ne!(wrong.m1, answer.m1);
}

#[test]
fn client_server_round_trip() {
    let algo = telegram_algo(b"salt-one-0123456789", b"salt-two");
    let v = verifier(&algo, b"correct horse").unwrap();
    let server = SrpServer::new(&algo, &v, &mut rng(1)).unwrap();
    let answer = compute_check(&algo, 5, server.srp_b(), b"correct horse", &mut rng(2)).unwrap();
    assert_eq!(server.verify(&answer.a, &answer.m1), Ok(()));

    let wrong = compute_check(&algo, 5, server.srp_b(), b"correct horsf", &mut rng(3)).unwrap();
    assert_eq!(
        server.verify(&wrong.a, &wrong.m1),
        Err(SrpError::WrongPassword)
    );
    // A replayed M1 with a different g_a fails too.
    assert_eq!(
        server.verify(&wrong.a, &answer.m1),
        Err(SrpError::WrongPassword)
    );
    assert_eq!(
        server.verify(&answer.a, &answer.m1[..31]),
        Err(SrpError::WrongPassword)
    );
}

#[test]
fn seeded_rng_is_deterministic() {
    let algo = telegram_algo(b"s1", b"s2");
    let v = verifier(&algo, b"pw").unwrap();
    let server = SrpServer::new(&algo, &v, &mut rng(9)).unwrap();
    let x = compute_check(&algo, 1, server.srp_b(), b"pw", &mut rng(4)).unwrap();
    let y = compute_check(&algo, 1, server.srp_b(), b"pw", &mut rng(4)).unwrap();
    assert_eq!(x, y);
}

#[test]
fn hostile_parameters_are_rejected() {
    let good = telegram_algo(b"s1", b"s2");
    let v = verifier(&good, b"pw").unwrap();
    let server = SrpServer::new(&good, &v, &mut rng(1)).unwrap();
    let b = server.srp_b().to_vec();

    let mut short_p = good.clone();
    short_p.p.truncate(128);
    assert!(matches!(
        compute_check(&short_p, 1, &b, b"pw", &mut rng(1)),
        Err(SrpError::Params(DhError::PrimeSize { .. }))
    ));
    let mut bad_g = good.clone();
    bad_g.g = 2;
    assert!(matches!(
        compute_check(&bad_g, 1, &b, b"pw", &mut rng(1)),
        Err(SrpError::Params(DhError::GeneratorNotQuadraticResidue {
            g: 2
        }))
    ));
    bad_g.g = 9;
    assert!(compute_check(&bad_g, 1, &b, b"pw", &mut rng(1)).is_err());
    for srp_b in [vec![], vec![1], vec![0xff; 256], TELEGRAM_DH_PRIME.to_vec()] {
        assert_eq!(
            compute_check(&good, 1, &srp_b, b"pw", &mut rng(1)),
            Err(SrpError::Params(DhError::PublicValueOutOfRange))
        );
    }
    assert_eq!(
        server.verify(&[2], &[0; 32]),
        Err(SrpError::Params(DhError::PublicValueOutOfRange))
    );
    let mut a_one = [0u8; 256];
    a_one[255] = 1;
    assert_eq!(
        compute_check_with_secret(&good, 1, &b, b"pw", &a_one),
        Err(SrpError::Params(DhError::PublicValueOutOfRange))
    );
}

#[test]
fn password_hash_follows_ph1_ph2() {
    let algo = telegram_algo(b"A", b"B");
    let ph1 = sh(&sh(b"pw", b"A"), b"B");
    let mut dk = [0u8; 64];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(&ph1, b"A", 100_000, &mut dk);
    assert_eq!(*password_hash(&algo, b"pw"), sha256(&[b"B", &dk, b"B"]));
}
