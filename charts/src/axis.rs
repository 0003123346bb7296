//! Axis arithmetic: data domains, "nice" tick steps and number formatting. No drawing here.

/// Ticks for a value axis: evenly spaced multiples of a 1, 2, 2.5 or 5 × 10ⁿ step inside
/// `lo..=hi`, the step giving the number of intervals closest to `wanted`. Returns the ticks
/// and the step.
pub(crate) fn value_ticks(lo: f64, hi: f64, wanted: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    let raw = span / wanted.max(1) as f64;
    if !raw.is_finite() || raw <= 0.0 {
        return (vec![lo], 1.0);
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let off_by = |step: f64| (span / step - wanted as f64).abs();
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .fold(10.0 * magnitude, |best, s| {
            if off_by(s) < off_by(best) { s } else { best }
        });
    let (first, last) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
    if !(0.0..=1000.0).contains(&(last - first)) {
        return (Vec::new(), step);
    }
    let ticks = (first as i64..=last as i64).map(|i| i as f64 * step);
    (ticks.collect(), step)
}

/// The smallest 1, 2, 2.5 or 5 × 10ⁿ that is at least `x` (`x` > 0 and finite; else 1).
pub(crate) fn nice_ceil(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * magnitude)
}

/// Centres of `desired.len()` badges of width `d` kept inside `lo..=hi` without overlap,
/// each as near its desired centre as possible: overlapping neighbours merge into a cluster
/// centred on their mean. `desired` must be sorted. If they cannot all fit, they are spread
/// evenly from `lo` (and then do overlap; callers check with the returned flag).
pub(crate) fn spread(desired: &[f64], d: f64, lo: f64, hi: f64) -> (Vec<f64>, bool) {
    let n = desired.len();
    if n == 0 {
        return (Vec::new(), true);
    }
    if (n - 1) as f64 * d > hi - lo + 1e-9 {
        let step = if n > 1 {
            (hi - lo) / (n - 1) as f64
        } else {
            0.0
        };
        return ((0..n).map(|i| lo + i as f64 * step).collect(), false);
    }
    // Clusters as (first index, count, first centre).
    let mut clusters: Vec<(usize, usize, f64)> = Vec::new();
    let place = |first: usize, count: usize| {
        let mean = desired[first..first + count].iter().sum::<f64>() / count as f64;
        let start = mean - (count - 1) as f64 * d / 2.0;
        start.min(hi - (count - 1) as f64 * d).max(lo)
    };
    for i in 0..n {
        clusters.push((i, 1, place(i, 1)));
        while clusters.len() >= 2 {
            let (_, b_count, b_start) = clusters[clusters.len() - 1];
            let (a_first, a_count, a_start) = clusters[clusters.len() - 2];
            if a_start + a_count as f64 * d <= b_start + 1e-9 {
                break;
            }
            clusters.truncate(clusters.len() - 2);
            clusters.push((
                a_first,
                a_count + b_count,
                place(a_first, a_count + b_count),
            ));
        }
    }
    let out = clusters
        .into_iter()
        .flat_map(|(_, count, start)| (0..count).map(move |k| start + k as f64 * d))
        .collect();
    (out, true)
}

/// Whole-year ticks inside `lo..=hi`, at multiples of the smallest 1, 2 or 5 × 10ⁿ years that
/// is at least `min_step` years.
pub(crate) fn year_ticks(lo: f64, hi: f64, min_step: f64) -> Vec<f64> {
    let magnitude = 10f64.powf(min_step.max(1.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= min_step)
        .unwrap_or(10.0 * magnitude);
    let (first, last) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
    if !(0.0..=1000.0).contains(&(last - first)) {
        return Vec::new();
    }
    (first as i64..=last as i64)
        .map(|i| i as f64 * step)
        .collect()
}

/// Decimals needed to write multiples of `step` exactly (0 for whole steps, 1 for 2.5, ...).
pub(crate) fn decimals_for(step: f64) -> usize {
    (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(6)
}

/// Formats `value` with `decimals` decimals and `thousands` between groups of three digits.
/// The decimal mark is the other one of '.' and ',' ("30.000,5" or "30,000.5"); negative
/// numbers get a real minus sign (U+2212).
pub(crate) fn format_number(value: f64, decimals: usize, thousands: char) -> String {
    let decimal_mark = if thousands == ',' { '.' } else { ',' };
    let digits = format!("{:.*}", decimals, value.abs());
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let mut out = String::with_capacity(digits.len() + int.len() / 3 + 3);
    if value < 0.0 && digits.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('\u{2212}');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal_mark);
        out.push_str(frac);
    }
    out
}

