// SPDX-License-Identifier: Apache-2.0
//! A fuzzing harness over the request decoder and dispatcher (property-based: cargo-fuzz needs
//! a nightly toolchain). Valid bodies from `data/fuzz_seeds.json`, mutated, and arbitrary bytes
//! and JSON, to every operation: never a panic, never an internal error, always an answer.
//! Failing inputs are kept by proptest in `proptest-regressions/fuzz.txt` and replayed first.

use std::sync::{Arc, OnceLock};

use cognito_emulator::SystemClock;
use cognito_emulator::testing::{Service, handle};
use proptest::prelude::*;
use serde_json::{Value, json};

const PREFIX: &str = "AWSCognitoIdentityProviderService.";

struct Target {
    service: Service,
    seeds: Vec<(String, String)>,
}

/// One service for all cases, with a pool and client for the seeds to name.
fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let service = Service::new("http://127.0.0.1:1".into(), "us-east-1".into(), Arc::new(SystemClock));
        let pool = handle(&service, &format!("{PREFIX}CreateUserPool"), br#"{"PoolName":"fuzz"}"#).unwrap();
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let body = json!({ "UserPoolId": pool_id, "ClientName": "fuzz", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
        let client = handle(&service, &format!("{PREFIX}CreateUserPoolClient"), body.to_string().as_bytes()).unwrap();
        let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
        let seeds: Vec<(String, Value)> = serde_json::from_str(include_str!("data/fuzz_seeds.json")).unwrap();
        let seeds = seeds
            .into_iter()
            .map(|(operation, body)| {
                let body = body.to_string().replace("$POOL", &pool_id).replace("$CLIENT", &client_id);
                (format!("{PREFIX}{operation}"), body)
            })
            .collect();
        Target { service, seeds }
    })
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,40}".prop_map(Value::String),
        Just(json!("x".repeat(5000))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("Username".to_owned()),
                    Just("ClientId".to_owned()),
                    Just("AuthParameters".to_owned()),
                    Just("ChallengeResponses".to_owned()),
                    Just("Session".to_owned()),
                    "[A-Za-z]{1,12}",
                ],
                inner,
                0..5,
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    AsIs,
    Truncate(usize),
    FlipByte(usize, u8),
    ReplaceMember(usize, Value),
    Arbitrary(Value),
    Bytes(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => Just(Mutation::AsIs),
        2 => any::<usize>().prop_map(Mutation::Truncate),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::FlipByte(at, byte)),
        3 => (any::<usize>(), json_value()).prop_map(|(at, value)| Mutation::ReplaceMember(at, value)),
        2 => json_value().prop_map(Mutation::Arbitrary),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Mutation::Bytes),
    ]
}

fn apply(seed: &str, mutation: &Mutation) -> Vec<u8> {
    match mutation {
        Mutation::AsIs => seed.as_bytes().to_vec(),
        Mutation::Truncate(at) => seed.as_bytes()[..at % (seed.len() + 1)].to_vec(),
        Mutation::FlipByte(at, byte) => {
            let mut bytes = seed.as_bytes().to_vec();
            let index = at % bytes.len();
            bytes[index] ^= byte | 1;
            bytes
        }
        Mutation::ReplaceMember(at, value) => {
            let mut body: Value = serde_json::from_str(seed).unwrap();
            if let Some(object) = body.as_object_mut() {
                let keys: Vec<String> = object.keys().cloned().collect();
                if !keys.is_empty() {
                    object.insert(keys[at % keys.len()].clone(), value.clone());
                }
            }
            body.to_string().into_bytes()
        }
        Mutation::Arbitrary(value) => value.to_string().into_bytes(),
        Mutation::Bytes(bytes) => bytes.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: Some(Box::new(prop::test_runner::FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_request_gets_an_answer_and_never_an_internal_error(
        seed in any::<prop::sample::Index>(),
        mutation in mutation(),
        garbage_target in prop::option::weighted(0.05, "\\PC{0,60}"),
    ) {
        let target = target();
        let (operation, body) = seed.get(&target.seeds);
        let operation = garbage_target.unwrap_or_else(|| operation.clone());
        let bytes = apply(body, &mutation);
        match handle(&target.service, &operation, &bytes) {
            Ok(answer) => prop_assert!(answer.is_object()),
            Err(error) => {
                prop_assert_ne!(error.code, "InternalErrorException", "{}: {}", operation, error.message);
                prop_assert!(!error.message.is_empty());
            }
        }
    }
}

/// The seeds must reach the service: whatever it answers, the wire layer let them through.
#[test]
fn every_seed_is_a_well_formed_request() {
    for (operation, body) in &target().seeds {
        if let Err(error) = handle(&target().service, operation, body.as_bytes()) {
            let refused_by_the_wire = ["SerializationException", "UnknownOperationException"]
                .contains(&error.code)
                || error.message.contains("validation error");
            assert!(
                !refused_by_the_wire,
                "seed {operation} {body} is not well-formed: {error}"
            );
        }
    }
}
