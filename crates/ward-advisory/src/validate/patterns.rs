//! The OSV schema's enums and patterns (`validation/schema.json`, schema 1.7), written out as
//! plain code so that ward needs no regular-expression engine.

/// `$defs.prefix`: the home databases whose ids the schema accepts, each followed by `-`
/// (and `x_` for private use). `SUSE-[SRFO]U` is spelled out.
const PREFIXES: &[&str] = &[
    "ASB-A",
    "PUB-A",
    "ALPINE",
    "ALSA",
    "ALBA",
    "ALEA",
    "AZL",
    "BELL",
    "BIT",
    "CGA",
    "CLEANSTART",
    "CLSA",
    "CURL",
    "CVE",
    "DEBIAN",
    "DHI",
    "DRUPAL",
    "DSA",
    "DLA",
    "ELA",
    "DTSA",
    "ECHO",
    "EEF",
    "FreeBSD",
    "GHSA",
    "GO",
    "GSD",
    "HSEC",
    "JLSEC",
    "KUBE",
    "LBSEC",
    "LSN",
    "MAL",
    "MINI",
    "MGASA",
    "OESA",
    "OSEC",
    "OSV",
    "openSUSE-SU",
    "PHSA",
    "PSF",
    "PYSEC",
    "RHBA",
    "RHEA",
    "RHSA",
    "RLSA",
    "RXSA",
    "RSEC",
    "ROOT",
    "RUSTSEC",
    "SUSE-SU",
    "SUSE-RU",
    "SUSE-FU",
    "SUSE-OU",
    "UBUNTU",
    "USN",
    "V8",
];

/// `$defs.ecosystemWithSuffix`: the ecosystem names the schema accepts before `:suffix`.
pub(crate) const ECOSYSTEMS: &[&str] = &[
    "AlmaLinux",
    "Alpaquita",
    "Alpine",
    "Android",
    "Azure Linux",
    "BellSoft Hardened Containers",
    "Bioconductor",
    "Bitnami",
    "Chainguard",
    "CleanStart",
    "ConanCenter",
    "CRAN",
    "crates.io",
    "Debian",
    "Docker Hardened Images",
    "Echo",
    "FreeBSD",
    "GHC",
    "GitHub Actions",
    "Go",
    "Hackage",
    "Hex",
    "Julia",
    "Kubernetes",
    "Linux",
    "Mageia",
    "Maven",
    "MinimOS",
    "npm",
    "NuGet",
    "opam",
    "openEuler",
    "openSUSE",
    "OSS-Fuzz",
    "Packagist",
    "Photon OS",
    "Pub",
    "PyPI",
    "Red Hat",
    "Rocky Linux",
    "Root",
    "RubyGems",
    "SUSE",
    "SwiftURL",
    "TuxCare",
    "Ubuntu",
    "VSCode",
    "Wolfi",
    "GIT",
];

/// `references[].type`.
pub(crate) const REFERENCE_TYPES: &[&str] = &[
    "ADVISORY",
    "ARTICLE",
    "DETECTION",
    "DISCUSSION",
    "REPORT",
    "FIX",
    "INTRODUCED",
    "GIT",
    "PACKAGE",
    "EVIDENCE",
    "WEB",
];

/// `credits[].type`.
pub(crate) const CREDIT_TYPES: &[&str] = &[
    "FINDER",
    "REPORTER",
    "ANALYST",
    "COORDINATOR",
    "REMEDIATION_DEVELOPER",
    "REMEDIATION_REVIEWER",
    "REMEDIATION_VERIFIER",
    "TOOL",
    "SPONSOR",
    "OTHER",
];

/// A metric of a CVSS vector and the values the schema allows for it.
type Metric = (&'static str, &'static [&'static str]);

const V2: &[Metric] = &[
    ("AV", &["N", "A", "L"]),
    ("AC", &["L", "M", "H"]),
    ("Au", &["M", "S", "N"]),
    ("C", &["N", "P", "C"]),
    ("I", &["N", "P", "C"]),
    ("A", &["N", "P", "C"]),
    ("E", &["U", "POC", "F", "H", "ND"]),
    ("RL", &["OF", "TF", "W", "U", "ND"]),
    ("RC", &["UC", "UR", "C", "ND"]),
    ("CDP", &["N", "L", "LM", "MH", "H", "ND"]),
    ("TD", &["N", "L", "M", "H", "ND"]),
    ("CR", &["L", "M", "H", "ND"]),
    ("IR", &["L", "M", "H", "ND"]),
    ("AR", &["L", "M", "H", "ND"]),
];

const V3: &[Metric] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "R"]),
    ("S", &["U", "C"]),
    ("C", &["N", "L", "H"]),
    ("I", &["N", "L", "H"]),
    ("A", &["N", "L", "H"]),
    ("E", &["X", "U", "P", "F", "H"]),
    ("RL", &["X", "O", "T", "W", "U"]),
    ("RC", &["X", "U", "R", "C"]),
    ("CR", &["X", "L", "M", "H"]),
    ("IR", &["X", "L", "M", "H"]),
    ("AR", &["X", "L", "M", "H"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "R"]),
    ("MS", &["X", "U", "C"]),
    ("MC", &["X", "N", "L", "H"]),
    ("MI", &["X", "N", "L", "H"]),
    ("MA", &["X", "N", "L", "H"]),
];

