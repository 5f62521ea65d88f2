//! TDLib's `zero_encode`/`zero_decode`: every run of 0x00 bytes becomes `0x00, n`
//! (1 ≤ n ≤ 250; longer runs are split, as TDLib does; Pyrogram cannot write them at all).
//! Other bytes pass through. Ids are mostly small integers, so this halves them.

use crate::DecodeError;

/// The longest run one pair stands for (TDLib's limit).
const MAX_RUN: u8 = 250;

pub fn encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut run: u8 = 0;
    for &b in data {
        if b == 0 {
            run += 1;
            if run == MAX_RUN {
                out.extend([0, run]);
                run = 0;
            }
            continue;
        }
        if run > 0 {
            out.extend([0, run]);
            run = 0;
        }
        out.push(b);
    }
    if run > 0 {
        out.extend([0, run]);
    }
    out
}

/// Expands the runs. A zero must be followed by its count; a zero count (which no encoder
/// writes) stands for nothing, as in TDLib.
pub fn decode(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(data.len() * 2);
    let mut bytes = data.iter().enumerate();
    while let Some((offset, &b)) = bytes.next() {
        if b != 0 {
            out.push(b);
            continue;
        }
        let Some((_, &n)) = bytes.next() else {
            return Err(DecodeError::ZeroRun { offset });
        };
        out.resize(out.len() + usize::from(n), 0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_pairs() {
        assert_eq!(encode(&[5, 0, 0, 0, 7, 0]), [5, 0, 3, 7, 0, 1]);
        assert_eq!(decode(&[5, 0, 3, 7, 0, 1]).unwrap(), [5, 0, 0, 0, 7, 0]);
    }

    #[test]
    fn long_runs_are_split_at_250() {
        let data = vec![0u8; 600];
        let packed = encode(&data);
        assert_eq!(packed, [0, 250, 0, 250, 0, 100]);
        assert_eq!(decode(&packed).unwrap(), data);
    }

    #[test]
    fn a_lone_trailing_zero_is_an_error() {
        assert_eq!(decode(&[1, 0]), Err(DecodeError::ZeroRun { offset: 1 }));
    }
}
