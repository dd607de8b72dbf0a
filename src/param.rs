//! Scenario parameters: a number, a distribution (parameter uncertainty,
//! drawn once per replication), or a schedule of either that changes on
//! given months.

use rand_distr::{Beta, Distribution, LogNormal, Normal, Triangular, Uniform};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::calendar::Month;
use crate::rng::{Draws, MonthDraws, Stream, hash_key_at, open_unit, unit};

/// The index of an event's subject whose draw [`Dist::sample_event`] takes
/// (index 1 rounds the event's months to whole ones).
const EVENT_INDEX: u32 = 2;

/// A probability distribution as written in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    Uniform {
        low: f64,
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    /// `mu` and `sigma` are the mean and standard deviation of the logarithm.
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Beta {
        alpha: f64,
        beta: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
}

impl Dist {
    /// Draws one value.
    pub fn sample(&self, rng: &mut Xoshiro256PlusPlus) -> f64 {
        let built = "parameters were checked when the scenario compiled";
        match *self {
            Dist::Uniform { low, high } if low == high => low,
            Dist::Uniform { low, high } => Uniform::new(low, high).expect(built).sample(rng),
            Dist::Normal { mean, sd } => Normal::new(mean, sd).expect(built).sample(rng),
            Dist::LogNormal { mu, sigma } => LogNormal::new(mu, sigma).expect(built).sample(rng),
            Dist::Beta { alpha, beta } => Beta::new(alpha, beta).expect(built).sample(rng),
            Dist::Triangular { low, mode, high } if low == high => mode,
            Dist::Triangular { low, mode, high } => {
                Triangular::new(low, high, mode).expect(built).sample(rng)
            }
        }
    }

    /// One value for an event (one offer's time to start) from `subject`'s
    /// draws in `draws`: the quantile of one uniform where it has a closed
    /// form (every distribution but the beta), which costs less than seeding
    /// a generator for the event; the beta draws from the event's generator.
    pub fn sample_event(&self, draws: &MonthDraws, subject: u64) -> f64 {
        match self {
            Dist::Beta { .. } => self.sample(&mut draws.generator(subject)),
            _ => self.quantile(open_unit(draws.bits(subject, EVENT_INDEX))),
        }
    }

    /// The value below which a share `p` of draws fall: closed forms where
    /// there are (uniform, triangular, normal, lognormal), and for the beta
    /// the order statistic of 20,001 draws from a fixed generator.
    pub fn quantile(&self, p: f64) -> f64 {
        match *self {
            Dist::Uniform { low, high } => low + p * (high - low),
            Dist::Triangular { low, mode, high } if low == high => mode,
            Dist::Triangular { low, mode, high } => {
                let at_mode = (mode - low) / (high - low);
                if p < at_mode {
                    low + (p * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - p) * (high - low) * (high - mode)).sqrt()
                }
            }
            Dist::Normal { mean, sd } => mean + sd * normal_quantile(p),
            Dist::LogNormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
            Dist::Beta { .. } => {
                use rand_xoshiro::rand_core::SeedableRng;
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed);
                let mut draws: Vec<f64> = (0..20_001).map(|_| self.sample(&mut rng)).collect();
                draws.sort_by(f64::total_cmp);
                crate::stats::quantile_sorted(&draws, p)
            }
        }
    }

    /// The smallest and largest values the distribution can produce.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Uniform { low, high } | Dist::Triangular { low, high, .. } => (low, high),
            Dist::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::LogNormal { .. } => (0.0, f64::INFINITY),
            Dist::Beta { .. } => (0.0, 1.0),
        }
    }

    /// The name a scenario file uses for this distribution.
    pub fn name(&self) -> &'static str {
        match self {
            Dist::Uniform { .. } => "uniform",
            Dist::Normal { .. } => "normal",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Beta { .. } => "beta",
            Dist::Triangular { .. } => "triangular",
        }
    }
}

