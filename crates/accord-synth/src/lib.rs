//! Generated cooperation pages with the truth they state, for tests and
//! benchmarks: single pages for extraction ([`pages`]), and whole corpora
//! where the same institutions and events recur across pages and languages
//! ([`world`]), to test resolution at scale. Everything is deterministic:
//! the same seed gives the same pages. All names are invented.

pub mod hostile;
pub mod pages;
pub mod world;

/// English month names, for the dates pages write.
const EN_MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Head words of the invented English institution names.
const EN_HEADS: &[&str] = &[
    "University Hospital",
    "Cancer Center",
    "Medical University",
    "Children's Hospital",
    "Institute of Oncology",
    "Heart Centre",
    "Eye Hospital",
    "Clinical Hospital",
];

/// A small deterministic random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One item of a list.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}
