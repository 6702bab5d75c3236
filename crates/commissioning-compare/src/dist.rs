//! The normal and chi-square distributions, to about 1e-14 relative: what the intervals and
//! funnel limits are built on.
//!
//! The regularised incomplete gamma functions are computed by their power series below
//! `x < a + 1` and by Lentz's continued fraction above (Press et al., *Numerical Recipes*, 3rd
//! edn, §6.2), with `ln Γ` by the Lanczos approximation (g = 7, nine terms). Quantiles are found
//! by safeguarded Halley steps on the tail that is being asked for, so that small upper-tail
//! probabilities keep their relative precision. The normal quantile starts from Acklam's
//! rational approximation and is polished by Newton steps on `Φ(x) = ½ erfc(−x/√2)`, with
//! `erfc` to one ulp from the `libm` crate (musl's implementation).
//!
//! # Examples
//!
//! ```
//! use commissioning_compare::dist::{chi_square_quantile, normal_quantile};
//!
//! assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
//! // The 2.5% point of chi-square with 2 degrees of freedom is -2 ln(0.975).
//! let q = chi_square_quantile(0.025, 2.0, false);
//! assert!((q - (-2.0 * 0.975f64.ln())).abs() < 1e-15);
//! ```

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, nine coefficients; about 1e-15 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
        let s = (std::f64::consts::PI * x).sin();
        return (std::f64::consts::PI / s).abs().ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// `exp(-x) x^a / Γ(a)`, the common factor of the series and the continued fraction.
fn gamma_prefactor(a: f64, x: f64) -> f64 {
    (a * x.ln() - x - ln_gamma(a)).exp()
}

/// The lower regularised incomplete gamma function `P(a, x)` by its series (for `x < a + 1`).
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut ap = a;
    let mut term = 1.0 / a;
    let mut sum = term;
    for _ in 0..100_000 {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * 1e-17 {
            break;
        }
    }
    sum * gamma_prefactor(a, x)
}

/// The upper regularised incomplete gamma function `Q(a, x)` by its continued fraction (for
/// `x >= a + 1`), evaluated by the modified Lentz method.
fn gamma_q_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    let mut i = 0.0;
    for _ in 0..100_000 {
        i += 1.0;
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < TINY {
            d = TINY;
        }
        c = b + an / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-17 {
            break;
        }
    }
    h * gamma_prefactor(a, x)
}

/// The shape from which the incomplete gamma functions use Temme's uniform asymptotic
/// expansion (two terms), which costs the same at any shape where the series and continued
/// fraction need `O(√a)` terms. Its truncation error falls as `a^(−5/2)`: at 2,000, about 1e-10
/// relative in `P` or `Q` at 2 standard deviations below the mean and less above it, which moves
/// a quantile by about 1e-12 relative; beyond about 10,000 it is more precise than the series,
/// whose prefactor loses digits to cancellation.
pub const TEMME_FROM: f64 = 2000.0;

/// `λ − 1 − ln λ` for `λ = 1 + d`, without cancellation near `d = 0`: there by its series
/// `d² Σ (−d)ᵏ/(k + 2)` (to `d¹⁷`, under 1e-16 relative for `|d| < 0.1`).
fn lambda_excess(d: f64) -> f64 {
    if d.abs() < 0.1 {
        const INV: [f64; 16] = [
            1.0 / 2.0,
            1.0 / 3.0,
            1.0 / 4.0,
            1.0 / 5.0,
            1.0 / 6.0,
            1.0 / 7.0,
            1.0 / 8.0,
            1.0 / 9.0,
            1.0 / 10.0,
            1.0 / 11.0,
            1.0 / 12.0,
            1.0 / 13.0,
            1.0 / 14.0,
            1.0 / 15.0,
            1.0 / 16.0,
            1.0 / 17.0,
        ];
        // Estrin's scheme over all sixteen terms (pairs, then pairs of pairs): four short chains
        // instead of one long one; the terms left out are below 1e-17 relative.
        let x = -d;
        let x2 = x * x;
        let x4 = x2 * x2;
        let pair = |i: usize| {
            INV.get(i).copied().unwrap_or(0.0)
                + INV.get(i.saturating_add(1)).copied().unwrap_or(0.0) * x
        };
        let quad = |i: usize| pair(i) + pair(i.saturating_add(2)) * x2;
        let oct = |i: usize| quad(i) + quad(i.saturating_add(4)) * x4;
        d * d * (oct(0) + oct(8) * (x4 * x4))
    } else {
        d - d.ln_1p()
    }
}

