//! The base metrics of CVSS 3.1 and 4.0 as the vector editor shows them: abbreviations and
//! names from the specifications (3.1 section 2, 4.0 section 2), in vector order.

use super::Metric;

const IMPACT: &[(&str, &str)] = &[("H", "High"), ("L", "Low"), ("N", "None")];

pub(super) static V3_BASE: &[Metric] = &[
    Metric {
        key: "AV",
        name: "Attack Vector",
        values: &[
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    Metric {
        key: "AC",
        name: "Attack Complexity",
        values: &[("L", "Low"), ("H", "High")],
    },
    Metric {
        key: "PR",
        name: "Privileges Required",
        values: &[("N", "None"), ("L", "Low"), ("H", "High")],
    },
    Metric {
        key: "UI",
        name: "User Interaction",
        values: &[("N", "None"), ("R", "Required")],
    },
    Metric {
        key: "S",
        name: "Scope",
        values: &[("U", "Unchanged"), ("C", "Changed")],
    },
    Metric {
        key: "C",
        name: "Confidentiality",
        values: IMPACT,
    },
    Metric {
        key: "I",
        name: "Integrity",
        values: IMPACT,
    },
    Metric {
        key: "A",
        name: "Availability",
        values: IMPACT,
    },
];

pub(super) static V4_BASE: &[Metric] = &[
    Metric {
        key: "AV",
        name: "Attack Vector",
        values: &[
            ("N", "Network"),
            ("A", "Adjacent"),
            ("L", "Local"),
            ("P", "Physical"),
        ],
    },
    Metric {
        key: "AC",
        name: "Attack Complexity",
        values: &[("L", "Low"), ("H", "High")],
    },
    Metric {
        key: "AT",
        name: "Attack Requirements",
        values: &[("N", "None"), ("P", "Present")],
    },
    Metric {
        key: "PR",
        name: "Privileges Required",
        values: &[("N", "None"), ("L", "Low"), ("H", "High")],
    },
    Metric {
        key: "UI",
        name: "User Interaction",
        values: &[("N", "None"), ("P", "Passive"), ("A", "Active")],
    },
    Metric {
        key: "VC",
        name: "Vulnerable System Confidentiality",
        values: IMPACT,
    },
    Metric {
        key: "VI",
        name: "Vulnerable System Integrity",
        values: IMPACT,
    },
    Metric {
        key: "VA",
        name: "Vulnerable System Availability",
        values: IMPACT,
    },
    Metric {
        key: "SC",
        name: "Subsequent System Confidentiality",
        values: IMPACT,
    },
    Metric {
        key: "SI",
        name: "Subsequent System Integrity",
        values: IMPACT,
    },
    Metric {
        key: "SA",
        name: "Subsequent System Availability",
        values: IMPACT,
    },
];
