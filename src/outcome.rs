//! What one replication of one variant produced: its monthly record of every
//! metric, kept compactly.
//!
//! A run keeps every replication's record, because the outputs are exact
//! quantiles across replications, so the record's size sets a big run's
//! memory. Most metrics are counts (starters, trainees, specialists), are
//! constant (establishment, requirements) or are zero (lines a scenario does
//! not use); each metric's months are stored in the narrowest form that
//! gives back every value bit for bit. Many fractional metrics (leavers by
//! reason and band, cost lines paid in some months only) take few distinct
//! values, so a table of them and a one-byte index per month is the narrowest
//! form for those; totals and ratios of other metrics are not stored at all
//! but recomputed ([`Derivation`]). Together these keep a typical record in a
//! quarter of its 8 bytes a value, without changing any output.

use crate::masks::prefetch;
use crate::metrics::{Derivation, MetricId};

/// How one metric's months are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// Computed from the month's other metrics (totals and ratios): nothing
    /// stored.
    Derived,
    /// Every month the same value: 8 bytes in all.
    Constant,
    /// Whole numbers 0 to 255.
    U8,
    /// Whole numbers -32,768 to 32,767.
    I16,
    /// Values that survive a round trip through `f32` unchanged.
    F32,
    F64,
    /// At most 256 distinct values: a byte per month indexing a table of
    /// them, which follows the months.
    Table {
        values: u16,
    },
}

impl Width {
    fn bytes(self) -> usize {
        match self {
            Width::Derived | Width::Constant => 0,
            Width::U8 => 1,
            Width::I16 => 2,
            Width::F32 => 4,
            Width::F64 => 8,
            Width::Table { .. } => 1,
        }
    }

    /// The narrowest width that holds every value exactly (same bits, so
    /// `-0.0` and NaN payloads are kept too); `table` receives the distinct
    /// values when a table is narrowest.
    #[inline(always)]
    fn narrowest(months: &[f64], table: &mut Vec<u64>) -> Width {
        let first = months.first().map_or(0, |v| v.to_bits());
        let plain = if every(months, |v| v.to_bits() == first) {
            Width::Constant
        } else if every(months, |v| whole_within(v, u8::MIN.into(), u8::MAX.into())) {
            Width::U8
        } else if every(months, |v| {
            whole_within(v, i16::MIN.into(), i16::MAX.into())
        }) {
            Width::I16
        } else if every(months, |v| f64::from(v as f32).to_bits() == v.to_bits()) {
            Width::F32
        } else {
            Width::F64
        };
        if plain.bytes() <= Width::U8.bytes() {
            return plain;
        }
        // Distinct values are at most the runs of equal months: sort only
        // when that many could make a table narrower.
        let changes = months.iter().zip(months.iter().skip(1));
        let runs = 1 + changes
            .map(|(a, b)| usize::from(a.to_bits() != b.to_bits()))
            .sum::<usize>();
        let at_most = Width::Table {
            values: runs.min(256) as u16,
        };
        if at_most.size(months.len()) >= plain.size(months.len()) {
            return plain;
        }
        table.clear();
        table.extend(months.iter().map(|v| v.to_bits()));
        // A value per run first, so that the sort is over those only.
        table.dedup();
        table.sort_unstable();
        table.dedup();
        let tabled = Width::Table {
            values: table.len() as u16,
        };
        if table.len() <= 256 && tabled.size(months.len()) < plain.size(months.len()) {
            tabled
        } else {
            plain
        }
    }

    /// Bytes for `months` values.
    fn size(self, months: usize) -> usize {
        match self {
            Width::Derived => 0,
            Width::Constant => 8,
            Width::Table { values } => months + 8 * usize::from(values),
            _ => self.bytes() * months,
        }
    }
}

/// Working buffers of `Outcome::new`, one set per thread.
#[derive(Default)]
struct Scratch {
    by_metric: Vec<f64>,
    table: Vec<u64>,
    bytes: Vec<u8>,
}

