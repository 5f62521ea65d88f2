use crate::{Cursor, Deserializable, DeserializeError, Serializable};

/// A query kept as raw bytes: the inner `!X` of a generic function read by
/// a server. Decoding takes every remaining byte of the input, so it only
/// works as the last field, which is where TL puts `query:!X`:
///
/// ```
/// use hearth_tl::{functions::InvokeWithLayer, Deserializable, RawQuery, Serializable};
/// let wire = InvokeWithLayer { layer: hearth_tl::LAYER, query: RawQuery(vec![1, 2, 3, 4]) }.to_bytes();
/// let read = InvokeWithLayer::<RawQuery>::from_bytes(&wire).unwrap();
/// assert_eq!(read.query.0, [1, 2, 3, 4]);
/// ```
///
/// The server then decodes `read.query.0` by its leading constructor id
/// (which may be another `invokeWith...` wrapper).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawQuery(pub Vec<u8>);

impl RawQuery {
    /// The constructor id of the wrapped query, if it has four bytes.
    pub fn constructor_id(&self) -> Option<u32> {
        self.0.first_chunk::<4>().map(|b| u32::from_le_bytes(*b))
    }
}

impl Serializable for RawQuery {
    fn serialize(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(&self.0);
    }
}

impl Deserializable for RawQuery {
    fn deserialize(buf: &mut Cursor<'_>) -> Result<Self, DeserializeError> {
        Ok(RawQuery(buf.read_rest().to_vec()))
    }
}
