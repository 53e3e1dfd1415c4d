//! IPv4 and IPv6 addresses as plain integers, so one implementation of ranges, painting
//! and lookup serves both families.

use std::fmt::Debug;
use std::hash::Hash;

pub(crate) trait Addr: Copy + Ord + Eq + Hash + Debug + Send + Sync + 'static {
    const ZERO: Self;
    /// Bytes in the index file.
    const BYTES: usize;

    fn succ(self) -> Option<Self>;
    /// The top 16 bits: the bucket of the lookup table in front of the binary search.
    fn top16(self) -> usize;
    /// The first address whose top 16 bits are `bucket`.
    fn bucket_start(bucket: usize) -> Self;
    /// Number of addresses in `first..=last` minus one, for ranking ranges by size.
    fn span(first: Self, last: Self) -> u128;
    fn put_le(self, out: &mut Vec<u8>);
    /// `bytes` is exactly `BYTES` long.
    fn read_le(bytes: &[u8]) -> Self;
    /// The network `self/prefix` as a first and last address; a prefix longer than the
    /// address counts as a single address.
    fn cidr(self, prefix: u32) -> (Self, Self);
}

impl Addr for u32 {
    const ZERO: u32 = 0;
    const BYTES: usize = 4;

    fn succ(self) -> Option<u32> {
        self.checked_add(1)
    }
    fn top16(self) -> usize {
        (self >> 16) as usize
    }
    fn bucket_start(bucket: usize) -> u32 {
        (bucket as u32) << 16
    }
    fn span(first: u32, last: u32) -> u128 {
        u128::from(last.saturating_sub(first))
    }
    fn put_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(bytes);
        u32::from_le_bytes(b)
    }
    fn cidr(self, prefix: u32) -> (u32, u32) {
        let host = u32::MAX.checked_shr(prefix).unwrap_or(0);
        (self & !host, self | host)
    }
}

impl Addr for u128 {
    const ZERO: u128 = 0;
    const BYTES: usize = 16;

    fn succ(self) -> Option<u128> {
        self.checked_add(1)
    }
    fn top16(self) -> usize {
        (self >> 112) as usize
    }
    fn bucket_start(bucket: usize) -> u128 {
        (bucket as u128) << 112
    }
    fn span(first: u128, last: u128) -> u128 {
        last.saturating_sub(first)
    }
    fn put_le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(bytes: &[u8]) -> u128 {
        let mut b = [0u8; 16];
        b.copy_from_slice(bytes);
        u128::from_le_bytes(b)
    }
    fn cidr(self, prefix: u32) -> (u128, u128) {
        let host = u128::MAX.checked_shr(prefix).unwrap_or(0);
        (self & !host, self | host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_bounds() {
        assert_eq!(0x0a01_0203u32.cidr(8), (0x0a00_0000, 0x0aff_ffff));
        assert_eq!(0x0a01_0203u32.cidr(32), (0x0a01_0203, 0x0a01_0203));
        assert_eq!(7u32.cidr(0), (0, u32::MAX));
        assert_eq!(7u128.cidr(0), (0, u128::MAX));
        assert_eq!(u128::MAX.cidr(128), (u128::MAX, u128::MAX));
    }

    #[test]
    fn buckets_and_bytes() {
        assert_eq!(0xabcd_1234u32.top16(), 0xabcd);
        assert_eq!(u32::bucket_start(0xabcd), 0xabcd_0000);
        assert_eq!((0x2001u128 << 112).top16(), 0x2001);
        let mut out = Vec::new();
        0x0102_0304u32.put_le(&mut out);
        assert_eq!(u32::read_le(&out), 0x0102_0304);
        out.clear();
        (u128::MAX - 5).put_le(&mut out);
        assert_eq!(u128::read_le(&out), u128::MAX - 5);
    }
}