/// Whether `test` holds for every value: eight at a time with no branch
/// within the eight, which the compiler makes vector code of, and an early
/// exit after each eight. Plain loops: an iterator's `all` is a call the
/// compiler may keep out of line, and out of line it is built without the
/// caller's AVX2.
#[inline(always)]
fn every(values: &[f64], test: impl Fn(f64) -> bool) -> bool {
    let eights = values.chunks_exact(8);
    let rest = eights.remainder();
    for eight in eights {
        let mut all = true;
        for &v in eight {
            all &= test(v);
        }
        if !all {
            return false;
        }
    }
    let mut all = true;
    for &v in rest {
        all &= test(v);
    }
    all
}

/// From here on an `f64`'s last bit is worth 1.
const TWO_TO_52: f64 = 4_503_599_627_370_496.0;

/// Whether `v` is a whole number from `low` to `high` (with `low` > -2^51
/// and `high` < 2^51), other than `-0.0`: exactly the values an integer type
/// of that range gives back bit for bit. Adding 1.5 x 2^52 and taking it
/// away rounds to a whole number in that range, without the saturating
/// conversion's branches.
#[inline(always)]
fn whole_within(v: f64, low: f64, high: f64) -> bool {
    const ROUND: f64 = 1.5 * TWO_TO_52;
    (v >= low) & (v <= high) & (((v + ROUND) - ROUND).to_bits() == v.to_bits())
}

/// Where one metric's months start in the bytes, and their width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Column {
    width: Width,
    offset: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    months: usize,
    /// One per metric.
    columns: Vec<Column>,
    derivation: Derivation,
    /// Each metric's months in turn, little-endian; a constant's one value.
    bytes: Vec<u8>,
    /// People in post summed over months.
    pub person_months: u64,
}

impl Outcome {
    /// Keeps `record` (`months x metrics`, row-major by month) compactly; a
    /// metric `derivation` gives in every month is not stored.
    pub fn new(
        record: &[f64],
        metrics: usize,
        derivation: Derivation,
        person_months: u64,
    ) -> Outcome {
        let derives = |k: usize| {
            derivation.is_derived(k)
                && record
                    .chunks_exact(metrics)
                    .all(|row| derivation.value(k, |j| row[j]).to_bits() == row[k].to_bits())
        };
        Outcome::keep(record, metrics, derivation, person_months, derives)
    }

    /// [`Outcome::new`] for a simulation's record, whose derived metrics'
    /// places are neither filled nor read: a kept record derives them when
    /// read, with [`Derivation::value`], as the simulation would have.
    pub fn simulated(
        record: &[f64],
        metrics: usize,
        derivation: Derivation,
        person_months: u64,
    ) -> Outcome {
        let derives = |k: usize| derivation.is_derived(k);
        Outcome::keep(record, metrics, derivation, person_months, derives)
    }

    /// `record` kept, with the metrics `derives` accepts not stored.
    fn keep(
        record: &[f64],
        metrics: usize,
        derivation: Derivation,
        person_months: u64,
        derives: impl Fn(usize) -> bool,
    ) -> Outcome {
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        let months = record.len().checked_div(metrics).unwrap_or(0);
        let (columns, bytes) = SCRATCH.with_borrow_mut(|scratch| {
            let Scratch {
                by_metric,
                table,
                bytes,
            } = scratch;
            // Each metric's months side by side, so that each is one slice;
            // every value is written, so the space needs no zeroing when it
            // already has the record's size (the thread's last record's).
            by_metric.resize(metrics * months, 0.0);
            let rows = record.chunks_exact(metrics.max(1));
            for (k, column) in by_metric.chunks_exact_mut(months.max(1)).enumerate() {
                for (v, row) in column.iter_mut().zip(rows.clone()) {
                    *v = row[k];
                }
            }
            bytes.clear();
            let columns = (0..metrics)
                .map(|k| {
                    let values = &by_metric[k * months..(k + 1) * months];
                    let offset = u32::try_from(bytes.len()).expect("a record under 4 GB");
                    let width = if derives(k) {
                        Width::Derived
                    } else {
                        store(values, table, bytes)
                    };
                    Column { width, offset }
                })
                .collect();
            // Sized exactly (a run holds many records), with the working
            // buffers kept for the thread's next record.
            (columns, bytes.to_vec())
        });
        Outcome {
            months,
            columns,
            derivation,
            bytes,
            person_months,
        }
    }

