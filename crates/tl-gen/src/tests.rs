use super::*;
use hearth_tl_parser::parse;

fn config() -> Config {
    Config {
        root: "crate".into(),
        extern_types: vec![("Special".into(), "crate::Special".into())],
        emit_layer: true,
        name_fn: "names".into(),
        function_id_fn: Some("function_id".into()),
        byte_strings: vec![("raw".into(), "data".into())],
    }
}

fn gen(text: &str) -> Result<String, GenError> {
    generate(&parse(text).expect("parses"), &config())
}

const SMALL: &str = "boolTrue#997275b5 = Bool;
peerUser#59511722 user_id:long = Peer;
peerEmpty#1 = Peer;
richNested#2 flags:# text:RichText other:flags.0?RichText strict:flags.1?true = RichText;
richPlain#3 text:string type:int = RichText;
auth.sentCode#4 flags:# flags2:# a:flags.3?int b:flags2.0?true items:Vector<Peer> = auth.SentCode;
---functions---
auth.sendCode#5 phone:string = auth.SentCode;
invokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;
getSpecial#6 = Special;
// LAYER 7
";

#[test]
fn generates_modules_layer_and_names() {
    let out = gen(SMALL).expect("generates");
    assert!(out.contains("pub const LAYER: i32 = 7;"));
    assert!(out.contains("pub mod types {"));
    assert!(out.contains("pub mod auth {"));
    assert!(out.contains("pub struct SentCode {"));
    assert!(out.contains("pub enum Peer {"));
    // Field-less constructors are unit variants.
    assert!(out.contains("    PeerEmpty,\n"));
    assert!(out.contains("PeerUser(crate::types::PeerUser)"));
    // Bool maps to bool: no generated type.
    assert!(!out.contains("pub struct BoolTrue"));
    assert!(out.contains("0x997275b5 => \"boolTrue\""));
    // Keywords get a trailing underscore.
    assert!(out.contains("pub type_: i32"));
    // Generic functions.
    assert!(out.contains("pub struct InvokeWithLayer<X> {"));
    assert!(out.contains("type Return = X::Return;"));
    assert!(out.contains("type Return = crate::enums::auth::SentCode;"));
    assert!(out.contains("type Return = crate::Special;"));
}

#[test]
fn flags_and_recursion() {
    let out = gen(SMALL).expect("generates");
    assert!(out.contains("pub text: ::std::boxed::Box<crate::enums::RichText>"));
    assert!(
        out.contains("pub other: ::std::option::Option<::std::boxed::Box<crate::enums::RichText>>")
    );
    assert!(out.contains("pub strict: bool"));
    assert!(out.contains("if self.b { flags_flags2 |= 1 << 0; }"));
    assert!(out.contains("if self.a.is_some() { flags_flags |= 1 << 3; }"));
    // Recursive types count depth; others do not.
    assert!(out.contains("impl RichText { fn deserialize_nested"));
    assert!(!out.contains("impl Peer { fn deserialize_nested"));
}

#[test]
fn unknown_types_are_errors() {
    let err = gen("a#1 x:Missing = A;").expect_err("must fail");
    assert_eq!(
        err,
        GenError::UnknownType {
            line: 1,
            ty: "Missing".into()
        }
    );
}

#[test]
fn name_clashes_are_errors() {
    let err = gen("fooBar#1 = A;\nfoo_bar#2 = A;\n// LAYER 1").expect_err("must fail");
    assert!(matches!(err, GenError::NameClash { .. }), "{err:?}");
}

#[test]
fn missing_layer_is_an_error() {
    let err = gen("a#1 = A;").expect_err("must fail");
    assert_eq!(err, GenError::MissingLayer);
}

#[test]
fn bare_vector_of_bare_constructors_is_unsupported() {
    let err = gen("m#1 x:int = M;\nc#2 v:vector<%M> = C;").expect_err("must fail");
    assert!(
        matches!(err, GenError::Unsupported { line: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn real_schemas_generate() {
    for (text, root) in [
        (include_str!("../../../schema/api.tl"), "crate"),
        (include_str!("../../../schema/mtproto.tl"), "crate::mtproto"),
    ] {
        let cfg = Config {
            root: root.into(),
            extern_types: vec![(
                "FutureSalts".into(),
                "crate::mtproto::special::FutureSalts".into(),
            )],
            emit_layer: false,
            name_fn: "n".into(),
            function_id_fn: Some("f".into()),
            byte_strings: Vec::new(),
        };
        let out = generate(&parse(text).expect("parses"), &cfg).expect("generates");
        assert!(out.len() > 1000);
    }
}

#[test]
fn function_ids_are_sorted_by_name_and_leave_out_constructors() {
    let out = gen(SMALL).expect("generates");
    let table = &out[out
        .find("pub(crate) fn function_id(name: &str)")
        .expect("lookup")..];
    let auth = table
        .find("(\"auth.sendCode\", 0x00000005),")
        .expect("auth.sendCode");
    let special = table
        .find("(\"getSpecial\", 0x00000006),")
        .expect("getSpecial");
    let invoke = table
        .find("(\"invokeWithLayer\", 0xda9b0d0d),")
        .expect("invokeWithLayer");
    assert!(auth < special && special < invoke, "{table}");
    assert!(!table.contains("\"auth.sentCode\""), "{table}");
    let mut cfg = config();
    cfg.function_id_fn = None;
    let out = generate(&parse(SMALL).expect("parses"), &cfg).expect("generates");
    assert!(!out.contains("const IDS"));
}

#[test]
fn large_fields_are_boxed() {
    let big_params: Vec<String> = (0..13).map(|i| format!("f{i}:int128")).collect();
    let text = format!(
        "big#1 {} = Big;\nsmall#2 a:int = Small;\nholder#3 flags:# x:flags.0?Big y:Small = Holder;\n// LAYER 1",
        big_params.join(" ")
    );
    let out = gen(&text).expect("generates");
    assert!(
        out.contains("pub x: ::std::option::Option<::std::boxed::Box<crate::enums::Big>>"),
        "{out}"
    );
    assert!(out.contains("pub y: crate::enums::Small,"));
}

#[test]
fn fields_are_read_in_wire_order() {
    // Flag words first: fields go straight into the struct literal.
    let out = gen("a#1 flags:# x:int y:flags.0?long = A;\n// LAYER 1").expect("generates");
    assert!(out.contains("Ok(Self { x: <i32 as crate::Deserializable>::deserialize(buf)?, y: if flags_flags & (1 << 0) != 0"), "{out}");
    // A flag word after a data field: read into locals in wire order.
    let out = gen("b#2 x:int flags:# y:flags.0?long = B;\n// LAYER 1").expect("generates");
    let x = out.find("let v_x = ").expect("x local");
    let flags = out.find("let flags_flags = ").expect("flags local");
    let y = out.find("let v_y = ").expect("y local");
    assert!(x < flags && flags < y);
}

#[test]
fn listed_string_fields_are_bytes() {
    let out = gen("raw#1 data:string text:string = Raw;\n// LAYER 1").expect("generates");
    assert!(out.contains("pub data: ::std::vec::Vec<u8>"), "{out}");
    assert!(out.contains("pub text: ::std::string::String"), "{out}");
}
