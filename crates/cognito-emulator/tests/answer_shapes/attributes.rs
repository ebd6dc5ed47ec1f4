// SPDX-License-Identifier: Apache-2.0
//! Custom attributes, the import CSV header and user import jobs, on a pool of their own.

use serde_json::json;

use super::super::answered;
use crate::common::{Harness, http};

pub async fn operations(harness: &Harness) {
    let pool = harness.pool_without_mfa(|create| create, false).await;
    let plan = json!([{
        "Name": "plan", "AttributeDataType": "String",
        "StringAttributeConstraints": { "MinLength": "1", "MaxLength": "10" },
    }]);
    let added = json!({ "UserPoolId": pool.id, "CustomAttributes": plan });
    answered(harness, "AddCustomAttributes", added).await;
    // DescribeUserPool now answers with constraints.
    answered(
        harness,
        "DescribeUserPool",
        json!({ "UserPoolId": pool.id }),
    )
    .await;
    answered(harness, "GetCSVHeader", json!({ "UserPoolId": pool.id })).await;
    let job = json!({
        "UserPoolId": pool.id, "JobName": "shapes",
        "CloudWatchLogsRoleArn": "arn:aws:iam::000000000000:role/CognitoImport",
    });
    let created = answered(harness, "CreateUserImportJob", job).await;
    let job_id = created["UserImportJob"]["JobId"]
        .as_str()
        .unwrap()
        .to_owned();
    let named = json!({ "UserPoolId": pool.id, "JobId": job_id });
    answered(harness, "DescribeUserImportJob", named.clone()).await;
    let listed = json!({ "UserPoolId": pool.id, "MaxResults": 1 });
    answered(harness, "ListUserImportJobs", listed).await;
    // Without a file, this job fails as soon as it starts.
    answered(harness, "StartUserImportJob", named).await;
    // A second job, with a file long enough to be stopped while it imports.
    let second = json!({
        "UserPoolId": pool.id, "JobName": "stopped",
        "CloudWatchLogsRoleArn": "arn:aws:iam::000000000000:role/CognitoImport",
    });
    let second = answered(harness, "CreateUserImportJob", second).await;
    let url = second["UserImportJob"]["PreSignedUrl"].as_str().unwrap();
    let (_, header) = harness
        .call(
            "GetCSVHeader",
            &json!({ "UserPoolId": pool.id }).to_string(),
        )
        .await;
    let columns: Vec<&str> = header["CSVHeader"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    let mut file = columns.join(",");
    for n in 0..30_000 {
        let row: Vec<String> = columns
            .iter()
            .map(|column| match *column {
                "cognito:username" => format!("shape{n}"),
                "email" => format!("shape{n}@example.com"),
                "email_verified" => "true".to_owned(),
                "cognito:mfa_enabled" => "false".to_owned(),
                _ => String::new(),
            })
            .collect();
        file.push('\n');
        file.push_str(&row.join(","));
    }
    let base = harness.emulator.url();
    let path = url.strip_prefix(base).unwrap();
    let length = file.len().to_string();
    let (status, _) = http(base, "PUT", path, &[("content-length", &length)], &file).await;
    assert_eq!(status, 200);
    let second = json!({ "UserPoolId": pool.id, "JobId": second["UserImportJob"]["JobId"] });
    answered(harness, "StartUserImportJob", second.clone()).await;
    answered(harness, "StopUserImportJob", second).await;
}