    /// `metric` in month `t`. (`metrics` is the catalogue's length, which
    /// the outcome knows; it stays for the callers' symmetry with a record.)
    #[inline]
    pub fn value(&self, metrics: usize, t: usize, metric: MetricId) -> f64 {
        debug_assert_eq!(metrics, self.columns.len());
        debug_assert!(t < self.months);
        let Column { width, offset } = self.columns[metric];
        let at = offset as usize + t * width.bytes();
        let b = &self.bytes;
        match width {
            Width::Derived => self.derivation.value(metric, |k| self.value(metrics, t, k)),
            Width::Constant => f64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes")),
            Width::U8 => f64::from(b[at]),
            Width::I16 => f64::from(i16::from_le_bytes([b[at], b[at + 1]])),
            Width::F32 => f64::from(f32::from_le_bytes(
                b[at..at + 4].try_into().expect("4 bytes"),
            )),
            Width::F64 => f64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes")),
            Width::Table { .. } => {
                let entry = offset as usize + self.months + 8 * usize::from(b[at]);
                f64::from_le_bytes(b[entry..entry + 8].try_into().expect("8 bytes"))
            }
        }
    }

    /// Every month of `metric`, into `out` (one value per month): one
    /// contiguous read, for callers that go through a metric at a time.
    pub fn months_into(&self, metric: MetricId, out: &mut [f64]) {
        let out = &mut out[..self.months];
        let Column { width, offset } = self.columns[metric];
        let b = &self.bytes[offset as usize..];
        match width {
            Width::Derived => self
                .derivation
                .months_into(metric, out, |k, column| self.months_into(k, column)),
            Width::Constant => out.fill(f64::from_le_bytes(b[..8].try_into().expect("8 bytes"))),
            Width::U8 => out.iter_mut().zip(b).for_each(|(v, &x)| *v = f64::from(x)),
            Width::I16 => decode(out, b, |x: [u8; 2]| f64::from(i16::from_le_bytes(x))),
            Width::F32 => decode(out, b, |x: [u8; 4]| f64::from(f32::from_le_bytes(x))),
            Width::F64 => decode(out, b, f64::from_le_bytes),
            Width::Table { .. } => {
                let (index, table) = b.split_at(self.months);
                let entry = |i: u8| {
                    let at = 8 * usize::from(i);
                    f64::from_le_bytes(table[at..at + 8].try_into().expect("8 bytes"))
                };
                out.iter_mut().zip(index).for_each(|(v, &i)| *v = entry(i));
            }
        }
    }

