//! The auth key creation constructors of schema/mtproto.tl, encoded and
//! decoded here with the crate's TL primitives (both halves of the exchange
//! use them).

use crate::error::DecodeError;
use crate::wire::{Reader, Writer};

pub const REQ_PQ_MULTI: u32 = 0xbe7e8ef1;
pub const RES_PQ: u32 = 0x05162463;
pub const P_Q_INNER_DATA_DC: u32 = 0xa9f55f95;
pub const P_Q_INNER_DATA_TEMP_DC: u32 = 0x56fddf88;
pub const REQ_DH_PARAMS: u32 = 0xd712e4be;
pub const SERVER_DH_PARAMS_FAIL: u32 = 0x79cb045d;
pub const SERVER_DH_PARAMS_OK: u32 = 0xd0e8075c;
pub const SERVER_DH_INNER_DATA: u32 = 0xb5890dba;
pub const CLIENT_DH_INNER_DATA: u32 = 0x6643b654;
pub const SET_CLIENT_DH_PARAMS: u32 = 0xf5045f1f;
pub const DH_GEN_OK: u32 = 0x3bcbf734;
pub const DH_GEN_RETRY: u32 = 0x46dc1fb9;
pub const DH_GEN_FAIL: u32 = 0xa69dae02;

/// `resPQ`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResPq {
    pub nonce: [u8; 16],
    pub server_nonce: [u8; 16],
    pub pq: Vec<u8>,
    pub fingerprints: Vec<i64>,
}

impl ResPq {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.put_u32(RES_PQ);
        b.extend_from_slice(&self.nonce);
        b.extend_from_slice(&self.server_nonce);
        b.put_bytes(&self.pq);
        b.put_vec_i64(&self.fingerprints);
        b
    }

    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        expect(&mut r, RES_PQ)?;
        Ok(Self {
            nonce: r.array()?,
            server_nonce: r.array()?,
            pq: r.bytes()?.to_vec(),
            fingerprints: r.vec_i64()?,
        })
    }
}

/// `p_q_inner_data_dc` / `p_q_inner_data_temp_dc` (expires_in set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PqInnerData {
    pub pq: Vec<u8>,
    pub p: Vec<u8>,
    pub q: Vec<u8>,
    pub nonce: [u8; 16],
    pub server_nonce: [u8; 16],
    pub new_nonce: [u8; 32],
    pub dc: i32,
    pub expires_in: Option<i32>,
}

impl PqInnerData {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.put_u32(if self.expires_in.is_some() {
            P_Q_INNER_DATA_TEMP_DC
        } else {
            P_Q_INNER_DATA_DC
        });
        b.put_bytes(&self.pq);
        b.put_bytes(&self.p);
        b.put_bytes(&self.q);
        b.extend_from_slice(&self.nonce);
        b.extend_from_slice(&self.server_nonce);
        b.extend_from_slice(&self.new_nonce);
        b.put_i32(self.dc);
        if let Some(e) = self.expires_in {
            b.put_i32(e);
        }
        b
    }

    /// Decodes from data that may carry trailing padding (RSA_PAD).
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let id = r.u32()?;
        if id != P_Q_INNER_DATA_DC && id != P_Q_INNER_DATA_TEMP_DC {
            return Err(DecodeError::UnexpectedConstructor(id));
        }
        Ok(Self {
            pq: r.bytes()?.to_vec(),
            p: r.bytes()?.to_vec(),
            q: r.bytes()?.to_vec(),
            nonce: r.array()?,
            server_nonce: r.array()?,
            new_nonce: r.array()?,
            dc: r.i32()?,
            expires_in: if id == P_Q_INNER_DATA_TEMP_DC {
                Some(r.i32()?)
            } else {
                None
            },
        })
    }
}

/// `server_DH_inner_data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDhInner {
    pub nonce: [u8; 16],
    pub server_nonce: [u8; 16],
    pub g: i32,
    pub dh_prime: Vec<u8>,
    pub g_a: Vec<u8>,
    pub server_time: i32,
}

impl ServerDhInner {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.put_u32(SERVER_DH_INNER_DATA);
        b.extend_from_slice(&self.nonce);
        b.extend_from_slice(&self.server_nonce);
        b.put_i32(self.g);
        b.put_bytes(&self.dh_prime);
        b.put_bytes(&self.g_a);
        b.put_i32(self.server_time);
        b
    }

    /// Decodes and returns the value with the number of bytes it took.
    pub fn decode(body: &[u8]) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(body);
        expect(&mut r, SERVER_DH_INNER_DATA)?;
        let v = Self {
            nonce: r.array()?,
            server_nonce: r.array()?,
            g: r.i32()?,
            dh_prime: r.bytes()?.to_vec(),
            g_a: r.bytes()?.to_vec(),
            server_time: r.i32()?,
        };
        Ok((v, r.pos()))
    }
}

/// `client_DH_inner_data`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDhInner {
    pub nonce: [u8; 16],
    pub server_nonce: [u8; 16],
    pub retry_id: i64,
    pub g_b: Vec<u8>,
}

impl ClientDhInner {
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.put_u32(CLIENT_DH_INNER_DATA);
        b.extend_from_slice(&self.nonce);
        b.extend_from_slice(&self.server_nonce);
        b.put_i64(self.retry_id);
        b.put_bytes(&self.g_b);
        b
    }

    pub fn decode(body: &[u8]) -> Result<(Self, usize), DecodeError> {
        let mut r = Reader::new(body);
        expect(&mut r, CLIENT_DH_INNER_DATA)?;
        let v = Self {
            nonce: r.array()?,
            server_nonce: r.array()?,
            retry_id: r.i64()?,
            g_b: r.bytes()?.to_vec(),
        };
        Ok((v, r.pos()))
    }
}

/// `nonce server_nonce` followed by one more field: the common prefix of
/// server_DH_params_* and dh_gen_* (and of the two client requests).
pub fn nonces_and_hash(id: u32, nonce: &[u8; 16], server_nonce: &[u8; 16], tail: &[u8]) -> Vec<u8> {
    let mut b = Vec::with_capacity(36 + tail.len());
    b.put_u32(id);
    b.extend_from_slice(nonce);
    b.extend_from_slice(server_nonce);
    b.extend_from_slice(tail);
    b
}

fn expect(r: &mut Reader<'_>, id: u32) -> Result<(), DecodeError> {
    let got = r.u32()?;
    if got == id {
        Ok(())
    } else {
        Err(DecodeError::UnexpectedConstructor(got))
    }
}

/// Big-endian bytes of `v` without leading zeros (TL `bytes` for p, q, pq).
pub fn be_bytes(v: u64) -> Vec<u8> {
    let b = v.to_be_bytes();
    let skip = b.iter().take_while(|x| **x == 0).count().min(7);
    b[skip..].to_vec()
}

/// Reads a big-endian integer of at most 8 bytes.
pub fn from_be(bytes: &[u8]) -> Option<u64> {
    if bytes.len() > 8 {
        return None;
    }
    Some(bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b)))
}