/// The value range to show: from zero (when asked and the data allow it) or with 8% room
/// below, and always 8% headroom above. Empty data gives 0..10.
pub(crate) fn value_domain(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if min > max {
        return (0.0, 10.0);
    }
    let (min, max) = if from_zero {
        (min.min(0.0), max.max(0.0))
    } else {
        (min, max)
    };
    let span = if max > min {
        max - min
    } else {
        (max.abs() * 0.1).max(1.0)
    };
    let lo = if from_zero && min >= 0.0 {
        0.0
    } else {
        min - 0.08 * span
    };
    (lo, max + 0.08 * span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_the_requested_thousands_separator() {
        // Arrange / Act / Assert
        assert_eq!(format_number(30_000.0, 0, '.'), "30.000");
        assert_eq!(format_number(30_000.0, 0, ','), "30,000");
        assert_eq!(format_number(1_234_567.25, 2, '.'), "1.234.567,25");
        assert_eq!(format_number(999.0, 0, '.'), "999");
        assert_eq!(format_number(-2_500.0, 0, '.'), "\u{2212}2.500");
        assert_eq!(format_number(-0.0001, 0, '.'), "0");
    }

    #[test]
    fn value_ticks_are_round_numbers_inside_the_range() {
        // Arrange / Act
        let (ticks, step) = value_ticks(0.0, 42_444.0, 5);
        // Assert
        assert_eq!(step, 10_000.0);
        assert_eq!(ticks, vec![0.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0]);
        assert_eq!(decimals_for(2.5), 1);
        assert_eq!(decimals_for(10_000.0), 0);
    }

    #[test]
    fn counts_start_at_zero_with_headroom_on_top() {
        // Arrange
        let values = [17_800.0, 39_300.0];
        // Act
        let (lo, hi) = value_domain(values.into_iter(), true);
        // Assert
        assert_eq!(lo, 0.0);
        assert!((hi - 39_300.0 * 1.08).abs() < 1e-6);
    }

    #[test]
    fn nice_ceil_rounds_up_to_a_nice_step() {
        // Arrange / Act / Assert
        assert_eq!(nice_ceil(19_440.0), 20_000.0);
        assert_eq!(nice_ceil(20_000.0), 20_000.0);
        assert_eq!(nice_ceil(2.1), 2.5);
        assert_eq!(nice_ceil(0.0), 1.0);
    }

    #[test]
    fn badges_that_would_overlap_are_pushed_apart_around_their_mean() {
        // Arrange
        let desired = [100.0, 104.0, 119.0, 400.0];
        // Act
        let (centres, fits) = spread(&desired, 20.0, 0.0, 500.0);
        // Assert
        assert!(fits);
        assert!(
            centres.windows(2).all(|w| w[1] - w[0] >= 20.0 - 1e-9),
            "{centres:?}"
        );
        let mean = centres[..3].iter().sum::<f64>() / 3.0;
        assert!(
            (mean - 323.0 / 3.0).abs() < 1e-9,
            "cluster centred on its mean"
        );
        assert_eq!(centres[3], 400.0, "a badge far away stays put");
    }

    #[test]
    fn badges_at_the_edge_stay_inside_the_bounds() {
        // Arrange
        let desired = [495.0, 499.0];
        // Act
        let (centres, fits) = spread(&desired, 20.0, 0.0, 500.0);
        // Assert
        assert!(fits);
        assert_eq!(centres, vec![480.0, 500.0]);
        assert!(
            !spread(&[1.0, 2.0, 3.0], 20.0, 0.0, 30.0).1,
            "three do not fit in 30"
        );
    }

    #[test]
    fn year_ticks_are_multiples_of_the_step() {
        // Arrange / Act / Assert
        assert_eq!(
            year_ticks(2008.6, 2030.4, 3.2),
            vec![2010.0, 2015.0, 2020.0, 2025.0, 2030.0]
        );
        assert_eq!(
            year_ticks(2009.0, 2012.0, 0.1),
            vec![2009.0, 2010.0, 2011.0, 2012.0]
        );
        assert!(year_ticks(-1e300, 1e300, 1.0).is_empty());
    }
}