/// Taylor coefficients in `η` of Temme's `c₀(η)` … `c₆(η)`, from `c₀ = 1/(λ − 1) − 1/η` and the
/// recursion `cₖ = (1/η) dcₖ₋₁/dη + (−1)ᵏ gₖ/(λ − 1)` with Stirling's coefficients `gₖ` (DLMF
/// 8.12.8–8.12.10, 5.11.3), expanded in exact rational arithmetic and rounded once to `f64`
/// (`c₂(0) = 25/6048`, as DLMF 8.12.11 gives).
const TEMME_SERIES: [&[f64]; 7] = [
    &[
        -0.3333333333333333,
        0.08333333333333333,
        -0.014814814814814815,
        0.0011574074074074073,
        0.0003527336860670194,
        -0.0001787551440329218,
        3.919263178522438e-5,
        -2.185448510679992e-6,
        -1.85406221071516e-6,
        8.296711340953087e-7,
        -1.7665952736826078e-7,
        6.707853543401498e-9,
        1.0261809784240309e-8,
        -4.382036018453353e-9,
        9.14769958223679e-10,
        -2.5514193994946248e-11,
        -5.830772132550426e-11,
        2.4361948020667415e-11,
        -5.0276692801141755e-12,
        1.1004392031956135e-13,
        3.371763262400985e-13,
        -1.392388722418162e-13,
    ],
    &[
        -0.001851851851851852,
        -0.003472222222222222,
        0.0026455026455026454,
        -0.0009902263374485596,
        0.00020576131687242798,
        -4.018775720164609e-7,
        -1.8098550334489977e-5,
        7.64916091608111e-6,
        -1.6120900894563446e-6,
        4.647127802807434e-9,
        1.378633446915721e-7,
        -5.752545603517705e-8,
        1.1951628599778148e-8,
        -1.7543241719747647e-11,
        -1.0091543710600413e-9,
        4.162792991842583e-10,
        -8.56390702649298e-11,
        6.067215101604758e-14,
        7.1624989648114856e-12,
        -2.933186643771437e-12,
        5.996696365683689e-13,
        -2.1671786527323313e-16,
    ],
    &[
        0.004133597883597883,
        -0.0026813271604938273,
        0.0007716049382716049,
        2.0093878600823047e-6,
        -0.0001073665322636516,
        5.2923448829120125e-5,
        -1.2760635188618728e-5,
        3.423578734096138e-8,
        1.3721957309062934e-6,
        -6.298992138380055e-7,
        1.4280614206064242e-7,
        -2.0477098421990866e-10,
        -1.409252991086752e-8,
        6.228974084922022e-9,
        -1.3670488396617114e-9,
        9.428356159014678e-13,
        1.2872252400089318e-10,
        -5.5645956134363323e-11,
        1.197593554636698e-11,
        -4.1689782251838634e-15,
        -1.0940640427884595e-12,
        4.662239946390136e-13,
    ],
    &[
        0.0006494341563786008,
        0.00022947209362139917,
        -0.0004691894943952557,
        0.00026772063206283885,
        -7.561801671883977e-5,
        -2.396505113867297e-7,
        1.1082654115347302e-5,
        -5.6749528269915965e-6,
        1.4230900732435883e-6,
        -2.7861080291528143e-11,
        -1.6958404091930278e-7,
        8.099464905388083e-8,
        -1.9111168485973655e-8,
        2.3928620439808118e-12,
        2.0620131815488797e-9,
        -9.460496661855133e-10,
        2.1541049775774907e-10,
        -1.388823336813903e-14,
        -2.1894761681963938e-11,
        9.790998951171684e-12,
        -2.178219188018096e-12,
        6.208819573407901e-17,
    ],
    &[
        -0.0008618882909167117,
        0.0007840392217200666,
        -0.0002990724803031902,
        -1.4638452578843418e-6,
        6.641498215465122e-5,
        -3.968365047179435e-5,
        1.1375726970678419e-5,
        2.507497226237533e-10,
        -1.6954149536558305e-6,
        8.907507532205309e-7,
        -2.292934834000805e-7,
        2.956794137544049e-11,
        2.8865829742708783e-8,
        -1.4189739437803219e-8,
        3.4463580499464896e-9,
        -2.3024517174528067e-13,
        -3.9409233028046403e-10,
        1.86023389685045e-10,
        -4.356323005056618e-11,
        1.278600101629623e-15,
        4.67927502665792e-12,
    ],
    &[
        -0.00033679855336635813,
        -6.972813758365857e-5,
        0.0002772753244959392,
        -0.00019932570516188847,
        6.797780477937208e-5,
        1.419062920643967e-7,
        -1.3594048189768693e-5,
        8.018470256334202e-6,
        -2.291481176508095e-6,
        -3.252473551298454e-10,
        3.4652846491085265e-7,
        -1.8447187191171344e-7,
        4.8240967037894184e-8,
        -1.7989466721743514e-14,
        -6.306194500013523e-9,
        3.162417628774568e-9,
        -7.840924253697429e-10,
        5.192679165254041e-15,
        9.358944242306784e-11,
    ],
    &[
        0.0005313079364639922,
        -0.0005921664373536939,
        0.0002708782096718045,
        7.902353232660328e-7,
        -8.153969367561969e-5,
        5.61168275310625e-5,
        -1.8329116582843375e-5,
        -3.0796134506033047e-9,
        3.465155368803609e-6,
        -2.0291327396058603e-6,
        5.788792863149004e-7,
        2.338630673826657e-13,
        -8.828600746330484e-8,
        4.7435958880408125e-8,
        -1.2545415020710383e-8,
        8.649648858010293e-14,
        1.6846058979264062e-9,
    ],
];

