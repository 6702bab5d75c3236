//! What each subcommand's table looks like: its columns, how their cells are read, and where
//! the rows go in the document.

/// How one column's cells are read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Cell {
    /// Text, as written (trimmed).
    Text,
    /// A number: `1234.5`, `1,234.5`, `-3`, or a percentage `5%` (read as 0.05).
    Number,
    /// A number where one is written, otherwise a category name (MCDA performance).
    NumberOrText,
    /// An amount of money: `1234.56`, `£1234.56`, `1,234.56`, `£1,234.56`, `(£1,234.56)`.
    Money,
    /// An exact decimal kept as text for the library to read (`82.5`, `5%`).
    Decimal,
    /// A date: `DD/MM/YYYY` or `YYYY-MM-DD`.
    Date,
    /// A label for the reader (an age band), read and left out of the document.
    Label,
    /// A code word written as people write it (`Day case` for `day_case`).
    Code,
}

impl Cell {
    pub(super) fn expected(self) -> &'static str {
        match self {
            Self::Text | Self::NumberOrText | Self::Label | Self::Code => "text",
            Self::Number => "a number",
            Self::Money => "an amount of money such as 1234.56 or £1,234.56",
            Self::Decimal => "an exact decimal such as 82.5 or 5%",
            Self::Date => "a date written DD/MM/YYYY or YYYY-MM-DD",
        }
    }
}

/// A column a table may have.
pub(crate) struct Column {
    /// The document's field name, which is also the header users write.
    pub name: &'static str,
    /// Other headers accepted for it (compared without case, spaces or hyphens).
    pub aliases: &'static [&'static str],
    /// How its cells are read.
    pub cell: Cell,
    /// Whether every table must have it.
    pub required: bool,
}

