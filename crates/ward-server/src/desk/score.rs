//! Severity: the CVSS 3.1 and 4.0 vector editor and `POST /cases/{id}/score` (and its JSON
//! twin). The editor needs no JavaScript: one `<select name="v3_AV">` per base metric (from
//! `ward_desk::severity::base_metrics`), plus a free text field per version (`cvss3`, `cvss4`)
//! for a whole vector, environmental and threat metrics included.
//!
//! Per version: a vector typed in the text field wins; otherwise the selects build one (all of
//! them chosen, or none: that version is cleared); selects left at the stored vector's base
//! values keep the stored vector whole. An invalid vector is a 422 naming the field and the
//! reason, and nothing is stored. The score shown is 4.0's when set, else 3.1's.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State as AxumState};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use ward_desk::access::Action;
use ward_desk::severity::{self, Cvss, CvssError, CvssVersion};
use ward_store::Report;

use super::case;
use crate::AppState;
use crate::auth::Caller;
use crate::csrf::CsrfForm;
use crate::error::WebError;

/// One version's part of the editor.
#[derive(Debug, Clone)]
pub(crate) struct Editor {
    /// `cvss3` or `cvss4`: the text field's name.
    pub(crate) field: &'static str,
    /// `CVSS 3.1`.
    pub(crate) label: &'static str,
    /// The stored vector.
    pub(crate) current: Option<String>,
    /// The selects.
    pub(crate) metrics: Vec<MetricSelect>,
}

/// One `<select>`.
#[derive(Debug, Clone)]
pub(crate) struct MetricSelect {
    /// `v3_AV`.
    pub(crate) name: String,
    /// `Attack Vector (AV)`.
    pub(crate) label: String,
    /// (value, label, selected).
    pub(crate) options: Vec<(&'static str, &'static str, bool)>,
}

/// The result of scoring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Scored {
    pub(crate) score: Option<f64>,
    pub(crate) band: Option<&'static str>,
    pub(crate) cvss3: Option<String>,
    pub(crate) cvss4: Option<String>,
}

/// The JSON body of `POST /api/v1/cases/{id}/score`: a field left out keeps its vector, an
/// empty string clears it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScoreJson {
    #[serde(default)]
    cvss3: Option<String>,
    #[serde(default)]
    cvss4: Option<String>,
}

/// The editors for a case's stored vectors.
pub(crate) fn editors(report: &Report) -> (Editor, Editor) {
    (
        editor(CvssVersion::V3, report.cvss3.as_deref()),
        editor(CvssVersion::V4, report.cvss4.as_deref()),
    )
}

/// `POST /cases/{id}/score`.
pub(crate) async fn form(
    AxumState(state): AxumState<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = case::parse_id(&id)?;
    let case = caller.case(&state, id, Action::Score).await?;
    let report = &case.report;
    let v3 = from_form(&fields, CvssVersion::V3, report.cvss3.as_deref());
    let v4 = from_form(&fields, CvssVersion::V4, report.cvss4.as_deref());
    store(&state, &caller, case.report, collect(v3, v4)?).await?;
    Ok(Redirect::to(&format!("/cases/{id}#score")).into_response())
}

/// `POST /api/v1/cases/{id}/score`.
pub(crate) async fn api(
    AxumState(state): AxumState<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(body): Json<ScoreJson>,
) -> Result<Json<Scored>, WebError> {
    let id = case::parse_id(&id)?;
    let case = caller.case(&state, id, Action::Score).await?;
    let report = &case.report;
    let one = |given: Option<String>, version, current: Option<&str>| match given {
        None => Ok(current.and_then(|v| Cvss::parse(v).ok())),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => parse_as(version, &text).map(Some),
    };
    let v3 = one(body.cvss3, CvssVersion::V3, report.cvss3.as_deref());
    let v4 = one(body.cvss4, CvssVersion::V4, report.cvss4.as_deref());
    Ok(Json(
        store(&state, &caller, case.report, collect(v3, v4)?).await?,
    ))
}

/// Both versions' results, or a 422 listing every field that failed.
fn collect(
    v3: Result<Option<Cvss>, String>,
    v4: Result<Option<Cvss>, String>,
) -> Result<(Option<Cvss>, Option<Cvss>), WebError> {
    match (v3, v4) {
        (Ok(v3), Ok(v4)) => Ok((v3, v4)),
        (v3, v4) => Err(WebError::Unprocessable {
            fields: [("cvss3", v3.err()), ("cvss4", v4.err())]
                .into_iter()
                .filter_map(|(field, message)| {
                    message.map(|message| ward_desk::report::FieldError {
                        field: field.to_owned(),
                        message,
                    })
                })
                .collect(),
        }),
    }
}