/// The shape from which the seven-term expansion is used near the centre (`|η| ≤ 1`): its
/// truncation error there is below 1e-13 relative.
pub const TEMME_SERIES_FROM: f64 = 25.0;

/// Temme's uniform asymptotic expansion (NIST DLMF 8.12.3–8.12.10): with `λ = x/a` and
/// `η = sign(λ − 1) √(2(λ − 1 − ln λ))`, `Q(a, x) = ½ erfc(η √(a/2)) + R` and
/// `P(a, x) = ½ erfc(−η √(a/2)) − R`, where `R = e^{−aη²/2} / √(2πa) Σ cₖ(η) a⁻ᵏ`: seven terms
/// by their Taylor series for `|η| ≤ 1`, otherwise two in closed form. Returns `(P, Q)`.
fn gamma_temme(a: f64, x: f64) -> (f64, f64) {
    let d = x / a - 1.0;
    let (p, q, _) = temme_with(a, d, lambda_excess(d), None);
    (p, q)
}

/// [`gamma_temme`] from `d = λ − 1` and `λ − 1 − ln λ`, also returning `e^{−a(λ − 1 − ln λ)}`
/// for the density; the normal tail from `anchor` when it is close enough.
fn temme_with(a: f64, d: f64, excess: f64, anchor: Option<&NormalAnchor>) -> (f64, f64, f64) {
    let eta = (2.0 * excess).sqrt().copysign(d);
    let sum = if eta.abs() <= 1.0 {
        // Near the centre the high powers of η vanish: the coefficients of η¹² and above are
        // below 1e-7, so at |η| ≤ 0.1 the terms left out sum to under 1e-19 in every cₖ; those
        // of η¹⁵ and above are below 4e-9, so at |η| ≤ 0.2 they sum to under 2e-19.
        let degree = if eta.abs() <= 0.1 {
            12
        } else if eta.abs() <= 0.2 {
            15
        } else {
            usize::MAX
        };
        // Each series as four interleaved chains in η⁴ (`Σ η^k Σ c₄ₘ₊ₖ η⁴ᵐ`, k = 0…3), a
        // quarter of the latency of one Horner chain.
        let eta2 = eta * eta;
        let eta4 = eta2 * eta2;
        let horner = |c: &[f64]| {
            let mut acc = [0.0; 4];
            for chunk in c.get(..degree.min(c.len())).unwrap_or(c).chunks(4).rev() {
                for (k, a) in acc.iter_mut().enumerate() {
                    *a = *a * eta4 + chunk.get(k).copied().unwrap_or(0.0);
                }
            }
            let [a0, a1, a2, a3] = acc;
            (a0 + eta * a1) + eta2 * (a2 + eta * a3)
        };
        let inv_a = 1.0 / a;
        TEMME_SERIES
            .get(..temme_terms(a))
            .unwrap_or(&TEMME_SERIES)
            .iter()
            .rev()
            .fold(0.0, |acc, c| acc * inv_a + horner(c))
    } else {
        let (c0, c1) = temme_coefficients(d, eta, false);
        c0 + c1 / a
    };
    let e = (-a * excess).exp();
    let r = e / (2.0 * std::f64::consts::PI * a).sqrt() * sum;
    let y = eta * (0.5 * a).sqrt();
    // ½ erfc(|y|) = Φ̄(|η|√a), the smaller half, at full relative precision.
    let tail = anchor
        .and_then(|an| an.upper_tail_near(y.abs() * std::f64::consts::SQRT_2))
        .unwrap_or_else(|| 0.5 * libm::erfc(y.abs()));
    let (upper_half, lower_half) = if y >= 0.0 {
        (tail, 1.0 - tail)
    } else {
        (1.0 - tail, tail)
    };
    (lower_half - r, upper_half + r, e)
}

/// How many of Temme's coefficients `c₀ … c₆` are needed at shape `a`: the first `K` with
/// `aᵏ ≥ 5e14` for `k ≥ K`, since `|cₖ(η)| < 5e-3` for `k ≥ 1` and `|η| ≤ 1`, so that the
/// terms left out change `P` or `Q` by under 1e-17 relative (all seven below a shape of 281).
fn temme_terms(a: f64) -> usize {
    if a >= 79_000.0 {
        3
    } else if a >= 4_730.0 {
        4
    } else if a >= 870.0 {
        5
    } else if a >= 281.0 {
        6
    } else {
        7
    }
}

