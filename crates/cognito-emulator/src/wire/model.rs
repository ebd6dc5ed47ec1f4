// SPDX-License-Identifier: Apache-2.0
//! The service model of Amazon Cognito user pools, the single source of which operations exist,
//! what their inputs may hold and what their answers may. `model/cognito-idp.json` is botocore's
//! `cognito-idp/2016-04-18/service-2.json` (Apache-2.0) with its documentation removed; to
//! refresh it, take the same file from a newer botocore and strip the documentation again.
//!
//! It is parsed once, into shapes that refer to each other by index and carry their patterns
//! already compiled, so that validating a request only walks vectors.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

const MODEL_JSON: &str = include_str!("../../model/cognito-idp.json");

/// The embedded model. It is part of the build, so a model that does not parse is a bug that
/// the unit tests catch, never something a request can cause.
pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    Model::parse(MODEL_JSON).unwrap_or_else(|error| panic!("model/cognito-idp.json: {error}"))
});

/// An index into [`Model::shape`].
pub type ShapeId = usize;

#[derive(Debug)]
pub struct Model {
    shapes: Vec<Shape>,
    /// Operation name -> its input and output shapes.
    operations: BTreeMap<String, Operation>,
}

/// An operation's shapes; `None` where it takes or answers nothing.
#[derive(Debug, Clone, Copy)]
struct Operation {
    input: Option<ShapeId>,
    output: Option<ShapeId>,
}

#[derive(Debug)]
pub struct Shape {
    pub kind: Kind,
    /// Values of sensitive shapes, and of everything inside them, are never echoed.
    pub sensitive: bool,
}

#[derive(Debug)]
pub enum Kind {
    String {
        length: Bounds,
        pattern: Option<Pattern>,
    },
    Enum(Vec<String>),
    /// `integer` and `long`.
    Number(Bounds),
    Boolean,
    Timestamp,
    Blob,
    List {
        member: ShapeId,
        length: Bounds,
    },
    Map {
        key: ShapeId,
        value: ShapeId,
        length: Bounds,
    },
    Structure(Vec<Member>),
    /// Free-form JSON.
    Document,
}

/// A `min`/`max` pair: lengths for strings, lists and maps, values for numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Debug)]
pub struct Member {
    pub name: String,
    /// How error messages name it: `UserPoolId` is `userPoolId`.
    pub path_name: String,
    pub shape: ShapeId,
    pub required: bool,
}

#[derive(Debug)]
pub struct Pattern {
    /// As the model writes it, which is how the service quotes it in its messages.
    pub source: String,
    /// Matches the whole value, as the service's (Java) `matches` does. `None` for the few
    /// patterns the `regex` crate cannot express (look-behind): those are not enforced.
    pub regex: Option<Regex>,
}

impl Pattern {
    pub fn matches(&self, text: &str) -> bool {
        self.regex.as_ref().is_none_or(|regex| regex.is_match(text))
    }
}

impl Model {
    pub fn parse(json: &str) -> Result<Self, String> {
        let raw: RawModel = serde_json::from_str(json).map_err(|error| error.to_string())?;
        let by_name: HashMap<String, ShapeId> = raw
            .shapes
            .keys()
            .enumerate()
            .map(|(id, name)| (name.clone(), id))
            .collect();
        let resolve = |reference: &RawRef| {
            by_name
                .get(&reference.shape)
                .copied()
                .ok_or_else(|| format!("no shape named {}", reference.shape))
        };
        let mut patterns = HashMap::new();
        let shapes = raw
            .shapes
            .iter()
            .map(|(name, shape)| {
                let corrected;
                let shape = match PATTERN_CORRECTIONS.iter().find(|(shape, _)| shape == name) {
                    Some((_, pattern)) => {
                        corrected = RawShape {
                            pattern: Some((*pattern).to_owned()),
                            ..shape.clone()
                        };
                        &corrected
                    }
                    None => shape,
                };
                shape_of(shape, &resolve, &mut patterns).map_err(|error| format!("{name}: {error}"))
            })
            .collect::<Result<_, _>>()?;
        let operations = raw
            .operations
            .iter()
            .map(|(name, operation)| {
                let input = operation.input.as_ref().map(&resolve).transpose()?;
                let output = operation.output.as_ref().map(&resolve).transpose()?;
                Ok((name.clone(), Operation { input, output }))
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { shapes, operations })
    }

    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id]
    }

    /// `None` if the model has no such operation; `Some(None)` if it takes no input.
    pub fn input_of(&self, operation: &str) -> Option<Option<ShapeId>> {
        self.operations.get(operation).map(|found| found.input)
    }

    /// `None` if the model has no such operation; `Some(None)` if it answers nothing.
    pub fn output_of(&self, operation: &str) -> Option<Option<ShapeId>> {
        self.operations.get(operation).map(|found| found.output)
    }

    /// Every operation's name, in alphabetical order.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    /// The model's patterns that are not enforced because the `regex` crate cannot compile them.
    #[cfg(test)]
    pub fn unenforced_patterns(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = self
            .shapes
            .iter()
            .filter_map(|shape| match &shape.kind {
                Kind::String {
                    pattern: Some(pattern),
                    ..
                } if pattern.regex.is_none() => Some(pattern.source.as_str()),
                _ => None,
            })
            .collect();
        sources.sort_unstable();
        sources.dedup();
        sources
    }
}

