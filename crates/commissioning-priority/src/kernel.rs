//! Passes over a row-major matrix, with a kernel per row width.
//!
//! A matrix of options × criteria is stored row by row. For a width known at compile time
//! (1 to 16 criteria, which covers every decision matrix met in practice) the compiler keeps a
//! row's per-column sums, extremes and constants in registers and unrolls the row; wider
//! matrices take the general loop. Both do the same operations in the same order, so the width
//! never changes a result's bits (checked in the tests of each caller).

/// Runs `$kernel::<N>` for a row width `N` of 1 to 16, where the compiler keeps a row's
/// per-column values in registers, and `$any` for wider matrices. The kernels do the same
/// operations in the same order, so every width gives the same bits.
macro_rules! by_width {
    ($n:expr, $kernel:ident($($arg:expr),*), $any:expr) => {
        match $n {
            1 => $kernel::<1>($($arg),*),
            2 => $kernel::<2>($($arg),*),
            3 => $kernel::<3>($($arg),*),
            4 => $kernel::<4>($($arg),*),
            5 => $kernel::<5>($($arg),*),
            6 => $kernel::<6>($($arg),*),
            7 => $kernel::<7>($($arg),*),
            8 => $kernel::<8>($($arg),*),
            9 => $kernel::<9>($($arg),*),
            10 => $kernel::<10>($($arg),*),
            11 => $kernel::<11>($($arg),*),
            12 => $kernel::<12>($($arg),*),
            13 => $kernel::<13>($($arg),*),
            14 => $kernel::<14>($($arg),*),
            15 => $kernel::<15>($($arg),*),
            16 => $kernel::<16>($($arg),*),
            _ => $any,
        }
    };
}

pub(crate) use by_width;

/// The running least value: `x` if it is below `least`, else `least`. A NaN never replaces a
/// number (the callers detect NaN by other means), and of `0.0` and `-0.0` the one already
/// held is kept: the same result as `f64::min(least, x)` as it is compiled for x86-64, but
/// one instruction, with no NaN fix-up, on every platform.
#[inline(always)]
pub(crate) fn lesser(least: f64, x: f64) -> f64 {
    if x < least { x } else { least }
}

/// The running greatest value, as [`lesser`].
#[inline(always)]
pub(crate) fn greater(greatest: f64, x: f64) -> f64 {
    if x > greatest { x } else { greatest }
}

/// The least and greatest value of each of the `n` columns, in one pass, and whether every
/// value is finite (`x × 0` is zero for a finite `x` and NaN otherwise, so one sum tells).
pub(crate) fn column_extremes(values: &[f64], n: usize) -> (Vec<(f64, f64)>, bool) {
    by_width!(n, extremes_of_width(values), extremes_any(values, n))
}

pub(crate) fn extremes_any(values: &[f64], n: usize) -> (Vec<(f64, f64)>, bool) {
    let mut extremes = vec![(f64::INFINITY, f64::NEG_INFINITY); n];
    let mut poison = 0.0f64;
    for row in values.chunks_exact(n) {
        for (e, &x) in extremes.iter_mut().zip(row) {
            e.0 = lesser(e.0, x);
            e.1 = greater(e.1, x);
            poison += x * 0.0;
        }
    }
    (extremes, poison == 0.0)
}

fn extremes_of_width<const N: usize>(values: &[f64]) -> (Vec<(f64, f64)>, bool) {
    let mut least = [f64::INFINITY; N];
    let mut greatest = [f64::NEG_INFINITY; N];
    let mut poison = [0.0f64; N];
    for row in values.as_chunks::<N>().0 {
        for (((l, h), p), &x) in least
            .iter_mut()
            .zip(&mut greatest)
            .zip(&mut poison)
            .zip(row)
        {
            *l = lesser(*l, x);
            *h = greater(*h, x);
            *p += x * 0.0;
        }
    }
    (
        least.into_iter().zip(greatest).collect(),
        poison.iter().all(|&p| p == 0.0),
    )
}

/// `out[i] = finish(Σⱼ scale[j] × values[i][j])`, the sum taken in column order as
/// `Iterator::sum` takes it.
pub(crate) fn weighted_sums(
    values: &[f64],
    scale: &[f64],
    out: &mut [f64],
    finish: impl Fn(f64) -> f64 + Copy,
) {
    by_width!(
        scale.len(),
        weighted_of_width(values, scale, out, finish),
        weighted_any(values, scale, out, finish)
    );
}