/// Saves the vectors and the score with a `report.score` event.
async fn store(
    state: &AppState,
    caller: &Caller,
    mut report: Report,
    (v3, v4): (Option<Cvss>, Option<Cvss>),
) -> Result<Scored, WebError> {
    report.score = v4.as_ref().or(v3.as_ref()).map(|c| c.score);
    report.cvss3 = v3.map(|c| c.vector);
    report.cvss4 = v4.map(|c| c.vector);
    let event = case::event(
        caller,
        "report.score",
        report.id,
        serde_json::json!({
            "cvss3": report.cvss3.is_some(),
            "cvss4": report.cvss4.is_some(),
            "score": report.score,
        }),
    );
    let report = case::save(state, report, event).await?;
    Ok(Scored {
        score: report.score,
        band: report.score.map(|s| severity::Band::from_score(s).as_str()),
        cvss3: report.cvss3,
        cvss4: report.cvss4,
    })
}

/// One version from the form: the text field, else the selects (see the module doc).
fn from_form(
    fields: &HashMap<String, String>,
    version: CvssVersion,
    current: Option<&str>,
) -> Result<Option<Cvss>, String> {
    let (prefix, field) = names(version);
    let text = fields.get(field).map_or("", |t| t.trim());
    if !text.is_empty() {
        return parse_as(version, text).map(Some);
    }
    let metrics = severity::base_metrics(version);
    let choices: Vec<(&str, &str)> = metrics
        .iter()
        .filter_map(|m| {
            let value = fields.get(&format!("{prefix}_{}", m.key))?.trim();
            (!value.is_empty()).then_some((m.key, value))
        })
        .collect();
    if choices.is_empty() {
        return Ok(None);
    }
    if choices.len() < metrics.len() {
        let missing: Vec<&str> = metrics
            .iter()
            .filter(|m| !choices.iter().any(|(k, _)| *k == m.key))
            .map(|m| m.key)
            .collect();
        return Err(format!(
            "choose a value for every base metric or for none (missing: {})",
            missing.join(", ")
        ));
    }
    if let Some(current) = current {
        let stored = values(current);
        if choices
            .iter()
            .all(|(k, v)| stored.get(k).is_some_and(|s| s == v))
        {
            return Cvss::parse(current).map(Some).map_err(reason);
        }
    }
    severity::from_choices(version, &choices)
        .map(Some)
        .map_err(reason)
}

/// Parses a vector that must be of `version`.
fn parse_as(version: CvssVersion, text: &str) -> Result<Cvss, String> {
    let cvss = Cvss::parse(text.trim()).map_err(reason)?;
    if cvss.version != version {
        return Err(match version {
            CvssVersion::V3 => "expected a CVSS 3.1 vector (CVSS:3.1/...)".to_owned(),
            CvssVersion::V4 => "expected a CVSS 4.0 vector (CVSS:4.0/...)".to_owned(),
        });
    }
    Ok(cvss)
}

/// The reason of a parse error, without the input (error pages never echo input).
fn reason(error: CvssError) -> String {
    error.reason
}

fn names(version: CvssVersion) -> (&'static str, &'static str) {
    match version {
        CvssVersion::V3 => ("v3", "cvss3"),
        CvssVersion::V4 => ("v4", "cvss4"),
    }
}

fn editor(version: CvssVersion, current: Option<&str>) -> Editor {
    let (prefix, field) = names(version);
    let stored = current.map(values).unwrap_or_default();
    Editor {
        field,
        label: match version {
            CvssVersion::V3 => "CVSS 3.1",
            CvssVersion::V4 => "CVSS 4.0",
        },
        current: current.map(str::to_owned),
        metrics: severity::base_metrics(version)
            .iter()
            .map(|m| MetricSelect {
                name: format!("{prefix}_{}", m.key),
                label: format!("{} ({})", m.name, m.key),
                options: m
                    .values
                    .iter()
                    .map(|(value, label)| {
                        (
                            *value,
                            *label,
                            stored.get(m.key).is_some_and(|s| s == value),
                        )
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A vector's metrics (`AV` → `N`), the version prefix left out.
fn values(vector: &str) -> HashMap<&str, &str> {
    vector
        .split('/')
        .filter_map(|part| part.split_once(':'))
        .filter(|(k, _)| *k != "CVSS")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_values_skip_the_prefix() {
        let v = values("CVSS:3.1/AV:N/AC:L");
        assert_eq!(v.get("AV"), Some(&"N"));
        assert_eq!(v.get("AC"), Some(&"L"));
        assert_eq!(v.get("CVSS"), None);
    }
}