/// Patterns the service does not hold itself to, replaced by what it accepts. `DomainType`
/// allows one DNS label, but the same member takes a custom domain's full name
/// (`auth.example.com`); a prefix domain is still held to one label by the domain operations.
const PATTERN_CORRECTIONS: &[(&str, &str)] = &[(
    "DomainType",
    r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?)*$",
)];

/// Compiled patterns by their source: several shapes share one.
type PatternCache = HashMap<String, Option<Regex>>;

fn shape_of(
    raw: &RawShape,
    resolve: &dyn Fn(&RawRef) -> Result<ShapeId, String>,
    patterns: &mut PatternCache,
) -> Result<Shape, String> {
    let bounds = Bounds {
        min: raw.min,
        max: raw.max,
    };
    let referenced = |reference: &Option<RawRef>, what: &str| {
        reference
            .as_ref()
            .ok_or_else(|| format!("{} without a {what}", raw.kind))
            .and_then(resolve)
    };
    let kind = match raw.kind.as_str() {
        "string" if raw.values.is_some() => Kind::Enum(raw.values.clone().unwrap_or_default()),
        "string" => Kind::String {
            length: bounds,
            pattern: raw
                .pattern
                .as_deref()
                .map(|source| compiled(source, patterns)),
        },
        "integer" | "long" => Kind::Number(bounds),
        "boolean" => Kind::Boolean,
        "timestamp" => Kind::Timestamp,
        "blob" => Kind::Blob,
        "list" => Kind::List {
            member: referenced(&raw.member, "member")?,
            length: bounds,
        },
        "map" => Kind::Map {
            key: referenced(&raw.key, "key")?,
            value: referenced(&raw.value, "value")?,
            length: bounds,
        },
        "structure" if raw.document => Kind::Document,
        "structure" => Kind::Structure(
            raw.members
                .iter()
                .map(|(member, reference)| {
                    Ok(Member {
                        name: member.clone(),
                        path_name: lower_first(member),
                        shape: resolve(reference)?,
                        required: raw.required.contains(member),
                    })
                })
                .collect::<Result<_, String>>()?,
        ),
        other => return Err(format!("unknown shape type {other}")),
    };
    Ok(Shape {
        kind,
        sensitive: raw.sensitive,
    })
}

fn compiled(source: &str, patterns: &mut PatternCache) -> Pattern {
    let regex = patterns
        .entry(source.to_owned())
        .or_insert_with(|| Regex::new(&format!("^(?:{source})$")).ok())
        .clone();
    Pattern {
        source: source.to_owned(),
        regex,
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The parts of botocore's JSON that validation uses; the rest (errors, documentation, ...) is
/// skipped.
#[derive(Clone, Deserialize)]
struct RawModel {
    operations: BTreeMap<String, RawOperation>,
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Clone, Deserialize)]
struct RawOperation {
    input: Option<RawRef>,
    output: Option<RawRef>,
}

#[derive(Clone, Deserialize)]
struct RawRef {
    shape: String,
}

#[derive(Clone, Deserialize)]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    members: BTreeMap<String, RawRef>,
    #[serde(default)]
    required: Vec<String>,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<String>,
    #[serde(rename = "enum")]
    values: Option<Vec<String>>,
    member: Option<RawRef>,
    key: Option<RawRef>,
    value: Option<RawRef>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    document: bool,
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_parses_with_every_operation() {
        assert_eq!(MODEL.operation_names().count(), 153);
        assert!(
            MODEL
                .input_of("InitiateAuth")
                .is_some_and(|input| input.is_some())
        );
        assert!(MODEL.input_of("DoSomethingElse").is_none());
    }

    #[test]
    fn only_look_behind_patterns_are_left_unenforced() {
        // A newer model with another pattern the `regex` crate rejects shows up here.
        assert_eq!(MODEL.unenforced_patterns(), [r"^[0-9A-Za-z\.\-_]*(?<!\.)$"]);
    }

    /// The shape of `member` in the input of `operation`.
    pub fn member_shape(operation: &str, member: &str) -> &'static Shape {
        let input = MODEL.input_of(operation).flatten().unwrap();
        let Kind::Structure(members) = &MODEL.shape(input).kind else {
            panic!("{operation}'s input is a structure");
        };
        let found = members.iter().find(|found| found.name == member).unwrap();
        MODEL.shape(found.shape)
    }

    /// The pattern of `member` in the input of `operation`.
    pub fn member_pattern(operation: &str, member: &str) -> &'static Pattern {
        match &member_shape(operation, member).kind {
            Kind::String {
                pattern: Some(pattern),
                ..
            } => pattern,
            other => panic!("{operation}.{member} is {other:?}"),
        }
    }

    #[test]
    fn patterns_match_whole_values() {
        let client_id = member_pattern("InitiateAuth", "ClientId");
        assert!(client_id.matches("abc123"));
        assert!(
            !client_id.matches("abc 123"),
            "a partial match is not enough"
        );
        assert!(member_shape("InitiateAuth", "ClientId").sensitive);
    }
}