    /// `metric`'s one value when the record keeps it as the same value in
    /// every month; `None` when it keeps it month by month or derives it.
    pub fn constant(&self, metric: MetricId) -> Option<f64> {
        let Column { width, offset } = self.columns[metric];
        let at = offset as usize;
        (width == Width::Constant)
            .then(|| f64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes")))
    }

    /// Starts loading where `metric`'s place in the record is noted, for a
    /// caller that will read the same metric of many outcomes in turn (the
    /// outcomes are separate allocations, so each read would otherwise wait
    /// on memory); then, some outcomes later, [`Outcome::prefetch_months`].
    #[inline]
    pub fn prefetch_column(&self, metric: MetricId) {
        prefetch(&self.columns[metric]);
    }

    /// Starts loading `metric`'s months.
    #[inline]
    pub fn prefetch_months(&self, metric: MetricId) {
        let Column { width, offset } = self.columns[metric];
        let bytes = &self.bytes[offset as usize..];
        for line in bytes[..width.size(self.months).min(bytes.len())]
            .iter()
            .step_by(64)
        {
            prefetch(line);
        }
    }

    /// Every month of `metric`.
    pub fn months_of(&self, metric: MetricId) -> Vec<f64> {
        let mut months = vec![0.0; self.months];
        self.months_into(metric, &mut months);
        months
    }

    /// The whole record again, `months x metrics`, row-major by month.
    pub fn record(&self) -> Vec<f64> {
        let metrics = self.columns.len();
        (0..self.months)
            .flat_map(|t| (0..metrics).map(move |k| (t, k)))
            .map(|(t, k)| self.value(metrics, t, k))
            .collect()
    }

    pub fn months(&self) -> usize {
        self.months
    }
}

/// Reads `out.len()` values of `N` bytes each from `bytes`.
fn decode<const N: usize>(out: &mut [f64], bytes: &[u8], read: impl Fn([u8; N]) -> f64) {
    for (v, x) in out.iter_mut().zip(bytes.chunks_exact(N)) {
        *v = read(x.try_into().expect("N bytes"));
    }
}

/// Appends one metric's months to `bytes` in their narrowest width, and
/// returns it: compiled for AVX2 where the processor has it, so that the
/// widths' tests and the encoding take four values an instruction rather
/// than two; the same bytes either way.
fn store(values: &[f64], table: &mut Vec<u64>, bytes: &mut Vec<u8>) -> Width {
    store_as(values, table, bytes, crate::masks::has_avx2())
}

/// [`store`], compiled for AVX2 or not as asked (for AVX2 only where the
/// processor has it): the tests compare the two.
fn store_as(values: &[f64], table: &mut Vec<u64>, bytes: &mut Vec<u8>, avx2: bool) -> Width {
    #[inline(always)]
    fn narrowest_encoded(values: &[f64], table: &mut Vec<u64>, bytes: &mut Vec<u8>) -> Width {
        let width = Width::narrowest(values, table);
        encode(width, values, table, bytes);
        width
    }
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        #[target_feature(enable = "avx2")]
        fn with_avx2(values: &[f64], table: &mut Vec<u64>, bytes: &mut Vec<u8>) -> Width {
            narrowest_encoded(values, table, bytes)
        }
        // SAFETY: AVX2 is asked for only where the processor has it.
        return unsafe { with_avx2(values, table, bytes) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = avx2;
    narrowest_encoded(values, table, bytes)
}

/// Appends one metric's months in `width`; `table` holds the distinct values
/// (as bits, sorted) when the width is a table.
#[inline(always)]
fn encode(width: Width, values: &[f64], table: &[u64], out: &mut Vec<u8>) {
    match width {
        Width::Derived => {}
        Width::Constant => {
            out.extend_from_slice(&values.first().copied().unwrap_or(0.0).to_le_bytes())
        }
        // A whole number from 0 to 255 plus 2^52 has itself as its lowest
        // bits: no saturating conversion, and vector code.
        Width::U8 => out.extend(values.iter().map(|&v| (v + TWO_TO_52).to_bits() as u8)),
        Width::I16 => out.extend(values.iter().flat_map(|&v| (v as i16).to_le_bytes())),
        Width::F32 => out.extend(values.iter().flat_map(|&v| (v as f32).to_le_bytes())),
        Width::F64 => out.extend(values.iter().flat_map(|v| v.to_le_bytes())),
        Width::Table { .. } => {
            let index = |v: f64| table.binary_search(&v.to_bits()).expect("a tabled value") as u8;
            for run in values.chunk_by(|a, b| a.to_bits() == b.to_bits()) {
                out.extend(std::iter::repeat_n(index(run[0]), run.len()));
            }
            out.extend(table.iter().flat_map(|bits| bits.to_le_bytes()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_comes_back_bit_for_bit() {
        let months = 7;
        let columns: Vec<Vec<f64>> = vec![
            vec![0.0; months],
            vec![-0.0; months],
            vec![12.5; months],
            vec![0.0, 1.0, 2.0, 255.0, 3.0, 4.0, 5.0],
            vec![0.0, 1.0, -0.0, 2.0, 3.0, 4.0, 5.0],
            vec![0.0, 256.0, -3.0, 32767.0, -32768.0, 1.0, 2.0],
            vec![0.5, 0.25, 1.0e6, -7.125, 3.0, 1.0, 2.0],
            vec![
                0.1,
                0.2,
                0.3,
                190.55415714286096,
                1.0e300,
                f64::NAN,
                f64::INFINITY,
            ],
            vec![f64::NAN, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            vec![40000.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            vec![0.1, 0.2, 0.1, 0.1, -0.0, 0.1, 0.2],
        ];
        let metrics = columns.len();
        let record: Vec<f64> = (0..months)
            .flat_map(|t| columns.iter().map(move |c| c[t]))
            .collect();
        let outcome = Outcome::new(&record, metrics, Derivation::NONE, 99);
        let widths: Vec<Width> = outcome.columns.iter().map(|c| c.width).collect();
        use Width::*;
        assert_eq!(
            widths,
            [
                Constant,
                Constant,
                Constant,
                U8,
                F32,
                I16,
                F32,
                F64,
                F32,
                F32,
                Table { values: 3 }
            ]
        );
        let back = outcome.record();
        assert_eq!(back.len(), record.len());
        for (a, b) in back.iter().zip(&record) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        let mut column = vec![0.0; months];
        for (k, expected) in columns.iter().enumerate() {
            outcome.months_into(k, &mut column);
            let bits = |c: &[f64]| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&column), bits(expected), "metric {k}");
        }
        assert_eq!(outcome.person_months, 99);
        assert_eq!(outcome.months(), months);
        // 3 x 8 + 7 + 14 + 4 x 28 + 56 + (7 + 3 x 8) bytes, against 77 x 8;
        // a -0.0 among whole numbers needs an f32.
        assert_eq!(outcome.bytes.len(), 244);
    }

    #[test]
    fn derived_metrics_are_recomputed_bit_for_bit_and_kept_when_they_disagree() {
        use crate::metrics::{self as m, Catalogue};
        let grades = ["nqsw".to_string(), "sw".to_string()];
        let catalogue = Catalogue::new(&grades, &["0-2".to_string()], &[]);
        let (metrics, months) = (catalogue.len(), 5);
        let derivation = catalogue.derivation();
        let mut record = vec![0.0; months * metrics];
        for (t, row) in record.chunks_exact_mut(metrics).enumerate() {
            for (k, v) in row.iter_mut().enumerate() {
                // Awkward fractions, so that any other order of adding them
                // up would show in the last bits.
                *v = (t * metrics + k) as f64 / 7.0 + 0.1;
            }
            derivation.fill(row);
        }
        record[metrics + m::CASE_HOLDING_CAPACITY] = 0.0; // caseload infinite
        derivation.fill(&mut record[metrics..2 * metrics]);
        let outcome = Outcome::new(&record, metrics, derivation, 0);
        let derived = (0..metrics)
            .filter(|&k| derivation.is_derived(k))
            .collect::<Vec<_>>();
        // Checked, or a simulation's record whose derived places are never
        // filled: the same outcome.
        let mut unfilled = record.clone();
        for row in unfilled.chunks_exact_mut(metrics) {
            derived.iter().for_each(|&k| row[k] = f64::NAN);
        }
        assert_eq!(
            Outcome::simulated(&unfilled, metrics, derivation, 0),
            outcome
        );
        assert_eq!(derived.len(), 8);
        assert!(
            derived
                .iter()
                .all(|&k| outcome.columns[k].width == Width::Derived)
        );
        let bits = |r: &[f64]| r.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        // Value by value, and a metric's months at a time.
        let agrees = |outcome: &Outcome, record: &[f64]| {
            assert_eq!(bits(&outcome.record()), bits(record));
            for k in 0..metrics {
                let expected: Vec<f64> = record.iter().skip(k).step_by(metrics).copied().collect();
                assert_eq!(bits(&outcome.months_of(k)), bits(&expected), "metric {k}");
            }
        };
        agrees(&outcome, &record);

        // A total that is not the sum of its lines is kept as given.
        record[2 * metrics + m::COST_TOTAL] += 1.0;
        let outcome = Outcome::new(&record, metrics, derivation, 0);
        assert_ne!(outcome.columns[m::COST_TOTAL].width, Width::Derived);
        agrees(&outcome, &record);

        // A derived metric kept as given, and rates derived from it: the
        // rates are worked out from the kept value, not from the grades.
        for row in record.chunks_exact_mut(metrics) {
            row[m::FTE_AGENCY] += 0.3;
            for k in [m::AGENCY_RATE, m::PERMANENT_SHARE] {
                row[k] = derivation.value(k, |j| row[j]);
            }
        }
        let outcome = Outcome::new(&record, metrics, derivation, 0);
        let width = |k: MetricId| outcome.columns[k].width;
        assert_ne!(width(m::FTE_AGENCY), Width::Derived);
        assert_eq!(width(m::AGENCY_RATE), Width::Derived);
        assert_eq!(width(m::PERMANENT_SHARE), Width::Derived);
        agrees(&outcome, &record);
    }

    /// The widths as first written, a conversion and a comparison a value.
    fn plain_width_by_conversion(months: &[f64]) -> Width {
        let exact = |back: fn(f64) -> f64| months.iter().all(|&v| back(v).to_bits() == v.to_bits());
        let first = months.first().map_or(0, |v| v.to_bits());
        if months.iter().all(|v| v.to_bits() == first) {
            Width::Constant
        } else if exact(|v| f64::from(v as u8)) {
            Width::U8
        } else if exact(|v| f64::from(v as i16)) {
            Width::I16
        } else if exact(|v| f64::from(v as f32)) {
            Width::F32
        } else {
            Width::F64
        }
    }

    #[test]
    fn whole_numbers_are_told_apart_as_the_integer_types_tell_them() {
        use rand_xoshiro::Xoshiro256PlusPlus;
        use rand_xoshiro::rand_core::{Rng, SeedableRng};
        let edges = [
            0.0,
            -0.0,
            0.5,
            1.0,
            254.5,
            255.0,
            255.5,
            256.0,
            -0.5,
            -1.0,
            32767.0,
            32767.5,
            32768.0,
            -32768.0,
            -32768.5,
            -32769.0,
            f64::MIN_POSITIVE,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0e300,
            -1.0e300,
            4_503_599_627_370_497.0,
            6_755_399_441_055_744.0,
        ];
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let random = (0..100_000).map(|k| match k % 3 {
            0 => f64::from_bits(rng.next_u64()),
            // Whole numbers and halves around both integer types' ranges.
            1 => (rng.next_u64() % 140_000) as f64 / 2.0 - 35_000.0,
            _ => (rng.next_u64() % 1_200) as f64 / 4.0 - 20.0,
        });
        for v in edges.into_iter().chain(random) {
            let back_u8 = f64::from(v as u8).to_bits() == v.to_bits();
            let back_i16 = f64::from(v as i16).to_bits() == v.to_bits();
            assert_eq!(whole_within(v, 0.0, 255.0), back_u8, "{v:?} as u8");
            assert_eq!(whole_within(v, -32768.0, 32767.0), back_i16, "{v:?} as i16");
        }
    }

    #[test]
    fn widths_eight_at_a_time_are_the_widths_a_value_at_a_time() {
        let values = [0.0, 3.0, 255.0, -0.0, 256.0, -7.0, 0.5, 0.1, f64::NAN];
        // Columns of several lengths, one value in each set apart at each
        // place in turn, so that it falls in every part of an eight and in
        // the part after the eights.
        for months in [1, 7, 8, 9, 16, 23, 50] {
            for base in [0.0, 3.0, 300.0, 0.25] {
                for &odd in &values {
                    for at in 0..months {
                        let mut column = vec![base; months];
                        column[at] = odd;
                        let width = Width::narrowest(&column, &mut Vec::new());
                        let plain = plain_width_by_conversion(&column);
                        match width {
                            Width::Table { .. } => assert!(plain.bytes() > 1, "{column:?}"),
                            _ => assert_eq!(width, plain, "{column:?}"),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_table_holds_up_to_256_values() {
        let months = 600;
        for distinct in [255, 256, 257] {
            let record: Vec<f64> = (0..months).map(|t| (t % distinct) as f64 / 3.0).collect();
            let outcome = Outcome::new(&record, 1, Derivation::NONE, 0);
            let expected = if distinct <= 256 {
                Width::Table {
                    values: distinct as u16,
                }
            } else {
                Width::F64
            };
            assert_eq!(outcome.columns[0].width, expected);
            let back = outcome.record();
            assert!(
                back.iter()
                    .zip(&record)
                    .all(|(a, b)| a.to_bits() == b.to_bits())
            );
        }
    }

    /// A thread's working space is kept from one record to the next, of
    /// whatever size each is.
    #[test]
    fn records_of_any_size_one_after_another_come_back_whole() {
        for (months, metrics) in [(5, 3), (2, 4), (9, 1), (0, 3), (5, 3), (1, 0)] {
            let record: Vec<f64> = (0..months * metrics)
                .map(|k| crate::rng::mix(k as u64) as f64 / 7.0)
                .collect();
            let outcome = Outcome::new(&record, metrics, Derivation::NONE, 0);
            assert_eq!(outcome.months(), if metrics == 0 { 0 } else { months });
            let back = outcome.record();
            assert_eq!(
                back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                record.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
    }

    /// Compiled for AVX2 or not, each column gets the same width and bytes:
    /// constants, bytes, shorts, floats, tables and doubles, with odd values
    /// at every place.
    #[test]
    fn columns_are_stored_the_same_with_avx2_or_without() {
        if !crate::masks::has_avx2() {
            return;
        }
        let kinds: [fn(u64) -> f64; 6] = [
            |_| 3.0,
            |h| (h % 200) as f64,
            |h| (h % 60_000) as f64 - 30_000.0,
            |h| (h % 1000) as f32 as f64 / 8.0,
            |h| (h % 7) as f64 / 3.0,
            |h| (h % 1_000_000) as f64 / 7.0,
        ];
        for (kind, value) in kinds.into_iter().enumerate() {
            for months in [1, 7, 8, 9, 50, 120] {
                let values: Vec<f64> = (0..months)
                    .map(|t| value(crate::rng::mix((kind * 1000 + t) as u64)))
                    .collect();
                for odd in [None, Some(0), Some(months / 2), Some(months - 1)] {
                    let mut column = values.clone();
                    if let Some(at) = odd {
                        column[at] = -0.0;
                    }
                    let mut stored = [(Vec::new(), Vec::new()), (Vec::new(), Vec::new())];
                    let widths = [false, true].map(|avx2| {
                        let (table, bytes) = &mut stored[usize::from(avx2)];
                        store_as(&column, table, bytes, avx2)
                    });
                    assert_eq!(widths[0], widths[1], "kind {kind}, {months} months");
                    assert_eq!(stored[0].1, stored[1].1, "kind {kind}, {months} months");
                }
            }
        }
    }

    #[test]
    fn an_empty_record_is_empty() {
        let outcome = Outcome::new(&[], 3, Derivation::NONE, 0);
        assert_eq!(outcome.months(), 0);
        assert!(outcome.record().is_empty());
    }
}