const HLN: &[&str] = &["H", "L", "N"];
const XNLH: &[&str] = &["X", "N", "L", "H"];
const XHML: &[&str] = &["X", "H", "M", "L"];

/// CVSS 4.0: the first eleven metrics are required, all in exactly this order.
const V4_REQUIRED: usize = 11;
const V4: &[Metric] = &[
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", HLN),
    ("VI", HLN),
    ("VA", HLN),
    ("SC", HLN),
    ("SI", HLN),
    ("SA", HLN),
    ("E", &["X", "A", "P", "U"]),
    ("CR", XHML),
    ("IR", XHML),
    ("AR", XHML),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", XNLH),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", XNLH),
    ("MVI", XNLH),
    ("MVA", XNLH),
    ("MSC", XNLH),
    ("MSI", &["X", "N", "L", "H", "S"]),
    ("MSA", &["X", "N", "L", "H", "S"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

const UBUNTU: &[&str] = &["negligible", "low", "medium", "high", "critical"];

pub(crate) fn has_known_prefix(id: &str) -> bool {
    id.starts_with("x_")
        || PREFIXES
            .iter()
            .any(|p| id.strip_prefix(p).is_some_and(|rest| rest.starts_with('-')))
}

pub(crate) fn is_schema_ecosystem(ecosystem: &str) -> bool {
    let (name, suffix) = match ecosystem.split_once(':') {
        Some((name, suffix)) => (name, Some(suffix)),
        None => (ecosystem, None),
    };
    ECOSYSTEMS.contains(&name) && suffix.is_none_or(|s| !s.is_empty() && !s.contains('\n'))
}

pub(crate) fn is_full_commit(s: &str) -> bool {
    s == "0"
        || (matches!(s.len(), 40 | 64)
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`, `T` and `Z` in either case (RFC 3339
/// section 5.6).
pub(crate) fn is_rfc3339_shape(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.len() == r.len() && d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if at(i, b".") {
        let start = i + 1;
        i = start;
        while at(i, b"0123456789") {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && at(i + 3, b":") && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

/// The schema's timestamp pattern, for a string of RFC 3339 shape: upper-case `T`, UTC `Z`.
pub(crate) fn is_schema_timestamp(s: &str) -> bool {
    is_rfc3339_shape(s) && s.as_bytes().get(10) == Some(&b'T') && s.ends_with('Z')
}

/// The schema's rules for one `severity[]` entry.
pub(crate) fn check_severity(kind: &str, score: &str) -> Result<(), String> {
    let ok = match kind {
        "CVSS_V2" => any_order(V2, score),
        "CVSS_V3" => score
            .strip_prefix("CVSS:3.0/")
            .or_else(|| score.strip_prefix("CVSS:3.1/"))
            .is_some_and(|rest| any_order(V3, rest)),
        "CVSS_V4" => score.strip_prefix("CVSS:4.0/").is_some_and(v4_order),
        "Ubuntu" => UBUNTU.contains(&score),
        _ => return Err(format!("unknown severity type {kind:?}")),
    };
    if ok {
        Ok(())
    } else {
        let score: String = score.chars().take(120).collect();
        Err(format!(
            "{score:?} is not a {kind} score the OSV schema accepts"
        ))
    }
}

fn metric_ok(metrics: &[Metric], component: &str) -> bool {
    component.split_once(':').is_some_and(|(key, value)| {
        metrics
            .iter()
            .any(|(k, values)| *k == key && values.contains(&value))
    })
}

/// `(metric/)*metric`: any metrics of the version, in any order, repeats allowed.
fn any_order(metrics: &[Metric], vector: &str) -> bool {
    vector.split('/').all(|c| metric_ok(metrics, c))
}

/// CVSS 4.0: the required metrics in order, then optional ones in order, each at most once.
fn v4_order(vector: &str) -> bool {
    let mut spec = V4.iter().enumerate();
    for component in vector.split('/') {
        loop {
            let Some((i, metric)) = spec.next() else {
                return false;
            };
            if metric_ok(std::slice::from_ref(metric), component) {
                break;
            }
            if i < V4_REQUIRED {
                return false;
            }
        }
    }
    spec.next().is_none_or(|(i, _)| i >= V4_REQUIRED)
}

/// An absolute URI (RFC 3986): a scheme, `:`, and only characters a URI may hold, with
/// well-formed percent escapes.
pub(crate) fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.bytes();
    if !sc.next().is_some_and(|b| b.is_ascii_alphabetic())
        || !sc.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        return false;
    }
    let b = rest.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |j: usize| b.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return false;
            }
            i += 3;
            continue;
        }
        let allowed = c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c);
        if !allowed {
            return false;
        }
        i += 1;
    }
    true
}
