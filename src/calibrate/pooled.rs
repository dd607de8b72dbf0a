//! Spreads from a few years, steadied by what other areas show.
//!
//! A calibration fits an area on three years or so: two or three degrees of
//! freedom for each year-to-year spread, so by chance many areas' spreads come
//! out far too small (and their forecast bands too narrow) or too large.
//! Smyth's empirical Bayes moderation (Smyth 2004, as in limma's `squeezeVar`)
//! treats the areas' true variances as drawn from a scaled inverse chi-squared
//! law, fits that law to every area's sample variance, and shrinks each area's
//! own towards it by the degrees of freedom each side has.

/// The law of the areas' true variances: a scaled inverse chi-squared with
/// `df` degrees of freedom and scale `var` (infinite `df`: every area alike).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prior {
    pub df: f64,
    pub var: f64,
}

impl Prior {
    /// Fitted to sample variances, each with its degrees of freedom, by the
    /// moments of their logarithms (Smyth 2004, section 6.2). Zero variances
    /// say nothing about the law's shape and are left out. `None` with fewer
    /// than three variances left.
    pub fn fit(samples: &[(f64, f64)]) -> Option<Prior> {
        let kept: Vec<(f64, f64)> = samples
            .iter()
            .copied()
            .filter(|&(var, df)| var > 0.0 && var.is_finite() && df > 0.0)
            .collect();
        if kept.len() < 3 {
            return None;
        }
        let n = kept.len() as f64;
        let e: Vec<f64> = kept
            .iter()
            .map(|&(var, df)| var.ln() - digamma(df / 2.0) + (df / 2.0).ln())
            .collect();
        let mean = e.iter().sum::<f64>() / n;
        let spread = e.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let expected = kept.iter().map(|&(_, df)| trigamma(df / 2.0)).sum::<f64>() / n;
        let excess = spread - expected;
        if excess <= 0.0 {
            return Some(Prior {
                df: f64::INFINITY,
                var: mean.exp(),
            });
        }
        let df = 2.0 * trigamma_inverse(excess);
        Some(Prior {
            df,
            var: (mean + digamma(df / 2.0) - (df / 2.0).ln()).exp(),
        })
    }

    /// An area's variance with `df` degrees of freedom, shrunk towards the
    /// law's scale: the posterior mean of the precision's reciprocal.
    pub fn moderate(&self, var: f64, df: f64) -> f64 {
        if self.df.is_infinite() {
            self.var
        } else {
            (self.df * self.var + df * var) / (self.df + df)
        }
    }
}

/// The digamma function, by its recurrence up to 12 and its asymptotic series.
fn digamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 12.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let r = 1.0 / (x * x);
    shift + x.ln()
        - 0.5 / x
        - r * (1.0 / 12.0 - r * (1.0 / 120.0 - r * (1.0 / 252.0 - r * (1.0 / 240.0))))
}

/// The trigamma function, by its recurrence up to 12 and its asymptotic series.
fn trigamma(mut x: f64) -> f64 {
    let mut shift = 0.0;
    while x < 12.0 {
        shift += 1.0 / (x * x);
        x += 1.0;
    }
    let r = 1.0 / (x * x);
    shift
        + 1.0 / x
        + r / 2.0
        + r / x * (1.0 / 6.0 - r * (1.0 / 30.0 - r * (1.0 / 42.0 - r * (1.0 / 30.0))))
}

/// The `x > 0` at which trigamma is `y > 0`, by bisection on the logarithm
/// (trigamma falls from infinity to zero).
fn trigamma_inverse(y: f64) -> f64 {
    let (mut low, mut high) = (-30.0f64, 30.0f64);
    for _ in 0..200 {
        let mid = (low + high) / 2.0;
        if trigamma(mid.exp()) > y {
            low = mid;
        } else {
            high = mid;
        }
    }
    ((low + high) / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    const EULER: f64 = 0.577_215_664_901_532_9;

    #[test]
    fn digamma_and_trigamma_at_known_values() {
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-12 * b.abs().max(1.0), "{a} {b}");
        close(digamma(1.0), -EULER);
        close(digamma(0.5), -EULER - 2.0 * 2f64.ln());
        close(
            digamma(10.0),
            -EULER + (1..10).map(|k| 1.0 / k as f64).sum::<f64>(),
        );
        close(trigamma(1.0), PI * PI / 6.0);
        close(trigamma(0.5), PI * PI / 2.0);
        close(trigamma(2.0), PI * PI / 6.0 - 1.0);
        for x in [0.01, 0.3, 1.0, 4.5, 80.0] {
            let back = trigamma_inverse(trigamma(x));
            assert!((back - x).abs() < 1e-9 * x, "{x} {back}");
        }
    }

    #[test]
    fn a_prior_fitted_to_an_inverse_chi_squared_law_gets_its_parameters_back() {
        // Variances drawn as the model says: true variances from a scaled
        // inverse chi-squared (d0 = 6, s0^2 = 0.04), each seen through a
        // chi-squared with 2 degrees of freedom.
        use rand::SeedableRng;
        use rand_distr::{ChiSquared, Distribution};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let (d0, s0, d) = (6.0, 0.04, 2.0);
        let prior_draw = ChiSquared::new(d0).unwrap();
        let sample_draw = ChiSquared::new(d).unwrap();
        let samples: Vec<(f64, f64)> = (0..20_000)
            .map(|_| {
                let truth = d0 * s0 / prior_draw.sample(&mut rng);
                (truth * sample_draw.sample(&mut rng) / d, d)
            })
            .collect();
        let prior = Prior::fit(&samples).unwrap();
        assert!((prior.df - d0).abs() < 0.6, "{prior:?}");
        assert!((prior.var - s0).abs() < 0.003, "{prior:?}");
    }

    #[test]
    fn moderation_weighs_each_side_by_its_degrees_of_freedom() {
        let prior = Prior { df: 4.0, var: 1.0 };
        assert_eq!(prior.moderate(4.0, 2.0), (4.0 + 8.0) / 6.0);
        let alike = Prior {
            df: f64::INFINITY,
            var: 1.0,
        };
        assert_eq!(alike.moderate(9.0, 2.0), 1.0);
        assert_eq!(Prior::fit(&[(1.0, 2.0), (0.0, 2.0), (2.0, 2.0)]), None);
    }

    #[test]
    fn variances_that_vary_no_more_than_chance_gives_a_common_law() {
        let samples = [(1.0, 200.0), (1.01, 200.0), (0.99, 200.0), (1.0, 200.0)];
        let prior = Prior::fit(&samples).unwrap();
        assert!(prior.df.is_infinite());
        assert!((prior.var - 1.0).abs() < 0.01);
    }
}