const fn col(name: &'static str, aliases: &'static [&'static str], cell: Cell) -> Column {
    Column {
        name,
        aliases,
        cell,
        required: true,
    }
}

const fn optional(name: &'static str, aliases: &'static [&'static str], cell: Cell) -> Column {
    Column {
        name,
        aliases,
        cell,
        required: false,
    }
}

/// Headers accepted for an identifier column.
const ID: &[&str] = &[
    "name",
    "code",
    "option",
    "alternative",
    "strategy",
    "intervention",
    "candidate",
    "scheme",
    "service",
    "line",
    "item",
    "unit",
    "provider",
    "trust",
    "practice",
    "area",
    "place",
    "ods_code",
    "org_code",
];

/// Where a table's rows go in the document.
pub(crate) enum Shape {
    /// One object per row in `field`.
    Rows {
        /// The document's field.
        field: &'static str,
    },
    /// One object per row in `field`, and the columns not named in the spec gathered, in
    /// header order, into each row's `vector`; their headers are written to `names` in the
    /// settings when the settings do not give them.
    Vector {
        /// The document's field.
        field: &'static str,
        /// The row's list of values.
        vector: &'static str,
        /// Where the column names go (`variables` for peers), if anywhere.
        names: Option<&'static str>,
        /// How the gathered cells are read.
        cell: Cell,
    },
    /// TOPSIS: `matrix` of the columns not named, `alternatives` from the id column.
    Matrix,
    /// AHP: a square `matrix` of judgements (`3`, `1/3`), the criteria named by the header.
    Judgements,
    /// PSA: one row per simulation, a cost and an effect column per strategy (`cost_A`,
    /// `effect_A`), into `cost`, `effect` and `strategies`.
    Simulations,
    /// Monthly budget lines: one row per line and month, grouped into `lines` with `plan` and
    /// `actual` lists in month order.
    Monthly,
    /// KPI observations: one row per requirement and period, added to the settings' `series`
    /// whose requirement has that id.
    Observations,
    /// Activity plan and actuals: one row per line, point of delivery and month, with the
    /// planned and actual quantities (and values), split into the `plan` and `actual`
    /// schedules of the settings' `year`.
    Activity,
}

/// What a subcommand's table looks like.
pub(crate) struct Spec {
    /// The subcommand, for messages.
    pub command: &'static str,
    /// The columns it names.
    pub columns: &'static [Column],
    /// Where the rows go.
    pub shape: Shape,
}

/// The tables each subcommand reads, by subcommand (and by `kind` where one subcommand reads
/// several shapes).
pub(crate) mod specs {
    use super::{Cell, ID, Shape, Spec, col, optional};

    /// `spc`: a date (optional) and a value per row.
    pub(crate) const SPC: Spec = Spec {
        command: "spc",
        columns: &[
            optional("date", &["period", "month", "week", "day"], Cell::Date),
            col("value", &["y", "count", "rate", "measure"], Cell::Number),
        ],
        shape: Shape::Rows { field: "values" },
    };

    /// `frontier`: a strategy's cost and effect per row.
    pub(crate) const FRONTIER: Spec = Spec {
        command: "frontier",
        columns: &[
            col("id", ID, Cell::Text),
            col("cost", &["costs"], Cell::Money),
            col(
                "effect",
                &["effects", "qalys", "qaly", "outcome", "benefit"],
                Cell::Number,
            ),
        ],
        shape: Shape::Rows {
            field: "strategies",
        },
    };

    /// `concentration`: spend per service.
    pub(crate) const CONCENTRATION: Spec = Spec {
        command: "concentration",
        columns: &[
            col("id", ID, Cell::Text),
            col(
                "amount",
                &["spend", "cost", "value", "expenditure"],
                Cell::Money,
            ),
        ],
        shape: Shape::Rows { field: "spend" },
    };

    /// `select`: candidate investments and disinvestments.
    pub(crate) const SELECT: Spec = Spec {
        command: "select",
        columns: &[
            col("id", ID, Cell::Text),
            col("cost", &["costs"], Cell::Money),
            col("benefit", &["effect", "qalys", "value"], Cell::Number),
            optional("group", &["groups"], Cell::Text),
        ],
        shape: Shape::Rows {
            field: "candidates",
        },
    };

    /// `score`: an option per row, a criterion per other column.
    pub(crate) const SCORE: Spec = Spec {
        command: "score",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "options",
            vector: "performance",
            names: None,
            cell: Cell::NumberOrText,
        },
    };

    /// `sensitivity`: an option per row, a criterion's value per other column.
    pub(crate) const SENSITIVITY: Spec = Spec {
        command: "sensitivity",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "options",
            vector: "values",
            names: Some("criteria"),
            cell: Cell::Number,
        },
    };

    /// `topsis`: an alternative per row, a criterion per other column.
    pub(crate) const TOPSIS: Spec = Spec {
        command: "topsis",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Matrix,
    };

    /// `psa`: one row per simulation, a cost and an effect column per strategy.
    pub(crate) const PSA: Spec = Spec {
        command: "psa",
        columns: &[optional(
            "simulation",
            &["sim", "iteration", "run", "draw", "id"],
            Cell::Label,
        )],
        shape: Shape::Simulations,
    };

    /// `ahp`: a square matrix of judgements, a row and a column per criterion.
    pub(crate) const AHP: Spec = Spec {
        command: "ahp",
        columns: &[optional("criterion", &["", "id", "name"], Cell::Label)],
        shape: Shape::Judgements,
    };

    /// `funnel` (FunnelPlotR's method): a unit's numerator and denominator per row; for a
    /// standardised ratio, observed and expected.
    pub(crate) const FUNNEL: Spec = Spec {
        command: "funnel",
        columns: &[
            col("id", ID, Cell::Text),
            col(
                "numerator",
                &["observed", "events", "deaths", "count", "o"],
                Cell::Number,
            ),
            col(
                "denominator",
                &["expected", "population", "e", "n"],
                Cell::Number,
            ),
        ],
        shape: Shape::Rows { field: "units" },
    };

    /// `funnel` (method `phe`): numerator and denominator, or observed and expected.
    pub(crate) const FUNNEL_PHE: Spec = Spec {
        command: "funnel",
        columns: &[
            col("id", ID, Cell::Text),
            optional("numerator", &["events", "deaths", "count"], Cell::Number),
            optional("denominator", &["population"], Cell::Number),
            optional("observed", &[], Cell::Number),
            optional("expected", &[], Cell::Number),
        ],
        shape: Shape::Rows { field: "units" },
    };

    /// `peers`: an area per row, a variable per other column.
    pub(crate) const PEERS: Spec = Spec {
        command: "peers",
        columns: &[col("id", ID, Cell::Text)],
        shape: Shape::Vector {
            field: "units",
            vector: "values",
            names: Some("variables"),
            cell: Cell::Number,
        },
    };

    /// `opportunity`: the peers' values and distances.
    pub(crate) const OPPORTUNITY: Spec = Spec {
        command: "opportunity",
        columns: &[
            col("id", ID, Cell::Text),
            col("value", &["rate"], Cell::Number),
            optional("distance", &[], Cell::Number),
        ],
        shape: Shape::Rows { field: "peers" },
    };

    /// `standardise` (kind `dsr`): counts and populations by stratum.
    pub(crate) const STRATA: Spec = Spec {
        command: "standardise",
        columns: &[
            // Matched by label against the 2013 European Standard Population's bands.
            optional(
                "band",
                &["age", "age_band", "stratum", "age_group"],
                Cell::Text,
            ),
            col("count", &["events", "deaths", "numerator"], Cell::Number),
            col("population", &["denominator", "pop"], Cell::Number),
            optional("standard_population", &["standard", "esp"], Cell::Number),
        ],
        shape: Shape::Rows { field: "strata" },
    };

    /// `variance` (kind `price_volume_mix`).
    pub(crate) const PVM: Spec = Spec {
        command: "variance",
        columns: &[
            col("id", ID, Cell::Text),
            col("planned_volume", &["plan_volume"], Cell::Decimal),
            col("planned_price", &["plan_price"], Cell::Money),
            col("actual_volume", &[], Cell::Decimal),
            col("actual_price", &[], Cell::Money),
        ],
        shape: Shape::Rows { field: "lines" },
    };

    /// `variance` (kind `budget`): one row per line and month.
    pub(crate) const BUDGET: Spec = Spec {
        command: "variance",
        columns: &[
            col("id", ID, Cell::Text),
            col("month", &["period"], Cell::Text),
            col("plan", &["budget", "planned"], Cell::Money),
            optional("actual", &["actuals", "outturn"], Cell::Money),
        ],
        shape: Shape::Monthly,
    };

    /// `variance` (kind `activity`): one row per line, point of delivery and month.
    pub(crate) const ACTIVITY: Spec = Spec {
        command: "variance",
        columns: &[
            col("line", &["id", "service", "contract_line"], Cell::Text),
            col("point_of_delivery", &["pod", "setting"], Cell::Code),
            col("month", &["period"], Cell::Text),
            optional("unit", &["currency", "activity_unit"], Cell::Code),
            col(
                "plan",
                &["planned", "plan_activity", "planned_activity"],
                Cell::Decimal,
            ),
            optional("actual", &["actuals", "actual_activity"], Cell::Decimal),
            optional("plan_value", &["planned_value"], Cell::Money),
            optional("actual_value", &[], Cell::Money),
        ],
        shape: Shape::Activity,
    };

    /// `kpi`: one row per requirement and period.
    pub(crate) const KPI: Spec = Spec {
        command: "kpi",
        columns: &[
            col("requirement", &["kpi", "indicator", "id"], Cell::Text),
            col("period", &["month", "date"], Cell::Text),
            col("value", &["performance", "actual"], Cell::Decimal),
        ],
        shape: Shape::Observations,
    };
}