impl std::fmt::Display for Dist {
    /// As a scenario file writes it, e.g. `triangular(low 0.77, mode 0.87, high 0.95)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = self.name();
        match *self {
            Dist::Uniform { low, high } => write!(f, "{name}(low {low}, high {high})"),
            Dist::Normal { mean, sd } => write!(f, "{name}(mean {mean}, sd {sd})"),
            Dist::LogNormal { mu, sigma } => write!(f, "{name}(mu {mu}, sigma {sigma})"),
            Dist::Beta { alpha, beta } => write!(f, "{name}(alpha {alpha}, beta {beta})"),
            Dist::Triangular { low, mode, high } => {
                write!(f, "{name}(low {low}, mode {mode}, high {high})")
            }
        }
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// A value or a distribution.
#[derive(Clone, Debug, PartialEq)]
pub enum Spec {
    Fixed(f64),
    Uncertain(Dist),
}

/// A parameter as compiled: its key path (which keys its random draws, so a
/// variant that overrides one parameter leaves every other draw unchanged)
/// and its schedule. The first entry applies from the scenario's start.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub key: String,
    pub schedule: Vec<(Month, Spec)>,
}

impl Param {
    pub fn fixed(key: impl Into<String>, start: Month, value: f64) -> Param {
        Param {
            key: key.into(),
            schedule: vec![(start, Spec::Fixed(value))],
        }
    }

    /// The entry in force in `month`.
    pub fn spec_at(&self, month: Month) -> &Spec {
        &self.entry_at(month).1
    }

    /// The entry in force in `month`, with the month it applies from (which
    /// keys its draw, with the key).
    pub fn entry_at(&self, month: Month) -> &(Month, Spec) {
        &self.schedule[self.index_at(month)]
    }

    /// Where the entry in force in `month` is in the schedule (the first
    /// entry before it, as the first applies from the scenario's start).
    fn index_at(&self, month: Month) -> usize {
        let i = self.schedule.partition_point(|(from, _)| *from <= month);
        i.max(1) - 1
    }

    /// Months from `start` in which this parameter and `other` give the same
    /// values and the same draws: up to the first month whose entry in force
    /// differs, or the whole `horizon`.
    pub fn months_alike(&self, other: &Param, start: Month, horizon: usize) -> usize {
        if self.key != other.key {
            return 0;
        }
        (0..horizon)
            .find(|&t| {
                let month = start.plus(t as u32);
                self.entry_at(month) != other.entry_at(month)
            })
            .unwrap_or(horizon)
    }

    /// Draws this parameter for one replication, as a value per month of the
    /// horizon, then applies `transform` (e.g. annual rate to monthly hazard).
    pub fn realize(
        &self,
        draws: &Draws,
        start: Month,
        horizon: usize,
        transform: impl Fn(f64) -> f64,
    ) -> Series {
        let value = |(from, spec): &(Month, Spec)| {
            transform(match spec {
                Spec::Fixed(v) => *v,
                Spec::Uncertain(dist) => {
                    let subject = hash_key_at(&self.key, *from);
                    dist.sample(&mut draws.timeless(Stream::Parameter).generator(subject))
                }
            })
        };
        // Most parameters have one entry: no list of entries to make.
        if let [only] = self.schedule.as_slice() {
            return Series::Constant(value(only));
        }
        let values: Vec<f64> = self.schedule.iter().map(value).collect();
        // The entry in force walks forward with the months (the schedule is
        // in month order): what `index_at` finds, without a search a month.
        let mut k = 0;
        let monthly = (0..horizon)
            .map(|t| {
                let month = start.plus(t as u32);
                while self
                    .schedule
                    .get(k + 1)
                    .is_some_and(|(from, _)| *from <= month)
                {
                    k += 1;
                }
                debug_assert_eq!(k, self.index_at(month));
                values[k]
            })
            .collect();
        Series::Monthly(monthly)
    }

    /// Draws a per-event value (e.g. one offer's time to start) from the entry in
    /// force in `month`, from the event's own draws ([`Dist::sample_event`]).
    pub fn sample_event(&self, month: Month, draws: &MonthDraws, subject: u64) -> f64 {
        match self.spec_at(month) {
            Spec::Fixed(v) => *v,
            Spec::Uncertain(dist) => dist.sample_event(draws, subject),
        }
    }
}

/// A realized parameter: one value per month of the horizon.
#[derive(Clone, Debug)]
pub enum Series {
    Constant(f64),
    Monthly(Vec<f64>),
}

impl Series {
    #[inline]
    pub fn at(&self, t: usize) -> f64 {
        match self {
            Series::Constant(v) => *v,
            Series::Monthly(values) => values[t],
        }
    }