pub(crate) fn weighted_any(
    values: &[f64],
    scale: &[f64],
    out: &mut [f64],
    finish: impl Fn(f64) -> f64 + Copy,
) {
    for (row, o) in values.chunks_exact(scale.len()).zip(out.iter_mut()) {
        *o = finish(row.iter().zip(scale).map(|(x, a)| a * x).sum::<f64>());
    }
}

fn weighted_of_width<const N: usize>(
    values: &[f64],
    scale: &[f64],
    out: &mut [f64],
    finish: impl Fn(f64) -> f64 + Copy,
) {
    let Some(&scale) = scale.first_chunk::<N>() else {
        return weighted_any(values, scale, out, finish);
    };
    // Four rows a step, each with its own sum taken in column order from −0.0 as
    // `Iterator::sum` takes it: the sums share vector registers, two rows to a register.
    let (quads, last) = values.as_chunks::<N>().0.as_chunks::<4>();
    let (outs, out_last) = out.as_chunks_mut::<4>();
    for ([a, b, c, d], [oa, ob, oc, od]) in quads.iter().zip(outs) {
        let mut sums = [-0.0f64; 4];
        for (j, w) in scale.iter().enumerate() {
            let column = [a.get(j), b.get(j), c.get(j), d.get(j)];
            for (s, x) in sums.iter_mut().zip(column) {
                *s += w * x.copied().unwrap_or(0.0);
            }
        }
        (*oa, *ob, *oc, *od) = (
            finish(sums[0]),
            finish(sums[1]),
            finish(sums[2]),
            finish(sums[3]),
        );
    }
    for (row, o) in last.iter().zip(out_last) {
        *o = finish(row.iter().zip(&scale).map(|(x, a)| a * x).sum::<f64>());
    }
}

/// A test matrix of `len` values: pseudo-random in −100 to 200 from `seed` (xorshift), with
/// zeros of both signs and whole numbers mixed in, where the choice between equal values
/// shows.
#[cfg(test)]
pub(crate) fn test_values(seed: u64, len: usize) -> Vec<f64> {
    let mut state = seed.max(1);
    (0..len)
        .map(|k| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = (state >> 11) as f64 / (1u64 << 53) as f64 * 300.0 - 100.0;
            match k % 5 {
                0 => 0.0,
                1 => -0.0,
                2 => x.round(),
                _ => x,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesser_and_greater_agree_with_min_and_max_on_numbers() {
        let numbers = [0.0, -0.0, 1.0, -1.0, 2.5, f64::INFINITY, f64::NEG_INFINITY];
        for &held in &numbers {
            for x in numbers.into_iter().chain([f64::NAN]) {
                assert_eq!(
                    lesser(held, x).to_bits(),
                    held.min(x).to_bits(),
                    "{held} {x}"
                );
                assert_eq!(
                    greater(held, x).to_bits(),
                    held.max(x).to_bits(),
                    "{held} {x}"
                );
            }
        }
    }

    #[test]
    fn every_width_gives_the_bits_of_the_general_loop() {
        for n in 1..=18usize {
            let rows = 41;
            let values = test_values(0x9e37_79b9_7f4a_7c15 ^ n as u64, rows * n);
            let scale: Vec<f64> = test_values(7 + n as u64, n)
                .iter()
                .map(|x| x / 7.0)
                .collect();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let (mut a, mut b) = (vec![0.0; rows], vec![0.0; rows]);
            weighted_sums(&values, &scale, &mut a, |s| 0.5 + s);
            weighted_any(&values, &scale, &mut b, |s| 0.5 + s);
            assert_eq!(bits(&a), bits(&b), "width {n}");
            let e = column_extremes(&values, n);
            let f = extremes_any(&values, n);
            assert_eq!(format!("{e:?}"), format!("{f:?}"), "width {n}");
            let mut g = vec![(f64::INFINITY, f64::NEG_INFINITY); n];
            for row in values.chunks_exact(n) {
                for (e, &x) in g.iter_mut().zip(row) {
                    (e.0, e.1) = (e.0.min(x), e.1.max(x));
                }
            }
            let bits = |v: &[(f64, f64)]| {
                v.iter()
                    .map(|(l, h)| (l.to_bits(), h.to_bits()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&e.0), bits(&g), "width {n}: as f64::min and f64::max");
        }
    }
}
