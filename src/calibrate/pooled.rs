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
/// `df` degrees of freedom (infinite: every area alike, but for its size)
/// and a scale whose logarithm is a line in a covariate (the log of the
/// area's size: a small service's rates move more from year to year).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prior {
    pub df: f64,
    intercept: f64,
    slope: f64,
}

/// An area's sample variance, its degrees of freedom, and its covariate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub var: f64,
    pub df: f64,
    pub covariate: f64,
}

impl Prior {
    /// Fitted to sample variances by the moments of their logarithms about
    /// a least-squares line in the covariate (Smyth 2004, section 6.2; with
    /// a covariate, as limma's `fitFDist`). Zero variances say nothing about
    /// the law's shape and are left out. `None` with fewer than four left.
    pub fn fit(samples: &[Sample]) -> Option<Prior> {
        let kept: Vec<Sample> = samples
            .iter()
            .copied()
            .filter(|s| s.var > 0.0 && s.var.is_finite() && s.df > 0.0 && s.covariate.is_finite())
            .collect();
        if kept.len() < 4 {
            return None;
        }
        let n = kept.len() as f64;
        // Each log variance less its bias as an estimate of the log scale.
        let e: Vec<f64> = kept
            .iter()
            .map(|s| s.var.ln() - digamma(s.df / 2.0) + (s.df / 2.0).ln())
            .collect();
        let (x_mean, e_mean) = (
            kept.iter().map(|s| s.covariate).sum::<f64>() / n,
            e.iter().sum::<f64>() / n,
        );
        let sxx: f64 = kept.iter().map(|s| (s.covariate - x_mean).powi(2)).sum();
        let sxe: f64 = kept
            .iter()
            .zip(&e)
            .map(|(s, e)| (s.covariate - x_mean) * (e - e_mean))
            .sum();
        let (slope, fitted) = if sxx > 0.0 {
            (sxe / sxx, 2.0)
        } else {
            (0.0, 1.0)
        };
        let intercept = e_mean - slope * x_mean;
        let residual = kept
            .iter()
            .zip(&e)
            .map(|(s, e)| (e - intercept - slope * s.covariate).powi(2))
            .sum::<f64>()
            / (n - fitted);
        let expected = kept.iter().map(|s| trigamma(s.df / 2.0)).sum::<f64>() / n;
        let excess = residual - expected;
        if excess <= 0.0 {
            return Some(Prior {
                df: f64::INFINITY,
                intercept,
                slope,
            });
        }
        let df = 2.0 * trigamma_inverse(excess);
        Some(Prior {
            df,
            intercept: intercept + digamma(df / 2.0) - (df / 2.0).ln(),
            slope,
        })
    }

    /// The law's scale for an area with this covariate.
    pub fn scale(&self, covariate: f64) -> f64 {
        (self.intercept + self.slope * covariate).exp()
    }

