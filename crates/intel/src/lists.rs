//! User lists: one IP address, CIDR block or `AS123` per line, `#` starting a comment
//! (the format of X4BNet's lists_vpn and of most published blocklists).

use std::net::IpAddr;

use crate::addr::Addr;
use crate::error::IntelError;

/// The entries of one list.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ListData {
    pub v4: Vec<(u32, u32)>,
    pub v6: Vec<(u128, u128)>,
    pub asns: Vec<u32>,
}

impl ListData {
    pub(crate) fn ranges(&self) -> usize {
        self.v4.len() + self.v6.len()
    }
}

/// Parses a list; `display` names the file in errors.
pub(crate) fn parse_list(bytes: &[u8], display: &str) -> Result<ListData, IntelError> {
    let mut list = ListData::default();
    for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = n as u64 + 1;
        let error = |message: String| IntelError::List {
            file: display.to_owned(),
            line,
            message,
        };
        let text =
            std::str::from_utf8(raw).map_err(|_| error("the line is not UTF-8 text".into()))?;
        let entry = text
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('\u{feff}');
        if entry.is_empty() {
            continue;
        }
        if let Some(digits) = entry
            .strip_prefix("AS")
            .or_else(|| entry.strip_prefix("as"))
        {
            let asn = digits
                .trim()
                .parse::<u32>()
                .map_err(|_| error(format!("{entry:?} is not an AS number")))?;
            list.asns.push(asn);
            continue;
        }
        let (addr, prefix) = match entry.split_once('/') {
            Some((addr, prefix)) => (addr.trim(), Some(prefix.trim())),
            None => (entry, None),
        };
        let ip: IpAddr = addr.parse().map_err(|_| {
            error(format!("{entry:?} is not an IP address, a CIDR block (203.0.113.0/24) or an AS number (AS64500)"))
        })?;
        let bad_prefix = || error(format!("{entry:?} has an invalid prefix length"));
        match ip {
            IpAddr::V4(v4) => {
                let bits = prefix
                    .map_or(Ok(32), |p| p.parse::<u32>())
                    .map_err(|_| bad_prefix())?;
                if bits > u32::BITS {
                    return Err(bad_prefix());
                }
                list.v4.push(u32::from(v4).cidr(bits));
            }
            IpAddr::V6(v6) => {
                let bits = prefix
                    .map_or(Ok(128), |p| p.parse::<u32>())
                    .map_err(|_| bad_prefix())?;
                if bits > u128::BITS {
                    return Err(bad_prefix());
                }
                list.v6.push(u128::from(v6).cidr(bits));
            }
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_blocks_and_asns() {
        let text = b"# VPN exits\n2.58.241.67/32\n2.58.241.68/30 # four\n10.1.2.3/8\n198.51.100.7\n2001:db8::/32\r\nAS9009 # M247, GB (NordVPN)\nas60729\n\n";
        let list = parse_list(text, "v.txt").unwrap();
        assert_eq!(list.v4[0], (0x023a_f143, 0x023a_f143));
        assert_eq!(list.v4[1], (0x023a_f144, 0x023a_f147));
        // Host bits are ignored, as routers do.
        assert_eq!(list.v4[2], (0x0a00_0000, 0x0aff_ffff));
        assert_eq!(list.v4.len(), 4);
        assert_eq!(list.v6.len(), 1);
        assert_eq!(list.asns, vec![9009, 60729]);
        assert_eq!(list.ranges(), 5);
    }

    #[test]
    fn errors_name_file_and_line() {
        for (text, line) in [
            (&b"1.2.3.4\nnot-an-ip\n"[..], 2),
            (b"1.2.3.0/33\n", 1),
            (b"\n\n2001:db8::/129\n", 3),
            (b"ASx\n", 1),
            (b"1.2.3.4/x\n", 1),
        ] {
            let msg = parse_list(text, "list.txt").unwrap_err().to_string();
            assert!(msg.starts_with(&format!("list.txt, line {line}:")), "{msg}");
        }
    }

    #[test]
    fn the_x4bnet_asn_file_parses() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/ip/x4bnet/input_vpn_ASN.txt");
        let Ok(bytes) = std::fs::read(&path) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing",
                path.display()
            );
            println!("skipped: {} is missing", path.display());
            return;
        };
        let list = parse_list(&bytes, "input_vpn_ASN.txt").unwrap();
        assert!(list.asns.contains(&9009));
        assert_eq!(list.ranges(), 0);
    }
}