/// `λ − 1` where `λ − 1 − ln λ = η²/2` and `λ − 1` has the sign of `η`: the series
/// `η + η²/3 + η³/36 − η⁴/270 + η⁵/4320 + η⁶/17010 − 139η⁷/5443200` (Temme 1992), polished by
/// Newton steps away from `η = 0`.
fn lambda_minus_one(eta: f64) -> f64 {
    const S: [f64; 7] = [
        1.0,
        1.0 / 3.0,
        1.0 / 36.0,
        -1.0 / 270.0,
        1.0 / 4320.0,
        1.0 / 17_010.0,
        -139.0 / 5_443_200.0,
    ];
    // Estrin's scheme: pairs in η, then pairs in η², then η⁴ (three short chains).
    let eta2 = eta * eta;
    let [s0, s1, s2, s3, s4, s5, s6] = S;
    let mut mu = eta
        * ((s0 + s1 * eta + (s2 + s3 * eta) * eta2) + (s4 + s5 * eta + s6 * eta2) * (eta2 * eta2));
    if eta.abs() < 0.3 {
        // The terms left out are below 1e-9 relative, far inside the start's own error.
        return mu;
    }
    let half_eta2 = 0.5 * eta * eta;
    for _ in 0..8 {
        if mu <= -1.0 {
            mu = -1.0 + 1e-300;
        }
        // f(μ) = μ − ln(1 + μ) − η²/2, f′(μ) = μ/(1 + μ).
        let step = (lambda_excess(mu) - half_eta2) * (1.0 + mu) / mu;
        mu -= step;
        if step.abs() <= 1e-12 * mu.abs() {
            break;
        }
    }
    mu
}

/// Temme's asymptotic inversion of `P(a, x) = Φ(t)`: see [`gamma_quantile_from`].
fn temme_start(a: f64, t: f64) -> f64 {
    let eta0 = t / a.sqrt();
    let mu0 = lambda_minus_one(eta0);
    // ε₁(η) → −1/3 as η → 0.
    let eps1 = if eta0.abs() < 1e-4 {
        -1.0 / 3.0
    } else {
        (eta0 / mu0).ln() / eta0
    };
    a * (1.0 + lambda_minus_one(eta0 + eps1 / a))
}

/// `Γ*(a) = Γ(a) / (√(2π/a) (a/e)^a)` by Stirling's series (six terms; for `a` from 25).
fn gamma_star(a: f64) -> f64 {
    let inv = 1.0 / a;
    1.0 + inv
        * (1.0 / 12.0
            + inv
                * (1.0 / 288.0
                    - inv
                        * (139.0 / 51_840.0
                            + inv * (571.0 / 2_488_320.0 - inv * 163_879.0 / 209_018_880.0))))
}

/// `P(a, x)`, `Q(a, x)` and the density at `x`, sharing their common factors; for large shapes
/// the density is `e^{−aη²/2} √(a/2π) / (x Γ*(a))`, which keeps its precision where
/// `(a − 1) ln x − x − ln Γ(a)` would cancel.
fn tails_and_density(
    a: f64,
    x: f64,
    ln_gamma_a: &mut impl FnMut() -> f64,
    gamma_star_a: f64,
    anchor: Option<&NormalAnchor>,
) -> (f64, f64, f64) {
    let d = x / a - 1.0;
    let excess = lambda_excess(d);
    if x > 0.0 && (a >= TEMME_FROM || (a >= TEMME_SERIES_FROM && excess <= 0.5)) {
        let (p, q, e) = temme_with(a, d, excess, anchor);
        (
            p,
            q,
            e * (a / (2.0 * std::f64::consts::PI)).sqrt() / (x * gamma_star_a),
        )
    } else if x <= 0.0 {
        (0.0, 1.0, 0.0)
    } else if x < a + 1.0 {
        let p = gamma_p_series(a, x);
        (p, 1.0 - p, ((a - 1.0) * x.ln() - x - ln_gamma_a()).exp())
    } else {
        let q = gamma_q_fraction(a, x);
        (1.0 - q, q, ((a - 1.0) * x.ln() - x - ln_gamma_a()).exp())
    }
}

/// Whether Temme's expansion is used at `(a, x)`.
fn use_temme(a: f64, x: f64) -> bool {
    a >= TEMME_FROM || (a >= TEMME_SERIES_FROM && lambda_excess(x / a - 1.0) <= 0.5)
}

/// Temme's `c₀(η)` and `c₁(η)` (DLMF 8.12.8–8.12.9): in closed form, or by their Taylor series
/// in `η` where the closed forms would cancel (`|λ − 1| < 0.05`; the coefficients are the
/// series of the closed forms, DLMF 8.12.11).
fn temme_coefficients(d: f64, eta: f64, taylor: bool) -> (f64, f64) {
    const C0: [f64; 8] = [
        -1.0 / 3.0,
        1.0 / 12.0,
        -2.0 / 135.0,
        1.0 / 864.0,
        1.0 / 2835.0,
        -139.0 / 777_600.0,
        1.0 / 25_515.0,
        -571.0 / 261_273_600.0,
    ];
    const C1: [f64; 6] = [
        -1.0 / 540.0,
        -1.0 / 288.0,
        1.0 / 378.0,
        -77.0 / 77_760.0,
        1.0 / 4860.0,
        -1.0 / 2_488_320.0,
    ];
    if taylor {
        let horner = |c: &[f64]| c.iter().rev().fold(0.0, |acc, k| acc * eta + k);
        (horner(&C0), horner(&C1))
    } else {
        (
            1.0 / d - 1.0 / eta,
            1.0 / eta.powi(3) - 1.0 / d.powi(3) - 1.0 / (d * d) - 1.0 / (12.0 * d),
        )
    }
}

