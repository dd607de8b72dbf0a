//! What one replication of one variant produced: its monthly record of every
//! metric, kept compactly.
//!
//! A run keeps every replication's record, because the outputs are exact
//! quantiles across replications, so the record's size sets a big run's
//! memory. Most metrics are counts (starters, trainees, specialists), are
//! constant (establishment, requirements) or are zero (lines a scenario does
//! not use); each metric's months are stored in the narrowest type that gives
//! back every value bit for bit, which halves the memory of a typical run
//! without changing any output.

use crate::metrics::MetricId;

/// How one metric's months are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// Every month the same value: 8 bytes in all.
    Constant,
    /// Whole numbers 0 to 255.
    U8,
    /// Whole numbers -32,768 to 32,767.
    I16,
    /// Values that survive a round trip through `f32` unchanged.
    F32,
    F64,
}

impl Width {
    fn bytes(self) -> usize {
        match self {
            Width::Constant => 0,
            Width::U8 => 1,
            Width::I16 => 2,
            Width::F32 => 4,
            Width::F64 => 8,
        }
    }

    /// The narrowest width that holds every value exactly (same bits, so
    /// `-0.0` and NaN payloads are kept too).
    fn narrowest(months: &[f64]) -> Width {
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

    /// Bytes for `months` values.
    fn size(self, months: usize) -> usize {
        match self {
            Width::Constant => 8,
            _ => self.bytes() * months,
        }
    }
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
    /// Each metric's months in turn, little-endian; a constant's one value.
    bytes: Vec<u8>,
    /// People in post summed over months.
    pub person_months: u64,
}

impl Outcome {
    /// Keeps `record` (`months x metrics`, row-major by month) compactly.
    pub fn new(record: &[f64], metrics: usize, person_months: u64) -> Outcome {
        let months = record.len().checked_div(metrics).unwrap_or(0);
        // Each metric's months side by side, so that each is one slice.
        let mut by_metric = Vec::with_capacity(record.len());
        for k in 0..metrics {
            by_metric.extend((0..months).map(|t| record[t * metrics + k]));
        }
        let column = |k: usize| &by_metric[k * months..(k + 1) * months];
        let widths: Vec<Width> = (0..metrics).map(|k| Width::narrowest(column(k))).collect();
        let mut bytes = vec![0u8; widths.iter().map(|w| w.size(months)).sum()];
        let mut offset = 0;
        let columns = widths
            .iter()
            .enumerate()
            .map(|(k, &width)| {
                let out = &mut bytes[offset..offset + width.size(months)];
                let values = column(k);
                match width {
                    Width::Constant => {
                        out.copy_from_slice(&values.first().copied().unwrap_or(0.0).to_le_bytes())
                    }
                    Width::U8 => out.iter_mut().zip(values).for_each(|(b, &v)| *b = v as u8),
                    Width::I16 => put(out, values, |v| (v as i16).to_le_bytes()),
                    Width::F32 => put(out, values, |v| (v as f32).to_le_bytes()),
                    Width::F64 => put(out, values, f64::to_le_bytes),
                }
                let column = Column {
                    width,
                    offset: u32::try_from(offset).expect("a record under 4 GB"),
                };
                offset += width.size(months);
                column
            })
            .collect();
        Outcome {
            months,
            columns,
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
            Width::Constant => f64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes")),
            Width::U8 => f64::from(b[at]),
            Width::I16 => f64::from(i16::from_le_bytes([b[at], b[at + 1]])),
            Width::F32 => f64::from(f32::from_le_bytes(
                b[at..at + 4].try_into().expect("4 bytes"),
            )),
            Width::F64 => f64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes")),
        }
    }

    /// Every metric in month `t`, into `row` (one value per metric).
    pub fn month_into(&self, t: usize, row: &mut [f64]) {
        let metrics = self.columns.len();
        for (k, v) in row.iter_mut().enumerate() {
            *v = self.value(metrics, t, k);
        }
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

/// Writes each value's `N` bytes in turn.
fn put<const N: usize>(out: &mut [u8], values: &[f64], encode: impl Fn(f64) -> [u8; N]) {
    for (chunk, &v) in out.chunks_exact_mut(N).zip(values) {
        chunk.copy_from_slice(&encode(v));
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
        ];
        let metrics = columns.len();
        let record: Vec<f64> = (0..months)
            .flat_map(|t| columns.iter().map(move |c| c[t]))
            .collect();
        let outcome = Outcome::new(&record, metrics, 99);
        let widths: Vec<Width> = outcome.columns.iter().map(|c| c.width).collect();
        use Width::*;
        assert_eq!(
            widths,
            [
                Constant, Constant, Constant, U8, F32, I16, F32, F64, F32, F32
            ]
        );
        let back = outcome.record();
        assert_eq!(back.len(), record.len());
        for (a, b) in back.iter().zip(&record) {
            assert_eq!(a.to_bits(), b.to_bits());
        }
        assert_eq!(outcome.person_months, 99);
        assert_eq!(outcome.months(), months);
        // 3 x 8 + 7 + 14 + 4 x 28 + 56 bytes, against 70 x 8; a -0.0 among
        // whole numbers needs an f32.
        assert_eq!(outcome.bytes.len(), 213);
    }

    #[test]
    fn an_empty_record_is_empty() {
        let outcome = Outcome::new(&[], 3, 0);
        assert_eq!(outcome.months(), 0);
        assert!(outcome.record().is_empty());
    }
}
