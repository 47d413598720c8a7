//! Non-negative integers of any length, as version components are.
//!
//! Registries hold versions such as `999999999999999999999999999999.0`, which overflow `u64`;
//! comparing them as strings would get `9 < 10` wrong. [`Number`] keeps small values as `u64`
//! and larger ones as their digits without leading zeros, and orders both numerically.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative integer of any length. Leading zeros are not significant: `007 == 7`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Small(u64),
    /// Digits of a value above `u64::MAX`, without leading zeros.
    Big(Box<str>),
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number(Repr::Small(0));

    /// Parses a non-empty run of ASCII digits; anything else is `None`.
    pub fn parse(digits: &str) -> Option<Number> {
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Ok(n) = digits.parse::<u64>() {
            return Some(Number(Repr::Small(n)));
        }
        let trimmed = digits.trim_start_matches('0');
        match trimmed.parse::<u64>() {
            Ok(n) => Some(Number(Repr::Small(n))),
            Err(_) => Some(Number(Repr::Big(trimmed.into()))),
        }
    }

    /// The value, when it fits in a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            Repr::Small(n) => Some(n),
            Repr::Big(_) => None,
        }
    }

    /// Whether this is zero.
    pub fn is_zero(&self) -> bool {
        self.0 == Repr::Small(0)
    }

    /// This value plus one.
    #[must_use]
    pub fn increment(&self) -> Number {
        match &self.0 {
            Repr::Small(n) => match n.checked_add(1) {
                Some(m) => Number(Repr::Small(m)),
                None => Number(Repr::Big("18446744073709551616".into())),
            },
            Repr::Big(digits) => {
                let mut bytes = digits.as_bytes().to_vec();
                let mut i = bytes.len();
                loop {
                    if i == 0 {
                        bytes.insert(0, b'1');
                        break;
                    }
                    i -= 1;
                    if bytes[i] == b'9' {
                        bytes[i] = b'0';
                    } else {
                        bytes[i] += 1;
                        break;
                    }
                }
                let s = String::from_utf8(bytes).expect("digits stay ASCII");
                Number(Repr::Big(s.into()))
            }
        }
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(Repr::Small(n))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Small(a), Repr::Small(b)) => a.cmp(b),
            (Repr::Small(_), Repr::Big(_)) => Ordering::Less,
            (Repr::Big(_), Repr::Small(_)) => Ordering::Greater,
            // Without leading zeros, a longer number is a larger one.
            (Repr::Big(a), Repr::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small(n) => write!(f, "{n}"),
            Repr::Big(digits) => f.write_str(digits),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> Number {
        Number::parse(s).expect("digits")
    }

    #[test]
    fn big_values_order_numerically() {
        assert!(n("999999999999999999999999999991") < n("999999999999999999999999999999"));
        assert!(n("18446744073709551615") < n("18446744073709551616"));
        assert!(n("99") < n("100000000000000000000000"));
        assert_eq!(n("000000000000000000000000000000012"), n("12"));
    }

    #[test]
    fn rejects_non_digits() {
        assert_eq!(Number::parse(""), None);
        assert_eq!(Number::parse("1a"), None);
        assert_eq!(Number::parse("-1"), None);
    }

    #[test]
    fn increment_carries() {
        assert_eq!(
            n("18446744073709551615").increment(),
            n("18446744073709551616")
        );
        assert_eq!(
            n("99999999999999999999999").increment(),
            n("100000000000000000000000")
        );
    }

    proptest! {
        #[test]
        fn order_matches_u128(a in any::<u128>(), b in any::<u128>()) {
            prop_assert_eq!(n(&a.to_string()).cmp(&n(&b.to_string())), a.cmp(&b));
        }

        #[test]
        fn display_round_trips(a in any::<u128>()) {
            prop_assert_eq!(n(&a.to_string()).to_string(), a.to_string());
        }
    }
}