/// The regularised lower incomplete gamma function `P(a, x)`, for `a > 0`, `x >= 0`.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if use_temme(a, x) {
        gamma_temme(a, x).0
    } else if x < a + 1.0 {
        gamma_p_series(a, x)
    } else {
        1.0 - gamma_q_fraction(a, x)
    }
}

/// The regularised upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`, for `a > 0`,
/// `x >= 0`, computed directly (not as `1 - P`) where that keeps its relative precision.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if x > 0.0 && use_temme(a, x) {
        gamma_temme(a, x).1
    } else {
        gamma_q_classic(a, x)
    }
}

/// `Q(a, x)` by the series or the continued fraction, at any shape.
fn gamma_q_classic(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_fraction(a, x)
    }
}

/// The standard normal distribution function `Φ(x)`.
pub fn normal_cdf(x: f64) -> f64 {
    let half = 0.5 * libm::erfc(x.abs() / std::f64::consts::SQRT_2);
    if x < 0.0 { half } else { 1.0 - half }
}

/// The standard normal density.
fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The normal tail and density at one point `t`, computed once and shared by the many
/// quantiles asked for at one level, so that the normal tail near `|t|` costs a short series
/// instead of a complementary error function.
///
/// Near `u = |t|`, `Φ̄(u + δ) = Φ̄(u) − φ(u) Σₙ (−1)ⁿ Heₙ(u) δⁿ⁺¹/(n + 1)!` (the Taylor series of
/// `Φ̄`, whose derivatives are `−φ` times the Hermite polynomials `He₀ = 1`, `He₁ = u`,
/// `Heₙ₊₁ = u Heₙ − n Heₙ₋₁`), used for `|δ| ≤ 0.1` and `|δ| u ≤ 0.3`, where the correction is
/// under a third of the tail and the terms fall below 1e-17 of it within about twelve terms.
///
/// # Examples
///
/// ```
/// use commissioning_compare::dist::{NormalAnchor, chi_square_quantile_anchored, chi_square_quantile};
///
/// let anchor = NormalAnchor::new(3.090_232_306_167_813); // Φ⁻¹(0.999)
/// let x = chi_square_quantile_anchored(0.001, 2_000.0, true, &anchor);
/// assert!((x / chi_square_quantile(0.001, 2_000.0, true) - 1.0).abs() < 1e-14);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalAnchor {
    t: f64,
    /// `Φ̄(|t|)`.
    tail: f64,
    /// `φ(t)`.
    density: f64,
}

impl NormalAnchor {
    /// The anchor at `t`, normally `Φ⁻¹(P)` for the lower-tail probability `P` of the
    /// quantiles to be found (it also starts their search).
    pub fn new(t: f64) -> Self {
        Self {
            t,
            tail: 0.5 * libm::erfc(t.abs() / std::f64::consts::SQRT_2),
            density: normal_pdf(t),
        }
    }

    /// The point `t`.
    pub fn t(&self) -> f64 {
        self.t
    }

    /// The anchor at `−t`, which shares the tail and density.
    #[must_use]
    pub fn negated(&self) -> Self {
        Self {
            t: -self.t,
            ..*self
        }
    }

    /// `Φ̄(w)` for `w ≥ 0` close to `|t|`; `None` when too far for the series.
    fn upper_tail_near(&self, w: f64) -> Option<f64> {
        let u = self.t.abs();
        let delta = w - u;
        if !(delta.abs() <= 0.1 && delta.abs() * u <= 0.3 && self.tail > 0.0) {
            return None;
        }
        // Σₙ (−1)ⁿ Heₙ(u) δⁿ⁺¹/(n + 1)!, with c = (−1)ⁿ δⁿ⁺¹/(n + 1)!.
        let (mut he_prev, mut he) = (0.0, 1.0);
        let mut c = delta;
        let mut sum = c;
        let limit = 1e-17 * self.tail / self.density;
        for n in 1..40_u32 {
            let next = u * he - f64::from(n.saturating_sub(1)) * he_prev;
            (he_prev, he) = (he, next);
            c *= -delta / f64::from(n.saturating_add(1));
            let term = he * c;
            sum += term;
            if term.abs() <= limit {
                break;
            }
        }
        let tail = self.tail - self.density * sum;
        (tail > 0.0).then_some(tail)
    }
}

/// Acklam's rational approximation to the normal quantile (about 1e-9 relative).
fn acklam(p: f64) -> f64 {
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
    if p < 0.024_25 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.024_25 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The standard normal quantile `Φ⁻¹(p)` for `0 < p < 1` (NaN outside), to about 1e-14
/// relative.
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    // Work on the smaller tail for precision, then reflect.
    let (tail, sign) = if p > 0.5 { (1.0 - p, -1.0) } else { (p, 1.0) };
    normal_lower_tail_quantile(tail) * sign
}

