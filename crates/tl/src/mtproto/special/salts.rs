use crate::{
    deserialize_bare_vec, Cursor, Deserializable, DeserializeError, Identifiable, Serializable,
};

/// `future_salt#0949d9dc valid_since:int valid_until:int salt:long = FutureSalt`.
/// Inside [`FutureSalts`] it is bare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FutureSalt {
    pub valid_since: i32,
    pub valid_until: i32,
    pub salt: i64,
}

impl FutureSalt {
    pub fn serialize_bare(&self, buf: &mut Vec<u8>) {
        self.valid_since.serialize(buf);
        self.valid_until.serialize(buf);
        self.salt.serialize(buf);
    }

    pub fn deserialize_bare(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        Ok(FutureSalt {
            valid_since: i32::deserialize(buf)?,
            valid_until: i32::deserialize(buf)?,
            salt: i64::deserialize(buf)?,
        })
    }
}

impl Identifiable for FutureSalt {
    const CONSTRUCTOR_ID: u32 = 0x0949d9dc;
}

impl Serializable for FutureSalt {
    fn serialize(&self, buf: &mut Vec<u8>) {
        Self::CONSTRUCTOR_ID.serialize(buf);
        self.serialize_bare(buf);
    }
}

impl Deserializable for FutureSalt {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(Self::CONSTRUCTOR_ID, "FutureSalt")?;
        Self::deserialize_bare(buf)
    }
}

/// A [`FutureSalt`] read without its id (for the bare vector).
struct BareSalt(FutureSalt);

impl Deserializable for BareSalt {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        FutureSalt::deserialize_bare(buf).map(BareSalt)
    }
}

/// `future_salts#ae500895 req_msg_id:long now:int salts:vector<future_salt> = FutureSalts`:
/// the answer to `get_future_salts`; `salts` is a bare vector of bare salts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FutureSalts {
    pub req_msg_id: i64,
    pub now: i32,
    pub salts: Vec<FutureSalt>,
}

impl Identifiable for FutureSalts {
    const CONSTRUCTOR_ID: u32 = 0xae500895;
}

impl Serializable for FutureSalts {
    fn serialize(&self, buf: &mut Vec<u8>) {
        Self::CONSTRUCTOR_ID.serialize(buf);
        self.req_msg_id.serialize(buf);
        self.now.serialize(buf);
        (self.salts.len() as i32).serialize(buf);
        for salt in &self.salts {
            salt.serialize_bare(buf);
        }
    }
}

impl Deserializable for FutureSalts {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        buf.expect_id(Self::CONSTRUCTOR_ID, "FutureSalts")?;
        let req_msg_id = i64::deserialize(buf)?;
        let now = i32::deserialize(buf)?;
        let salts = deserialize_bare_vec::<BareSalt>(buf)?
            .into_iter()
            .map(|s| s.0)
            .collect();
        Ok(FutureSalts {
            req_msg_id,
            now,
            salts,
        })
    }
}