    /// An area's variance with `df` degrees of freedom, shrunk towards the
    /// law's scale at its covariate: the posterior mean of the precision's
    /// reciprocal.
    pub fn moderate(&self, var: f64, df: f64, covariate: f64) -> f64 {
        let scale = self.scale(covariate);
        if self.df.is_infinite() {
            scale
        } else {
            (self.df * scale + df * var) / (self.df + df)
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

    /// Variances drawn as the model says: true variances from a scaled
    /// inverse chi-squared (d0 = 6) whose log scale is `ln 0.04 - 0.5 x`,
    /// each seen through a chi-squared with 2 degrees of freedom.
    fn drawn(d0: f64, slope: f64, count: usize) -> Vec<Sample> {
        use rand::SeedableRng;
        use rand_distr::{ChiSquared, Distribution, Uniform};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let d = 2.0;
        let prior_draw = ChiSquared::new(d0).unwrap();
        let sample_draw = ChiSquared::new(d).unwrap();
        let covariate = Uniform::new(3.0, 7.0).unwrap();
        (0..count)
            .map(|_| {
                let x = covariate.sample(&mut rng);
                let scale = (0.04f64.ln() + slope * (x - 5.0)).exp();
                let truth = d0 * scale / prior_draw.sample(&mut rng);
                Sample {
                    var: truth * sample_draw.sample(&mut rng) / d,
                    df: d,
                    covariate: x,
                }
            })
            .collect()
    }

    /// Tolerance in standard errors, as the integration tests' `common::K`:
    /// a normal estimate strays further with probability 6.3e-5.
    const K: f64 = 4.0;

    #[test]
    fn a_prior_fitted_to_an_inverse_chi_squared_law_gets_its_parameters_back() {
        // Each e = ln s^2 - digamma(1) + ln 1 is the line plus ln(chi2_2 / 2)
        // less ln(chi2_6 / 6): its variance is trigamma(1) + trigamma(3), its
        // fourth cumulant the third derivatives of digamma there, pi^4 / 15
        // and pi^4 / 15 - 6 (1 + 1/16); the second derivative at 3 is
        // -2 zeta(3) + 2 (1 + 1/8).
        let variance = trigamma(1.0) + trigamma(3.0);
        let fourth_cumulant = 2.0 * PI.powi(4) / 15.0 - 6.0 * (1.0 + 1.0 / 16.0);
        let second_derivative_at_3: f64 = -2.0 * 1.202_056_903_159_594_3 + 2.0 * (1.0 + 1.0 / 8.0);
        for slope in [0.0, -0.5] {
            let samples = drawn(6.0, slope, 200_000);
            let n = samples.len() as f64;
            let x_mean = samples.iter().map(|s| s.covariate).sum::<f64>() / n;
            let sxx: f64 = samples.iter().map(|s| (s.covariate - x_mean).powi(2)).sum();
            let prior = Prior::fit(&samples).unwrap();
            let se_slope = (variance / sxx).sqrt();
            assert!((prior.slope - slope).abs() < K * se_slope, "{prior:?}");
            // The degrees of freedom come from the residual variance, whose
            // standard error is sqrt((kappa4 + 2 sigma^4) / n), through
            // trigamma's slope at 3 (half the second derivative, per degree
            // of freedom).
            let se_excess = ((fourth_cumulant + 2.0 * variance * variance) / n).sqrt();
            let se_df = se_excess / (second_derivative_at_3.abs() / 2.0);
            assert!((prior.df - 6.0).abs() < K * se_df, "{prior:?} +/- {se_df}");
            // The log scale at 5: the line there, and the bias correction's
            // dependence on the degrees of freedom.
            let correction_slope = trigamma(3.0) / 2.0 - 1.0 / 6.0;
            let se_log_scale = (variance / n
                + (5.0 - x_mean).powi(2) * se_slope.powi(2)
                + (correction_slope * se_df).powi(2))
            .sqrt();
            assert!(
                (prior.scale(5.0).ln() - 0.04f64.ln()).abs() < K * se_log_scale,
                "{prior:?} +/- {se_log_scale}"
            );
        }
    }

    #[test]
    fn moderation_weighs_each_side_by_its_degrees_of_freedom() {
        let prior = Prior {
            df: 4.0,
            intercept: 0.0,
            slope: 1.0,
        };
        assert_eq!(prior.moderate(4.0, 2.0, 0.0), (4.0 + 8.0) / 6.0);
        let at_two = 2f64.exp();
        assert_eq!(prior.moderate(4.0, 2.0, 2.0), (4.0 * at_two + 8.0) / 6.0);
        let alike = Prior {
            df: f64::INFINITY,
            ..prior
        };
        assert_eq!(alike.moderate(9.0, 2.0, 0.0), 1.0);
        let few = [1.0, 0.0, 2.0, 3.0].map(|var| Sample {
            var,
            df: 2.0,
            covariate: 0.0,
        });
        assert_eq!(Prior::fit(&few), None);
    }

    #[test]
    fn variances_that_vary_no_more_than_chance_gives_a_common_law() {
        let samples = [1.0, 1.01, 0.99, 1.0].map(|var| Sample {
            var,
            df: 200.0,
            covariate: 1.0,
        });
        let prior = Prior::fit(&samples).unwrap();
        assert!(prior.df.is_infinite());
        assert!((prior.scale(1.0) - 1.0).abs() < 0.01);
    }
}