/// The `x` with `Φ(x) = q`, for `0 < q <= 1/2`.
fn normal_lower_tail_quantile(q: f64) -> f64 {
    let mut x = acklam(q);
    for _ in 0..4 {
        // Φ(x) for x <= 0 as ½ erfc(−x/√2), which keeps relative precision in the tail.
        let f = 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2) - q;
        let step = f / normal_pdf(x);
        x -= step;
        if step.abs() <= 1e-16 * x.abs() {
            break;
        }
    }
    x
}

/// The two-sided normal critical value for a confidence level: `Φ⁻¹(1 - α/2)` with
/// `α = 1 - level`, computed from `α` so that levels close to 1 keep their precision.
pub fn normal_critical(alpha: f64) -> f64 {
    -normal_lower_tail_quantile(0.5 * alpha)
}

/// The chi-square quantile with `df > 0` degrees of freedom (need not be whole): the `x` with
/// `P(X <= x) = p` when `upper` is false, or `P(X > x) = p` when it is true. Returns NaN for
/// `p` outside `(0, 1)` or `df <= 0`.
pub fn chi_square_quantile(p: f64, df: f64, upper: bool) -> f64 {
    2.0 * gamma_quantile(p, 0.5 * df, upper)
}

/// [`chi_square_quantile`] given `t = Φ⁻¹(P)` for the lower-tail probability `P` as the
/// search's start (see [`gamma_quantile_from`]).
pub fn chi_square_quantile_from(p: f64, df: f64, upper: bool, t: f64) -> f64 {
    2.0 * gamma_quantile_from(p, 0.5 * df, upper, t)
}

/// The quantile of the standard gamma distribution with shape `a`, for a lower-tail (or, when
/// `upper`, an upper-tail) probability `p`.
pub fn gamma_quantile(p: f64, a: f64, upper: bool) -> f64 {
    let lower_p = if upper { 1.0 - p } else { p };
    // Acklam's normal quantile (about 1e-9) is ample for a starting point.
    let t = if upper {
        -acklam(p.clamp(1e-300, 1.0 - 1e-16))
    } else {
        acklam(lower_p.clamp(1e-300, 1.0 - 1e-16))
    };
    gamma_quantile_from(p, a, upper, t)
}

/// [`gamma_quantile`] given `t = Φ⁻¹(P)`, the normal quantile of the lower-tail probability
/// `P` (`p`, or `1 − p` when `upper`), which starts the search: callers that ask for many
/// quantiles at one level compute it once.
///
/// The result does not depend on `t` beyond the last bit or two: `t` only chooses where the
/// safeguarded search starts. From a shape of 25 the start is Temme's asymptotic inversion
/// (Temme 1992, *Numer. Math.* 62; Gil, Segura and Temme 2012, *SIAM J. Sci. Comput.* 34):
/// `η = η₀ + ε₁(η₀)/a` with `η₀ = t/√a` and `ε₁(η) = ln(η/(λ − 1))/η`, then `x = aλ(η)`,
/// within about `a⁻²` of the root, so that one Halley step usually finishes; below 25 it is
/// the Wilson–Hilferty approximation.
pub fn gamma_quantile_from(p: f64, a: f64, upper: bool, t: f64) -> f64 {
    gamma_quantile_search(p, a, upper, t, None)
}

/// [`gamma_quantile_from`] with the normal tail near the start taken from `anchor` (see
/// [`NormalAnchor`]), whose point is the start's `t`.
pub fn gamma_quantile_anchored(p: f64, a: f64, upper: bool, anchor: &NormalAnchor) -> f64 {
    gamma_quantile_search(p, a, upper, anchor.t, Some(anchor))
}

/// [`chi_square_quantile`] with a shared [`NormalAnchor`] at `Φ⁻¹(P)`: the same quantile, for
/// less work when many are asked for at one level.
pub fn chi_square_quantile_anchored(p: f64, df: f64, upper: bool, anchor: &NormalAnchor) -> f64 {
    2.0 * gamma_quantile_anchored(p, 0.5 * df, upper, anchor)
}