    /// `f` of each month's value.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Series {
        match self {
            Series::Constant(v) => Series::Constant(f(*v)),
            Series::Monthly(values) => {
                let mut f = repeating(|bits| f(f64::from_bits(bits)));
                Series::Monthly(values.iter().map(|v| f(v.to_bits())).collect())
            }
        }
    }
}

/// `f`, worked out again only for an argument other than the last one:
/// month by month, a series mostly repeats its values, and `f` may be a
/// logarithm or a power. Arguments are numbers' bits, so that `-0.0` and
/// `0.0` are told apart.
pub fn repeating<A: Copy + Eq>(f: impl Fn(A) -> f64) -> impl FnMut(A) -> f64 {
    let mut last: Option<(A, f64)> = None;
    move |a| match last {
        Some((seen, value)) if seen == a => value,
        _ => {
            let value = f(a);
            last = Some((a, value));
            value
        }
    }
}

/// Converts an annual rate to the monthly hazard that compounds to it:
/// 1 - (1 - a)^(1/12).
pub fn monthly_hazard(annual_rate: f64) -> f64 {
    1.0 - (1.0 - annual_rate.clamp(0.0, 1.0)).powf(1.0 / 12.0)
}

/// Turns a fractional number of months into whole months without bias:
/// 2.3 becomes 3 with probability 0.3 and 2 otherwise.
pub fn whole_months(months: f64, bits: u64) -> u32 {
    let months = months.max(0.0);
    // Truncation: the floor of a non-negative number, without a call.
    let floor = months as u32;
    floor.saturating_add(u32::from(unit(bits) < months - f64::from(floor)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_argument_is_worked_out_once() {
        let calls = std::cell::Cell::new(0);
        let mut ln_1p = repeating(|bits: u64| {
            calls.set(calls.get() + 1);
            f64::from_bits(bits).ln_1p()
        });
        let arguments: [f64; 8] = [0.5, 0.5, 0.5, 0.25, 0.5, 0.0, -0.0, -0.0];
        let values: Vec<u64> = arguments
            .iter()
            .map(|v| ln_1p(v.to_bits()).to_bits())
            .collect();
        let expected: Vec<u64> = arguments.iter().map(|v| v.ln_1p().to_bits()).collect();
        assert_eq!(values, expected);
        // Each run of equal arguments once; 0.0 and -0.0 told apart.
        assert_eq!(calls.get(), 5);
    }

    /// Events' values have their distribution's mean and variance: within
    /// 5 standard errors of the mean, and of the variance (from the fourth
    /// central moment) over 200,000 events.
    #[test]
    fn events_drawn_by_quantile_have_their_distributions_moments() {
        let draws = Draws::new(17, 4).month(Stream::HireLag, 9);
        let (mu, sigma) = (0.2f64, 0.5f64);
        let lognormal_mean = (mu + sigma * sigma / 2.0).exp();
        let lognormal_var = ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp();
        let cases = [
            (
                Dist::Uniform {
                    low: 1.0,
                    high: 4.0,
                },
                2.5,
                0.75,
            ),
            (
                Dist::Triangular {
                    low: 1.5,
                    mode: 2.85,
                    high: 4.5,
                },
                (1.5 + 2.85 + 4.5) / 3.0,
                (1.5f64.powi(2) + 2.85f64.powi(2) + 4.5f64.powi(2)
                    - 1.5 * 2.85
                    - 1.5 * 4.5
                    - 2.85 * 4.5)
                    / 18.0,
            ),
            (Dist::Normal { mean: 3.0, sd: 0.7 }, 3.0, 0.49),
            (Dist::LogNormal { mu, sigma }, lognormal_mean, lognormal_var),
            (
                Dist::Beta {
                    alpha: 2.0,
                    beta: 5.0,
                },
                2.0 / 7.0,
                10.0 / (49.0 * 8.0),
            ),
        ];
        let n = 200_000u64;
        for (dist, mean, var) in cases {
            let values: Vec<f64> = (0..n).map(|s| dist.sample_event(&draws, s)).collect();
            let m = values.iter().sum::<f64>() / n as f64;
            let central = |k: i32| values.iter().map(|v| (v - m).powi(k)).sum::<f64>() / n as f64;
            let (v, m4) = (central(2), central(4));
            let se_mean = (var / n as f64).sqrt();
            let se_var = ((m4 - v * v) / n as f64).sqrt();
            assert!(
                (m - mean).abs() < 5.0 * se_mean,
                "{dist:?}: mean {m} against {mean}"
            );
            assert!(
                (v - var).abs() < 5.0 * se_var,
                "{dist:?}: variance {v} against {var}"
            );
        }
    }

    #[test]
    fn quantiles_match_closed_forms() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-8);
        assert!((normal_quantile(0.1) + 1.281_551_565_544_6).abs() < 1e-8);
        assert_eq!(normal_quantile(0.5), 0.0);
        let t = Dist::Triangular {
            low: 0.0,
            mode: 1.0,
            high: 2.0,
        };
        assert!((t.quantile(0.5) - 1.0).abs() < 1e-12);
        assert!((t.quantile(0.125) - 0.5).abs() < 1e-12);
        let u = Dist::Uniform {
            low: 2.0,
            high: 4.0,
        };
        assert_eq!(u.quantile(0.25), 2.5);
        // Beta(2, 2) has median 1/2; 20,001 draws put it within a few 0.01.
        let b = Dist::Beta {
            alpha: 2.0,
            beta: 2.0,
        };
        assert!((b.quantile(0.5) - 0.5).abs() < 0.02);
    }

    #[test]
    fn monthly_hazard_compounds_to_the_annual_rate() {
        let h = monthly_hazard(0.2);
        assert!(((1.0 - h).powi(12) - 0.8).abs() < 1e-12);
        assert_eq!(monthly_hazard(0.0), 0.0);
        assert_eq!(monthly_hazard(1.0), 1.0);
    }

    #[test]
    fn schedules_switch_on_their_months() {
        let start = Month::parse("2014-02").unwrap();
        let p = Param {
            key: "k".into(),
            schedule: vec![
                (start, Spec::Fixed(3.0)),
                (Month::parse("2014-06").unwrap(), Spec::Fixed(1.0)),
            ],
        };
        let s = p.realize(&Draws::new(1, 0), start, 6, |v| v);
        let got: Vec<f64> = (0..6).map(|t| s.at(t)).collect();
        assert_eq!(got, [3.0, 3.0, 3.0, 3.0, 1.0, 1.0]);
    }

    #[test]
    fn uncertain_draws_depend_on_key_not_order() {
        let start = Month::parse("2020-01").unwrap();
        let dist = Spec::Uncertain(Dist::Uniform {
            low: 0.0,
            high: 1.0,
        });
        let a = Param {
            key: "a".into(),
            schedule: vec![(start, dist.clone())],
        };
        let b = Param {
            key: "b".into(),
            schedule: vec![(start, dist)],
        };
        let d = Draws::new(7, 3);
        let a1 = a.realize(&d, start, 1, |v| v).at(0);
        let b1 = b.realize(&d, start, 1, |v| v).at(0);
        assert_ne!(a1, b1);
        assert_eq!(a1, a.realize(&d, start, 1, |v| v).at(0));
    }

    /// Truncating is the floor it stands for: whole numbers, numbers just
    /// either side of them, fractions, negatives and NaN (both none).
    #[test]
    fn whole_months_rounds_from_the_floor() {
        let by_floor = |months: f64, bits: u64| {
            let months = months.max(0.0);
            let floor = months.floor();
            floor as u32 + u32::from(unit(bits) < months - floor)
        };
        let near = |m: f64| {
            [
                m,
                f64::from_bits(m.to_bits() - 1),
                f64::from_bits(m.to_bits() + 1),
            ]
        };
        let months = [0.5, 1.0, 2.0, 3.0, 12.0, 1000.0, 4_000_000.0]
            .into_iter()
            .flat_map(near)
            .chain([0.0, -0.0, -1.5, f64::NAN, 2.3, 0.999, 17.25]);
        for m in months {
            for k in 0..50 {
                let bits = crate::rng::mix(k);
                assert_eq!(whole_months(m, bits), by_floor(m, bits), "{m}");
            }
        }
    }

    #[test]
    fn whole_months_is_unbiased() {
        let n = 100_000u64;
        let total: u64 = (0..n)
            .map(|i| u64::from(whole_months(2.3, crate::rng::mix(i))))
            .sum();
        let mean = total as f64 / n as f64;
        // SD of the Bernoulli part is sqrt(0.21); SE = 0.00145; 5 SE.
        assert!((mean - 2.3).abs() < 0.0073, "{mean}");
    }
}