fn gamma_quantile_search(
    p: f64,
    a: f64,
    upper: bool,
    t: f64,
    anchor: Option<&NormalAnchor>,
) -> f64 {
    if !(p > 0.0 && p < 1.0 && a > 0.0 && a.is_finite()) {
        return f64::NAN;
    }
    let lower_p = if upper { 1.0 - p } else { p };
    let gamma_star_a = gamma_star(a);
    // ln Γ(a) only where the series, the continued fraction or the small-x start need it.
    let mut ln_gamma_memo = None;
    let mut ln_gamma_a = || *ln_gamma_memo.get_or_insert_with(|| ln_gamma(a));
    let mut x = if a >= TEMME_SERIES_FROM && t.is_finite() {
        temme_start(a, t)
    } else {
        let nine_a = 9.0 * a;
        let wh = a * (1.0 - 1.0 / nine_a + t / nine_a.sqrt()).powi(3);
        if wh > 0.0 && a > 1.0 {
            wh
        } else {
            let small = ((lower_p.ln() + a.ln() + ln_gamma_a()) / a).exp();
            if wh > small { wh } else { small.max(1e-300) }
        }
    };
    if !(x > 0.0 && x.is_finite()) {
        x = a;
    }
    // Safeguarded Halley steps: keep a bracket and bisect whenever a step leaves it.
    let mut lo = 0.0_f64;
    let mut hi = f64::INFINITY;
    for _ in 0..200 {
        let (pp, qq, density) = tails_and_density(a, x, &mut ln_gamma_a, gamma_star_a, anchor);
        let (f, above) = if upper {
            (qq - p, qq < p)
        } else {
            (pp - p, pp > p)
        };
        if above {
            hi = hi.min(x);
        } else {
            lo = lo.max(x);
        }
        let slope = if upper { -density } else { density };
        // Halley's correction: f''/f' = (a - 1)/x - 1 for the lower tail (the same for the
        // upper, whose derivatives both change sign).
        let t = f / slope;
        if f == 0.0 || t.abs() <= 4.0 * f64::EPSILON * x {
            return x;
        }
        // Halley's factor only near the root, where it is close to 1; Newton elsewhere.
        let halley = 1.0 - 0.5 * t * ((a - 1.0) / x - 1.0);
        let halley_step = (0.5..=2.0).contains(&halley);
        let mut next = if halley_step { x - t / halley } else { x - t };
        // Halley's steps converge cubically: after one of relative size 1e-7 the error left is
        // far below an ulp, so the root is returned without another evaluation.
        if halley_step && t.abs() <= 1e-7 * x && next > lo && next < hi {
            return next;
        }
        if next <= lo || next >= hi || !next.is_finite() {
            next = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * x.max(1.0)
            };
        }
        if (next - x).abs() <= 4.0 * f64::EPSILON * x {
            return next;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp)]
    use super::*;

    #[test]
    fn normal_quantiles_match_published_values() {
        // R: qnorm(0.975), qnorm(0.999), qnorm(0.9), qnorm(1e-10). Above 1/2 the quantile is
        // taken from 1 - p, which carries p's own rounding (2e-17 absolute, 1e-15 relative).
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_critical(0.05) - 1.959_963_984_540_054_2).abs() < 4e-15);
        assert!((normal_quantile(0.999) - 3.090_232_306_167_813_5).abs() < 1e-14);
        assert!((normal_quantile(0.9) - 1.281_551_565_544_600_5).abs() < 1e-14);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-13);
        assert_eq!(normal_quantile(0.5), 0.0);
        assert!(normal_quantile(1.0).is_nan());
    }

    #[test]
    fn temme_expansion_agrees_with_the_series_and_its_own_taylor_branch() {
        for a in [2_000.0, 5_000.0, 10_000.0] {
            for k in [-3.2, -2.0, -0.7, 0.0, 0.4, 1.9, 3.3] {
                let x = a + k * f64::sqrt(a);
                let (p, q) = gamma_temme(a, x);
                let (ps, qs) = if x < a + 1.0 {
                    let ps = gamma_p_series(a, x);
                    (ps, 1.0 - ps)
                } else {
                    let qs = gamma_q_fraction(a, x);
                    (1.0 - qs, qs)
                };
                let tol = if k.abs() > 2.5 { 1e-9 } else { 1e-10 };
                assert!((p - ps).abs() <= tol * ps, "P({a}, {x}): {p} vs {ps}");
                assert!((q - qs).abs() <= tol * qs, "Q({a}, {x}): {q} vs {qs}");
            }
        }
        // The seven-term series near the centre, against the classic methods at small shapes.
        for a in [25.0, 60.0, 250.0, 1_500.0] {
            for k in [-2.6, -1.0, 0.0, 0.5, 1.5, 3.0] {
                let x = a + k * f64::sqrt(a);
                if lambda_excess(x / a - 1.0) > 0.5 {
                    continue;
                }
                let (p, q) = gamma_temme(a, x);
                let (pc, qc) = (1.0 - gamma_q_classic(a, x), gamma_q_classic(a, x));
                let (pc, qc) = if x < a + 1.0 {
                    (gamma_p_series(a, x), 1.0 - gamma_p_series(a, x))
                } else {
                    (pc, qc)
                };
                // The classic methods' own prefactor loses about 1e-15 × a to cancellation.
                let tol = 1e-13 + 1e-14 * a;
                assert!((p - pc).abs() <= tol * pc, "P({a}, {x}): {p} vs {pc}");
                assert!((q - qc).abs() <= tol * qc, "Q({a}, {x}): {q} vs {qc}");
            }
        }
        // The quantiles the funnel limits use, either side of the switch to the expansion.
        for tail in [0.001, 0.025] {
            for upper in [false, true] {
                let by_expansion = gamma_quantile(tail, 2_000.0, upper);
                let near = gamma_quantile(tail, 1_999.999_999_999, upper);
                assert!(
                    (by_expansion - near).abs() <= 1e-11 * near,
                    "{tail} {upper}: {by_expansion} vs {near}"
                );
            }
        }
        // The Taylor series of c₀ and c₁ agree with their closed forms where both are precise.
        for d in [-0.06, -0.04, 0.04, 0.06] {
            let eta = (2.0 * lambda_excess(d)).sqrt().copysign(d);
            let (c0, c1) = temme_coefficients(d, eta, false);
            let (t0, t1) = temme_coefficients(d, eta, true);
            assert!((c0 - t0).abs() < 1e-13, "c0 at {d}: {c0} vs {t0}");
            assert!((c1 - t1).abs() < 1e-10, "c1 at {d}: {c1} vs {t1}");
        }
    }

    #[test]
    fn the_asymptotic_start_finds_the_same_root_as_bisection() {
        // The root of P(a, x) = p (or Q = p) by bisection to the last bit, against the search
        // started from Temme's inversion, at shapes either side of every switch.
        for a in [
            25.0, 26.5, 100.0, 281.0, 870.0, 2_000.0, 4_730.0, 10_000.0, 1e5, 1e7,
        ] {
            for (p, upper) in [(0.025, false), (0.025, true), (0.001, false), (0.001, true)] {
                let t = if upper {
                    normal_quantile(1.0 - p)
                } else {
                    normal_quantile(p)
                };
                let x = gamma_quantile_from(p, a, upper, t);
                let (mut lo, mut hi) = (0.0_f64, 2.0 * a + 100.0);
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    let below = if upper {
                        gamma_q(a, mid) > p
                    } else {
                        gamma_p(a, mid) < p
                    };
                    if below { lo = mid } else { hi = mid }
                }
                assert!(
                    (x - lo).abs() <= 1e-13 * lo,
                    "a {a} p {p} upper {upper}: {x} vs {lo}"
                );
                // The start alone is within about a⁻² of the root.
                let start = temme_start(a, t);
                assert!(
                    (start - x).abs() <= 0.05 / (a * a) * x,
                    "start at {a}: {start}"
                );
            }
        }
    }

    #[test]
    fn the_anchored_tail_agrees_with_the_error_function() {
        for t in [0.5, 1.959_963_984_540_054, 3.090_232_306_167_813, 6.0] {
            let anchor = NormalAnchor::new(t);
            for i in -100..=100 {
                let w = t + f64::from(i) * 1e-3;
                let direct = 0.5 * libm::erfc(w / std::f64::consts::SQRT_2);
                if let Some(near) = anchor.upper_tail_near(w) {
                    // Both are within a few ulps of the truth: at t = 6, w = 5.951 the error
                    // function's answer is 6e-15 high and the series' 2.5e-15 (mpmath, 40 digits).
                    assert!(
                        (near / direct - 1.0).abs() < 1e-14,
                        "t {t}, w {w}: {near:e} vs {direct:e}"
                    );
                } else {
                    assert!((w - t).abs() * t > 0.3 || (w - t).abs() > 0.1);
                }
            }
        }
    }

    #[test]
    fn anchored_quantiles_equal_the_plain_ones() {
        for (p, t) in [
            (0.025, 1.959_963_984_540_054),
            (0.001, 3.090_232_306_167_813),
        ] {
            let anchor = NormalAnchor::new(t);
            for df in [3.0, 51.0, 90.5, 800.0, 5_001.0, 123_456.0] {
                let lower = chi_square_quantile_anchored(p, df, false, &anchor.negated());
                let upper = chi_square_quantile_anchored(p, df, true, &anchor);
                let lower0 = chi_square_quantile_from(p, df, false, -t);
                let upper0 = chi_square_quantile_from(p, df, true, t);
                assert!((lower / lower0 - 1.0).abs() < 1e-14, "df {df}");
                assert!((upper / upper0 - 1.0).abs() < 1e-14, "df {df}");
            }
        }
    }

    #[test]
    fn huge_shapes_are_quick_and_finite() {
        let q = chi_square_quantile(0.025, 3.6e19, false);
        assert!(q.is_finite() && (q / 3.6e19 - 1.0).abs() < 1e-8, "{q}");
    }

    #[test]
    fn chi_square_quantiles_match_closed_forms() {
        // With 2 degrees of freedom the distribution is exponential: x = -2 ln(1 - p).
        for p in [0.001, 0.025, 0.5, 0.975, 0.999] {
            let lower = chi_square_quantile(p, 2.0, false);
            assert!((lower - (-2.0 * (1.0 - p).ln())).abs() <= 1e-14 * lower.max(1.0));
            let upper = chi_square_quantile(p, 2.0, true);
            assert!((upper - (-2.0 * p.ln())).abs() <= 1e-14 * upper.max(1.0));
        }
        // R: qchisq(0.975, 20) = 34.16960690283833.
        let q = chi_square_quantile(0.025, 20.0, true);
        assert!((q - 34.169_606_902_838_33).abs() < 1e-12);
    }
}
